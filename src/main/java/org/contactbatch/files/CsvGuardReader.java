package org.contactbatch.files;

import java.io.IOException;
import java.io.Reader;

import org.jspecify.annotations.Nullable;

/**
 * Sits between the decoder and commons-csv and protects memory: commons-csv appends a cell to a StringBuilder until
 * the cell ends, so one unclosed quote in a 100 MB file would make it buffer the rest of the file as one cell.
 *
 * <p>The guard follows the same tokenising rules as commons-csv's lexer with our format (quote '"' opening a field
 * only at its start after blanks, "" inside quotes, blanks around fields ignored, blank lines skipped) as the
 * characters pass through. It can therefore count each cell's length, each record's fields and size, and the
 * physical line where each record starts, and stop the read <em>before</em> the parser has buffered a cell longer
 * than Excel's limit (32,767 characters), a record with more than Excel's 16,384 columns or an absurdly long record,
 * text after a closing quote, or a quote left open at the end of the file. The parser reads a buffer's worth at a
 * time, so the guard does not throw in the middle of the buffer it is filling: it hands out the characters before
 * the offending one and throws on the next read. The parser only asks again to finish the record with the problem,
 * so every complete record before it is still returned, and the error names the line where that record starts.
 *
 * <p>Because it knows where records start, the guard can also hold back every record that starts before a given
 * line ({@link #CsvGuardReader(Reader, char, long)}): the parser then begins at that record, and the records before
 * it cost only their decoding and this scan, not their cells. A later part of a file read in parts starts so.
 */
final class CsvGuardReader extends Reader {

    static final int MAX_CELL = 32_767;
    static final int MAX_COLUMNS = 16_384;
    /** Real contact rows are a few hundred characters; this only stops a runaway row from filling the heap. */
    static final long MAX_RECORD = 1L << 22;
    /** Blanks after an unquoted value are trimmed by the parser, so they do not count, but they cannot be unbounded. */
    private static final int MAX_TRAILING_BLANKS = 1 << 16;

    private enum State { RECORD_START, FIELD_START, UNQUOTED, QUOTED, QUOTE_SEEN, AFTER_QUOTE }

    /** A problem the guard found; carries the line where the record starts. */
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
    private State state = State.RECORD_START;
    private long line = 1;
    /** The last character of the previous read, to count a CRLF split between two reads once. */
    private char lastChar;
    private long recordLine = 1;
    private long quoteLine;
    private int fields;
    private long recordLength;
    private int cellLength;
    private int trimmedLength;
    private @Nullable Violation pending;
    /** Records that start before this line are read past, not handed to the parser; 0 once the parser has begun. */
    private long resumeAt;
    /** Where the parser's first character was in {@link #scan}'s buffer, while the guard was holding records back. */
    private int resumedFrom;
    private long firstLine = 1;

    CsvGuardReader(Reader in, char delimiter) {
        this(in, delimiter, 0);
    }

    /** @param fromLine the parser sees the file from the first record that starts on or after this line */
    CsvGuardReader(Reader in, char delimiter, long fromLine) {
        this.in = in;
        this.delimiter = delimiter;
        this.resumeAt = fromLine > 1 ? fromLine : 0;
    }

    /** The line where the first record the parser sees starts, for the line numbers of what it parses. */
    long firstLine() {
        return firstLine;
    }

    /** The physical line the guard has reached; for problems found below it, such as undecodable bytes. */
    long line() {
        return line;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        if (pending != null) {
            throw pending;
        }
        while (true) {
            int n = in.read(buffer, offset, length);
            if (n == 0) {
                return 0;
            }
            if (n < 0) {
                if (state == State.QUOTED) {
                    throw pending = new Violation(recordLine,
                            "a quoted field is not closed (started at line " + quoteLine + ")");
                }
                return n;
            }
            boolean holding = resumeAt > 0;
            int accepted = scan(buffer, offset, n);
            if (holding) {
                if (resumeAt > 0) {
                    if (pending != null) {
                        throw pending;
                    }
                    continue; // every record in this buffer starts before the line: none of it goes to the parser
                }
                // the parser begins at the record found: move it and what follows to the start of the buffer
                accepted -= resumedFrom - offset;
                System.arraycopy(buffer, resumedFrom, buffer, offset, accepted);
            }
            if (pending != null && accepted == 0) {
                throw pending;
            }
            return accepted;
        }
    }

