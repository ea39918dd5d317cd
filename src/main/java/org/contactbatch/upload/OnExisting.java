package org.contactbatch.upload;

/** What an upload does with a row whose email already belongs to a contact. */
public enum OnExisting {
    /** the row fails as "already exists" (the default: an upload adds contacts) */
    ERROR,
    /** the row is left out, with a warning */
    SKIP,
    /** the contact takes the row's non-empty values; the before-image is kept */
    UPDATE
}
