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
        return new Choice(notUtf8(sample, length), 0);
    }

    /**
     * Bytes that are not all UTF-8: their encoding as the detector sees it, except where some of them are UTF-8
     * characters. Windows text hardly ever holds a byte pair that is one (an "Ã" before a "©"); a file that does is
     * most likely UTF-8 lines and Windows lines pasted together, and decoding it all as windows-1252 would garble every
     * accent of the UTF-8 lines without a word. Read as UTF-8 it is refused at its first line that is not, which names
     * the line and says what to do.
     */
    private static Charset notUtf8(byte[] sample, int length) {
        Charset detected = detected(sample, length);
        return detected.equals(WINDOWS_1252) && containsUtf8Character(sample, length) ? StandardCharsets.UTF_8 : detected;
    }

    /** Whether the bytes hold at least one well-formed UTF-8 character of two to four bytes. */
    static boolean containsUtf8Character(byte[] b, int length) {
        for (int i = 0; i < length; i++) {
            int lead = b[i] & 0xFF;
            int continuations = lead >= 0xC2 && lead <= 0xDF ? 1 : lead >= 0xE0 && lead <= 0xEF ? 2 : lead >= 0xF0 && lead <= 0xF4 ? 3 : 0;
            if (continuations == 0 || i + continuations >= length) {
                continue;
            }
            // the second byte's range rules out overlong forms, surrogates and code points past U+10FFFF
            int second = b[i + 1] & 0xFF;
            int low = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
            int high = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
            boolean wellFormed = second >= low && second <= high;
            for (int k = 2; wellFormed && k <= continuations; k++) {
                wellFormed = (b[i + k] & 0xC0) == 0x80;
            }
            if (wellFormed) {
                return true;
            }
        }
        return false;
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
                    return isValidUtf8(window, length, whole) ? StandardCharsets.UTF_8 : notUtf8(window, length);
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
