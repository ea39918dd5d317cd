package org.contactbatch.upload;

/**
 * A full dry run can no longer be applied as it was shown: its file or the contacts it was checked
 * against changed since. Running it again can't help; a new dry run can.
 */
public class StagedUploadChangedException extends RuntimeException {

    public StagedUploadChangedException(String message) {
        super(message);
    }
}
