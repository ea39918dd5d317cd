package org.contactbatch.constantcontact.client;

import java.util.List;

import org.contactbatch.constantcontact.SetupException;

/** The API refused the token even after a refresh (401 twice): the account must be connected again. */
public class UnauthorizedException extends SetupException {

    public UnauthorizedException(String request, List<ApiError> errors) {
        super(request + " → HTTP 401 even with a freshly refreshed token" + (errors.isEmpty() ? "" : " (" + errors.get(0) + ")")
                + "; connect the account again with: cc connect");
    }
}
