package org.contactbatch.constantcontact;

/**
 * Constant Contact can't be used as configured: no client id, no token key, no connected account,
 * tokens that need a new {@code cc connect}. The message says what to do; the command line prints it
 * as one line (exit code 2), and a job that meets it fails with it as its message.
 */
public class SetupException extends IllegalArgumentException {

    public SetupException(String message) {
        super(message);
    }

    public SetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
