package org.contactbatch.files;

import java.nio.charset.Charset;

import org.jspecify.annotations.Nullable;

/**
 * How to read a file.
 *
 * @param header    the first non-blank row is the header
 * @param sheet     workbook sheet by name or by 1-based index written as text; null = first sheet
 * @param charset   text encoding; null = detect
 * @param delimiter field delimiter for text files; null = detect
 */
public record ReadOptions(boolean header, @Nullable String sheet, @Nullable Charset charset, @Nullable Character delimiter) {

    public static ReadOptions defaults() {
        return new ReadOptions(true, null, null, null);
    }
}
