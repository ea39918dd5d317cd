package org.contactbatch.files;

import java.util.List;

import org.jspecify.annotations.Nullable;

/** A workbook's records: one sheet of it, which every place in the file is named after. */
interface SheetRecords extends RecordStream {

    /** The sheet being read. */
    String sheetName();

    /** Every sheet of the workbook, in order. */
    List<String> sheetNames();

    @Override
    default String where(long line) {
        return SheetSupport.where(sheetName(), line);
    }

    @Override
    default @Nullable String whole() {
        return SheetSupport.whole(sheetName());
    }
}
