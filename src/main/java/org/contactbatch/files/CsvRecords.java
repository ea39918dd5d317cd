package org.contactbatch.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** Records of a delimited text file, decoded strictly and parsed by a {@link CsvParser}. */
final class CsvRecords implements RecordStream {

    private final Path file;
    private final Charset charset;
    private final int skipBytes;
    private final char delimiter;
    private final StrictDecodingReader decoder;
    private final CsvParser parser;
    private final int skippedLines;
    /** Where in the file the decoder starts: after the skipped bytes, or further on for a later part. */
    private final long startOffset;
    private final long fromLine;

    /**
     * @param skipBytes    bytes before the first record: a byte order mark, Excel's {@code sep=} line
     * @param skippedLines lines among them, so that every line number is the file's
     */
    CsvRecords(Path file, Charset charset, int skipBytes, int skippedLines, char delimiter) {
        this(file, charset, skipBytes, skippedLines, delimiter, 0, fileStart(skipBytes));
    }

    /**
     * @param fromLine the first record read is the first that starts on or after this line of the file
     * @param start    where the text is read from: a record's start, and the parser's line there
     */
    private CsvRecords(Path file, Charset charset, int skipBytes, int skippedLines, char delimiter, long fromLine,
            CsvLineSkip.Start start) {
        this.file = file;
        this.charset = charset;
        this.skipBytes = skipBytes;
        this.delimiter = delimiter;
        this.skippedLines = skippedLines;
        this.startOffset = start.offset();
        this.fromLine = fromLine;
        InputStream in = null;
        try {
            in = Files.newInputStream(file);
            in.skipNBytes(start.offset());
            this.decoder = new StrictDecodingReader(in, charset);
            this.parser = new CsvParser(decoder, delimiter, fromLine - skippedLines, start.line());
        } catch (IOException e) {
            closeQuietly(in);
            throw new FileProblemException(file, null, "cannot be read (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public @Nullable RawRow read() {
        List<String> values;
        try {
            values = parser.next();
        } catch (IOException e) {
            throw startOffset > skipBytes ? firstProblem(e) : problem(e);
        }
        return values == null ? null : new RawRow(parser.recordLine() + skippedLines, values);
    }

    private FileProblemException problem(IOException e) {
        if (e instanceof CsvParser.Violation violation) {
            return new FileProblemException(file, where(violation.line() + skippedLines), violation.problem(), e);
        }
        if (e instanceof CharacterCodingException) {
            String why = decoder.decodedNonAscii()
                    // two exports pasted together: decoding the rest in another encoding would garble the lines before
                    ? ", though the lines before it are (two encodings in one file?); save the whole file as "
                            + charset.name() + ", or give --encoding if all of it is in one other encoding"
                    : " (is it a binary file, or saved in another encoding?)";
            return new FileProblemException(file, where(parser.line() + skippedLines),
                    "the text is not valid " + charset.name() + why, e);
        }
        // the parser's own problems are violations, so this is a read error
        return new FileProblemException(file, where(parser.line() + skippedLines), "cannot be read as CSV (" + e.getMessage() + ")", e);
    }

    /**
     * Opened afresh at the line: where the encoding allows, at the byte where its first record starts
     * ({@link CsvLineSkip}); else from the start, with the parser holding back the records before the line, whose
     * cells are never built.
     */
    @Override
    public RecordStream from(long line) {
        CsvLineSkip.Start start = null;
        try {
            start = CsvLineSkip.find(file, charset, skipBytes, delimiter, line - skippedLines);
        } catch (IOException e) {
            // the parser reads the file from the start and says what is wrong with it
        }
        return new CsvRecords(file, charset, skipBytes, skippedLines, delimiter, line,
                start != null ? start : fileStart(skipBytes));
    }

    /**
     * A later part's problem as the file's own: the part started past bytes it never read, and the file's first
     * problem may be among them, while the words of a decoding problem depend on them too (was there text beyond
     * ASCII before it?). So the file is read from its start, as it would have been without the skip, and the first
     * problem found is the one told; it is this one, or one before it. Only ever done for a file being refused.
     */
    private FileProblemException firstProblem(IOException e) {
        CsvRecords whole = new CsvRecords(file, charset, skipBytes, skippedLines, delimiter, fromLine,
                fileStart(skipBytes));
        try {
            while (whole.read() != null) {
                // records before the part are held back, and the part's own are read until the problem
            }
        } catch (FileProblemException first) {
            return first;
        } finally {
            whole.close();
        }
        return problem(e);
    }

    /** The first record's start: after the skipped bytes, on the parser's first line. */
    private static CsvLineSkip.Start fileStart(int skipBytes) {
        return new CsvLineSkip.Start(skipBytes, 1);
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
