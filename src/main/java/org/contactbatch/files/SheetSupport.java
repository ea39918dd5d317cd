package org.contactbatch.files;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.apache.poi.ss.usermodel.DataFormatter;
import org.jspecify.annotations.Nullable;

/** What XLSX and XLS reading share: sheet choice, cell formatting rules and row tidying. */
final class SheetSupport {

    private SheetSupport() {
    }

    /**
     * Cells as a person saw them in Excel. A fixed locale so a job gives the same text on every machine; four-digit
     * years because "3/4/21" in a birthday column is a guess waiting to go wrong; formulas show their cached result.
     */
    static DataFormatter formatter() {
        DataFormatter formatter = new DataFormatter(Locale.US);
        formatter.setUse4DigitYearsInAllDateFormats(true);
        formatter.setUseCachedValuesForFormulaCells(true);
        return formatter;
    }

    /**
     * The 0-based index of the wanted sheet: null = the first; otherwise an exact name, then a name ignoring case and
     * surrounding blanks, then a 1-based number.
     */
    static int choose(Path file, List<String> names, @Nullable String wanted) {
        if (names.isEmpty()) {
            throw new FileProblemException(file, null, "the workbook has no sheets");
        }
        if (wanted == null) {
            return 0;
        }
        int exact = names.indexOf(wanted);
        if (exact >= 0) {
            return exact;
        }
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).strip().equalsIgnoreCase(wanted.strip())) {
                return i;
            }
        }
        String listed = names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
        if (wanted.strip().matches("\\d{1,6}")) {
            int number = Integer.parseInt(wanted.strip());
            if (number >= 1 && number <= names.size()) {
                return number - 1;
            }
            return failMissing(file, "there is no sheet " + number + " (the workbook has " + names.size()
                    + (names.size() == 1 ? " sheet: " : " sheets: ") + listed + ")");
        }
        return failMissing(file, "there is no sheet '" + wanted + "' (sheets: " + listed + ")");
    }

    private static int failMissing(Path file, String problem) {
        throw new FileProblemException(file, null, problem);
    }

    static String where(String sheet, long row) {
        return "sheet '" + sheet + "', row " + row;
    }

    static String whole(String sheet) {
        return "sheet '" + sheet + "'";
    }

    /** 0-based column of a cell reference such as "AB12"; -1 when there is none. */
    static int column(@Nullable String reference) {
        if (reference == null) {
            return -1;
        }
        int column = 0;
        int length = reference.length();
        int i = 0;
        for (; i < length; i++) {
            char c = reference.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                column = column * 26 + (c - 'A' + 1);
            } else if (c >= 'a' && c <= 'z') {
                column = column * 26 + (c - 'a' + 1);
            } else if (c != '$') {
                break;
            }
        }
        return column - 1;
    }

    /** Drops empty cells at the end of a row: in a spreadsheet they are formatting, not data. */
    static void trimTrailingEmpty(List<String> cells) {
        int size = cells.size();
        while (size > 0 && cells.get(size - 1).isEmpty()) {
            cells.remove(--size);
        }
    }
}
