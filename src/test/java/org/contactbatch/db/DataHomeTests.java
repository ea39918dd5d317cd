package org.contactbatch.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data home is found the same way from any folder. */
class DataHomeTests {

    @TempDir
    Path folder;

    @Test
    void theSettingWinsAndIsMadeAbsolute() {
        DataHome home = DataHome.resolve(Map.of(DataHome.PROPERTY, "contacts-home")::get, folder);

        assertThat(home.path()).isEqualTo(folder.resolve("contacts-home").toAbsolutePath());
        assertThat(home.database()).isEqualTo(home.path().resolve("pg"));
        assertThat(home.reports()).isEqualTo(home.path().resolve("reports"));
        assertThat(home.notice()).isNull();
    }

    @Test
    void withoutASettingItIsTheUsersDataFolderWhateverTheWorkingDirectory() {
        DataHome home = DataHome.resolve(Map.of("XDG_DATA_HOME", "/srv/data")::get, folder);

        assertThat(home.path()).isEqualTo(Path.of("/srv/data/contact-batch"));
        assertThat(DataHome.resolve(name -> null, folder).path())
                .isEqualTo(Path.of(System.getProperty("user.home"), ".local", "share", "contact-batch"));
    }

    @Test
    void theDataOfAnEarlierVersionUnderTheWorkingDirectoryIsUsedWithANotice() throws Exception {
        Files.createDirectories(folder.resolve("data/pg"));
        Files.writeString(folder.resolve("data/pg/PG_VERSION"), "18\n");

        DataHome home = DataHome.resolve(Map.of("XDG_DATA_HOME", "/srv/data")::get, folder);

        assertThat(home.path()).isEqualTo(folder.resolve("data").toAbsolutePath());
        assertThat(home.notice()).contains("earlier version").contains(folder.resolve("data").toString())
                .contains("CONTACT_BATCH_HOME");
    }
}
