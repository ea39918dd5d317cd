package org.contactbatch.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server of a data home of its own: started, found again, secured, stopped. */
class EmbeddedServerTests {

    @TempDir
    Path folder;

    EmbeddedServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.release();
            server.stop(true);
        }
    }

    @Test
    void aPidFileLeftBehindByAServerThatIsGoneDoesNotStopTheNextStart() throws Exception {
        server = new EmbeddedServer(new DataHome(folder.resolve("home"), null));
        server.use(Duration.ofMinutes(5));
        server.stop(true);
        // as after a crash and a restart of the machine: the file names a pid that is now another
        // process (this JVM, started at another time than the file says)
        Path pidFile = server.home().database().resolve("postmaster.pid");
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n" + server.home().database() + "\n1000000000\n5432\n\n127.0.0.1\n  1234  5678\nready   \n");

        assertThat(server.running()).as("a pid file is not a running server").isEmpty();
        EmbeddedServer.Login login = server.use(Duration.ofMinutes(5));

        try (Connection connection = DriverManager.getConnection(login.url(), login.user(), login.password())) {
            assertThat(connection.isValid(5)).isTrue();
        }
        assertThat(Files.readString(server.home().databaseLog())).contains("removing the stale");
    }

    /**
     * What broke CI on 2026-12-03: the start time in the file was seconds after the process's own (a busy machine),
     * the live server was called gone, its file removed and a second start refused for the shared memory in use.
     */
    @Test
    void aServerThatNotedItsStartLateIsStillTheRunningOne() throws Exception {
        server = new EmbeddedServer(new DataHome(folder.resolve("home"), null));
        server.use(Duration.ofMinutes(5));
        EmbeddedServer.Running before = server.running().orElseThrow();
        Path pidFile = server.home().database().resolve("postmaster.pid");
        List<String> lines = new ArrayList<>(Files.readAllLines(pidFile));
        lines.set(2, Long.toString(before.since().getEpochSecond() + 10));
        Files.write(pidFile, lines);

        assertThat(server.running()).as("the server that runs").map(EmbeddedServer.Running::pid).contains(before.pid());
        EmbeddedServer.Login login = new EmbeddedServer(server.home()).use(Duration.ofMinutes(5));
        try (Connection connection = DriverManager.getConnection(login.url(), login.user(), login.password())) {
            assertThat(connection.isValid(5)).isTrue();
        }
        assertThat(pidFile).exists();
        assertThat(Files.readString(server.home().databaseLog())).doesNotContain("removing the stale");
    }

    @Test
    void aNewHomeGetsAServerWithAPasswordOnlyThisUserCanRead() throws Exception {
        server = new EmbeddedServer(new DataHome(folder.resolve("home"), null));

        EmbeddedServer.Login login = server.use(Duration.ofMinutes(5));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                server.home().database().resolve("contact-batch.password")))).isEqualTo("rw-------");
        try (Connection connection = DriverManager.getConnection(login.url(), login.user(), login.password())) {
            assertThat(connection.isValid(5)).isTrue();
        }
        assertThatThrownBy(() -> DriverManager.getConnection(login.url(), login.user(), "guessed").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        // a second look finds the same server, it does not start another
        assertThat(new EmbeddedServer(server.home()).use(Duration.ofMinutes(5)).url()).isEqualTo(login.url());
        assertThat(server.inUse()).as("this process holds it as a user").isTrue();
    }

    @Test
    void theOpenDatabaseOfAnEarlierVersionGetsAPassword() throws Exception {
        DataHome home = new DataHome(folder.resolve("old"), null);
        Files.createDirectories(home.path());
        // as the earlier version made it: anyone on the machine could log in, no password
        PostgresBinaries binaries = PostgresBinaries.unpacked();
        Process initdb = new ProcessBuilder(binaries.command("initdb", "-D", home.database().toString(), "-U", "postgres",
                "-A", "trust", "-E", "UTF-8"))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(folder.resolve("initdb.log").toFile()).start();
        assertThat(initdb.waitFor()).isZero();
        server = new EmbeddedServer(home);

        EmbeddedServer.Login login = server.use(Duration.ofMinutes(5));

        assertThat(Files.readString(home.database().resolve("pg_hba.conf"))).contains("scram-sha-256").doesNotContain("trust");
        try (Connection connection = DriverManager.getConnection(login.url(), login.user(), login.password())) {
            assertThat(connection.isValid(5)).isTrue();
        }
        assertThatThrownBy(() -> DriverManager.getConnection(login.url(), login.user(), "").close())
                .isInstanceOf(SQLException.class);
    }

    @Test
    void stopIsRefusedWhileAProcessUsesItUnlessForced() throws Exception {
        server = new EmbeddedServer(new DataHome(folder.resolve("home"), null));
        server.use(Duration.ofMinutes(5));
        EmbeddedServer.Login login = new EmbeddedServer(server.home()).login(server.running().orElseThrow());

        assertThatThrownBy(() -> server.stop(false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in use");
        assertThat(server.running()).isPresent();

        assertThat(server.stop(true)).isTrue();
        assertThat(server.running()).isEmpty();
        assertThat(server.home().database().resolve("postmaster.pid")).doesNotExist();
        assertThatThrownBy(() -> DriverManager.getConnection(login.url(), login.user(), login.password()).close())
                .isInstanceOf(SQLException.class);
        List<String> log = Files.readAllLines(server.home().databaseLog());
        assertThat(log).anyMatch(line -> line.contains("database system is shut down"));
    }
}
