package org.contactbatch.constantcontact.auth;

import java.time.Instant;

/**
 * What the token endpoint answered. Its {@code toString} never shows a token, so it can't leak into
 * a log or an exception message by accident.
 *
 * @param accessToken  the bearer token for API calls
 * @param refreshToken the token to get the next one; null when none was granted (no {@code offline_access})
 * @param expiresAt    when the access token expires: its JWT {@code exp}, else now + {@code expires_in}
 * @param scope        the scopes granted
 * @param account      who the tokens belong to, from the JWT's claims, when it says
 */
public record TokenResponse(String accessToken, String refreshToken, Instant expiresAt, String scope, String account) {

    @Override
    public String toString() {
        return "TokenResponse[accessToken=***, refreshToken=" + (refreshToken == null ? "none" : "***")
                + ", expiresAt=" + expiresAt + ", scope=" + scope + ", account=" + account + "]";
    }
}
