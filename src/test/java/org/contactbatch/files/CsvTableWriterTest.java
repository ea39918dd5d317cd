package org.contactbatch.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableWriterTest {

    @TempDir
    Path dir;

    @Test
    void writesUtf8WithBomCrlfAndNeutralisedCells() throws IOException {
        Path file = dir.resolve("report.csv");
        try (CsvTableWriter writer = new CsvTableWriter(file)) {
            writer.writeRow(List.of("Name", "Note", "Amount"));
            writer.writeRow(List.of("José", "=HYPERLINK(\"http://evil\",\"click\")", "-3"));
            writer.writeRow(List.of("Smith, Ann", "two\nlines", "+1 212 555 0100"));
        }
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes).startsWith(0xEF, 0xBB, 0xBF);
        String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("Name,Note,Amount\r\n"
                + "José,\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\",-3\r\n"
                + "\"Smith, Ann\",\"two\nlines\",'+1 212 555 0100\r\n");
    }

    @Test
    void whatItWritesReadsBackUnchanged() throws IOException {
        Path file = dir.resolve("round.csv");
        List<String> header = List.of("Name", "Phone", "Formula");
        List<String> row = List.of("Ødegård \"Ø\"", "+47 22 00 00 00", "=1+2");
        try (CsvTableWriter writer = new CsvTableWriter(file, ';', true)) {
            writer.writeRow(header);
            writer.writeRow(row);
        }
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            assertThat(source.description().describe()).isEqualTo("CSV, UTF-8 with BOM, delimiter ';'");
            assertThat(source.header()).isEqualTo(header);
            assertThat(source.next()).isEqualTo(new RawRow(2, row));
        }
    }

    @Test
    void withoutBom() throws IOException {
        Path file = dir.resolve("plain.tsv");
        try (CsvTableWriter writer = new CsvTableWriter(file, '\t', false)) {
            writer.writeRow(List.of("a", "b c"));
        }
        assertThat(Files.readString(file)).isEqualTo("a\tb c\r\n");
    }
}
