package org.contactbatch.reports;

/**
 * One problem with one row: where it is and what a person should do about it.
 *
 * @param line     the row's line in the file (row number in a workbook); 0 for the header
 * @param severity an error keeps the row out; a warning lets it in
 * @param column   the column's header as written in the file, or null for the whole row
 * @param code     a stable code a script can act on (INVALID_EMAIL, DUPLICATE_IN_FILE, …)
 * @param message  what is wrong, in words
 */
public record RowIssue(long line, Severity severity, String column, String code, String message) {

    public enum Severity {
        ERROR('E'), WARNING('W');

        private final char code;

        Severity(char code) {
            this.code = code;
        }

        public char code() {
            return code;
        }

        public static Severity of(char code) {
            return code == 'E' ? ERROR : WARNING;
        }
    }

    public static RowIssue error(long line, String column, String code, String message) {
        return new RowIssue(line, Severity.ERROR, column, code, message);
    }

    public static RowIssue warning(long line, String column, String code, String message) {
        return new RowIssue(line, Severity.WARNING, column, code, message);
    }
}
