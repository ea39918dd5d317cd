package org.contactbatch.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random but valid files with every awkward thing at once (quoted delimiters, quotes and CR/LF/CRLF inside values,
 * blank lines of every line-ending kind, blanks around values, a CRLF split across the parser's buffer): the parser
 * must never object, and every row must come back with its cells and the line where it starts.
 */
class CsvLineNumbersPropertyTest {

    private static final String[] BREAKS = {"\n", "\r\n", "\r"};

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void rowsAndLinesSurviveAnyLayout(int seed) throws IOException {
        List<RawRow> expected = new ArrayList<>();
        char delimiter = write(seed, expected);
        try (RowSource source = TabularFiles.open(file(), new ReadOptions(false, null, null, delimiter))) {
            assertThat(TextFilesTest.readAll(source)).containsExactlyElementsOf(expected);
        }
    }

    /**
     * A file read in parts, each from a line (the parser holding back the records before it, their cells never
     * built): every row comes back once, in the part where it starts, with its cells and line, whatever line the
     * split falls on (a blank line, inside a quoted line break, the first or past the last).
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void aPartFromAnyLineHasExactlyTheRowsThatStartThere(int seed) throws IOException {
        List<RawRow> expected = new ArrayList<>();
        char delimiter = write(seed, expected);
        long last = expected.get(expected.size() - 1).line();
        Random random = new Random(seed);
        List<Long> splits = new ArrayList<>(List.of(0L, 1L, 2L, last, last + 1, last + 50));
        for (int i = 0; i < 40; i++) {
            splits.add(1 + (long) random.nextInt((int) last));
        }
        for (long split : splits) {
            List<RawRow> from = new ArrayList<>();
            try (RowSource source = TabularFiles.open(file(), new ReadOptions(false, null, null, delimiter))) {
                source.startAt(split);
                from.addAll(TextFilesTest.readAll(source));
            }
            assertThat(from).as("the rows from line %d", split)
                    .containsExactlyElementsOf(expected.stream().filter(row -> row.line() >= split).toList());
        }
    }

    /** Writes random.csv with a layout chosen by the seed; its rows go to {@code expected}; returns the delimiter. */
    private char write(int seed, List<RawRow> expected) throws IOException {
        Random random = new Random(seed);
        char delimiter = ",;\t|".charAt(seed % 4);
        StringBuilder text = new StringBuilder();
        long line = 1;
        String previousBreak = "";
        for (int r = 0; r < 1500; r++) {
            while (random.nextInt(5) == 0) { // blank lines
                String blank = lineBreak(random, previousBreak);
                text.append(blank);
                previousBreak = blank;
                line++;
            }
            List<String> cells = new ArrayList<>();
            long start = line;
            for (int f = 0; f < 4; f++) {
                if (f > 0) {
                    text.append(delimiter);
                }
                String value = f == 0 ? "id" + r : value(random, delimiter);
                cells.add(value);
                boolean mustQuote = value.indexOf(delimiter) >= 0 || value.contains("\"") || value.contains("\r")
                        || value.contains("\n") || !value.equals(value.strip()) || value.isEmpty() && random.nextBoolean();
                String pad = random.nextInt(4) == 0 ? " " : "";
                if (mustQuote) {
                    text.append(pad).append('"').append(value.replace("\"", "\"\"")).append('"').append(pad);
                    line += breaks(value);
                } else {
                    text.append(pad).append(value).append(pad);
                }
            }
            expected.add(new RawRow(start, cells));
            previousBreak = lineBreak(random, "");
            text.append(previousBreak);
            line++;
        }
        Files.writeString(file(), text, StandardCharsets.UTF_8);
        return delimiter;
    }

    private Path file() {
        return dir.resolve("random.csv");
    }

    private static String value(Random random, char delimiter) {
        return switch (random.nextInt(8)) {
            case 0 -> "";
            case 1 -> "plain words " + random.nextInt(1000);
            case 2 -> "with" + delimiter + "delimiter";
            case 3 -> "say \"hi\"";
            case 4 -> "two" + BREAKS[random.nextInt(3)] + "lines";
            case 5 -> BREAKS[random.nextInt(3)] + "starts and ends with breaks" + BREAKS[random.nextInt(3)];
            case 6 -> "x".repeat(random.nextInt(3000)) + "long";
            default -> "  padded inside quotes  ";
        };
    }

    /** A line break that does not merge with the one before it ("\r" then "\n" would be one CRLF). */
    private static String lineBreak(Random random, String previous) {
        String next = BREAKS[random.nextInt(3)];
        return previous.endsWith("\r") && next.startsWith("\n") ? "\r" : next;
    }

    private static int breaks(String value) {
        int count = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || (c == '\n' && (i == 0 || value.charAt(i - 1) != '\r'))) {
                count++;
            }
        }
        return count;
    }
}
