package org.contactbatch.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Decodes bytes to characters and refuses malformed input. Unlike {@link java.io.InputStreamReader}, which drops the
 * characters it decoded in the same call before throwing, it first hands out everything that decoded cleanly and
 * reports the problem on the next read, so the reader above knows exactly which line the bad bytes are on.
 */
final class StrictDecodingReader extends Reader {

    private static final int BUFFER_BYTES = 1 << 16;

    private final InputStream in;
    private final CharsetDecoder decoder;
    private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER_BYTES);
    private boolean endOfInput;
    private boolean flushed;
    private @Nullable CharacterCodingException pending;
    private boolean decodedNonAscii;
    private final boolean utf8;

    StrictDecodingReader(InputStream in, Charset charset) {
        this(in, charset, true);
    }

    /** @param ownUtf8 whether UTF-8 is decoded by {@link #decodeUtf8} (tests compare it with the JDK's decoder) */
    StrictDecodingReader(InputStream in, Charset charset, boolean ownUtf8) {
        this.in = in;
        this.utf8 = ownUtf8 && charset.equals(StandardCharsets.UTF_8);
        // unmappable bytes (the five holes in windows-1252) become U+FFFD: they are rare and not worth refusing a file
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        bytes.flip();
    }

    /**
     * Whether a character beyond ASCII decoded cleanly before now: bad bytes after such text mean two
     * encodings in one file rather than a file in another encoding.
     */
    boolean decodedNonAscii() {
        return decodedNonAscii;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        int n = decode(buffer, offset, length);
        for (int i = offset; !decodedNonAscii && i < offset + n; i++) {
            decodedNonAscii = buffer[i] > 0x7F;
        }
        return n;
    }

    private int decode(char[] buffer, int offset, int length) throws IOException {
        if (pending != null) {
            throw pending;
        }
        if (length == 0) {
            return 0;
        }
        if (flushed) {
            return -1;
        }
        if (utf8) {
            return decodeUtf8(buffer, offset, length);
        }
        CharBuffer out = CharBuffer.wrap(buffer, offset, length);
        while (true) {
            CoderResult result = decoder.decode(bytes, out, endOfInput);
            if (result.isError()) {
                try {
                    result.throwException();
                } catch (CharacterCodingException e) {
                    pending = e;
                }
                return delivered(out, offset);
            }
            if (result.isOverflow()) {
                return out.position() - offset;
            }
            // underflow: hand out what we have before blocking on more input
            if (out.position() > offset) {
                return out.position() - offset;
            }
            if (endOfInput) {
                if (!flushed) {
                    flushed = true;
                    decoder.flush(out);
                    if (out.position() > offset) {
                        return out.position() - offset;
                    }
                }
                return -1;
            }
            fill();
        }
    }

    /**
     * UTF-8, decoded here rather than by the JDK's decoder, which leaves its ASCII fast path at the first character
     * beyond ASCII in a buffer and decodes the rest a byte at a time (most contact files have an accent on every few
     * lines). It refuses what that decoder refuses, at the same byte: a byte that cannot start a character (80-C1,
     * F5-FF), a missing continuation byte, an overlong form (E0 80-9F, F0 80-8F), a surrogate (ED A0-BF), a code
     * point past U+10FFFF (F4 90-BF), and a character cut off by the end of the file.
     */
    private int decodeUtf8(char[] out, int offset, int length) throws IOException {
        int end = offset + length;
        while (true) {
            byte[] src = bytes.array();
            int sp = bytes.position();
            int sl = bytes.limit();
            int dp = offset;
            boolean malformed = false;
            boolean full = false;
            while (sp < sl) {
                if (dp == end) {
                    full = true;
                    break;
                }
                int b = src[sp];
                if (b >= 0) {
                    out[dp++] = (char) b;
                    sp++;
                    continue;
                }
                int lead = b & 0xFF;
                if (lead < 0xC2 || lead > 0xF4) {
                    malformed = true;
                    break;
                }
                int size = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
                if (sl - sp < size) {
                    // the rest of the character is in the next read, or never comes
                    malformed = endOfInput;
                    break;
                }
                int b1 = src[sp + 1] & 0xFF;
                int low = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
                int high = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
                if (b1 < low || b1 > high) {
                    malformed = true;
                    break;
                }
                if (size == 2) {
                    out[dp++] = (char) ((lead & 0x1F) << 6 | b1 & 0x3F);
                    sp += 2;
                    continue;
                }
                int b2 = src[sp + 2];
                if ((b2 & 0xC0) != 0x80) {
                    malformed = true;
                    break;
                }
                if (size == 3) {
                    out[dp++] = (char) ((lead & 0x0F) << 12 | (b1 & 0x3F) << 6 | b2 & 0x3F);
                    sp += 3;
                    continue;
                }
                int b3 = src[sp + 3];
                if ((b3 & 0xC0) != 0x80) {
                    malformed = true;
                    break;
                }
                if (end - dp < 2) {
                    full = true; // a surrogate pair does not fit
                    break;
                }
                int codePoint = (lead & 0x07) << 18 | (b1 & 0x3F) << 12 | (b2 & 0x3F) << 6 | b3 & 0x3F;
                out[dp++] = Character.highSurrogate(codePoint);
                out[dp++] = Character.lowSurrogate(codePoint);
                sp += 4;
            }
            bytes.position(sp);
            if (malformed) {
                pending = new MalformedInputException(1);
                return delivered(dp, offset);
            }
            if (dp > offset || full) {
                return dp - offset;
            }
            if (endOfInput) {
                flushed = true;
                return -1;
            }
            fill();
        }
    }

    /** What decoded cleanly before the problem in {@link #pending}; the problem itself when that is nothing. */
    private int delivered(int end, int offset) throws CharacterCodingException {
        if (end == offset) {
            throw pending;
        }
        return end - offset;
    }

    private int delivered(CharBuffer out, int offset) throws CharacterCodingException {
        return delivered(out.position(), offset);
    }

    private void fill() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
            endOfInput = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
