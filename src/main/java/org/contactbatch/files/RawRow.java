package org.contactbatch.files;

import java.util.List;

/**
 * One row as read.
 *
 * @param line  1-based number a person would look for: for text files the physical line where the record starts
 *              (header at line 1, blank lines counted; a quoted line break inside a record does not change that
 *              record's number, the next record's number accounts for it); for workbooks the row number Excel shows
 * @param cells the cell texts in column order, never null entries (empty string for an empty cell)
 */
public record RawRow(long line, List<String> cells) {

    public RawRow {
        // List.copyOf refuses null entries, which is exactly the guarantee consumers rely on
        cells = List.copyOf(cells);
    }

    /** The cell at {@code index}, or "" when the row is shorter (trailing empty cells are often missing). */
    public String cell(int index) {
        return index < cells.size() ? cells.get(index) : "";
    }
}
