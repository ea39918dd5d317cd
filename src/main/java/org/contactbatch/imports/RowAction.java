package org.contactbatch.imports;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What becomes of one staged row, kept in {@code staged_contact.action} as one letter (a check
 * constraint allows only these). Staging writes every row as {@link #INSERT}; the check step and
 * apply move it on. The letters are the stored form, so they never change; the statements that
 * name actions take them from here, as SQL literals, so a plan is the same as with written-out
 * letters.
 */
public enum RowAction {

    /** an upload row that becomes a new contact (every row's state when it is staged) */
    INSERT("I"),
    /** a row that updates its contact */
    UPDATE("U"),
    /** an upload row whose email exists, left out with a warning */
    SKIP_EXISTING("S"),
    /** a row that breaks a rule across rows or against the database; it changes nothing */
    REJECTED("R"),
    /** a re-import row that changes no field */
    UNCHANGED("N"),
    /** a re-import row whose contact someone changed after prepare; it was not overwritten */
    CONFLICT("C"),
    /** a re-import row left out by start --skip-warnings */
    SKIPPED_FOR_WARNINGS("K");

    private static final Pattern NAMED = Pattern.compile("\\{([A-Z_]+)}");

    private final String code;

    RowAction(String code) {
        this.code = code;
    }

    /** The letter stored in the column. */
    public String code() {
        return code;
    }

    /** The letter as an SQL literal: {@code 'U'}. */
    public String sql() {
        return "'" + code + "'";
    }

    /**
     * A statement with its actions named, {@code where action = {UPDATE}}, with their letters put in
     * as literals: the statement reads by name, and the planner sees the same constants as before.
     */
    public static String inline(String statement) {
        Matcher named = NAMED.matcher(statement);
        StringBuilder sql = new StringBuilder();
        while (named.find()) {
            named.appendReplacement(sql, valueOf(named.group(1)).sql());
        }
        return named.appendTail(sql).toString();
    }

    public static RowAction of(String code) {
        for (RowAction action : values()) {
            if (action.code.equals(code)) {
                return action;
            }
        }
        throw new IllegalArgumentException("no row action '" + code + "'");
    }
}
