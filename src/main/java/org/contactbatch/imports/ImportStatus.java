package org.contactbatch.imports;

/**
 * Where an import stands, kept in {@code import_batch.status} as its lower-case name (a check
 * constraint allows only these). An upload stays {@link #STAGING}: it is done when its job is; a
 * re-import waits as {@link #PREPARED} for a person to start it.
 */
public enum ImportStatus {

    STAGING,
    PREPARED,
    APPLIED,
    REVERTED;

    /** The stored form, also the word people see. */
    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The stored form as an SQL literal: {@code 'prepared'}. */
    public String sql() {
        return "'" + value() + "'";
    }

    public static ImportStatus of(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }

    @Override
    public String toString() {
        return value();
    }
}
