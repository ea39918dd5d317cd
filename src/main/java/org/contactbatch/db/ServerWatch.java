package org.contactbatch.db;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded server's keeper: a small process of its own ({@code contact-batch db watch}) that stops
 * the server once no process has used it for the idle time. It is started by the first process that
 * finds no keeper, and it is only a convenience: killed, it is started again by the next process that
 * uses the database, and the server it left running is used as it is.
 */
public final class ServerWatch {

    private static final String LOCK = "db-watch.lock";

    private ServerWatch() {
    }

    /** Starts a keeper for the home's server unless one runs. */
    static void startIfMissing(DataHome home, Duration idleStop) throws IOException {
        if (watched(home)) {
            return;
        }
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid"); // out of the terminal's process group: Ctrl-C on a command does not reach it
        }
        command.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of("-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.add("-cp");
        command.add(classPath());
        command.add(mainClass());
        command.addAll(List.of("db", "watch", "--home", home.path().toString(), "--idle-stop", idleStop.toString()));
        new ProcessBuilder(command)
                .directory(home.path().toFile()) // not the caller's folder, which may be gone long before the keeper
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.databaseLog().toFile()))
                .start();
    }

    /** Whether a keeper runs for this home. */
    public static boolean watched(DataHome home) throws IOException {
        try (FileChannel channel = open(home); FileLock lock = EmbeddedServer.tryExclusive(channel)) {
            return lock == null;
        }
    }

    /**
     * The keeper's loop: until the server is gone, look every few seconds whether any process holds
     * the users' lock; when none has for {@code idleStop}, and nobody asked to keep it running, take
     * that lock exclusively (new users now wait), stop the server, and end.
     */
    public static void watch(DataHome home, Duration idleStop, PrintStream log) throws IOException, InterruptedException {
        EmbeddedServer server = new EmbeddedServer(home);
        try (FileChannel channel = open(home); FileLock mine = EmbeddedServer.tryExclusive(channel)) {
            if (mine == null) {
                return; // another keeper watches already
            }
            // everything the stop needs is worked out now, while the jar this runs from is surely the
            // one it started from: an upgrade may replace it during the days this process runs
            List<String> stopCommand = server.stopCommand();
            server.running();
            server.keptRunning();
            long poll = Math.max(200, Math.min(10_000, idleStop.toMillis() / 4));
            Instant lastUsed = Instant.now();
            while (server.running().isPresent()) {
                Thread.sleep(poll);
                if (server.keptRunning()) {
                    lastUsed = Instant.now();
                    continue;
                }
                try (FileChannel users = lockFile(home, "db-users.lock"); FileLock nobody = EmbeddedServer.tryExclusive(users)) {
                    if (nobody == null) {
                        lastUsed = Instant.now();
                        continue;
                    }
                    if (Duration.between(lastUsed, Instant.now()).compareTo(idleStop) >= 0) {
                        try (FileChannel start = lockFile(home, "db-start.lock"); FileLock ignored = start.lock()) {
                            // db start may have marked it meanwhile: it marks before it takes this lock
                            if (server.keptRunning()) {
                                lastUsed = Instant.now();
                                continue;
                            }
                            log.println(Instant.now() + " contact-batch: no process used the database for "
                                    + idleStop + ", stopping it");
                            server.stopLocked(stopCommand);
                        }
                        return;
                    }
                }
            }
        }
    }

    private static FileChannel open(DataHome home) throws IOException {
        return lockFile(home, LOCK);
    }

    private static FileChannel lockFile(DataHome home, String name) throws IOException {
        return FileChannel.open(home.path().resolve(name),
                StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** This program's class path, absolute, so the keeper runs from any folder. */
    private static String classPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            entries.add(Path.of(entry).toAbsolutePath().toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The executable jar's launcher when run as {@code java -jar}, else the application itself. */
    private static String mainClass() {
        String loader = ServerWatch.class.getClassLoader().getClass().getName();
        return loader.startsWith("org.springframework.boot.loader.")
                ? "org.springframework.boot.loader.launch.JarLauncher"
                : "org.contactbatch.ContactBatchApplication";
    }
}
