package org.contactbatch.files;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What inspection found, for summaries and dry runs.
 *
 * @param charset    text files: the encoding used (detected or given)
 * @param delimiter  text files: the field delimiter used (detected or given)
 * @param sheet      workbooks: the sheet being read
 * @param sheetNames workbooks: all sheet names in workbook order; empty for text files
 * @param bom        text files: the file starts with a byte order mark (shown by {@link #describe()})
 */
public record FileDescription(Path path, FileKind kind, @Nullable Charset charset, @Nullable Character delimiter,
                              @Nullable String sheet, List<String> sheetNames, boolean bom) {

    public FileDescription {
        sheetNames = List.copyOf(sheetNames);
    }

    /** Without the BOM flag, for callers that describe a workbook or do not care. */
    public FileDescription(Path path, FileKind kind, @Nullable Charset charset, @Nullable Character delimiter,
                           @Nullable String sheet, List<String> sheetNames) {
        this(path, kind, charset, delimiter, sheet, sheetNames, false);
    }

    /** e.g. "CSV, UTF-8 with BOM, delimiter ';'" or "XLSX, sheet 'Contacts' (1 of 3)". */
    public String describe() {
        StringBuilder text = new StringBuilder(kind.label());
        if (charset != null) {
            text.append(", ").append(charset.name()).append(bom ? " with BOM" : "");
        }
        if (delimiter != null) {
            text.append(", delimiter ").append(delimiterName(delimiter));
        }
        if (sheet != null) {
            text.append(", sheet '").append(sheet).append('\'');
            int index = sheetNames.indexOf(sheet);
            if (index >= 0) {
                text.append(" (").append(index + 1).append(" of ").append(sheetNames.size()).append(')');
            }
        }
        return text.toString();
    }

    private static String delimiterName(char delimiter) {
        return switch (delimiter) {
            case '\t' -> "tab";
            case ' ' -> "space";
            default -> "'" + delimiter + "'";
        };
    }
}