    /** Follows the characters; returns how many may go to the parser (fewer than n when a problem was found). */
    private int scan(char[] buffer, int offset, int n) {
        int end = offset + n;
        int i = offset;
        while (i < end) {
            // fast runs over the bulk of a file, ordinary characters inside a value with room to spare, in locals;
            // anything else, including a character that would go over the limit, takes step()
            if (state == State.UNQUOTED) {
                int length = cellLength;
                int trimmed = trimmedLength;
                while (i < end && length < MAX_CELL) {
                    char c = buffer[i];
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
                    char c = buffer[i];
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
            char c = buffer[i];
            if (c == 0) {
                pending = new Violation(line, "contains a NUL character, so it is not a text file (or not in the encoding it seems to be in)");
                return i - offset;
            }
            if (resumeAt > 0 && state == State.RECORD_START && c != '\r' && c != '\n' && line >= resumeAt) {
                resumeAt = 0;
                resumedFrom = i;
                firstLine = line;
            }
            String problem = step(c);
            if (problem != null) {
                pending = new Violation(recordLine, problem);
                return i - offset;
            }
            if (c == '\r' || (c == '\n' && (i > offset ? buffer[i - 1] : lastChar) != '\r')) {
                line++;
            }
            i++;
        }
        lastChar = buffer[end - 1];
        return n;
    }

    /** One character through the state machine; a problem description, or null. */
    private @Nullable String step(char c) {
        switch (state) {
            case RECORD_START:
                if (c == '\r' || c == '\n') {
                    return null; // blank line: skipped by the parser as well
                }
                recordLine = line;
                fields = 0;
                recordLength = 0;
                cellLength = 0;
                state = State.FIELD_START;
                return fieldStart(c);
            case FIELD_START:
                return fieldStart(c);
            case UNQUOTED:
                if (c == delimiter) {
                    return endField();
                }
                if (c == '\r' || c == '\n') {
                    state = State.RECORD_START;
                    return null;
                }
                cellLength++;
                if (!Character.isWhitespace(c)) {
                    trimmedLength = cellLength;
                }
                if (trimmedLength > MAX_CELL || cellLength > MAX_CELL + MAX_TRAILING_BLANKS) {
                    return "a cell is longer than 32,767 characters, so this is not a table a spreadsheet could hold";
                }
                return null;
            case QUOTED:
                if (c == '"') {
                    state = State.QUOTE_SEEN;
                    return null;
                }
                return quotedChar();
            case QUOTE_SEEN:
                if (c == '"') {
                    state = State.QUOTED;
                    return quotedChar(); // "" is one quote in the value
                }
                state = State.AFTER_QUOTE;
                return afterQuote(c);
            case AFTER_QUOTE:
                return afterQuote(c);
            default:
                throw new IllegalStateException(state.name());
        }
    }

    private @Nullable String fieldStart(char c) {
        if (c == delimiter) {
            return endField();
        }
        if (c == '\r' || c == '\n') {
            state = State.RECORD_START;
        } else if (c == '"') {
            state = State.QUOTED;
            quoteLine = line;
            cellLength = 0;
        } else if (!Character.isWhitespace(c)) {
            state = State.UNQUOTED;
            cellLength = 1;
            trimmedLength = 1;
        }
        return null;
    }

    private @Nullable String quotedChar() {
        if (++cellLength > MAX_CELL) {
            return "a cell is longer than 32,767 characters — probably an unclosed quote (the quoted field starts at line "
                    + quoteLine + ")";
        }
        return null;
    }

    private @Nullable String afterQuote(char c) {
        if (c == delimiter) {
            return endField();
        }
        if (c == '\r' || c == '\n') {
            state = State.RECORD_START;
            return null;
        }
        if (Character.isWhitespace(c)) {
            return null;
        }
        return "unexpected text after the closing quote of a field that starts at line " + quoteLine
                + " (a quote inside a quoted field must be written twice: \"\")";
    }

    private @Nullable String endField() {
        recordLength += cellLength + 1;
        cellLength = 0;
        state = State.FIELD_START;
        if (++fields >= MAX_COLUMNS) {
            return "a row has more than 16,384 columns, so this is not a table a spreadsheet could hold";
        }
        if (recordLength > MAX_RECORD) {
            return "a row is longer than 4,194,304 characters, so this is not a contacts table";
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
