package org.contactbatch.export;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;
import org.contactbatch.files.CellSafety;
import org.postgresql.copy.CopyOut;

/**
 * Writes the rows of a PostgreSQL {@code COPY (…) TO STDOUT (FORMAT csv)} to a file people open in a spreadsheet.
 *
 * <p>The server already formats RFC 4180 CSV far faster than a JDBC result set could be read and printed, so the
 * bytes pass through nearly as they come. Three things change on the way: every cell that could run as a formula
 * gets the apostrophe of {@link CellSafety#neutralise} (the same rule as every file the project writes), a value
 * with blanks at either end is quoted so readers keep them, and records end with CRLF as RFC 4180 asks. The server sends one row per message (PostgreSQL protocol, "COPY Operations"), so each
 * row is handled whole; the first cell is always the contact's id, which tells where the next slice starts.
 */
final class CopyCsvWriter {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte APOSTROPHE = '\'';
    private static final byte QUOTE = '"';

    /** Rows written and the id of the last one. */
    record Slice(int rows, long lastId) {
    }

    private final OutputStream out;
    private final byte delimiter;

    CopyCsvWriter(OutputStream out, char delimiter) {
        if (delimiter > 0x7F || delimiter == '"' || delimiter == '\r' || delimiter == '\n') {
            throw new IllegalArgumentException("unusable CSV delimiter: " + delimiter);
        }
        this.out = out;
        this.delimiter = (byte) delimiter;
    }

    /** Every row of the COPY, until the server says it is done. */
    Slice copy(CopyOut copy) throws SQLException, IOException {
        int rows = 0;
        long lastId = -1;
        for (byte[] row; (row = copy.readFromCopy()) != null; ) {
            lastId = writeRow(row);
            rows++;
        }
        return new Slice(rows, lastId);
    }

    /**
     * One row as the server formats it: fields separated by the delimiter, quoted when they hold a delimiter, quote
     * or line break (quotes doubled inside), ending in LF. Returns the row's first field as a number.
     */
    long writeRow(byte[] row) throws IOException {
        int end = row.length - 1;
        if (end < 0 || row[end] != '\n') {
            throw new IllegalStateException("a COPY row does not end with a line feed");
        }
        long id = -1;
        int written = 0;
        int field = 0;
        int position = 0;
        while (true) {
            boolean quoted = position < end && row[position] == '"';
            int contentStart = quoted ? position + 1 : position;
            int fieldEnd = quoted ? quotedFieldEnd(row, position, end) : plainFieldEnd(row, position, end);
            if (field == 0) {
                id = number(row, position, fieldEnd);
            }
            int contentEnd = quoted ? fieldEnd - 1 : fieldEnd;
            boolean filled = contentStart < contentEnd;
            // readers drop blanks around an unquoted value (ours does), so such a value is quoted to keep them
            boolean wrap = !quoted && filled && (isBlank(row[contentStart]) || isBlank(row[contentEnd - 1]));
            boolean apostrophe = filled && isTrigger(row[contentStart])
                    && needsApostrophe(row, contentStart, contentEnd, quoted);
            if (wrap || apostrophe) {
                out.write(row, written, contentStart - written);
                if (wrap) {
                    out.write(QUOTE);
                }
                if (apostrophe) {
                    out.write(APOSTROPHE);
                }
                written = contentStart;
            }
            if (wrap) {
                // an unquoted value holds no quotes: the server would have quoted it
                out.write(row, written, contentEnd - written);
                out.write(QUOTE);
                written = contentEnd;
            }
            if (fieldEnd >= end) {
                break;
            }
            position = fieldEnd + 1;
            field++;
        }
        out.write(row, written, end - written);
        out.write(CRLF);
        return id;
    }

    /** Just past the closing quote of a field that opens with a quote at {@code start}. */
    private static int quotedFieldEnd(byte[] row, int start, int end) {
        int i = start + 1;
        while (i < end) {
            if (row[i] == '"') {
                if (i + 1 < end && row[i + 1] == '"') {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        throw new IllegalStateException("a COPY row has a quoted field that is never closed");
    }

    private int plainFieldEnd(byte[] row, int start, int end) {
        int i = start;
        while (i < end && row[i] != delimiter) {
            i++;
        }
        return i;
    }

    private static long number(byte[] row, int from, int to) {
        long value = 0;
        if (from >= to) {
            throw new IllegalStateException("a COPY row does not start with an id");
        }
        for (int i = from; i < to; i++) {
            int digit = row[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new IllegalStateException("a COPY row does not start with an id");
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }

    private static boolean isTrigger(byte b) {
        return b == '=' || b == '+' || b == '-' || b == '@' || b == '\t' || b == '\r';
    }

    /**
     * Decided by {@link CellSafety} itself, so the rule lives in one place ("-3" stays, "-x" does not). Only a cell
     * made of number characters alone can be a plain number: any other (most phones: "+1 212 …") needs the apostrophe
     * without a closer look.
     */
    private static boolean needsApostrophe(byte[] row, int from, int to, boolean quoted) {
        for (int i = from; i < to; i++) {
            byte b = row[i];
            if (!(b >= '0' && b <= '9' || b == '.' || b == 'e' || b == 'E' || b == '+' || b == '-')) {
                return true;
            }
        }
        String cell = new String(row, from, to - from, StandardCharsets.UTF_8);
        if (quoted) {
            cell = cell.replace("\"\"", "\"");
        }
        return CellSafety.neutralise(cell).length() != cell.length();
    }

    /** The header row: the same quoting, neutralised like every other cell (custom field names come from files). */
    static byte[] header(List<String> names, char delimiter) {
        CSVFormat format = CSVFormat.RFC4180.builder()
                .setDelimiter(delimiter)
                .setQuote('"')
                .setQuoteMode(QuoteMode.MINIMAL)
                .setRecordSeparator("\r\n")
                .get();
        StringWriter text = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(text, format)) {
            for (String name : names) {
                printer.print(CellSafety.neutralise(name));
            }
            printer.println();
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
