package org.contactbatch.constantcontact.client;

/**
 * The day's request budget is used up: Constant Contact's ({@code 429 quota_exceeded}) or our own
 * daily budget. Not tried again: the run stops cleanly and the next one continues where it stopped.
 */
public class QuotaExceededException extends RuntimeException {

    public QuotaExceededException(String message) {
        super(message);
    }
}
