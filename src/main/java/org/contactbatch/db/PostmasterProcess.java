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
 * postmaster that died may linger as a zombie where nobody reaps it (containers).
 *
 * <p>A postmaster works in its data directory (it changes there before it writes the file), so a
 * process of this user is that postmaster exactly when its working directory is that directory. Only
 * where that cannot be read (another user's process, no {@code /proc}) do the start times decide, and
 * only one way: the process began when {@code pg_ctl} forked it, and PostgreSQL notes its own start
 * only after reading its settings, which on a busy machine is seconds later; a process that has the
 * pid since before the time in the file is the postmaster, for another one could only have got the
 * number after the postmaster had ended. Calling a live postmaster gone would be worse than a failed
 * start: its file would be removed and a second server started beside it.
 */
final class PostmasterProcess {

    /** The start time in the file is in whole seconds, the process's from clock ticks and the boot time. */
    private static final Duration ROUNDING = Duration.ofSeconds(2);

    private PostmasterProcess() {
    }

    enum Verdict { THAT, GONE, UNKNOWN }

    static boolean isThat(long pid, Instant started, Path dataDirectory) {
        return verdict(pid, started, dataDirectory) == Verdict.THAT;
    }

    /** Only a file whose process is certainly not its postmaster any more; never a live one's. */
    static boolean provablyGone(Path pidFile) throws IOException {
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.size() < 3) {
            return false; // being written: a postmaster is starting
        }
        try {
            return verdict(Long.parseLong(lines.get(0).trim()),
                    Instant.ofEpochSecond(Long.parseLong(lines.get(2).trim())), pidFile.getParent()) == Verdict.GONE;
        }
        catch (NumberFormatException halfWritten) {
            return false;
        }
    }

    static Verdict verdict(long pid, Instant started, Path dataDirectory) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive() || zombie(pid)) {
            return Verdict.GONE;
        }
        Optional<Boolean> worksThere = worksIn(pid, dataDirectory);
        if (worksThere.isPresent()) {
            return worksThere.get() ? Verdict.THAT : Verdict.GONE;
        }
        Optional<Instant> processStart = process.get().info().startInstant();
        if (processStart.isEmpty()) {
            // no /proc: go by its name, never call it gone
            return process.get().info().command().map(c -> c.contains("postgres")).orElse(true) ? Verdict.THAT : Verdict.UNKNOWN;
        }
        return byStartTimes(processStart.get(), started);
    }

    /** The one-way rule of the start times (see the class). */
    static Verdict byStartTimes(Instant processStart, Instant startedByTheFile) {
        return processStart.isAfter(startedByTheFile.plus(ROUNDING)) ? Verdict.GONE : Verdict.THAT;
    }

    /** Whether the process works in that directory; empty when its working directory cannot be read. */
    private static Optional<Boolean> worksIn(long pid, Path directory) {
        try {
            return Optional.of(Files.isSameFile(Path.of("/proc", Long.toString(pid), "cwd"), directory));
        }
        catch (IOException | SecurityException unreadable) {
            return Optional.empty();
        }
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
