package org.contactbatch.constantcontact.auth;

import java.time.Instant;

/**
 * The account was disconnected with {@code cc disconnect} (or the console's button) and not connected since:
 * no profile runs, no push is sent, until {@code cc connect}.
 *
 * @param at           when
 * @param by           who, null when not known
 * @param accountId    the account it was connected to, null when it was never read
 * @param organization its organisation name, when it said
 * @param revocation   what became of the refresh token at the authorization server, in words
 */
public record Disconnection(Instant at, String by, String accountId, String organization, String revocation) {

    /** "disconnected on … by …", for one-line messages. */
    public String describe() {
        return "disconnected on " + at + (by == null ? "" : " by " + by)
                + (accountId == null ? "" : " (account " + accountId + (organization == null ? "" : ", " + organization) + ")");
    }
}
