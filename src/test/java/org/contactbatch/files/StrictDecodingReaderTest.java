package org.contactbatch.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The reader's own UTF-8 decoding against the JDK's decoder, which it replaces: on random bytes made of ASCII,
 * characters of two to four bytes and every kind of bad sequence (stray continuation bytes, C0/C1, F5-FF, overlong
 * forms, surrogates, code points past U+10FFFF, characters cut short, by the end of the file too), both hand out the
 * same text and refuse at the same character. Bytes arrive 1 to 7 at a time and are asked for 1 to 9 characters at a
 * time, so every sequence also falls across a read.
 */
class StrictDecodingReaderTest {

    private static final int TEXTS = 20_000;

    private static final byte[][] PIECES = {
        bytes("a"), bytes("bc"), bytes("\n"), bytes("é"), bytes("名"), bytes("😀"), bytes("\u07FF"), bytes("\uFFFD"),
        bytes("\uD7FF"), bytes("\uE000"), bytes("\uDBFF\uDFFF"), // the highest code point
        {(byte) 0x80}, {(byte) 0xBF}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xC1, (byte) 0xBF}, {(byte) 0xC2},
        {(byte) 0xE0, (byte) 0x9F, (byte) 0xBF}, {(byte) 0xE0, (byte) 0xA0}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xED, (byte) 0x9F, (byte) 0xBF}, {(byte) 0xEF, (byte) 0xBF}, {(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF},
        {(byte) 0xF0, (byte) 0x90, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
        {(byte) 0xF4, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF}, {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
        {(byte) 0xFF}, {(byte) 0xE2, (byte) 0x82, 'x'}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, 'y'},
    };

    @Test
    void decodesAndRefusesExactlyAsTheJdksDecoder() throws IOException {
        Random random = new Random(8);
        int refused = 0;
        for (int t = 0; t < TEXTS; t++) {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            int pieces = random.nextInt(12);
            for (int i = 0; i < pieces; i++) {
                // mostly good text: a bad piece in one text of three or so
                byte[] piece = PIECES[random.nextInt(random.nextInt(4) == 0 ? PIECES.length : 11)];
                text.writeBytes(piece);
            }
            byte[] bytes = text.toByteArray();
            long seed = random.nextLong();
            Outcome jdk = read(bytes, false, seed);
            Outcome own = read(bytes, true, seed);
            assertThat(own).as("the bytes %s", hex(bytes)).isEqualTo(jdk);
            if (jdk.refused()) {
                refused++;
            }
        }
        // both outcomes are common: a test that only ever reads (or refuses) is blind
        assertThat(refused).isBetween(TEXTS / 10, TEXTS * 9 / 10);
    }

    private record Outcome(String text, boolean refused) {
    }

    private static Outcome read(byte[] bytes, boolean ownUtf8, long seed) throws IOException {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder();
        try (StrictDecodingReader reader = new StrictDecodingReader(new Trickle(bytes, random.nextLong()),
                StandardCharsets.UTF_8, ownUtf8)) {
            char[] buffer = new char[9];
            for (int n; (n = reader.read(buffer, 0, 1 + random.nextInt(9))) >= 0; ) {
                text.append(buffer, 0, n);
            }
        } catch (CharacterCodingException refused) {
            return new Outcome(text.toString(), true);
        }
        return new Outcome(text.toString(), false);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String hex(byte[] bytes) {
        StringBuilder hex = new StringBuilder();
        for (byte b : bytes) {
            hex.append(String.format("%02X ", b));
        }
        return hex.toString().trim();
    }

    /** Hands the bytes out a few at a time. */
    private static final class Trickle extends InputStream {
        private final byte[] bytes;
        private final Random random;
        private int at;

        Trickle(byte[] bytes, long seed) {
            this.bytes = bytes;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            return at < bytes.length ? bytes[at++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (at == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(length, 1 + random.nextInt(7)), bytes.length - at);
            System.arraycopy(bytes, at, buffer, offset, n);
            at += n;
            return n;
        }
    }
}
