package org.contactbatch.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.contactbatch.sampledata.ContactGenerator;
import org.contactbatch.support.JarProcess;
import org.contactbatch.web.ConsoleClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The embedded database as people use it: {@code serve} in one terminal, commands in another, cron
 * in a third folder — real processes of the real jar, one data home, one PostgreSQL among them.
 */
class SharedEmbeddedDatabaseIT {

    private static final Duration START = Duration.ofMinutes(3);

    @TempDir
    Path temp;

    Path home;
    EmbeddedServer server;
    JarProcess.Running serve;

    @BeforeEach
    void freshHome() {
        home = temp.resolve("home");
        server = new EmbeddedServer(new DataHome(home, null));
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (serve != null && serve.process().isAlive()) {
            serve.kill();
        }
        server.release();
        server.stop(true);
    }

    /** A process in its own working directory, on the test's data home, as its user would start it. */
    private JarProcess in(String folder) {
        return new JarProcess(temp.resolve(folder))
                .env("CONTACT_BATCH_HOME", home.toString())
                .env("CONTACT_BATCH_EMBEDDED_IDLESTOP", "3s");
    }

    private int startServe() throws Exception {
        int port = freePort();
        Path jobs = Files.createDirectories(temp.resolve("no-profiles"));
        serve = in("console")
                .env("CONTACT_BATCH_WEB_USERS_0_NAME", "ann")
                .env("CONTACT_BATCH_WEB_USERS_0_PASSWORD", "{noop}secret")
                .env("CONTACT_BATCH_WEB_USERS_0_ROLE", "ADMIN")
                // Spring Boot's own way of giving a setting on the command line
                .start("serve", "--server.port=" + port, "--jobs-dir", jobs.toString());
        serve.awaitOutput("Web console on http://localhost:" + port + "/", START);
        return port;
    }

    @Test
    void serveAndTheCommandLineUseOneDatabaseFromAnyFolder() throws Exception {
        int port = startServe();
        EmbeddedServer.Running running = server.running().orElseThrow();

        JarProcess.Result upload = in("terminal").run("upload", Path.of("sample-data/contacts.csv").toAbsolutePath().toString(),
                "--json", "--no-progress");

        assertThat(upload.exitCode()).as(upload.err()).isZero();
        JsonNode summary = JsonMapper.shared().readTree(upload.out());
        assertThat(summary.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(summary.get("counts").get("written").asLong()).isEqualTo(1000);
        long execution = summary.get("executionId").asLong();
        assertThat(summary.get("reports").get("failed-rows").asString()).startsWith(home.resolve("reports").toString());
        assertThat(server.running().orElseThrow().pid()).as("the upload used the server serve started").isEqualTo(running.pid());

        // the console, in the other process, shows the execution the command line ran
        ConsoleClient console = new ConsoleClient(port);
        console.login("ann", "secret");
        assertThat(console.get("/executions/" + execution).body()).contains("COMPLETED");

        // cron, started in another folder, works on the same data
        JarProcess.Result list = in("cron").run("jobs", "list");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).containsPattern("\\s" + execution + "\\s+upload\\s+COMPLETED");
        assertThat(Files.exists(temp.resolve("cron").resolve("data"))).as("nothing under the working directory").isFalse();

        JarProcess.Result status = in("elsewhere").run("db", "status");
        assertThat(status.out()).contains("data home   " + home).contains("running, pid " + running.pid())
                .containsPattern("used by\\s+contact-batch \\d+ serve");

        // serve uses it: stopping it is refused, in one line
        JarProcess.Result stop = in("elsewhere").run("db", "stop");
        assertThat(stop.exitCode()).isEqualTo(2);
        assertThat(stop.err().lines()).singleElement().asString().contains("in use").contains("--force");
        assertThat(server.running().map(EmbeddedServer.Running::pid)).contains(running.pid());
    }

    @Test
    void twoProcessesStartingAtOnceShareOneServer() throws Exception {
        JarProcess.Running first = in("one").start("jobs", "list");
        JarProcess.Running second = in("two").start("jobs", "list");

        assertThat(first.await(START)).as(first.err()).isZero();
        assertThat(second.await(START)).as(second.err()).isZero();
        server.use(Duration.ofSeconds(3)); // hold it while looking
        assertThat(server.running()).isPresent();
        assertThat(Files.readString(home.resolve("postgres.log")))
                .as("one server was started").containsOnlyOnce("database system is ready to accept connections");
    }

