package org.contactbatch.files;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Parses delimited text in one pass over its own buffer: each character is looked at once, and a value becomes a
 * String straight from the buffer.
 *
 * <p>The rules are RFC 4180's as people's files need them: a quote opens a field only at its start (after blanks), ""
 * inside quotes is one quote, blanks (Java whitespace) around a field are ignored while those inside quotes are kept,
 * lines with nothing on them are skipped, and CR, LF and CRLF all end a line.
 *
 * <p>It also protects memory and says clearly what is wrong. A cell longer than Excel's 32,767 characters, a row
 * with more than Excel's 16,384 columns or an absurdly long row, text after a closing quote, a NUL character, or a
 * quote left open at the end of the file stops the read with a {@link Violation} naming the line where the record
 * starts, before the cell has been buffered any further: one unclosed quote in a 100 MB file costs 32 K characters,
 * not the rest of the file. Every complete record before the problem has been returned by then.
 *
 * <p>Records that start before a given line can be held back ({@link #CsvParser(Reader, char, long)}): they are
 * scanned, so a problem in them is still found, but their cells are never built. A later part of a file read in
 * parts starts so where {@link CsvLineSkip} cannot take it to its first line over the bytes.
 */
final class CsvParser implements Closeable {

    static final int MAX_CELL = 32_767;
    static final int MAX_COLUMNS = 16_384;
    /** Real contact rows are a few hundred characters; this only stops a runaway row from filling the heap. */
    static final long MAX_RECORD = 1L << 22;
    /** Blanks after an unquoted value are trimmed, so they do not count, but they cannot be unbounded. */
    private static final int MAX_TRAILING_BLANKS = 1 << 16;
    private static final int BUFFER = 1 << 16;

    private enum State { RECORD_START, FIELD_START, UNQUOTED, QUOTED, QUOTE_SEEN, AFTER_QUOTE }

    /** A problem in the text; carries the line where the record starts. */
    static final class Violation extends IOException {
        private final long line;
        private final String problem;

        Violation(long line, String problem) {
            super("line " + line + ": " + problem);
            this.line = line;
            this.problem = problem;
        }

        long line() {
            return line;
        }

        String problem() {
            return problem;
        }
    }

    private final Reader in;
    private final char delimiter;
    private char[] buffer = new char[BUFFER];
    private int position;
    private int limit;
    /** The character before {@code buffer[0]}, to count a CRLF split between two reads once. */
    private char before;
    private boolean ended;
    private @Nullable Violation pending;

    private State state = State.RECORD_START;
    private long line;
    private long recordLine;
    private long quoteLine;
    private int fieldCount;
    private long recordLength;
    /** The current value's length: unescaped inside quotes, with trailing blanks outside. */
    private int cellLength;
    /** The current unquoted value's length without its trailing blanks. */
    private int trimmedLength;
    /** Where the current value starts in the buffer (after the opening quote), or -1 between values. */
    private int mark = -1;
    /** Where the quote that may close the current quoted value is. */
    private int quoteAt;
    /** Whether the current quoted value holds a "" to be read as one quote. */
    private boolean escaped;
    /** Records that start before this line are scanned but not built. */
    private final long firstLine;
    private boolean building;
    private final List<String> values = new ArrayList<>();

    CsvParser(Reader in, char delimiter) {
        this(in, delimiter, 1, 1);
    }

    /** @param fromLine records that start before this line are held back: {@link #next()} begins at the first after */
    CsvParser(Reader in, char delimiter, long fromLine) {
        this(in, delimiter, fromLine, 1);
    }

    /**
     * @param fromLine records that start before this line are held back
     * @param atLine   the line the text starts on, where a record starts: the text is the rest of a longer one
     */
    CsvParser(Reader in, char delimiter, long fromLine, long atLine) {
        this.in = in;
        this.delimiter = delimiter;
        this.firstLine = fromLine;
        this.line = atLine;
    }

    /** The next record's values, or null at the end of the text. */
    @Nullable List<String> next() throws IOException {
        if (pending != null) {
            throw pending;
        }
        while (true) {
            if (position == limit && !fill()) {
                return ended ? null : finishAtEnd();
            }
            if (scan() && building) {
                return record();
            }
        }
    }

    /** The line where the record {@link #next()} returned last starts. */
    long recordLine() {
        return recordLine;
    }

    /** The physical line the parser has reached; for problems found below it, such as undecodable bytes. */
    long line() {
        return line;
    }

    /** Runs the characters from the position through the state machine; true when a record ended. */
    private boolean scan() throws Violation {
        char[] chars = buffer;
        int end = limit;
        int i = position;
        while (i < end) {
            // fast runs over the bulk of a file, ordinary characters inside a value with room to spare, in locals;
            // anything else, including a character that would go over the limit, takes step()
            if (state == State.UNQUOTED) {
                int length = cellLength;
                int trimmed = trimmedLength;
                while (i < end && length < MAX_CELL) {
                    char c = chars[i];
                    if (c == delimiter) {
                        break;
                    }
                    // below U+1680 the only whitespace is ASCII, so this is Character.isWhitespace without the call
                    if (c > ' ' && c < '\u1680') {
                        trimmed = ++length;
                    } else if (c == ' ') {
                        length++;
                    } else {
                        break;
                    }
                    i++;
                }
                cellLength = length;
                trimmedLength = trimmed;
            } else if (state == State.QUOTED) {
                int length = cellLength;
                while (i < end && length < MAX_CELL) {
                    char c = chars[i];
                    if (c == '"' || c == '\r' || c == '\n' || c == 0) {
                        break;
                    }
                    length++;
                    i++;
                }
                cellLength = length;
            }
            if (i == end) {
                break;
            }
            char c = chars[i];
            if (c == 0) {
                position = i;
                throw pending = new Violation(line,
                        "contains a NUL character, so it is not a text file (or not in the encoding it seems to be in)");
            }
            boolean recordEnded;
            try {
                recordEnded = step(c, i);
            } catch (Violation violation) {
                position = i;
                throw pending = violation;
            }
            if (c == '\r' || (c == '\n' && (i > 0 ? chars[i - 1] : before) != '\r')) {
                line++;
            }
            i++;
            if (recordEnded) {
                position = i;
                return true;
            }
        }
        position = i;
        return false;
    }

    /** One character through the state machine; true when it ended a record. */
    private boolean step(char c, int at) throws Violation {
        switch (state) {
            case RECORD_START:
                if (c == '\r' || c == '\n') {
                    return false; // a line with nothing on it
                }
                recordLine = line;
                building = line >= firstLine;
                fieldCount = 0;
                recordLength = 0;
                cellLength = 0;
                state = State.FIELD_START;
                return fieldStart(c, at);
            case FIELD_START:
                return fieldStart(c, at);
            case UNQUOTED:
                if (c == delimiter) {
                    endUnquoted();
                    endField();
                    return false;
                }
                if (c == '\r' || c == '\n') {
                    endUnquoted();
                    return endRecord();
                }
                cellLength++;
                if (!Character.isWhitespace(c)) {
                    trimmedLength = cellLength;
                }
                if (trimmedLength > MAX_CELL || cellLength > MAX_CELL + MAX_TRAILING_BLANKS) {
                    throw violation("a cell is longer than 32,767 characters, so this is not a table a spreadsheet could hold");
                }
                return false;
            case QUOTED:
                if (c == '"') {
                    state = State.QUOTE_SEEN;
                    quoteAt = at;
                    return false;
                }
                quotedChar();
                return false;
            case QUOTE_SEEN:
                if (c == '"') {
                    state = State.QUOTED; // "" is one quote in the value
                    escaped = true;
                    quotedChar();
                    return false;
                }
                endQuoted();
                state = State.AFTER_QUOTE;
                return afterQuote(c);
            case AFTER_QUOTE:
                return afterQuote(c);
            default:
                throw new IllegalStateException(state.name());
        }
    }

    private boolean fieldStart(char c, int at) throws Violation {
        if (c == delimiter) {
            value("");
            endField();
            return false;
        }
        if (c == '\r' || c == '\n') {
            value("");
            return endRecord();
        }
        if (c == '"') {
            state = State.QUOTED;
            quoteLine = line;
            cellLength = 0;
            escaped = false;
            mark = at + 1;
        } else if (!Character.isWhitespace(c)) {
            state = State.UNQUOTED;
            cellLength = 1;
            trimmedLength = 1;
            mark = at;
        }
        return false;
    }

    private void quotedChar() throws Violation {
        if (++cellLength > MAX_CELL) {
            throw violation("a cell is longer than 32,767 characters — probably an unclosed quote (the quoted field starts at line "
                    + quoteLine + ")");
        }
    }

    private boolean afterQuote(char c) throws Violation {
        if (c == delimiter) {
            endField();
            return false;
        }
        if (c == '\r' || c == '\n') {
            return endRecord();
        }
        if (Character.isWhitespace(c)) {
            return false;
        }
        throw violation("unexpected text after the closing quote of a field that starts at line " + quoteLine
                + " (a quote inside a quoted field must be written twice: \"\")");
    }

    private void endUnquoted() {
        if (building) {
            values.add(new String(buffer, mark, trimmedLength));
        }
        mark = -1;
    }

    private void endQuoted() {
        if (building) {
            values.add(escaped ? unescape(buffer, mark, quoteAt) : new String(buffer, mark, quoteAt - mark));
        }
        mark = -1;
    }

    /** The text between the quotes, each "" read as one quote. */
    private static String unescape(char[] chars, int from, int to) {
        StringBuilder text = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            text.append(chars[i]);
            if (chars[i] == '"') {
                i++; // the second of the pair
            }
        }
        return text.toString();
    }

    private void value(String value) {
        if (building) {
            values.add(value);
        }
    }

    private void endField() throws Violation {
        recordLength += cellLength + 1;
        cellLength = 0;
        state = State.FIELD_START;
        if (++fieldCount >= MAX_COLUMNS) {
            throw violation("a row has more than 16,384 columns, so this is not a table a spreadsheet could hold");
        }
        if (recordLength > MAX_RECORD) {
            throw violation("a row is longer than 4,194,304 characters, so this is not a contacts table");
        }
    }

    private boolean endRecord() {
        state = State.RECORD_START;
        return true;
    }

    private Violation violation(String problem) {
        return new Violation(recordLine, problem);
    }

    /** The end of the text: the record it ends, or null when there is none at or after the first line. */
    private @Nullable List<String> finishAtEnd() throws Violation {
        ended = true;
        switch (state) {
            case RECORD_START:
                return null;
            case QUOTED:
                throw pending = violation("a quoted field is not closed (started at line " + quoteLine + ")");
            case FIELD_START:
                value("");
                break;
            case UNQUOTED:
                endUnquoted();
                break;
            case QUOTE_SEEN:
                endQuoted();
                break;
            default:
                break; // after a closing quote: the value is in
        }
        state = State.RECORD_START;
        return building ? record() : null;
    }

    private List<String> record() {
        List<String> record = List.copyOf(values);
        values.clear();
        return record;
    }

    /**
     * Reads the next characters; false at the end of the text. A value still open is moved to the start of the
     * buffer first, so every value lies in one piece; the buffer grows only for a value longer than it, which the
     * limits keep below a few hundred thousand characters.
     */
    private boolean fill() throws IOException {
        if (ended) {
            return false;
        }
        if (limit > 0) {
            before = buffer[limit - 1];
        }
        int keep = building && mark >= 0 ? mark : limit; // where the characters still wanted start
        System.arraycopy(buffer, keep, buffer, 0, limit - keep);
        if (mark >= 0) {
            mark -= keep;
            quoteAt -= keep;
        }
        limit -= keep;
        if (buffer.length - limit < 2) {
            // room for two chars at least: a character beyond U+FFFF is a pair, and a reader with room for one
            // hands out nothing, which would ask again for ever
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        position = limit;
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            return false;
        }
        limit += n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
