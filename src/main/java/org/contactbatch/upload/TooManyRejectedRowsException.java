package org.contactbatch.upload;

/** More rows were rejected than the user allowed: the upload stops before changing any contact. */
public class TooManyRejectedRowsException extends RuntimeException {

    public TooManyRejectedRowsException(long rejected, long allowed) {
        super(rejected + " rows were rejected, more than --max-errors " + allowed
                + " allows; no contact was changed. Fix the rows in the failed-rows report and upload again");
    }
}
