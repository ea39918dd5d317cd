package org.contactbatch.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Joining a CSV export's spools, on real files: the others appended to the first, again whole after an interruption. */
class ExportFinishTaskletTest {

    private static final String FIRST = "id,email\n1,a@example.org\n";
    private static final String REST = "2,b@example.org\n3,c@example.org\n";

    @TempDir
    Path dir;

    @Test
    void theOtherSpoolsFollowTheFirstsCommittedBytes() throws IOException {
        Path first = spool(0, FIRST);
        Path second = spool(1, "2,b@example.org\n");
        Path third = spool(2, "3,c@example.org\n");

        ExportFinishTasklet.appendToFirst(List.of(first, second, third), FIRST.length());

        assertThat(Files.readString(first)).isEqualTo(FIRST + REST);
        assertThat(second).as("the other spools are read, not moved").exists();
    }

    @Test
    void anAttemptStoppedWhileAppendingIsCutBackAndDoneAgain() throws IOException {
        // what a killed attempt leaves: part of the second spool already on the first
        List<Path> spools = List.of(spool(0, FIRST + "2,b@exa"), spool(1, REST));

        ExportFinishTasklet.appendToFirst(spools, FIRST.length());
        ExportFinishTasklet.appendToFirst(spools, FIRST.length());

        assertThat(Files.readString(spools.get(0))).isEqualTo(FIRST + REST);
    }

    @Test
    void bytesPastTheCommittedLengthAreCutEvenWhenLongerThanTheRest() throws IOException {
        List<Path> spools = List.of(spool(0, FIRST + REST + "4,d@example.org\n"), spool(1, REST));

        ExportFinishTasklet.appendToFirst(spools, FIRST.length());

        assertThat(Files.readString(spools.get(0))).isEqualTo(FIRST + REST);
    }

    private Path spool(int part, String text) throws IOException {
        return Files.writeString(dir.resolve(".out.csv.rows" + part), text, StandardCharsets.UTF_8);
    }
}