    @Test
    void whenTheProcessThatStartedTheDatabaseIsKilledTheOthersKeepWorking() throws Exception {
        startServe();
        EmbeddedServer.Running running = server.running().orElseThrow();
        Path file = temp.resolve("contacts-20k.csv");
        ContactGenerator.write(file, 20_000, 3);

        server.use(Duration.ofSeconds(3)); // this test looks at the database too: it must not stop under it
        JarProcess.Running upload = in("terminal").start("upload", file.toString(), "--json", "--no-progress",
                "--contact-batch.chunk-size=200");
        awaitTrue(() -> count("select count(*) from staged_contact") > 0 || !upload.process().isAlive(), START,
                "the upload to start staging");
        assertThat(upload.process().isAlive()).as("the upload is still running when serve is killed").isTrue();

        serve.kill(); // kill -9 of the process that started the database

        assertThat(upload.await(START)).as(upload.err()).isZero();
        JsonNode summary = JsonMapper.shared().readTree(upload.out());
        assertThat(summary.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(summary.get("counts").get("written").asLong()).isEqualTo(20_000);
        assertThat(count("select count(*) from contact")).isEqualTo(20_000);
        assertThat(server.running().map(EmbeddedServer.Running::pid)).contains(running.pid());

        // nobody uses it now: it stops by itself after the idle time (3 s here)
        server.release();
        awaitTrue(() -> server.running().isEmpty(), Duration.ofSeconds(90), "the idle server to stop");

        // and the next command starts it again, with the data
        JarProcess.Result list = in("later").run("jobs", "list");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("upload").contains("COMPLETED");
    }

    @Test
    void theCommandLineStartsFromTheContextTheBuildPreparedUnlessToldNot() throws Exception {
        Path file = Files.writeString(Files.createDirectories(temp.resolve("terminal")).resolve("three.csv"),
                "email,first_name\nann@example.org,Ann\nbob@example.org,Bob\ncy@example.org,Cy\n");
        // the README's first command, java -jar, and the daily one, bin/contact-batch, start the same prepared context
        JarProcess.Result prepared = in("terminal").javaJar().run("upload", file.toString(), "--no-progress");
        assertThat(prepared.exitCode()).as(prepared.err()).isZero();
        assertThat(count("select count(*) from contact")).isEqualTo(3);
        Path log = home.resolve("contact-batch.log");
        assertThat(Files.readString(log)).contains("Starting AOT-processed CommandLineAot");

        JarProcess.Result usual = in("terminal").jvm("-Dspring.aot.enabled=false").run("jobs", "list");
        assertThat(usual.exitCode()).as(usual.err()).isZero();
        assertThat(usual.out()).contains("upload").contains("COMPLETED");
        assertThat(Files.readString(log)).contains("Starting ContactBatchApplication");
    }

    @Test
    void aFailureBeforeAnyJobIsOneLineAndExitTwo() throws Exception {
        int closed = freePort();
        JarProcess.Result unreachable = in("terminal")
                .env("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:" + closed + "/contacts")
                .env("SPRING_DATASOURCE_USERNAME", "nobody")
                .run("jobs", "list");
        assertThat(unreachable.exitCode()).isEqualTo(2);
        assertThat(unreachable.err().lines()).singleElement().asString()
                .startsWith("error: cannot use the database at jdbc:postgresql://127.0.0.1:" + closed + "/contacts")
                .contains("SPRING_DATASOURCE_URL");

        JarProcess.Result invalid = in("terminal").run("jobs", "list", "--contact-batch.chunk-size=0");
        assertThat(invalid.exitCode()).isEqualTo(2);
        assertThat(invalid.err().lines()).singleElement().asString()
                .startsWith("error: the setting contact-batch.chunk-size is not valid");
        assertThat(Files.readString(home.resolve("contact-batch.log"))).as("the details are in the log")
                .contains("chunk-size must be at least 1 (it is 0)");

        Path notAFolder = Files.writeString(temp.resolve("a-file"), "not a folder");
        JarProcess.Result noHome = new JarProcess(temp.resolve("terminal")).env("CONTACT_BATCH_HOME", notAFolder.toString())
                .run("jobs", "list");
        assertThat(noHome.exitCode()).isEqualTo(2);
        assertThat(noHome.err().lines()).singleElement().asString()
                .startsWith("error: cannot use the embedded database in " + notAFolder.resolve("pg"));
    }

    private long count(String sql) {
        Optional<EmbeddedServer.Running> running = server.running();
        if (running.isEmpty()) {
            return 0;
        }
        try (Connection connection = server.connect(running.get()); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
        catch (java.sql.SQLException notYet) {
            return 0; // the schema is not there yet
        }
    }

    private static void awaitTrue(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("waited " + limit + " in vain for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
