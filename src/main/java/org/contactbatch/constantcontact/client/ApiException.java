package org.contactbatch.constantcontact.client;

import java.util.List;
import java.util.stream.Collectors;

/** Constant Contact answered a request with an error that trying again would not change (4xx). */
public class ApiException extends RuntimeException {

    private final int status;
    private final List<ApiError> errors;

    public ApiException(String request, int status, List<ApiError> errors) {
        super(request + " → HTTP " + status + (errors.isEmpty() ? ""
                : ": " + errors.stream().map(ApiError::toString).collect(Collectors.joining("; "))));
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public int status() {
        return status;
    }

    public List<ApiError> errors() {
        return errors;
    }

    public boolean hasKey(String key) {
        return errors.stream().anyMatch(e -> key.equals(e.key()));
    }
}
