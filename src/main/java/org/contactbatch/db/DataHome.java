package org.contactbatch.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The one folder that holds what the program keeps between runs: the embedded database, the
 * reports, the exports, the console's uploads and the log. It is found the same way from any
 * working directory, so cron, a terminal and {@code serve} all work on the same data.
 *
 * <ol>
 * <li>{@code contact-batch.home} (environment {@code CONTACT_BATCH_HOME}), when set;</li>
 * <li>else the folder holding {@code contact-batch.embedded.data-dir}, the earlier version's setting;</li>
 * <li>else {@code ./data}, when it holds the database of an earlier version (which kept everything
 *     under the working directory): it is used as it is, with a notice, so nobody loses contacts;</li>
 * <li>else the user's data folder: {@code $XDG_DATA_HOME/contact-batch}, by default
 *     {@code ~/.local/share/contact-batch}.</li>
 * </ol>
 *
 * @param path   the folder, absolute
 * @param notice a line to tell the user how it was chosen, or null when there is nothing to say
 */
public record DataHome(Path path, String notice) {

    public static final String PROPERTY = "contact-batch.home";

    /** The home, from settings read by {@code property} (a property name to its value, or null). */
    public static DataHome resolve(Function<String, String> property) {
        return resolve(property, Path.of(""));
    }

    static DataHome resolve(Function<String, String> property, Path workingDirectory) {
        String configured = property.apply(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return new DataHome(absolute(workingDirectory.resolve(expandTilde(configured.trim()))), null);
        }
        String dataDir = property.apply("contact-batch.embedded.data-dir");
        if (dataDir != null && !dataDir.isBlank()) {
            // the earlier version's setting: its database folder, named pg inside the home
            Path database = absolute(workingDirectory.resolve(expandTilde(dataDir.trim())));
            if (!database.getFileName().toString().equals("pg")) {
                throw new DatabaseUnavailableException("contact-batch.embedded.data-dir is no longer read: set "
                        + "CONTACT_BATCH_HOME (contact-batch.home) to a folder and move " + database + " into it as pg");
            }
            return new DataHome(database.getParent(), "notice: contact-batch.embedded.data-dir is replaced by "
                    + "contact-batch.home; using " + database.getParent() + " (set CONTACT_BATCH_HOME to it)");
        }
        Path legacy = absolute(workingDirectory.resolve("data"));
        if (Files.exists(legacy.resolve("pg").resolve("PG_VERSION"))) {
            return new DataHome(legacy, "notice: using the data of an earlier version in " + legacy
                    + " (set CONTACT_BATCH_HOME to that folder to keep using it from anywhere)");
        }
        String xdg = property.apply("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return new DataHome(absolute(base.resolve("contact-batch")), null);
    }

    /** The embedded PostgreSQL's data directory. */
    public Path database() {
        return path.resolve("pg");
    }

    public Path reports() {
        return path.resolve("reports");
    }

    public Path exports() {
        return path.resolve("exports");
    }

    /** Where consent request emails are written as {@code .eml} files when no mail server is configured. */
    public Path outbox() {
        return path.resolve("outbox");
    }

    public Path uploads() {
        return path.resolve("uploads");
    }

    public Path log() {
        return path.resolve("contact-batch.log");
    }

    public Path databaseLog() {
        return path.resolve("postgres.log");
    }

    private static String expandTilde(String value) {
        return value.equals("~") || value.startsWith("~/") ? System.getProperty("user.home") + value.substring(1) : value;
    }

    private static Path absolute(Path path) {
        return path.toAbsolutePath().normalize();
    }
}
