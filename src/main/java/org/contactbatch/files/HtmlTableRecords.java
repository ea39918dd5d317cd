package org.contactbatch.files;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.text.StringEscapeUtils;
import org.jspecify.annotations.Nullable;

/**
 * The first table of a web page, as older systems' "export to Excel" writes it and names {@code .xls}: one record a
 * {@code <tr>}, one cell a {@code <td>} or {@code <th>} ({@code colspan} leaves the cells it covers empty), the text
 * as a browser shows it (blanks collapsed, {@code <br>} a line break, character references decoded). Read streaming
 * and forgiving, as browsers are: a cell or row that is never closed ends at the next one. The row numbers are the
 * table's ({@code row 1} is its first row).
 */
final class HtmlTableRecords implements RecordStream {

    private static final Pattern META_CHARSET = Pattern.compile("<meta[^>]+charset\\s*=\\s*[\"']?([\\w-]+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern COLSPAN = Pattern.compile("colspan\\s*=\\s*[\"']?(\\d{1,5})", Pattern.CASE_INSENSITIVE);
    /** A line break from {@code <br>}, kept apart from the blanks of the page's own layout until the cell ends. */
    private static final char BREAK = '\u2028';

    private final Path file;
    private final Reader in;
    private long rowNumber;
    private boolean inTable;
    private boolean done;
    private int nested;
    /** The empty cells the open cell's colspan covers. */
    private int pendingSpan;

    private HtmlTableRecords(Path file, Reader in) {
        this.file = file;
        this.in = in;
    }

    /** Whether a web page holds a table: the only kind of web page that is read. */
    static boolean hasTable(String sampleText) {
        return sampleText.toLowerCase(Locale.ROOT).contains("<table");
    }

    /** The page's encoding: the one its {@code <meta charset>} names, else the one its bytes show. */
    static Charset charset(String sampleText, Charset detected) {
        Matcher meta = META_CHARSET.matcher(sampleText);
        if (meta.find()) {
            try {
                return Charset.forName(meta.group(1));
            } catch (RuntimeException unknown) {
                return detected;
            }
        }
        return detected;
    }

    static HtmlTableRecords open(Path file, Charset charset, int bomLength) {
        try {
            InputStream bytes = Files.newInputStream(file);
            bytes.skipNBytes(bomLength);
            return new HtmlTableRecords(file, new BufferedReader(new StrictDecodingReader(bytes, charset), 1 << 16));
        } catch (IOException e) {
            throw new FileProblemException(file, null, "cannot be read (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public @Nullable RawRow read() {
        try {
            List<String> cells = null;
            StringBuilder cell = null;
            while (!done) {
                int c = in.read();
                if (c < 0) {
                    done = true;
                    break;
                }
                if (c != '<') {
                    if (cell != null) {
                        text(cell, (char) c);
                    }
                    continue;
                }
                String tag = tag();
                String name = name(tag);
                if (name.equals("table")) {
                    if (inTable) {
                        nested++;
                    }
                    inTable = true;
                } else if (name.equals("/table") && inTable) {
                    if (nested > 0) {
                        nested--;
                    } else {
                        done = true; // the first table only
                    }
                } else if (!inTable || nested > 0) {
                    if (cell != null && name.equals("br")) {
                        cell.append(BREAK);
                    }
                } else if (name.equals("tr") || name.equals("/tr")) {
                    if (cells != null) {
                        end(cells, cell);
                        return row(cells);
                    }
                    if (name.equals("tr")) {
                        cells = new ArrayList<>();
                    }
                } else if (name.equals("td") || name.equals("th")) {
                    if (cells == null) {
                        cells = new ArrayList<>(); // a cell before any <tr>: browsers start a row
                    }
                    end(cells, cell);
                    cell = new StringBuilder();
                    Matcher span = COLSPAN.matcher(tag);
                    pendingSpan = span.find() ? Math.max(0, Math.min(Integer.parseInt(span.group(1)), CsvParser.MAX_COLUMNS) - 1) : 0;
                } else if (name.equals("/td") || name.equals("/th")) {
                    end(cells, cell);
                    cell = null;
                } else if (name.equals("br") && cell != null) {
                    cell.append(BREAK);
                }
            }
            if (cells != null) {
                end(cells, cell);
                return row(cells);
            }
            return null;
        } catch (IOException e) {
            throw new FileProblemException(file, where(rowNumber + 1), e instanceof java.nio.charset.CharacterCodingException
                    ? "the text is not valid in the page's encoding" : "cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private RawRow row(List<String> cells) {
        rowNumber++;
        SheetSupport.trimTrailingEmpty(cells);
        return new RawRow(rowNumber, cells);
    }

    /** Ends the open cell, if any: its text as shown, then the empty cells its colspan covers. */
    private void end(@Nullable List<String> cells, @Nullable StringBuilder cell) {
        if (cells == null || cell == null) {
            return;
        }
        if (cells.size() + 1 + pendingSpan > CsvParser.MAX_COLUMNS) {
            throw new FileProblemException(file, where(rowNumber + 1), "the row has more cells than Excel's last column");
        }
        cells.add(shown(cell));
        for (int i = 0; i < pendingSpan; i++) {
            cells.add("");
        }
        pendingSpan = 0;
        cell.setLength(0);
    }

    /** Blanks collapsed as a browser does (a line break from {@code <br>} kept), character references decoded. */
    private static String shown(StringBuilder raw) {
        String decoded = StringEscapeUtils.unescapeHtml4(raw.toString()).replace('\u00A0', ' ');
        StringBuilder text = new StringBuilder(decoded.length());
        boolean blank = false;
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c == BREAK) {
                text.append('\n');
                blank = false;
            } else if (Character.isWhitespace(c)) {
                blank = true;
            } else {
                if (blank && !text.isEmpty() && text.charAt(text.length() - 1) != '\n') {
                    text.append(' ');
                }
                blank = false;
                text.append(c);
            }
        }
        return text.toString().strip();
    }

    private void text(StringBuilder cell, char c) {
        if (cell.length() >= CsvParser.MAX_CELL * 2) {
            throw new FileProblemException(file, where(rowNumber + 1), "a cell is longer than "
                    + CsvParser.MAX_CELL + " characters, more than Excel allows");
        }
        cell.append(c);
    }

    /** The rest of a tag, after its {@code <}: to its {@code >}; a comment, script or style is passed over whole. */
    private String tag() throws IOException {
        StringBuilder tag = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '>') {
            if (tag.length() < 4096) {
                tag.append((char) c);
            }
            if (tag.length() == 3 && tag.toString().equals("!--")) {
                skipPast("-->");
                return "!--";
            }
        }
        String name = name(tag.toString());
        if (name.equals("script") || name.equals("style")) {
            skipPast("</" + name);
            skipPast(">");
        }
        return tag.toString();
    }

    private void skipPast(String end) throws IOException {
        int matched = 0;
        int c;
        while (matched < end.length() && (c = in.read()) >= 0) {
            matched = Character.toLowerCase((char) c) == end.charAt(matched) ? matched + 1
                    : Character.toLowerCase((char) c) == end.charAt(0) ? 1 : 0;
        }
    }

    /** The tag's name, lower case, with its {@code /} when it closes: {@code "/td"}, {@code "br"}. */
    private static String name(String tag) {
        int end = tag.startsWith("/") ? 1 : 0;
        while (end < tag.length() && Character.isLetterOrDigit(tag.charAt(end))) {
            end++;
        }
        return tag.substring(0, end).toLowerCase(Locale.ROOT);
    }

    @Override
    public String where(long line) {
        return "row " + line;
    }

    @Override
    public @Nullable String whole() {
        return "the table";
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
