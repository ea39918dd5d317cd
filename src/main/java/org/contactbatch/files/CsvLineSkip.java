package org.contactbatch.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * Finds where the first record at or after a line starts, over the file's bytes, without decoding them: how a later
 * part of a file read in parts gets to its first line. {@link CsvParser} would decode and scan every character
 * before it; this reads the bytes with the same grammar, which is all it takes to tell a line break that ends a
 * record from one inside quotes. Warm, it takes a third of the parser's time (bench/parse.sh); in a 1M-row upload,
 * where it runs while the JIT is still busy with the rows' code, the difference was within the noise.
 *
 * <p>That holds in an encoding where a quote, a line break, an ASCII delimiter and an ASCII blank are always that
 * one byte and never part of another character: UTF-8 and the single-byte encodings that extend ASCII. In any other
 * (UTF-16, the East Asian multi-byte ones) there is no skip ({@link #find} gives null) and the parser scans as
 * before. The only other character the grammar needs is a blank that is not ASCII before an opening quote (such as
 * U+3000), which is decoded where it can matter.
 *
 * <p>The bytes before the line are not checked: the part that reads them is the one that finds what is wrong with
 * them. On text the parser would refuse (a quote left open, text after a closing quote) the skip goes on as well as
 * it can; what matters is that on every text the parser reads, it stops where the parser's record starts, on the
 * line the parser counts (CR, LF and CRLF each end one line), which {@code CsvLineSkipTest} checks against the
 * parser.
 */
final class CsvLineSkip {

    /** Where a record starts: the byte offset in the file and the parser's line number there. */
    record Start(long offset, long line) {
    }

    private static final int BUFFER = 1 << 16;

    private enum State { RECORD_START, FIELD_START, UNQUOTED, QUOTED, QUOTE_SEEN }

    private final byte delimiter;
    private final boolean utf8;
    /** For a single-byte encoding: which bytes decode to a blank (Java whitespace). */
    private final boolean @Nullable [] blankByte;

    private CsvLineSkip(byte delimiter, boolean utf8, boolean @Nullable [] blankByte) {
        this.delimiter = delimiter;
        this.utf8 = utf8;
        this.blankByte = blankByte;
    }

    /**
     * The start of the first record at or after {@code fromLine} (counted as the parser counts, from 1 at
     * {@code offset}), or null when the file's encoding or delimiter does not allow a skip over bytes, or when the
     * text ends before such a record; the parser then finds it, or finds what is wrong.
     */
    static @Nullable Start find(Path file, Charset charset, long offset, char delimiter, long fromLine) throws IOException {
        return find(file, charset, offset, delimiter, fromLine, BUFFER);
    }

    /** As {@link #find(Path, Charset, long, char, long)}, reading {@code bufferSize} bytes at a time (tests vary it). */
    static @Nullable Start find(Path file, Charset charset, long offset, char delimiter, long fromLine, int bufferSize)
            throws IOException {
        CsvLineSkip skip = forEncoding(charset, delimiter);
        if (skip == null) {
            return null;
        }
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(offset);
            return skip.scan(in, offset, fromLine, new byte[Math.max(bufferSize, 4)]);
        }
    }

    private static @Nullable CsvLineSkip forEncoding(Charset charset, char delimiter) {
        if (delimiter > 0x7F || delimiter == '"' || delimiter == '\r' || delimiter == '\n' || delimiter == 0) {
            return null;
        }
        if (charset.equals(StandardCharsets.UTF_8)) {
            return new CsvLineSkip((byte) delimiter, true, null);
        }
        if (!charset.canEncode() || charset.newEncoder().maxBytesPerChar() != 1) {
            return null;
        }
        byte[] all = new byte[256];
        for (int b = 0; b < 256; b++) {
            all[b] = (byte) b;
        }
        String decoded = new String(all, charset);
        if (decoded.length() != 256) {
            return null;
        }
        boolean[] blank = new boolean[256];
        for (int b = 0; b < 256; b++) {
            char c = decoded.charAt(b);
            if (b < 0x80 && c != b) {
                return null; // not an extension of ASCII
            }
            blank[b] = Character.isWhitespace(c);
        }
        return new CsvLineSkip((byte) delimiter, false, blank);
    }

    private @Nullable Start scan(InputStream in, long offset, long fromLine, byte[] buffer) throws IOException {
        State state = State.RECORD_START;
        long line = 1;
        byte before = 0;
        long at = offset; // the file offset of buffer[0]
        int limit = 0;
        int keep = 0; // bytes of a character split between two reads, moved to the front
        while (true) {
            int n = in.read(buffer, keep, buffer.length - keep);
            if (n < 0) {
                return null;
            }
            limit = keep + n;
            keep = 0;
            int i = 0;
            while (i < limit) {
                byte b = buffer[i];
                if (state == State.UNQUOTED) {
                    // the bulk of a file: ordinary bytes in a value
                    while (b != delimiter && b != '\r' && b != '\n') {
                        if (++i == limit) {
                            break;
                        }
                        b = buffer[i];
                    }
                    if (i == limit) {
                        break;
                    }
                } else if (state == State.QUOTED) {
                    while (b != '"' && b != '\r' && b != '\n') {
                        if (++i == limit) {
                            break;
                        }
                        b = buffer[i];
                    }
                    if (i == limit) {
                        break;
                    }
                }
                boolean lineBreak = b == '\r' || b == '\n';
                switch (state) {
                    case RECORD_START:
                        if (lineBreak) {
                            break; // a line with nothing on it
                        }
                        if (line >= fromLine) {
                            return new Start(at + i, line);
                        }
                        state = State.FIELD_START;
                        // fall through: the record's first byte starts its first field
                    case FIELD_START:
                        if (b == delimiter) {
                            break;
                        }
                        if (lineBreak) {
                            state = State.RECORD_START;
                            break;
                        }
                        if (b == '"') {
                            state = State.QUOTED;
                            break;
                        }
                        if (b >= 0) {
                            if (!Character.isWhitespace((char) b)) {
                                state = State.UNQUOTED;
                            }
                            break;
                        }
                        if (!utf8) {
                            if (!blankByte[b & 0xFF]) {
                                state = State.UNQUOTED;
                            }
                            break;
                        }
                        int length = utf8Length(b);
                        if (i + length > limit) {
                            // the character is split between two reads: read it whole with the next
                            keep = limit - i;
                            System.arraycopy(buffer, i, buffer, 0, keep);
                            at += i;
                            i = limit;
                            continue;
                        }
                        if (!Character.isWhitespace(utf8CodePoint(buffer, i, length))) {
                            state = State.UNQUOTED;
                        }
                        i += length;
                        continue;
                    case UNQUOTED:
                        // a delimiter or a line break
                        state = lineBreak ? State.RECORD_START : State.FIELD_START;
                        break;
                    case QUOTED:
                        if (b == '"') {
                            state = State.QUOTE_SEEN;
                        }
                        break; // a line break inside quotes is part of the value
                    case QUOTE_SEEN:
                        if (b == '"') {
                            state = State.QUOTED; // "" is one quote in the value
                        } else if (b == delimiter) {
                            state = State.FIELD_START;
                        } else if (lineBreak) {
                            state = State.RECORD_START;
                        }
                        // else blanks after the closing quote (anything else the parser refuses)
                        break;
                    default:
                        throw new IllegalStateException(state.name());
                }
                if (b == '\r' || (b == '\n' && (i > 0 ? buffer[i - 1] : before) != '\r')) {
                    line++;
                }
                i++;
            }
            if (keep == 0) {
                before = buffer[limit - 1];
                at += limit;
            }
        }
    }

    /** The length of the UTF-8 sequence a lead byte starts; 1 for a byte that cannot lead one (the parser's problem). */
    private static int utf8Length(byte lead) {
        int b = lead & 0xFF;
        if (b >= 0xF0 && b < 0xF8) {
            return 4;
        }
        if (b >= 0xE0) {
            return b < 0xF0 ? 3 : 1;
        }
        return b >= 0xC0 ? 2 : 1;
    }

    private static int utf8CodePoint(byte[] bytes, int at, int length) {
        int lead = bytes[at] & 0xFF;
        int codePoint = switch (length) {
            case 2 -> lead & 0x1F;
            case 3 -> lead & 0x0F;
            case 4 -> lead & 0x07;
            default -> -1;
        };
        if (codePoint < 0) {
            return -1;
        }
        for (int k = 1; k < length; k++) {
            codePoint = codePoint << 6 | bytes[at + k] & 0x3F;
        }
        return codePoint;
    }
}
