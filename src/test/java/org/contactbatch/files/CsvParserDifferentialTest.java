package org.contactbatch.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link CsvParser} against commons-csv, which read these files before it, on random texts made of the awkward
 * pieces only (blanks of every kind, quotes alone and doubled, delimiters, the other delimiter, every line break,
 * quotes against delimiters and breaks): every text commons-csv reads must come back as the same records on the same
 * lines, and a text it refuses must be refused. The text reaches the parser in slices of 1 to 9 characters, so
 * every piece also falls across a buffer boundary.
 */
class CsvParserDifferentialTest {

    private static final int TEXTS = 4000;

    @ParameterizedTest
    @ValueSource(chars = {',', ';', '\t', '|'})
    void readsWhatCommonsCsvReadsAndRefusesWhatItRefuses(char delimiter) throws IOException {
        Random random = new Random(delimiter);
        int refused = 0;
        for (int t = 0; t < TEXTS; t++) {
            String text = randomText(random, delimiter);
            List<RawRow> expected = commonsCsv(text, delimiter);
            List<RawRow> actual = new ArrayList<>();
            boolean refusedHere = false;
            try (CsvParser parser = new CsvParser(new Slices(text, random.nextLong()), delimiter)) {
                for (List<String> values = parser.next(); values != null; values = parser.next()) {
                    actual.add(new RawRow(parser.recordLine(), values));
                }
            } catch (CsvParser.Violation violation) {
                refusedHere = true;
            }
            String shown = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
            if (expected == null) {
                assertThat(refusedHere).as("refused like commons-csv: %s", shown).isTrue();
                refused++;
            } else {
                assertThat(refusedHere).as("read like commons-csv: %s", shown).isFalse();
                assertThat(actual).as("the records of %s", shown).containsExactlyElementsOf(expected);
            }
        }
        // the alphabet is chosen so that both outcomes are common: a test that only ever reads (or refuses) is blind
        assertThat(refused).isBetween(TEXTS / 10, TEXTS * 9 / 10);
    }

    /** Held back to a line, the parser returns exactly the records that start on or after it. */
    @ParameterizedTest
    @ValueSource(chars = {',', ';', '\t', '|'})
    void fromALineReturnsTheRecordsThatStartThere(char delimiter) throws IOException {
        Random random = new Random(-delimiter);
        int compared = 0;
        for (int t = 0; t < TEXTS; t++) {
            String text = randomText(random, delimiter);
            List<RawRow> all = commonsCsv(text, delimiter);
            if (all == null) {
                continue;
            }
            long from = 1 + random.nextInt(8);
            List<RawRow> part = new ArrayList<>();
            try (CsvParser parser = new CsvParser(new Slices(text, random.nextLong()), delimiter, from)) {
                for (List<String> values = parser.next(); values != null; values = parser.next()) {
                    part.add(new RawRow(parser.recordLine(), values));
                }
            }
            assertThat(part).as("from line %d of %s", from, text)
                    .containsExactlyElementsOf(all.stream().filter(row -> row.line() >= from).toList());
            compared++;
        }
        assertThat(compared).isGreaterThan(TEXTS / 10);
    }

    static String randomText(Random random, char delimiter) {
        return randomText(random, delimiter, 26);
    }

    /** Fewer than {@code most} of the awkward pieces, at random. */
    static String randomText(Random random, char delimiter, int most) {
        char other = delimiter == ',' ? ';' : ',';
        String[] pieces = {
            "a", "bc", "é", " ", "\t", "\u000B", "\u3000", "\u00A0", "\"", "\"\"",
            String.valueOf(delimiter), String.valueOf(delimiter), String.valueOf(other),
            "\n", "\r", "\r\n", "\"" + delimiter, delimiter + "\"", "\"\n",
        };
        StringBuilder text = new StringBuilder();
        int tokens = random.nextInt(most);
        for (int i = 0; i < tokens; i++) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }

    /** The records as commons-csv reads them with the format the files were read with before, or null if refused. */
    private static List<RawRow> commonsCsv(String text, char delimiter) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder()
                .setDelimiter(delimiter)
                .setQuote('"')
                .setIgnoreEmptyLines(true)
                .setIgnoreSurroundingSpaces(true)
                .setTrim(false)
                .get();
        List<RawRow> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.builder().setReader(new StringReader(text)).setFormat(format).get()) {
            var records = parser.iterator();
            while (records.hasNext()) {
                CSVRecord record = records.next();
                // after a record the parser's line is where the record ends; its values' line breaks lead back
                long line = parser.getCurrentLineNumber();
                for (String value : record.values()) {
                    line -= lineBreaks(value);
                }
                rows.add(new RawRow(line, List.of(record.values())));
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            return null;
        }
        return rows;
    }

    private static int lineBreaks(String value) {
        int breaks = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || (c == '\n' && (i == 0 || value.charAt(i - 1) != '\r'))) {
                breaks++;
            }
        }
        return breaks;
    }

    /** A reader that hands the text out a few characters at a time. */
    private static final class Slices extends Reader {
        private final String text;
        private final Random random;
        private int at;

        Slices(String text, long seed) {
            this.text = text;
            this.random = new Random(seed);
        }

        @Override
        public int read(char[] buffer, int offset, int length) {
            if (at == text.length()) {
                return -1;
            }
            int n = Math.min(Math.min(length, 1 + random.nextInt(9)), text.length() - at);
            text.getChars(at, at + n, buffer, offset);
            at += n;
            return n;
        }

        @Override
        public void close() {
        }
    }
}
