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

    StrictDecodingReader(InputStream in, Charset charset) {
        this.in = in;
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

    private int delivered(CharBuffer out, int offset) throws CharacterCodingException {
        int count = out.position() - offset;
        if (count == 0) {
            throw pending;
        }
        return count;
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
