package org.contactbatch.files;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.jspecify.annotations.Nullable;

/**
 * An OpenDocument spreadsheet ({@code .ods}, LibreOffice's and many web tools' format): its {@code content.xml} read
 * streaming, with no DTD or external entity and the archive limits against bombs. A cell is its text as the
 * spreadsheet shows it (the {@code text:p} paragraphs, so a postal code formatted {@code 00000} keeps its zero);
 * repeated rows and cells ({@code number-rows-repeated}, {@code number-columns-repeated}) count as that many, so the
 * row numbers are the sheet's.
 */
final class OdsRecords implements SheetRecords {

    static final String MIME_TYPE = "application/vnd.oasis.opendocument.spreadsheet";
    private static final String TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
    private static final String TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
    /** Repeated empty rows at a sheet's end run to Excel's last row; rows past the last with a value are not read. */
    private static final int MAX_ROWS = 1_048_576;


    private final Path file;
    private final ZipFile zip;
    private final XMLStreamReader xml;
    private final List<String> sheetNames;
    private final String sheetName;
    private long rowNumber;
    private @Nullable List<String> repeatedRow;
    private long repeatsLeft;
    private boolean done;

    private OdsRecords(Path file, ZipFile zip, XMLStreamReader xml, List<String> sheetNames, int index) {
        this.file = file;
        this.zip = zip;
        this.xml = xml;
        this.sheetNames = sheetNames;
        this.sheetName = sheetNames.get(index);
    }

    /** Whether a ZIP archive is an OpenDocument spreadsheet: its {@code mimetype} entry says so. */
    static boolean isSpreadsheet(ZipFile zip) throws IOException {
        ZipEntry mimetype = zip.getEntry("mimetype");
        if (mimetype == null || mimetype.getSize() > 200) {
            return false;
        }
        try (InputStream in = zip.getInputStream(mimetype)) {
            return new String(in.readNBytes(200), java.nio.charset.StandardCharsets.US_ASCII).strip().equals(MIME_TYPE);
        }
    }

