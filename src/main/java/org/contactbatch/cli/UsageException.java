package org.contactbatch.cli;

/** A problem with what the user asked for; printed as one line, exit code 2, nothing written. */
public class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
