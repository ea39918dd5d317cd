package org.contactbatch.files;

import java.util.regex.Pattern;

/**
 * Spreadsheet formula-injection guard (CSV injection). Writers neutralise every cell so a spreadsheet never runs a
 * cell as a formula; readers restore, so a value we wrote comes back exactly as it was.
 */
public final class CellSafety {

    /** "-3", "+3.5", "-1.2e5": numbers that spreadsheets read as numbers, not formulas, and people expect unchanged. */
    private static final Pattern PLAIN_NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private CellSafety() {
    }

    /**
     * A cell starting with '=', '+', '-', '@', tab or carriage return gets a leading apostrophe ("'=1+2"), except a
     * plain number such as "-3" or "+3.5", which stays as it is.
     */
    public static String neutralise(String cell) {
        if (cell.isEmpty() || !isTrigger(cell.charAt(0)) || PLAIN_NUMBER.matcher(cell).matches()) {
            return cell;
        }
        return "'" + cell;
    }

    /**
     * The inverse, applied by the readers to every cell: "'" followed by one of = + - @ \t \r loses the apostrophe, so
     * "'+1 212 555 0100" reads back as "+1 212 555 0100". Any other cell, such as "'abc", stays as it is. (So a value
     * that really starts with an apostrophe and a trigger, such as "'=x", reads back without its apostrophe.)
     */
    public static String restore(String cell) {
        if (cell.length() >= 2 && cell.charAt(0) == '\'' && isTrigger(cell.charAt(1))) {
            return cell.substring(1);
        }
        return cell;
    }

    private static boolean isTrigger(char c) {
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }
}
