package org.contactbatch.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A command in a JVM of its own, on the test's class path and database, to be killed with {@code kill -9}
 * at a chosen moment: every restart test starts and kills its command this way.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /** Starts the command with these settings (as -D) and the test's datasource; its output goes to {@code out}. */
    public static Process start(Environment environment, Map<String, String> settings, Path out, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-Dspring.datasource.url=" + environment.getProperty("spring.datasource.url"));
        command.add("-Dspring.datasource.username=" + environment.getProperty("spring.datasource.username"));
        command.add("-Dspring.datasource.password=" + environment.getProperty("spring.datasource.password", ""));
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("org.contactbatch.ContactBatchApplication");
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    /** Waits until the condition holds, then kills the process at once (SIGKILL). */
    public static void killWhen(Process child, BooleanSupplier condition, Path out) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        try {
            while (!condition.getAsBoolean()) {
                if (!child.isAlive()) {
                    throw new AssertionError("the command ended before it could be killed (exit " + child.exitValue()
                            + "): " + Files.readString(out));
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("the command never got to the moment it was to be killed at");
                }
                Thread.sleep(5);
            }
        }
        finally {
            child.destroyForcibly();
            child.waitFor();
        }
    }

    /** A moment told by the database: the query answers one boolean (no row counts as not yet). */
    public static BooleanSupplier when(JdbcClient jdbc, String query) {
        return () -> jdbc.sql(query).query(Boolean.class).optional().orElse(false);
    }
}