    static OdsRecords open(Path file, @Nullable String wantedSheet) {
        ZipFile zip = null;
        try {
            zip = new ZipFile(file.toFile());
            List<String> names = new ArrayList<>();
            XMLStreamReader first = content(file, zip);
            while (first.hasNext()) {
                if (first.next() == XMLStreamConstants.START_ELEMENT && isTable(first, "table")) {
                    String name = first.getAttributeValue(TABLE, "name");
                    names.add(name == null ? "Sheet" + (names.size() + 1) : name);
                    SafeXml.skip(first);
                }
            }
            first.close();
            int index = SheetSupport.choose(file, names, wantedSheet);
            XMLStreamReader xml = content(file, zip);
            int seen = -1;
            while (xml.hasNext()) {
                if (xml.next() == XMLStreamConstants.START_ELEMENT && isTable(xml, "table") && ++seen == index) {
                    break;
                }
            }
            return new OdsRecords(file, zip, xml, List.copyOf(names), index);
        } catch (XMLStreamException e) {
            closeQuietly(zip);
            throw damaged(file, e);
        } catch (IOException e) {
            closeQuietly(zip);
            throw new FileProblemException(file, null, "the OpenDocument spreadsheet is damaged and cannot be read ("
                    + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            closeQuietly(zip);
            throw e;
        }
    }

    private static XMLStreamReader content(Path file, ZipFile zip) throws IOException, XMLStreamException {
        ZipEntry content = zip.getEntry("content.xml");
        if (content == null) {
            throw new FileProblemException(file, null, "the OpenDocument spreadsheet has no content.xml; it is damaged");
        }
        return SafeXml.reader(new Limited(file, zip.getInputStream(content), content.getCompressedSize()));
    }

    @Override
    public String sheetName() {
        return sheetName;
    }

    @Override
    public List<String> sheetNames() {
        return sheetNames;
    }

    @Override
    public @Nullable RawRow read() {
        try {
            while (true) {
                if (repeatsLeft > 0 && repeatedRow != null) {
                    repeatsLeft--;
                    rowNumber++;
                    return new RawRow(rowNumber, new ArrayList<>(repeatedRow));
                }
                if (done || !xml.hasNext()) {
                    return null;
                }
                int event = xml.next();
                if (event == XMLStreamConstants.END_ELEMENT && isTable(xml, "table")) {
                    done = true;
                } else if (event == XMLStreamConstants.START_ELEMENT && isTable(xml, "table-row")) {
                    long repeated = count(xml.getAttributeValue(TABLE, "number-rows-repeated"));
                    List<String> cells = row();
                    SheetSupport.trimTrailingEmpty(cells);
                    if (cells.isEmpty()) {
                        rowNumber += repeated;
                    } else {
                        rowNumber++;
                        // the same row again: as many as the sheet can hold
                        repeatsLeft = Math.min(repeated, MAX_ROWS - rowNumber) - 1;
                        repeatedRow = repeatsLeft > 0 ? cells : null;
                        return new RawRow(rowNumber, cells);
                    }
                }
            }
        } catch (XMLStreamException e) {
            throw damaged(file, e);
        }
    }

    private List<String> row() throws XMLStreamException {
        List<String> cells = new ArrayList<>();
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.END_ELEMENT && isTable(xml, "table-row")) {
                return cells;
            }
            if (event == XMLStreamConstants.START_ELEMENT
                    && (isTable(xml, "table-cell") || isTable(xml, "covered-table-cell"))) {
                long repeated = count(xml.getAttributeValue(TABLE, "number-columns-repeated"));
                String text = cell();
                long room = CsvParser.MAX_COLUMNS - cells.size();
                if (repeated > room && !text.isEmpty()) {
                    throw new FileProblemException(file, where(rowNumber + 1), "the row has values beyond Excel's last column");
                }
                cells.addAll(Collections.nCopies((int) Math.min(repeated, room), text));
            }
        }
        return cells;
    }

    /** The text of the cell the reader is at, up to its end: its paragraphs, one per line. */
    private String cell() throws XMLStreamException {
        StringBuilder text = new StringBuilder();
        int paragraphs = 0;
        for (int depth = 0; xml.hasNext(); ) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
                if (TEXT.equals(xml.getNamespaceURI())) {
                    switch (xml.getLocalName()) {
                        case "p" -> {
                            if (paragraphs++ > 0) {
                                text.append('\n');
                            }
                        }
                        case "s" -> text.append(" ".repeat((int) Math.min(count(xml.getAttributeValue(TEXT, "c")), 1000)));
                        case "tab" -> text.append('\t');
                        case "line-break" -> text.append('\n');
                        default -> { }
                    }
                } else if (!isTable(xml, "table-cell")) {
                    // an annotation (a comment) is not the cell's text
                    if (xml.getLocalName().equals("annotation")) {
                        SafeXml.skip(xml);
                        depth--;
                    }
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (event == XMLStreamConstants.CHARACTERS && paragraphs > 0) {
                text.append(xml.getText());
                if (text.length() > CsvParser.MAX_CELL) {
                    throw new FileProblemException(file, where(rowNumber + 1),
                            "a cell is longer than " + CsvParser.MAX_CELL + " characters, more than Excel allows");
                }
            }
        }
        return text.toString();
    }

    private static boolean isTable(XMLStreamReader xml, String name) {
        return TABLE.equals(xml.getNamespaceURI()) && name.equals(xml.getLocalName());
    }

    private static long count(@Nullable String repeated) {
        if (repeated == null) {
            return 1;
        }
        try {
            return Math.max(1, Long.parseLong(repeated.strip()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }


    private static FileProblemException damaged(Path file, XMLStreamException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FileProblemException problem) {
                return problem;
            }
        }
        String detail = SafeXml.reason(e);
        return new FileProblemException(file, null, "the OpenDocument spreadsheet is damaged and cannot be read (" + detail + ")", e);
    }

    @Override
    public void close() {
        SafeXml.closeQuietly(xml);
        closeQuietly(zip);
    }

    private static void closeQuietly(@Nullable ZipFile zip) {
        if (zip != null) {
            try {
                zip.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    /** content.xml as it inflates, refused past the archive limits (a zip bomb). */
    private static final class Limited extends FilterInputStream {

        private final Path file;
        private final long limit;
        private long read;

        Limited(Path file, InputStream in, long compressedSize) {
            super(in);
            this.file = file;
            this.limit = Math.min(PackedFiles.MAX_BYTES,
                    Math.max(PackedFiles.GRACE_BYTES, Math.max(compressedSize, 1) * PackedFiles.MAX_RATIO));
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > limit) {
                throw new FileProblemException(file, null, "refused: the spreadsheet would expand to far more data than "
                        + "its size suggests (more than " + PackedFiles.MAX_RATIO + " times, a possible zip bomb)");
            }
        }
    }
}
