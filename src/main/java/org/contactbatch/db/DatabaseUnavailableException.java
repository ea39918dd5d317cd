package org.contactbatch.db;

/**
 * The database cannot be used, for a reason the user can act on: the message is one line saying
 * what is wrong and what to do, fit for the terminal; the details go to the log.
 */
public class DatabaseUnavailableException extends RuntimeException {

    public DatabaseUnavailableException(String message) {
        super(message);
    }

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
