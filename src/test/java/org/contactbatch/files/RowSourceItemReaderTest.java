package org.contactbatch.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.ExecutionContext;

class RowSourceItemReaderTest {

    @TempDir
    Path dir;

    @Test
    void restartContinuesAfterTheRowsAlreadyRead() throws Exception {
        Path file = dir.resolve("contacts.csv");
        Files.writeString(file, "Name,Email\nAnn,a\nBob,b\n\nCarl,c\nDora,d\nEve,e\n");

        ExecutionContext context = new ExecutionContext();
        RowSourceItemReader first = reader(file);
        first.open(context);
        assertThat(first.header()).containsExactly("Name", "Email");
        assertThat(first.read().cells()).containsExactly("Ann", "a");
        assertThat(first.read().cells()).containsExactly("Bob", "b");
        assertThat(first.read().cells()).containsExactly("Carl", "c");
        first.update(context);
        first.close();
        assertThat(context.getInt("contacts.read.count")).isEqualTo(3);

        RowSourceItemReader second = reader(file);
        second.open(context);
        assertThat(second.read()).isEqualTo(new RawRow(6, List.of("Dora", "d")));
        assertThat(second.read()).isEqualTo(new RawRow(7, List.of("Eve", "e")));
        assertThat(second.read()).isNull();
        second.close();
    }

    @Test
    void headerAndDescriptionAreAvailableBeforeOpen() throws IOException {
        Path file = dir.resolve("contacts.csv");
        Files.writeString(file, "Name;Email\nAnn;a\n");
        RowSourceItemReader reader = reader(file);
        assertThat(reader.header()).containsExactly("Name", "Email");
        assertThat(reader.description().delimiter()).isEqualTo(';');
    }

    @Test
    void openingABadFileFailsWithTheOneLineProblem() throws IOException {
        Path file = dir.resolve("header.csv");
        Files.writeString(file, "Name,Email\n");
        RowSourceItemReader reader = reader(file);
        assertThatThrownBy(() -> reader.open(new ExecutionContext()))
                .isInstanceOf(FileProblemException.class)
                .hasMessage("header.csv: has a header row but no data rows");
    }

    private static RowSourceItemReader reader(Path file) {
        RowSourceItemReader reader = new RowSourceItemReader(file, ReadOptions.defaults());
        reader.setName("contacts");
        return reader;
    }
}
