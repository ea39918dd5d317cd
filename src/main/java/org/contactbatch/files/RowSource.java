package org.contactbatch.files;

import java.util.List;

import org.jspecify.annotations.Nullable;

/** A streaming source of rows; holds the file open until closed. */
public interface RowSource extends AutoCloseable {

    FileDescription description();

    /**
     * Header names as read (trimmed, BOM stripped, {@link CellSafety#restore} applied); with header=false
     * "column 1", "column 2", … as wide as the first row.
     */
    List<String> header();

    /** The next data row, or null at the end. Blank rows are skipped. */
    @Nullable RawRow next();

    /**
     * Moves on so that the next row is the first that starts on or after {@code line} (its {@link RawRow#line});
     * a row read ahead that is there already stays. Only before the first {@link #next}. For a later part of a file read in parts: a delimited text
     * file gets there without building the cells before it, and in UTF-8 or a single-byte encoding without decoding them.
     */
    void startAt(long line);

    @Override
    void close();
}
