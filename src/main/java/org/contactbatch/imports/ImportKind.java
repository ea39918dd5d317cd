package org.contactbatch.imports;

/** The two modes of the import pipeline, kept in {@code import_batch.kind} as the lower-case name. */
public enum ImportKind {

    /** new contacts from a file, applied in one go unless a full dry run stops it for review */
    UPLOAD,
    /** changes by id from an edited export, applied only when a person starts them */
    REIMPORT;

    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
