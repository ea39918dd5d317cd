package org.contactbatch.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.contactbatch.db.DataHome;
import org.contactbatch.db.EmbeddedServer;
import org.contactbatch.sampledata.ContactGenerator;
import org.contactbatch.support.JarProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/contact-batch} with its warm process, as people run it: a command leaves a process behind that has
 * started Java and Spring already, and the next command from the same folder and environment runs there. Real
 * processes of the real build; what is checked is what the user sees (output, exit codes, a signal, kill -9) and
 * that the command did run in the warm process.
 */
class WarmCommandIT {

    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final Pattern STARTED = Pattern.compile("upload execution (\\d+) started in process (\\d+)");

    @TempDir
    Path temp;

    Path home;
    Path sockets;
    EmbeddedServer server;

    @BeforeEach
    void freshHome() throws IOException {
        home = temp.resolve("home");
        sockets = Files.createDirectories(temp.resolve("run"));
        server = new EmbeddedServer(new DataHome(home, null));
    }

    @AfterEach
    void stopEverything() throws Exception {
        // the warm processes this test left behind, then the database
        ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().orElse("").contains(sockets.toString()))
                .forEach(ProcessHandle::destroyForcibly);
        server.release();
        server.stop(true);
    }

    private JarProcess command() {
        return new JarProcess(temp.resolve("work")).env("CONTACT_BATCH_HOME", home.toString()).warm(sockets);
    }

    @Test
    void theNextCommandRunsInTheWarmProcessWithTheSameOutputAndExitCodes() throws Exception {
        assertThat(command().run("jobs", "list").exitCode()).isZero();
        awaitWarmProcess();

        Path file = Files.writeString(temp.resolve("three.csv"),
                "email,first_name\nann@example.org,Ann\nbob@example.org,Bob\ncy@example.org,Cy\n");
        JarProcess.Running upload = command().start("upload", file.toString(), "--no-progress");
        assertThat(upload.await(LIMIT)).as(upload.err()).isZero();
        assertThat(upload.out()).contains("Upload COMPLETED").containsPattern("inserted\\s+3\\n");
        assertThat(upload.err()).isEmpty();
        assertThat(count("select count(*) from contact")).isEqualTo(3);
        Matcher started = lastStarted();
        assertThat(Long.parseLong(started.group(2))).as("the upload ran in the warm process, not in the command's")
                .isNotEqualTo(upload.process().pid());

        // a file-level problem: the same one line and exit code 2 as without the warm process
        awaitWarmProcess();
        JarProcess.Result missing = command().run("upload", temp.resolve("missing.csv").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().lines()).singleElement().asString().startsWith("error:").contains("missing.csv");
        assertThat(missing.out()).isEmpty();

        // and a command after a failed one
        awaitWarmProcess();
        JarProcess.Result list = command().run("jobs", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out().lines()).hasSize(2).last().asString().contains("upload").contains("COMPLETED");
    }

    @Test
    void aCommandKilledWithKill9TakesItsJobWithItAndTheJobRestarts() throws Exception {
        Running running = bigUploadInTheWarmProcess();
        running.upload().kill();
        await(() -> !running.warm().isAlive(), "the warm process to end with the command it ran");

        String restarted = restartsToTheEnd(running.execution());
        assertThat(restarted).contains("continued after an interruption");
    }

    /**
     * {@code kill PID} (SIGTERM) of the command; Ctrl-C (SIGINT) takes the same way through the command, but a test
     * cannot send it: a suite started in the background (as CI may be) has SIGINT ignored, and so do its children.
     */
    @Test
    void aSignalStopsTheCommandAsItStopsAJvmAndTheJobRestarts() throws Exception {
        Running running = bigUploadInTheWarmProcess();
        new ProcessBuilder("kill", "-TERM", Long.toString(running.upload().process().pid())).start().waitFor();
        assertThat(running.upload().await(LIMIT)).as("the exit code of a JVM ended by SIGTERM").isEqualTo(143);
        await(() -> !running.warm().isAlive(), "the warm process to end with the command it ran");
        assertThat(count("select count(*) from contact")).isLessThan(300_000);

        restartsToTheEnd(running.execution());
    }

    /** An upload running in the warm process: the command's process, the job's execution, the warm process. */
    private record Running(JarProcess.Running upload, String execution, ProcessHandle warm) {
    }

    /** An upload of 300,000 rows, started in the warm process a first command left behind, once its job runs. */
    private Running bigUploadInTheWarmProcess() throws Exception {
        Path file = temp.resolve("big.csv");
        ContactGenerator.write(file, 300_000, ContactGenerator.DEFAULT_SEED);
        assertThat(command().run("jobs", "list").exitCode()).isZero();
        awaitWarmProcess();

        JarProcess.Running upload = command().start("upload", file.toString(), "--no-progress");
        Matcher started = awaitStarted(upload);
        return new Running(upload, started.group(1), ProcessHandle.of(Long.parseLong(started.group(2))).orElseThrow());
    }

    /** {@code jobs restart} of the interrupted upload: it completes, with every row; what it printed. */
    private String restartsToTheEnd(String execution) throws Exception {
        JarProcess.Result restart = command().run(LIMIT, "jobs", "restart", execution, "--no-progress");
        assertThat(restart.exitCode()).as(restart.out() + restart.err()).isZero();
        assertThat(restart.out()).contains("COMPLETED");
        assertThat(count("select count(*) from contact")).isEqualTo(300_000);
        return restart.out();
    }

    /** Waits for the warm process's socket: it is there once that process has warmed up. */
    private void awaitWarmProcess() throws InterruptedException {
        await(() -> {
            try (Stream<Path> files = Files.walk(sockets)) {
                return files.anyMatch(path -> path.toString().endsWith(".sock"));
            }
            catch (IOException | java.io.UncheckedIOException notYet) {
                return false;
            }
        }, "a warm process");
    }

    /** The job's start, as the log says, once the upload has reached it in the warm process. */
    private Matcher awaitStarted(JarProcess.Running upload) throws InterruptedException {
        await(() -> lastStarted() != null || !upload.process().isAlive(), "the upload to start");
        Matcher started = lastStarted();
        assertThat(started).as("the upload started: " + upload.out() + upload.err()).isNotNull();
        assertThat(Long.parseLong(started.group(2))).as("the upload runs in the warm process")
                .isNotEqualTo(upload.process().pid());
        return started;
    }

    private Matcher lastStarted() {
        String log;
        try {
            log = Files.readString(home.resolve("contact-batch.log"), StandardCharsets.UTF_8);
        }
        catch (IOException notYet) {
            return null;
        }
        Matcher matcher = STARTED.matcher(log);
        int last = -1;
        while (matcher.find()) {
            last = matcher.start();
        }
        return last >= 0 && matcher.find(last) ? matcher : null;
    }

    private long count(String sql) throws Exception {
        EmbeddedServer.Login login = server.use(Duration.ofSeconds(5));
        try (Connection connection = DriverManager.getConnection(login.url(), login.user(), login.password());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void await(Supplier<Boolean> condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(LIMIT);
        while (!condition.get()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("waited " + LIMIT + " in vain for " + what);
            }
            Thread.sleep(50);
        }
    }
}
