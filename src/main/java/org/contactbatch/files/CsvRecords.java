package org.contactbatch.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;

/** Records of a delimited text file, parsed by commons-csv behind a {@link CsvGuardReader}. */
final class CsvRecords implements RecordStream {

    private final Path file;
    private final Charset charset;
    private final int skipBytes;
    private final char delimiter;
    private final StrictDecodingReader decoder;
    private final CsvGuardReader guard;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final int skippedLines;

    /**
     * @param skipBytes    bytes before the first record: a byte order mark, Excel's {@code sep=} line
     * @param skippedLines lines among them, so that every line number is the file's
     */
    CsvRecords(Path file, Charset charset, int skipBytes, int skippedLines, char delimiter) {
        this(file, charset, skipBytes, skippedLines, delimiter, 0);
    }

    /** @param fromLine the first record read is the first that starts on or after this line of the file */
    private CsvRecords(Path file, Charset charset, int skipBytes, int skippedLines, char delimiter, long fromLine) {
        this.file = file;
        this.charset = charset;
        this.skipBytes = skipBytes;
        this.delimiter = delimiter;
        this.skippedLines = skippedLines;
        CSVFormat format = CSVFormat.RFC4180.builder()
                .setDelimiter(delimiter)
                .setQuote('"')
                .setIgnoreEmptyLines(true)
                .setIgnoreSurroundingSpaces(true) // blanks outside quotes only; quoted content stays as written
                .setTrim(false)
                .get();
        InputStream in = null;
        try {
            in = Files.newInputStream(file);
            in.skipNBytes(skipBytes);
            this.decoder = new StrictDecodingReader(in, charset);
            this.guard = new CsvGuardReader(decoder, delimiter, fromLine - skippedLines);
            this.parser = CSVParser.builder().setReader(guard).setFormat(format).get();
        } catch (IOException e) {
            closeQuietly(in);
            throw new FileProblemException(file, null, "cannot be read (" + e.getMessage() + ")", e);
        }
        this.records = parser.iterator();
    }

    @Override
    public @Nullable RawRow read() {
        CSVRecord record;
        try {
            // next() without hasNext() parses exactly one record, so the line number below belongs to it
            record = records.next();
        } catch (NoSuchElementException end) {
            return null;
        } catch (UncheckedIOException e) {
            throw problem(e.getCause());
        } catch (IllegalStateException e) {
            throw problem(e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e));
        }
        String[] values = record.values();
        // after a record the parser's line number is the line where the record ends (its line break is consumed, or
        // the end of the file counted as one); line breaks inside quoted values take us back to where it starts
        long line = parser.getCurrentLineNumber() + skippedLines + guard.firstLine() - 1;
        for (String value : values) {
            line -= lineBreaks(value);
        }
        return new RawRow(line, List.of(values));
    }

    /** Counts CR, LF and CRLF as one each, the way the parser counts lines. */
    private static int lineBreaks(String value) {
        int breaks = 0;
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c == '\r' || (c == '\n' && (i == 0 || value.charAt(i - 1) != '\r'))) {
                breaks++;
            }
        }
        return breaks;
    }

    private FileProblemException problem(IOException e) {
        if (e instanceof CsvGuardReader.Violation violation) {
            return new FileProblemException(file, where(violation.line() + skippedLines), violation.problem(), e);
        }
        if (e instanceof CharacterCodingException) {
            String why = decoder.decodedNonAscii()
                    // two exports pasted together: decoding the rest in another encoding would garble the lines before
                    ? ", though the lines before it are (two encodings in one file?); save the whole file as "
                            + charset.name() + ", or give --encoding if all of it is in one other encoding"
                    : " (is it a binary file, or saved in another encoding?)";
            return new FileProblemException(file, where(guard.line() + skippedLines),
                    "the text is not valid " + charset.name() + why, e);
        }
        // the guard follows the parser's rules, so this is a read error or a case it does not know about
        return new FileProblemException(file, where(guard.line() + skippedLines), "cannot be read as CSV (" + e.getMessage() + ")", e);
    }

    /** Opened afresh with the guard holding back the records before the line: their cells are never built. */
    @Override
    public RecordStream from(long line) {
        return new CsvRecords(file, charset, skipBytes, skippedLines, delimiter, line);
    }

    @Override
    public String where(long line) {
        return "line " + line;
    }

    @Override
    public @Nullable String whole() {
        return null;
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            // nothing was written, so there is nothing to lose; the file handle is released either way
        }
    }

    private static void closeQuietly(@Nullable InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // already failing with a better message
            }
        }
    }
}
