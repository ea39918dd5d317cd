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

    @Override
    void close();
}
