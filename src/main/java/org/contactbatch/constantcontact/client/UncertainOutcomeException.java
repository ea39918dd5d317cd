package org.contactbatch.constantcontact.client;

/**
 * A request that changes the account got no clear answer (a timeout, a dropped connection, a 5xx): it may
 * have been carried out. Not sent again blindly: the caller looks for what it may have made first.
 */
public class UncertainOutcomeException extends RuntimeException {

    public UncertainOutcomeException(String request, Throwable cause) {
        super(request + " got no clear answer (" + cause.getMessage() + "); it may have been carried out", cause);
    }
}
