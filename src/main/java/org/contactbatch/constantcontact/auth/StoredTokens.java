package org.contactbatch.constantcontact.auth;

import java.time.Instant;

/**
 * The connected account's tokens as stored, decrypted. {@code toString} never shows a token.
 *
 * @param account         who connected (from the token's claims), null when it did not say
 * @param scope           the scopes granted
 * @param accessToken     the bearer token
 * @param refreshToken    the refresh token, null when none was granted
 * @param accessExpiresAt when the access token expires
 * @param flow            how the account was connected: authorization_code or device_code
 * @param connectedAt     when
 * @param refreshedAt     the last successful refresh, null when never
 * @param refreshCount    refreshes since connecting
 * @param lastError       the last failed refresh, null when the last one went well
 * @param lastErrorAt     when it failed
 * @param accountId       the account's {@code encoded_account_id}, null when it was never read (connected before it was)
 * @param organization    the account's organisation name, when it said
 */
public record StoredTokens(String account, String scope, String accessToken, String refreshToken,
        Instant accessExpiresAt, String flow, Instant connectedAt, Instant refreshedAt, int refreshCount,
        String lastError, Instant lastErrorAt, String accountId, String organization) {

    public boolean expiresWithin(java.time.Duration margin, Instant now) {
        return !accessExpiresAt.isAfter(now.plus(margin));
    }

    @Override
    public String toString() {
        return "StoredTokens[account=" + account + ", scope=" + scope + ", accessToken=***, refreshToken="
                + (refreshToken == null ? "none" : "***") + ", accessExpiresAt=" + accessExpiresAt + ", flow=" + flow
                + ", refreshCount=" + refreshCount + ", lastError=" + lastError + ", accountId=" + accountId + "]";
    }
}
