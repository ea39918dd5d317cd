package org.contactbatch.files;

import org.jspecify.annotations.Nullable;

/**
 * The format-specific half of a {@link RowSource}: raw records in file order, with their line or row number.
 * Header handling, blank-row skipping and {@link CellSafety#restore} live in {@link TableRowSource} so every format
 * behaves the same.
 */
interface RecordStream extends AutoCloseable {

    /** The next record as read (cells not yet restored), or null at the end; problems as {@link FileProblemException}. */
    @Nullable RawRow read();

    /**
     * The same table's records from the first that starts on or after {@code line}, opened afresh, when this
     * format can get there without parsing the records before it; null when it cannot, and they must be read past.
     */
    default @Nullable RecordStream from(long line) {
        return null;
    }

    /** How a person finds a record: "line 12" in a text file, "sheet 'Contacts', row 12" in a workbook. */
    String where(long line);

    /** Where the whole table is, for problems that concern all of it: null for a text file, "sheet 'Contacts'". */
    @Nullable String whole();

    @Override
    void close();
}
