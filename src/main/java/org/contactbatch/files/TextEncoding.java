package org.contactbatch.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.mozilla.universalchardet.UniversalDetector;

/** Decides how the bytes of a text file become characters, from a sample of its first bytes. */
final class TextEncoding {

    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private static final int SAMPLE_SIZE = TabularFiles.SAMPLE_BYTES;

    /**
     * Detector answers that only mean "some Western single-byte text": windows-1252 is what Excel and Windows
     * Notepad write, and it is a superset of the printable ISO-8859-1 range.
     */
    private static final Set<String> WESTERN = Set.of("US-ASCII", "ISO-8859-1", "WINDOWS-1252", "UTF-8");

    /** @param bomLength bytes to skip at the start of the file (0 when there is no BOM or it is not ours to strip) */
    record Choice(Charset charset, int bomLength) {
        boolean bom() {
            return bomLength > 0;
        }
    }

    private TextEncoding() {
    }

    /**
     * @param wholeFile the sample is the whole file (so a multi-byte character cut at its end is an error, not an
     *                  artefact of sampling)
     */
    static Choice choose(byte[] sample, int length, boolean wholeFile, @Nullable Charset forced) {
        Choice bom = byteOrderMark(sample, length);
        if (forced != null) {
            boolean same = bom != null && (bom.charset().equals(forced)
                    || forced.equals(StandardCharsets.UTF_16) && bom.charset().name().startsWith("UTF-16"));
            // a forced generic UTF-16 still needs the byte order the BOM gives
            return same ? bom : new Choice(forced, 0);
        }
        if (bom != null) {
            return bom;
        }
        Charset utf16 = utf16WithoutBom(sample, length);
        if (utf16 != null) {
            return new Choice(utf16, 0);
        }
        if (isAscii(sample, length) || isValidUtf8(sample, length, wholeFile)) {
            return new Choice(StandardCharsets.UTF_8, 0);
        }
        return new Choice(detected(sample, length), 0);
    }

    /**
     * For a file whose sample is plain ASCII: the encoding of its first non-ASCII text further on. A list sorted by
     * name can start with thousands of "Adams" and "Baker" before the first "Ødegård"; guessing UTF-8 from the
     * sample alone would then fail half-way through a job. Costs one quick pass over the bytes, only for such files.
     */
    static Charset beyondSample(Path file, long from) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(from);
            byte[] buffer = new byte[SAMPLE_SIZE];
            int n;
            while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                int first = firstNonAscii(buffer, n);
                if (first >= 0) {
                    // the window starts at a non-ASCII byte, which in UTF-8 text is the lead byte of a character
                    byte[] window = new byte[SAMPLE_SIZE];
                    int kept = n - first;
                    System.arraycopy(buffer, first, window, 0, kept);
                    int more = in.readNBytes(window, kept, window.length - kept);
                    int length = kept + more;
                    boolean whole = length < window.length;
                    return isValidUtf8(window, length, whole) ? StandardCharsets.UTF_8 : detected(window, length);
                }
            }
            return StandardCharsets.UTF_8;
        }
    }

    private static int firstNonAscii(byte[] b, int length) {
        ByteBuffer words = ByteBuffer.wrap(b);
        int i = 0;
        // eight bytes at a time: any high bit set means a non-ASCII byte in the word
        for (; i + 8 <= length; i += 8) {
            if ((words.getLong(i) & 0x8080808080808080L) != 0) {
                break;
            }
        }
        for (; i < length; i++) {
            if (b[i] < 0) {
                return i;
            }
        }
        return -1;
    }

    static boolean isAscii(byte[] b, int length) {
        return firstNonAscii(b, length) < 0;
    }

    private static @Nullable Choice byteOrderMark(byte[] b, int length) {
        if (length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
            return new Choice(StandardCharsets.UTF_8, 3);
        }
        if (length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE) {
            return new Choice(StandardCharsets.UTF_16LE, 2);
        }
        if (length >= 2 && (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF) {
            return new Choice(StandardCharsets.UTF_16BE, 2);
        }
        return null;
    }

    /**
     * UTF-16 saved without a BOM (some exports do this) shows as Latin text with a zero byte beside every character;
     * without this check it would be refused as binary.
     */
    private static @Nullable Charset utf16WithoutBom(byte[] b, int length) {
        int pairs = Math.min(length, 4096) / 2;
        if (pairs < 2) {
            return null;
        }
        int evenZeros = 0;
        int oddZeros = 0;
        for (int i = 0; i < pairs; i++) {
            if (b[2 * i] == 0) {
                evenZeros++;
            }
            if (b[2 * i + 1] == 0) {
                oddZeros++;
            }
        }
        if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.02) {
            return StandardCharsets.UTF_16LE;
        }
        if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.02) {
            return StandardCharsets.UTF_16BE;
        }
        return null;
    }

    static boolean isValidUtf8(byte[] b, int length, boolean wholeFile) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer out = CharBuffer.allocate(length + 1);
        // with endOfInput=false a character cut by the end of the sample is left over, not reported
        if (decoder.decode(ByteBuffer.wrap(b, 0, length), out, wholeFile).isError()) {
            return false;
        }
        return !wholeFile || !decoder.flush(out).isError();
    }

    private static Charset detected(byte[] sample, int length) {
        UniversalDetector detector = new UniversalDetector();
        detector.handleData(sample, 0, length);
        detector.dataEnd();
        String name = detector.getDetectedCharset();
        if (name == null || WESTERN.contains(name.toUpperCase(java.util.Locale.ROOT))) {
            return WINDOWS_1252;
        }
        try {
            return Charset.isSupported(name) ? Charset.forName(name) : WINDOWS_1252;
        } catch (IllegalCharsetNameException e) {
            return WINDOWS_1252;
        }
    }
}
