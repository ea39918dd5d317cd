package org.contactbatch.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link CsvLineSkip} against {@link CsvParser}, the grammar it must agree with: on random texts of the awkward
 * pieces that the parser reads, for every line, the skip stops at the byte where the parser's first record on or
 * after that line starts, with the parser's line number there, and the parser started at that byte returns exactly
 * those records. The skip reads the bytes in buffers of 4 to 19, so characters of two to four bytes and CRLFs fall
 * across their boundaries.
 */
class CsvLineSkipTest {

    private static final int TEXTS = 3000;
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(chars = {',', ';', '\t', '|'})
    void stopsWhereTheParsersRecordStartsInUtf8(char delimiter) throws IOException {
        Random random = new Random(delimiter * 31L);
        int compared = 0;
        for (int t = 0; t < TEXTS; t++) {
            // pieces of two to four bytes in UTF-8, and blanks beyond ASCII before a quote, which open it
            String text = CsvParserDifferentialTest.randomText(random, delimiter, 40)
                    .replace("bc", random.nextBoolean() ? "\u3000\"" : "\uD83D\uDE00")
                    .replace("a", random.nextBoolean() ? "\u2028" : "a");
            compared += compare(text, StandardCharsets.UTF_8, delimiter, random);
        }
        assertThat(compared).as("lines compared").isGreaterThan(TEXTS);
    }

    @ParameterizedTest
    @ValueSource(chars = {',', ';'})
    void stopsWhereTheParsersRecordStartsInASingleByteEncoding(char delimiter) throws IOException {
        Random random = new Random(-delimiter);
        int compared = 0;
        for (int t = 0; t < TEXTS; t++) {
            // windows-1252 has no U+3000: a no-break space (not a blank to the parser) and a letter in its place
            String text = CsvParserDifferentialTest.randomText(random, delimiter, 40).replace('\u3000', 'ß');
            compared += compare(text, WINDOWS_1252, delimiter, random);
        }
        assertThat(compared).as("lines compared").isGreaterThan(TEXTS);
    }

    @Test
    void noSkipWhereBytesCanHideAQuoteOrALineBreak() throws IOException {
        Path file = dir.resolve("utf16.csv");
        Files.writeString(file, "a,b\n1,2\n3,4\n", StandardCharsets.UTF_16LE);
        assertThat(CsvLineSkip.find(file, StandardCharsets.UTF_16LE, 0, ',', 2)).isNull();
        Files.writeString(file, "a,b\n1,2\n3,4\n", Charset.forName("Shift_JIS"));
        assertThat(CsvLineSkip.find(file, Charset.forName("Shift_JIS"), 0, ',', 2)).isNull();
        // a delimiter beyond ASCII is not one byte in UTF-8
        Files.writeString(file, "a§b\n1§2\n", StandardCharsets.UTF_8);
        assertThat(CsvLineSkip.find(file, StandardCharsets.UTF_8, 0, '§', 2)).isNull();
    }

    @Test
    void aFileThatEndsBeforeTheLineHasNoStart() throws IOException {
        Path file = dir.resolve("short.csv");
        Files.writeString(file, "a,b\n1,\"2\n3\"\n\n", StandardCharsets.UTF_8);
        assertThat(CsvLineSkip.find(file, StandardCharsets.UTF_8, 0, ',', 3)).isNull();
        assertThat(CsvLineSkip.find(file, StandardCharsets.UTF_8, 0, ',', 2)).isEqualTo(new CsvLineSkip.Start(4, 2));
    }

    /** The number of lines compared; 0 for a text the parser refuses (its bytes are the other part's to refuse). */
    private int compare(String text, Charset charset, char delimiter, Random random) throws IOException {
        List<RawRow> all = parse(new StringReader(text), delimiter, 1, 1);
        if (all == null) {
            return 0;
        }
        byte[] bytes = text.getBytes(charset);
        Path file = dir.resolve("text.csv");
        Files.write(file, bytes);
        String shown = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
        long lines = text.chars().filter(c -> c == '\r' || c == '\n').count() + 2;
        for (long from = 1; from <= lines; from++) {
            long line = from;
            List<RawRow> expected = all.stream().filter(row -> row.line() >= line).toList();
            CsvLineSkip.Start start = CsvLineSkip.find(file, charset, 0, delimiter, from, 4 + random.nextInt(16));
            if (expected.isEmpty()) {
                assertThat(start).as("no record on or after line %d of %s", from, shown).isNull();
                continue;
            }
            assertThat(start).as("a record on or after line %d of %s", from, shown).isNotNull();
            assertThat(start.line()).as("the line of the record the skip stopped at, from %d of %s", from, shown)
                    .isEqualTo(expected.get(0).line());
            Reader rest = new InputStreamReader(new ByteArrayInputStream(
                    Arrays.copyOfRange(bytes, Math.toIntExact(start.offset()), bytes.length)), charset);
            assertThat(parse(rest, delimiter, from, start.line()))
                    .as("the records from byte %d (line %d of %s)", start.offset(), from, shown)
                    .containsExactlyElementsOf(expected);
        }
        return Math.toIntExact(lines);
    }

    private static List<RawRow> parse(Reader text, char delimiter, long from, long at) throws IOException {
        List<RawRow> rows = new ArrayList<>();
        try (CsvParser parser = new CsvParser(text, delimiter, from, at)) {
            for (List<String> values = parser.next(); values != null; values = parser.next()) {
                rows.add(new RawRow(parser.recordLine(), values));
            }
        } catch (CsvParser.Violation refused) {
            return null;
        }
        return rows;
    }
}
