package org.contactbatch.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Whether the process a {@code postmaster.pid} names is that postmaster. A pid alone does not say:
 * after a crash or a restart of the machine the number may belong to another process, and a
 * postmaster that died may linger as a zombie where nobody reaps it (containers). The start time
 * PostgreSQL wrote into the file must match the process's own.
 */
final class PostmasterProcess {

    private static final Duration SLACK = Duration.ofSeconds(2);

    private PostmasterProcess() {
    }

    enum Verdict { THAT, GONE, UNKNOWN }

    static boolean isThat(long pid, Instant started) {
        return verdict(pid, started) == Verdict.THAT;
    }

    /** Only a file whose process is certainly not its postmaster any more; never a live one's. */
    static boolean provablyGone(Path pidFile) throws IOException {
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.size() < 3) {
            return false; // being written: a postmaster is starting
        }
        try {
            return verdict(Long.parseLong(lines.get(0).trim()),
                    Instant.ofEpochSecond(Long.parseLong(lines.get(2).trim()))) == Verdict.GONE;
        }
        catch (NumberFormatException halfWritten) {
            return false;
        }
    }

    static Verdict verdict(long pid, Instant started) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive() || zombie(pid)) {
            return Verdict.GONE;
        }
        Optional<Instant> processStart = process.get().info().startInstant();
        if (processStart.isEmpty()) {
            // another user's process, or no /proc: go by its name, never call it gone
            return process.get().info().command().map(c -> c.contains("postgres")).orElse(true) ? Verdict.THAT : Verdict.UNKNOWN;
        }
        Duration apart = Duration.between(processStart.get(), started).abs();
        return apart.compareTo(SLACK) <= 0 ? Verdict.THAT : Verdict.GONE;
    }

    /** {@code Z} (or {@code X}) in {@code /proc/PID/stat}: ended, waiting to be reaped. */
    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int end = stat.lastIndexOf(')');
            char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
            return state == 'Z' || state == 'X';
        }
        catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }
}
