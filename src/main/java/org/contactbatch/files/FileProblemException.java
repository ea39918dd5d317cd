package org.contactbatch.files;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * A file-level problem: the file cannot be read as a table. {@link #getMessage()} is one line a person understands,
 * e.g. {@code contacts.csv: line 12: a quoted field is not closed (started at line 12)}.
 */
public class FileProblemException extends RuntimeException {

    private final Path file;
    private final @Nullable String where;
    private final String problem;

    public FileProblemException(Path file, @Nullable String where, String problem) {
        this(file, where, problem, null);
    }

    public FileProblemException(Path file, @Nullable String where, String problem, @Nullable Throwable cause) {
        super(message(file, where, problem), cause);
        this.file = file;
        this.where = where;
        this.problem = problem;
    }

    public Path file() {
        return file;
    }

    /** Where in the file, e.g. "line 12" or "sheet 'Contacts', row 7"; null when it concerns the whole file. */
    public @Nullable String where() {
        return where;
    }

    public String problem() {
        return problem;
    }

    private static String message(Path file, @Nullable String where, String problem) {
        Path name = file.getFileName();
        String text = (name == null ? file.toString() : name.toString()) + ": "
                + (where == null ? "" : where + ": ") + problem;
        // the message ends up in logs and summaries line by line; a stray line break (from a library message) would split it
        return text.replaceAll("[\\r\\n]+", " ").strip();
    }
}
