package org.contactbatch.constantcontact.auth;

import java.util.Optional;

import org.contactbatch.constantcontact.ConstantContactProperties;
import org.contactbatch.constantcontact.SetupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code cc disconnect} and the console's Disconnect button: asks the authorization server to revoke the refresh
 * token where it offers revocation, forgets the tokens, and notes the disconnection, which keeps every profile and
 * push from running until {@code cc connect}. The history (sync log, runs, reports) stays.
 *
 * <p>Constant Contact documents no revocation endpoint, so by default nothing is sent and the outcome says so: the
 * tokens stop being usable from here, but only the account's side can end the application's access there. The
 * revocation happens under the connection's row lock, so a refresh in another process can't rotate the refresh
 * token in between and leave a live one behind; whatever the authorization server answers, the tokens are forgotten.
 */
@Service
public class DisconnectService {

    private static final Logger log = LoggerFactory.getLogger(DisconnectService.class);

    /** What the authorization server did with the refresh token. */
    public enum Revocation {
        /** it answered 2xx to the revocation request */
        REVOKED,
        /** it answered with an error, or did not answer */
        FAILED,
        /** no revocation endpoint is configured: Constant Contact documents none */
        NOT_OFFERED,
        /** nothing to revoke: no refresh token, or tokens that can't be decrypted */
        NOTHING_TO_REVOKE
    }

    /**
     * @param disconnected false when no account was connected (nothing changed)
     * @param revocation   what became of the refresh token; null when nothing was connected
     * @param disconnection the disconnection in force now (also the earlier one when nothing was connected)
     * @param syncLogKept  sync log entries kept
     */
    public record Outcome(boolean disconnected, Revocation revocation, Optional<Disconnection> disconnection,
            long syncLogKept) {
    }

    /** A push, pull or profile run was asked for while the account is disconnected. */
    public static class DisconnectedException extends SetupException {
        public DisconnectedException(Disconnection disconnection) {
            super("the Constant Contact account was " + disconnection.describe()
                    + "; nothing is sent until it is connected again with: cc connect");
        }
    }

    private final TokenStore store;
    private final TokenService tokens;
    private final OAuthClient oauth;
    private final ConstantContactProperties properties;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;

    public DisconnectService(TokenStore store, TokenService tokens, OAuthClient oauth,
            ConstantContactProperties properties, JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.store = store;
        this.tokens = tokens;
        this.oauth = oauth;
        this.properties = properties;
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /** @param by who asks, as the status will show it */
    public Outcome disconnect(String by) {
        Outcome outcome = transaction.execute(tx -> {
            if (!store.lockConnection()) {
                return new Outcome(false, null, store.disconnection(), syncLogEntries());
            }
            Revocation revocation;
            String words;
            StoredTokens stored = null;
            try {
                stored = store.load().orElse(null);
            }
            catch (SetupException unreadable) {
                // tokens saved with another key: nothing can be revoked, but they are forgotten all the same
            }
            if (stored == null || stored.refreshToken() == null) {
                revocation = Revocation.NOTHING_TO_REVOKE;
                words = stored == null ? "not revoked: the stored tokens could not be read (no token key, or another one)"
                        : "not revoked: there was no refresh token";
            }
            else if (!properties.offersRevocation()) {
                revocation = Revocation.NOT_OFFERED;
                words = "not revoked: Constant Contact documents no token revocation endpoint; the tokens are "
                        + "forgotten here, and the application's access ends for good only when it is removed on the "
                        + "account's side";
            }
            else {
                try {
                    oauth.revoke(properties.revocationUri(), stored.refreshToken(), stored.flow());
                    revocation = Revocation.REVOKED;
                    words = "revoked at " + properties.revocationUri();
                }
                catch (RuntimeException e) {
                    revocation = Revocation.FAILED;
                    words = "not revoked: " + properties.revocationUri() + " refused or failed ("
                            + withoutSecrets(e.getMessage(), stored.refreshToken()) + ")";
                }
            }
            Disconnection disconnection = store.disconnect(by, words);
            return new Outcome(true, revocation, Optional.of(disconnection), syncLogEntries());
        });
        if (outcome.disconnected()) {
            tokens.forget();
            log.info("Constant Contact account {}; refresh token {}", outcome.disconnection().orElseThrow().describe(),
                    outcome.disconnection().orElseThrow().revocation());
        }
        return outcome;
    }

    /** The disconnection in force, if the account was disconnected and not connected since. */
    public Optional<Disconnection> disconnection() {
        return store.disconnection();
    }

    /**
     * Refuses to go on while the account is disconnected. Another process may have disconnected it: what this one
     * remembers of the tokens is dropped too.
     */
    public void requireConnected() {
        Optional<Disconnection> disconnection = store.disconnection();
        if (disconnection.isPresent()) {
            tokens.forget();
            throw new DisconnectedException(disconnection.get());
        }
    }

    /**
     * The server's description of a refusal, which is stored, printed and logged: a server that echoes what it
     * was sent must not put the refresh token or the client secret there.
     */
    private String withoutSecrets(String message, String refreshToken) {
        String text = message == null ? "no message" : message.replace(refreshToken, "***");
        return properties.hasClientSecret() ? text.replace(properties.clientSecret(), "***") : text;
    }

    private long syncLogEntries() {
        return jdbc.sql("select count(*) from cc_sync_log").query(Long.class).single();
    }
}
