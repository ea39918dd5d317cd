package org.contactbatch.web;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the console writes times, durations, sizes and counts: the way the command line does. */
public final class Formats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** The same, as an object templates can call: {@code ${fmt.count(n)}}. */
    public static final View VIEW = new View();

    private Formats() {
    }

    public static final class View {

        public String time(LocalDateTime time) {
            return Formats.time(time);
        }

        public String duration(LocalDateTime start, LocalDateTime end) {
            return Formats.duration(start, end);
        }

        public String count(Long value) {
            return Formats.count(value);
        }

        public String bytes(long bytes) {
            return Formats.bytes(bytes);
        }

        public String job(String job) {
            return Formats.jobTitle(job);
        }
    }

    public static String time(LocalDateTime time) {
        return time == null ? "–" : TIME.format(time);
    }

    /** "1.3s", "4m 12s", "2h 05m"; while running, the time so far. */
    public static String duration(LocalDateTime start, LocalDateTime end) {
        if (start == null) {
            return "–";
        }
        Duration d = Duration.between(start, end == null ? LocalDateTime.now() : end);
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        if (d.toHours() > 0) {
            return String.format(Locale.ROOT, "%dh %02dm", d.toHours(), d.toMinutesPart());
        }
        if (d.toMinutes() > 0) {
            return d.toMinutes() + "m " + d.toSecondsPart() + "s";
        }
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    /** Rows a second over a step or job, or "–" when it took no measurable time or did nothing. */
    public static String rate(long rows, LocalDateTime start, LocalDateTime end) {
        if (start == null || end == null || rows <= 0) {
            return "–";
        }
        long millis = Duration.between(start, end).toMillis();
        if (millis <= 0) {
            return "–";
        }
        return count(Math.round(rows * 1000.0 / millis));
    }

    public static String count(Long value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%,d", value);
    }

    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / (1024.0 * 1024 * 1024));
    }

    /** "reimportPrepare" → "Re-import prepare", as the command line titles jobs. */
    public static String jobTitle(String job) {
        String words = job.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT).replace("reimport", "re-import");
        return words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
