package org.contactbatch.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.contactbatch.files.FileProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdsFileTest {

    @TempDir
    Path temp;

    private Path file(String text) throws IOException {
        return Files.writeString(temp.resolve("ids.txt"), text, StandardCharsets.UTF_8);
    }

    @Test
    void readsOneIdPerLineSortedAndDistinct() throws Exception {
        Path file = file("\uFEFFid\r\n 42 \r\n\r\n7\n42\n1000000000001\n");

        IdsFile.Read read = IdsFile.read(file);

        assertThat(read.ids()).containsExactly(7, 42, 1_000_000_000_001L);
        assertThat(read.sha256()).isEqualTo(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
    }

    @Test
    void refusesALineThatIsNotAnIdWithItsNumber() throws IOException {
        Path file = file("1\n2\nthree\n");

        assertThatThrownBy(() -> IdsFile.read(file)).isInstanceOf(FileProblemException.class)
                .hasMessageContaining("line 3").hasMessageContaining("'three' is not a contact ID");
        assertThatThrownBy(() -> IdsFile.read(file("1;2\n"))).isInstanceOf(FileProblemException.class)
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> IdsFile.read(file("-5\n"))).isInstanceOf(FileProblemException.class);
    }

    @Test
    void refusesAFileWithoutIds() throws IOException {
        assertThatThrownBy(() -> IdsFile.read(file("id\n\n"))).isInstanceOf(FileProblemException.class)
                .hasMessageContaining("holds no IDs");
        assertThatThrownBy(() -> IdsFile.read(temp.resolve("missing.txt"))).isInstanceOf(FileProblemException.class)
                .hasMessageContaining("does not exist");
        Path binary = Files.write(temp.resolve("ids.bin"), new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 1});
        assertThatThrownBy(() -> IdsFile.read(binary)).isInstanceOf(FileProblemException.class);
    }
}
