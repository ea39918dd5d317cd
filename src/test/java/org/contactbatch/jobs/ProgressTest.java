package org.contactbatch.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.IntUnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The estimate of a file's rows that splits the staging and sizes the progress bar. */
class ProgressTest {

    @TempDir
    Path folder;

    @Test
    void aSmallFileHasItsLineBreaksCounted() throws IOException {
        Path file = Files.writeString(folder.resolve("three.csv"), "email\na@example.org\nb@example.org\n\"c\nd\"\n");
        assertThat(Progress.estimateRows(file, true)).as("a quoted line break counts too").isEqualTo(4);
        assertThat(Progress.estimateRows(file, false)).isEqualTo(5);
        assertThat(Progress.estimateRows(Files.writeString(folder.resolve("empty.csv"), ""), true)).isZero();
        assertThat(Progress.estimateRows(Files.writeString(folder.resolve("book.xlsx"), "PK"), true)).isEqualTo(-1);
        assertThat(Progress.estimateRows(folder.resolve("missing.csv"), true)).isEqualTo(-1);
    }

    @Test
    void aLargeFileIsSampledCloseToItsRows() throws IOException {
        Random random = new Random(5);
        Path even = write("even.csv", 400_000, line -> 10 + random.nextInt(60));
        Path skewed = write("skewed.csv", 300_000, line -> line < 50_000 ? 150 + random.nextInt(100) : 5 + random.nextInt(20));
        assertThat(Files.size(even)).isGreaterThan(Progress.COUNTED_UP_TO);
        assertThat(Files.size(skewed)).isGreaterThan(Progress.COUNTED_UP_TO);

        assertThat(Progress.estimateRows(even, true)).isCloseTo(400_000, within(8_000L));
        // a sixth of the rows hold seven tenths of the bytes: the samples see that share to a sixteenth
        assertThat(Progress.estimateRows(skewed, true)).isCloseTo(300_000, within(30_000L));
    }

    private Path write(String name, int rows, IntUnaryOperator length) throws IOException {
        Path file = folder.resolve(name);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("email,note\n");
            for (int line = 0; line < rows; line++) {
                out.write("x".repeat(length.applyAsInt(line)));
                out.write('\n');
            }
        }
        return file;
    }
}
