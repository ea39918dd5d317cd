package org.contactbatch.constantcontact.client;

import java.util.List;

/** A failure that passes: 429 {@code throttled}, 5xx. Tried again after a pause. */
public class TransientApiException extends ApiException {

    public TransientApiException(String request, int status, List<ApiError> errors) {
        super(request, status, errors);
    }
}
