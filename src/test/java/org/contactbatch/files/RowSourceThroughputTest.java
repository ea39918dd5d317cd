package org.contactbatch.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The speed target: a million-row CSV (~112 MB) streams through {@link RowSource} in about 1-2 s. Too slow and too
 * big for every build; run with {@code -Dfiles.benchmark=true}.
 */
@EnabledIfSystemProperty(named = "files.benchmark", matches = "true")
class RowSourceThroughputTest {

    @TempDir
    Path dir;

    @Test
    void millionRowCsv() throws IOException {
        Path file = dir.resolve("million.csv");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("id,first_name,last_name,email,phone,company,city,postcode,note\r\n");
            for (int i = 1; i <= 1_000_000; i++) {
                out.write(i + ",Françoise,O'Connor-Smith,francoise.oconnor" + i + "@example.com,+1 212 555 "
                        + (1000 + i % 9000) + ",\"Acme, Inc.\",Zürich,0" + (1000 + i % 9000)
                        + ",\"said \"\"hi\"\" twice\"\r\n");
            }
        }
        System.out.printf("file: %,d bytes%n", Files.size(file));
        for (int run = 1; run <= 3; run++) {
            long start = System.nanoTime();
            long rows = 0;
            long cells = 0;
            try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
                RawRow row;
                while ((row = source.next()) != null) {
                    rows++;
                    cells += row.cells().size();
                }
            }
            System.out.printf("run %d: %,d rows, %,d cells in %,d ms%n", run, rows, cells, (System.nanoTime() - start) / 1_000_000);
            assertThat(rows).isEqualTo(1_000_000);
        }
    }
}
