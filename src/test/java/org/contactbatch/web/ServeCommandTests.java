package org.contactbatch.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/** {@code serve}, as people start it: a process of its own that serves the console until it is stopped. */
@WebConsoleTest
class ServeCommandTests {

    @Autowired
    Environment environment;

    @TempDir
    Path temp;

    @Test
    void serveStartsTheConsoleOnTheConfiguredPortAndStopsOnSigterm() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path out = temp.resolve("serve.out");
        Path jobs = Files.createDirectories(temp.resolve("jobs")); // no scheduled profile: the console alone
        Process serve = serve(port, out, jobs);
        try {
            awaitOutput(serve, out, "Web console on http://localhost:" + port + "/");
            ConsoleClient client = new ConsoleClient(port);
            assertThat(client.get("/actuator/health").body()).contains("\"status\":\"UP\"");
            client.login("ann", "secret");
            assertThat(client.get("/executions").statusCode()).isEqualTo(200);
        }
        finally {
            serve.destroy();
            assertThat(serve.waitFor(60, TimeUnit.SECONDS)).as("serve stops on SIGTERM").isTrue();
        }
        assertThat(Files.readString(out, StandardCharsets.UTF_8)).doesNotContain("Using generated security password");
    }

    @Test
    void serveWithAConsentKeyItCantUseStopsAtOnceSayingWhy() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path out = temp.resolve("serve.out");
        Process serve = serve(port, out, Files.createDirectories(temp.resolve("jobs")),
                "-Dcontact-batch.consent.token-key=short");
        try {
            assertThat(serve.waitFor(3, TimeUnit.MINUTES)).as("serve stops by itself").isTrue();
        }
        finally {
            serve.destroyForcibly();
        }
        assertThat(serve.exitValue()).isEqualTo(2);
        assertThat(Files.readString(out, StandardCharsets.UTF_8)).contains("the consent token key is too short")
                .contains("CONTACT_BATCH_CONSENT_TOKENKEY");
    }

    /** {@code serve} in a JVM of its own, on this database, with an admin and these settings more. */
    private Process serve(int port, Path out, Path jobs, String... settings) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dspring.datasource.url=" + environment.getProperty("spring.datasource.url"),
                "-Dspring.datasource.username=" + environment.getProperty("spring.datasource.username"),
                "-Dspring.datasource.password=" + environment.getProperty("spring.datasource.password", ""),
                "-Dcontact-batch.log-file=" + temp.resolve("serve.log"),
                "-Dcontact-batch.web.port=" + port,
                "-Dcontact-batch.web.users[0].name=ann",
                "-Dcontact-batch.web.users[0].password={noop}secret",
                "-Dcontact-batch.web.users[0].role=ADMIN"));
        command.addAll(List.of(settings));
        command.addAll(List.of("org.contactbatch.ContactBatchApplication", "serve", "--jobs-dir", jobs.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    private static void awaitOutput(Process process, Path out, String expected) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (text.contains(expected)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("serve ended (exit " + process.exitValue() + "): " + text);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("serve never said: " + expected + "\n" + Files.readString(out, StandardCharsets.UTF_8));
    }
}
