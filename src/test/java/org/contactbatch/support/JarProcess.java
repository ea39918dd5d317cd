package org.contactbatch.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real executable jar, started as people start it in a process of its own: a working directory, environment
 * variables, its output kept in files. By default through {@code bin/contact-batch}, as the README says to for daily
 * work and cron (the build's extracted jar and class-data-sharing archive: a start costs a third of
 * {@code java -jar}'s); {@link #javaJar()} for the README's first command, {@code java -jar target/contact-batch.jar …}.
 * The integration tests ({@code *IT}) use it after {@code package} has built the jar.
 */
public final class JarProcess {

    /** The jar the build made; failsafe names it. */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("contact-batch.it.jar", "target/contact-batch.jar")).toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no " + jar + ": the integration tests run after 'package' (./mvnw verify)");
        }
        return jar;
    }

    /** The test's database (the embedded one of its data home, or the one SPRING_DATASOURCE_URL names), for the jar too. */
    public static Map<String, String> sameDatabase(org.springframework.core.env.Environment environment) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("CONTACT_BATCH_HOME", environment.getProperty("contact-batch.home"));
        variables.put("SPRING_DATASOURCE_URL", environment.getProperty("spring.datasource.url"));
        variables.put("SPRING_DATASOURCE_USERNAME", environment.getProperty("spring.datasource.username"));
        variables.put("SPRING_DATASOURCE_PASSWORD", environment.getProperty("spring.datasource.password", ""));
        return variables;
    }

    /** What one finished command did. */
    public record Result(int exitCode, String out, String err) {
    }

    private final Path workingDirectory;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private boolean javaJar;
    private Path warmSockets;

    public JarProcess(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    public JarProcess env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public JarProcess env(Map<String, String> variables) {
        environment.putAll(variables);
        return this;
    }

    public JarProcess jvm(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** {@code java -jar …} instead of {@code bin/contact-batch}. */
    public JarProcess javaJar() {
        javaJar = true;
        return this;
    }

    /**
     * With {@code bin/contact-batch}'s warm process for the next command, its sockets in {@code sockets} (a folder
     * of the test's: {@code $XDG_RUNTIME_DIR}). Without this, a command leaves no warm process behind.
     */
    public JarProcess warm(Path sockets) {
        warmSockets = sockets;
        return this;
    }

    /** Runs a command to its end (at most {@code limit}). */
    public Result run(Duration limit, String... args) throws IOException, InterruptedException {
        Running running = start(args);
        if (!running.process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            running.kill();
            throw new AssertionError("'" + String.join(" ", args) + "' did not end within " + limit + "; it said: "
                    + running.out() + running.err());
        }
        return new Result(running.process.exitValue(), running.out(), running.err());
    }

    public Result run(String... args) throws IOException, InterruptedException {
        return run(Duration.ofMinutes(3), args);
    }

    /** Starts a command and returns at once. */
    public Running start(String... args) throws IOException {
        Files.createDirectories(workingDirectory);
        String id = args.length == 0 ? "jar" : args[0] + "-" + System.nanoTime();
        Path out = workingDirectory.resolve(id + ".out");
        Path err = workingDirectory.resolve(id + ".err");
        List<String> command = new ArrayList<>();
        if (javaJar) {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.add("-jar");
            command.add(jar().toString());
        }
        else {
            command.add(Path.of("bin", "contact-batch").toAbsolutePath().toString());
        }
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        // nothing of the test JVM's own settings: only what this test gives
        builder.environment().keySet().removeIf(name -> name.startsWith("CONTACT_BATCH") || name.startsWith("CONTACTBATCH")
                || name.startsWith("SPRING_") || name.equals("JAVA_OPTS"));
        builder.environment().putAll(environment);
        if (!javaJar) {
            // the Java that runs the tests, the jar this build made
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put("CONTACT_BATCH_JAR", jar().toString());
            builder.environment().put("JAVA_OPTS", String.join(" ", jvmOptions));
            if (warmSockets == null) {
                builder.environment().put("CONTACT_BATCH_WARM", "off");
            }
            else {
                builder.environment().put("XDG_RUNTIME_DIR", warmSockets.toString());
            }
        }
        return new Running(builder.start(), out, err);
    }

    /** A command that runs. */
    public static final class Running {

        private final Process process;
        private final Path out;
        private final Path err;

        Running(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        public Process process() {
            return process;
        }

        public String out() {
            return read(out);
        }

        public String err() {
            return read(err);
        }

        /** Waits until the command has printed {@code text} on stdout; fails if it ends first. */
        public void awaitOutput(String text, Duration limit) throws InterruptedException {
            Instant deadline = Instant.now().plus(limit);
            while (Instant.now().isBefore(deadline)) {
                if (out().contains(text)) {
                    return;
                }
                if (!process.isAlive()) {
                    throw new AssertionError("the command ended (exit " + process.exitValue() + ") before printing '"
                            + text + "': " + out() + err());
                }
                Thread.sleep(100);
            }
            throw new AssertionError("the command never printed '" + text + "': " + out() + err());
        }

        public int await(Duration limit) throws InterruptedException {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new AssertionError("the command did not end within " + limit + ": " + out() + err());
            }
            return process.exitValue();
        }

        /** {@code kill -9}. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        private static String read(Path file) {
            try {
                return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            }
            catch (IOException e) {
                return "";
            }
        }
    }
}
