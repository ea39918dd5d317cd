package org.contactbatch.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.poi.poifs.filesystem.FileMagic;

/** Opens contacts files people really have, recognising them by content rather than by name. */
public final class TabularFiles {

    /** Enough of the start of a file to recognise it, detect its encoding and sniff its delimiter. */
    static final int SAMPLE_BYTES = 64 * 1024;

    private TabularFiles() {
    }

    /**
     * Recognises the kind by content (XLSX, XLS, OpenDocument, Excel 2003 XML, a table saved as a web page, or
     * delimited text, also packed alone in a
     * {@code .gz} or a {@code .zip}; anything else is refused) and opens it with the header read and checked and the first data row
     * read ahead.
     *
     * @throws FileProblemException when the file cannot be read as a table; the message says why in one line
     */
    public static RowSource open(Path file, ReadOptions options) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        return open(file, options, false);
    }

    /** @param unpacked the file came out of a {@code .gz} or a {@code .zip}, which may not hold another */
    private static RowSource open(Path file, ReadOptions options, boolean unpacked) {
        Sample sample = Sample.read(file);
        boolean gzip = PackedFiles.isGzip(sample.bytes(), sample.length());
        FileMagic magic = FileMagic.valueOf(Arrays.copyOf(sample.bytes(), Math.min(sample.length(), 64)));
        PackedFiles.Zip zip = magic == FileMagic.OOXML ? PackedFiles.kind(file) : null;
        if (zip == PackedFiles.Zip.OPEN_DOCUMENT) {
            return sheet(file, FileKind.ODS, OdsRecords.open(file, options.sheet()), options);
        }
        if (gzip || zip == PackedFiles.Zip.ARCHIVE) {
            if (unpacked) {
                throw new FileProblemException(file, null, "an archive inside an archive; unpack it and upload the file inside");
            }
            Path inner = PackedFiles.unpacked(file, gzip);
            try {
                return new PackedFiles.Named(file, open(inner, options, true));
            } catch (FileProblemException e) {
                throw PackedFiles.named(file, e);
            }
        }
        if (SpreadsheetMlRecords.recognises(sample.bytes(), sample.length())) {
            return sheet(file, FileKind.XML_SPREADSHEET, SpreadsheetMlRecords.open(file, options.sheet()), options);
        }
        if (magic == FileMagic.HTML || magic == FileMagic.UNKNOWN && startsLikeMarkup(sample)
                && HtmlTableRecords.hasTable(new String(sample.bytes(), 0, sample.length(), StandardCharsets.ISO_8859_1))) {
            return webPage(file, options, sample);
        }
        return switch (magic) {
            case OOXML -> sheet(file, FileKind.XLSX, XlsxRecords.open(file, options.sheet()), options);
            case OLE2 -> sheet(file, FileKind.XLS, XlsRecords.open(file, options.sheet()), options);
            case UNKNOWN -> text(file, options, sample);
            // "BM" is also how a text file may start; a real bitmap has binary bytes right away
            case BMP -> sample.looksBinary() ? refuse(file, "a BMP image") : text(file, options, sample);
            case BIFF2, BIFF3, BIFF4 -> throw new FileProblemException(file, null,
                    "this is an Excel 2.x-4.0 workbook, which cannot be read; open it in Excel and save it as .xlsx");
            default -> refuse(file, looksLike(magic));
        };
    }

    /** The one wording for "this is not something we read", shared by every detector. */
    static String notATable(String looksLike) {
        return "not a CSV, TXT, XLSX, XLS, ODS or Excel 2003 XML file, nor one of them packed in a .gz or .zip (it looks like "
                + looksLike + ")";
    }

    private static RowSource refuse(Path file, String looksLike) {
        throw new FileProblemException(file, null, notATable(looksLike));
    }

    private static String looksLike(FileMagic magic) {
        return switch (magic) {
            case PDF -> "a PDF";
            case PNG -> "a PNG image";
            case JPEG -> "a JPEG image";
            case GIF -> "a GIF image";
            case TIFF -> "a TIFF image";
            case WMF, EMF -> "a Windows metafile image";
            case HTML -> "a web page (HTML)";
            case XML -> "an XML document";
            case RTF -> "an RTF document";
            case WORD2, MSWRITE -> "a Word document";
            default -> "a binary file";
        };
    }

    /** One sheet of a workbook, of whichever format. */
    private static RowSource sheet(Path file, FileKind kind, SheetRecords records, ReadOptions options) {
        FileDescription description = new FileDescription(file, kind, null, null, records.sheetName(), records.sheetNames());
        return new TableRowSource(records, description, options.header());
    }

    /** A table saved as a web page: read when it holds a table, refused as a web page when not. */
    private static RowSource webPage(Path file, ReadOptions options, Sample sample) {
        TextEncoding.Choice encoding = TextEncoding.choose(sample.bytes(), sample.length(), sample.whole(), options.charset());
        String text = sample.text(encoding);
        if (!HtmlTableRecords.hasTable(text)) {
            return refuse(file, "a web page (HTML)");
        }
        Charset charset = options.charset() != null ? options.charset() : HtmlTableRecords.charset(text, encoding.charset());
        HtmlTableRecords records = HtmlTableRecords.open(file, charset, charset.equals(encoding.charset()) ? encoding.bomLength() : 0);
        FileDescription description = new FileDescription(file, FileKind.HTML_TABLE, charset, null, null, List.of());
        return new TableRowSource(records, description, options.header());
    }

    /** Text that starts with a tag: a web page that does not say so ({@code <table>…} with no {@code <html>}). */
    private static boolean startsLikeMarkup(Sample sample) {
        int i = 0;
        if (sample.length() >= 3 && (sample.bytes()[0] & 0xFF) == 0xEF && (sample.bytes()[1] & 0xFF) == 0xBB) {
            i = 3;
        }
        while (i < sample.length() && Character.isWhitespace(sample.bytes()[i])) {
            i++;
        }
        return i < sample.length() && sample.bytes()[i] == '<';
    }

    private static RowSource text(Path file, ReadOptions options, Sample sample) {
        TextEncoding.Choice encoding = TextEncoding.choose(sample.bytes(), sample.length(), sample.whole(), options.charset());
        if (options.charset() == null && !sample.whole() && TextEncoding.isAscii(sample.bytes(), sample.length())) {
            try {
                encoding = new TextEncoding.Choice(TextEncoding.beyondSample(file, sample.length()), 0);
            } catch (IOException e) {
                throw new FileProblemException(file, null, "cannot be read (" + e.getMessage() + ")", e);
            }
        }
        boolean utf16 = encoding.charset().name().startsWith("UTF-16");
        if (!utf16 && sample.looksBinary()) {
            refuse(file, "a binary file");
        }
        String text = sample.text(encoding);
        // Excel's hint: a first line "sep=;" names the delimiter, and is not the header
        Matcher hint = SEPARATOR_HINT.matcher(text);
        int skipBytes = encoding.bomLength();
        int skippedLines = 0;
        Character delimiter = options.delimiter();
        if (hint.find()) {
            skipBytes += hintBytes(hint.group(), encoding.charset());
            skippedLines = 1;
            text = text.substring(hint.end());
            if (delimiter == null) {
                delimiter = hint.group(1).charAt(0);
            }
        }
        if (delimiter == null) {
            delimiter = DelimiterSniffer.sniff(text, sample.whole());
        } else if (delimiter == '"' || delimiter == '\r' || delimiter == '\n') {
            throw new IllegalArgumentException("delimiter cannot be a quote or a line break: " + delimiter);
        }
        CsvRecords records = new CsvRecords(file, encoding.charset(), skipBytes, skippedLines, delimiter);
        FileDescription description = new FileDescription(file, FileKind.CSV, encoding.charset(), delimiter,
                null, List.of(), encoding.bom());
        return new TableRowSource(records, description, options.header());
    }

    /** Excel's first line naming the delimiter: {@code sep=;} (some tools quote it), then a line break. */
    private static final Pattern SEPARATOR_HINT = Pattern.compile("\\A\"?sep=([^\"\\r\\n])\"?(\\r\\n|\\n|\\r)",
            Pattern.CASE_INSENSITIVE);

    /** The hint line's length in the file, in bytes (ASCII, in the file's encoding; UTF-16 without a byte order mark). */
    private static int hintBytes(String line, Charset charset) {
        Charset exact = charset.equals(StandardCharsets.UTF_16) ? StandardCharsets.UTF_16BE : charset;
        return line.getBytes(exact).length;
    }

    /** The first bytes of the file. */
    private record Sample(byte[] bytes, int length, boolean whole) {

        static Sample read(Path file) {
            if (!Files.exists(file)) {
                throw new FileProblemException(file, null, "the file does not exist");
            }
            if (Files.isDirectory(file)) {
                throw new FileProblemException(file, null, "is a folder, not a file");
            }
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes(SAMPLE_BYTES);
                if (bytes.length == 0) {
                    throw new FileProblemException(file, null, "the file is empty");
                }
                return new Sample(bytes, bytes.length, in.read() < 0);
            } catch (AccessDeniedException e) {
                throw new FileProblemException(file, null, "cannot be read (permission denied)", e);
            } catch (IOException e) {
                throw new FileProblemException(file, null, "cannot be read (" + e.getMessage() + ")", e);
            }
        }

        /**
         * Text has no NUL bytes and hardly any other control characters; binary files are full of both. Only
         * meaningful for single-byte and UTF-8 text (UTF-16 is full of NULs).
         */
        boolean looksBinary() {
            int controls = 0;
            for (int i = 0; i < length; i++) {
                int b = bytes[i] & 0xFF;
                if (b == 0) {
                    return true;
                }
                if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') {
                    controls++;
                }
            }
            return controls > length / 100;
        }

        /** The sample as characters, for sniffing only: a character cut at the end of the sample is replaced. */
        String text(TextEncoding.Choice encoding) {
            Charset charset = encoding.charset();
            try {
                return charset.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)
                        .decode(ByteBuffer.wrap(bytes, encoding.bomLength(), length - encoding.bomLength()))
                        .toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                return ""; // cannot happen with REPLACE
            }
        }
    }
}
