package org.contactbatch.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Joining a CSV export's spools, on real files: the others appended to the first, again whole after an interruption. */
class ExportFinishTaskletTest {

    @TempDir
    Path dir;

    @Test
    void theOtherSpoolsFollowTheFirstsCommittedBytes() throws IOException {
        Path first = Files.writeString(dir.resolve(".out.csv.rows0"), "id,email\n1,a@example.org\n", StandardCharsets.UTF_8);
        Path second = Files.writeString(dir.resolve(".out.csv.rows1"), "2,b@example.org\n", StandardCharsets.UTF_8);
        Path third = Files.writeString(dir.resolve(".out.csv.rows2"), "3,c@example.org\n", StandardCharsets.UTF_8);
        long committed = Files.size(first);

        ExportFinishTasklet.appendToFirst(List.of(first, second, third), committed);

        assertThat(Files.readString(first)).isEqualTo("id,email\n1,a@example.org\n2,b@example.org\n3,c@example.org\n");
        assertThat(second).as("the other spools are read, not moved").exists();
    }

    @Test
    void anAttemptStoppedWhileAppendingIsCutBackAndDoneAgain() throws IOException {
        Path first = Files.writeString(dir.resolve(".out.csv.rows0"), "id,email\n1,a@example.org\n", StandardCharsets.UTF_8);
        Path second = Files.writeString(dir.resolve(".out.csv.rows1"), "2,b@example.org\n3,c@example.org\n",
                StandardCharsets.UTF_8);
        long committed = Files.size(first);
        // what a killed attempt leaves: part of the second spool already on the first
        Files.writeString(first, "2,b@exa", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        ExportFinishTasklet.appendToFirst(List.of(first, second), committed);
        ExportFinishTasklet.appendToFirst(List.of(first, second), committed);

        assertThat(Files.readString(first)).isEqualTo("id,email\n1,a@example.org\n2,b@example.org\n3,c@example.org\n");
    }

    @Test
    void bytesPastTheCommittedLengthAreCutEvenWhenLongerThanTheRest() throws IOException {
        Path first = Files.writeString(dir.resolve(".out.csv.rows0"), "id,email\n1,a@example.org\n", StandardCharsets.UTF_8);
        Path second = Files.writeString(dir.resolve(".out.csv.rows1"), "2,b@example.org\n3,c@example.org\n",
                StandardCharsets.UTF_8);
        long committed = Files.size(first);
        Files.writeString(first, "2,b@example.org\n3,c@example.org\n4,d@example.org\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        ExportFinishTasklet.appendToFirst(List.of(first, second), committed);

        assertThat(Files.readString(first)).isEqualTo("id,email\n1,a@example.org\n2,b@example.org\n3,c@example.org\n");
    }
}
