package org.contactbatch.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * The embedded default: when no {@code spring.datasource.url} is configured, start a real
 * PostgreSQL whose data lives under {@code ./data/pg} (or {@code contact-batch.embedded.data-dir})
 * and point the datasource at it. Doing this before the context exists lets everything else
 * (Hikari, Flyway, Spring Batch) stay plain Spring Boot auto-configuration.
 *
 * <p>One server per JVM: tests that start several contexts share it.
 */
public class EmbeddedPostgresEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String DATA_DIR_PROPERTY = "contact-batch.embedded.data-dir";

    private static EmbeddedPostgres server;
    private static Path serverDir;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (StringUtils.hasText(environment.getProperty("spring.datasource.url"))) {
            return;
        }
        Path dataDir = Path.of(environment.getProperty(DATA_DIR_PROPERTY, "data/pg")).toAbsolutePath().normalize();
        EmbeddedPostgres pg = start(dataDir);
        environment.getPropertySources().addFirst(new MapPropertySource("embeddedPostgres", Map.of(
                "spring.datasource.url", pg.getJdbcUrl("postgres", "postgres"),
                "spring.datasource.username", "postgres",
                "spring.datasource.password", "")));
    }

    private static synchronized EmbeddedPostgres start(Path dataDir) {
        if (server != null) {
            if (!serverDir.equals(dataDir)) {
                throw new IllegalStateException("An embedded PostgreSQL already runs on " + serverDir
                        + " in this process; cannot start another on " + dataDir);
            }
            return server;
        }
        try {
            Files.createDirectories(dataDir);
            OrphanedPostmaster.stopIfOrphaned(dataDir);
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // bulk loads: no fsync wait per commit; a crash of the process loses nothing
                    // committed (WAL is still written), only an OS crash could lose the last commits
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("max_wal_size", "2GB")
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("max_connections", "50")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(dataDir.resolveSibling("postgres.log").toFile()))
                    .start();
            serverDir = dataDir;
            return server;
        }
        catch (IllegalStateException e) {
            if (String.valueOf(e.getMessage()).startsWith("could not lock")) {
                throw new IllegalStateException("The embedded database in " + dataDir
                        + " is in use by another contact-batch process; wait for it to finish, or set "
                        + "SPRING_DATASOURCE_URL to share a PostgreSQL server", e);
            }
            throw e;
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDir, e);
        }
    }

    @Override
    public int getOrder() {
        // after application.yml and the environment have been read, so a configured URL wins
        return Ordered.LOWEST_PRECEDENCE;
    }

    /**
     * After {@code kill -9} of a run, its PostgreSQL keeps running with a {@code postmaster.pid}
     * in the data directory and the next start would refuse to run. The embedded server's own
     * lock file is free again (the OS released the dead process's lock), so a server still
     * running there belongs to nobody: stop it cleanly before starting ours.
     */
    static final class OrphanedPostmaster {

        static void stopIfOrphaned(Path dataDir) throws IOException {
            Path pidFile = dataDir.resolve("postmaster.pid");
            if (!Files.exists(pidFile) || lockedByLiveProcess(dataDir)) {
                return;
            }
            List<String> lines = Files.readAllLines(pidFile);
            Optional<ProcessHandle> postmaster = lines.isEmpty() ? Optional.empty()
                    : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
            if (postmaster.isEmpty() || !postmaster.get().isAlive()) {
                return; // stale pid file: PostgreSQL itself ignores it
            }
            ProcessHandle process = postmaster.get();
            process.destroy(); // SIGTERM: smart shutdown, its clients are gone already
            try {
                process.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
            catch (Exception timeout) {
                process.destroyForcibly();
            }
        }

        private static boolean lockedByLiveProcess(Path dataDir) throws IOException {
            Path lockFile = dataDir.resolve("epg-lock");
            if (!Files.exists(lockFile)) {
                return false;
            }
            try (var channel = java.nio.channels.FileChannel.open(lockFile, java.nio.file.StandardOpenOption.WRITE);
                 var lock = channel.tryLock()) {
                return lock == null;
            }
            catch (java.nio.channels.OverlappingFileLockException e) {
                return true;
            }
        }
    }
}
