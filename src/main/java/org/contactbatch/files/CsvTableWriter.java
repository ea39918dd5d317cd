package org.contactbatch.files;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;

/**
 * Streaming CSV writer for files people open in a spreadsheet: UTF-8 (with a BOM by default, so Excel shows accents
 * right), RFC 4180 quoting, CRLF between records, and every cell passed through {@link CellSafety#neutralise}.
 */
public class CsvTableWriter implements Closeable, Flushable {

    private static final int BUFFER_CHARS = 1 << 16;

    private final CSVPrinter printer;

    /** Comma-delimited, with a BOM. */
    public CsvTableWriter(Path file) throws IOException {
        this(file, ',', true);
    }

    public CsvTableWriter(Path file, char delimiter, boolean bom) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder()
                .setDelimiter(delimiter)
                .setQuote('"')
                .setQuoteMode(QuoteMode.MINIMAL)
                .setRecordSeparator("\r\n")
                .get();
        BufferedWriter out = new BufferedWriter(
                new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), BUFFER_CHARS);
        try {
            if (bom) {
                out.write('\uFEFF');
            }
            this.printer = new CSVPrinter(out, format);
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
    }

    public void writeRow(List<String> cells) throws IOException {
        for (String cell : cells) {
            printer.print(CellSafety.neutralise(cell == null ? "" : cell));
        }
        printer.println();
    }

    @Override
    public void flush() throws IOException {
        printer.flush();
    }

    @Override
    public void close() throws IOException {
        printer.close(true);
    }
}
