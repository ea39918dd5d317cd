package org.contactbatch.constantcontact.auth;

/**
 * The authorization server said no: {@code invalid_grant}, {@code access_denied}, {@code authorization_pending}…
 * The message is the server's description; it never holds a token.
 */
public class OAuthException extends RuntimeException {

    private final int status;
    private final String error;

    public OAuthException(int status, String error, String description) {
        super(error + (description == null || description.isBlank() ? "" : ": " + description) + " (HTTP " + status + ")");
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }
}
