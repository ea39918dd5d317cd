package org.contactbatch.constantcontact.auth;

import java.time.Instant;

import org.contactbatch.constantcontact.ConstantContactProperties;
import org.contactbatch.constantcontact.SetupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The access token for API calls, refreshed shortly before it expires.
 *
 * <p>A refresh happens in one place at a time: in this process behind a monitor, across processes
 * behind the row lock on {@code cc_connection}. Whoever gets the lock first reads the row again; if
 * someone else refreshed meanwhile it takes their token instead of spending the refresh token a second
 * time (Constant Contact's rotating refresh tokens die when used). The rotated refresh token is saved
 * in the lock's own transaction, committed before the new access token is used, so a crash can never
 * leave only a dead refresh token behind. A refresh that fails changes nothing but the error note.
 */
@Service
public class TokenService {

    private static final Logger log = LoggerFactory.getLogger(TokenService.class);

    private final TokenStore store;
    private final OAuthClient oauth;
    private final ConstantContactProperties properties;
    private final TransactionTemplate ownTransaction;
    private volatile StoredTokens current;

    public TokenService(TokenStore store, OAuthClient oauth, ConstantContactProperties properties,
            PlatformTransactionManager transactionManager) {
        this.store = store;
        this.oauth = oauth;
        this.properties = properties;
        this.ownTransaction = new TransactionTemplate(transactionManager);
        // never inside a chunk's transaction: the new refresh token must be committed at once, whatever the chunk does
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * A token good for at least {@code refresh-before}; refreshes it first when it is not. A remembered token is
     * used only while the connection is still stored: {@code cc disconnect} in another process (the console,
     * while {@code serve} pushes) forgets the tokens there, and a run here must stop at its next request rather
     * than go on with them until they expire. One lookup by key per request, against requests that take tens of
     * milliseconds and wait for the rate limiter.
     */
    public String accessToken() {
        StoredTokens tokens = current;
        if (tokens != null && !store.connected()) {
            current = null;
            throw gone();
        }
        if (tokens == null) {
            tokens = store.load().orElseThrow(this::gone);
            current = tokens;
        }
        if (!tokens.expiresWithin(properties.refreshBefore(), Instant.now())) {
            return tokens.accessToken();
        }
        return refresh(tokens.accessToken(), false);
    }

    /**
     * The API refused {@code rejected} (401). Refreshes once, unless another process has already put a
     * newer token in the database, and returns the token to try again with.
     */
    public String afterUnauthorized(String rejected) {
        return refresh(rejected, true);
    }

    /** Forgets what this process remembers, so the next call reads the database (after cc connect). */
    public void forget() {
        current = null;
    }

    public void connected(StoredTokens tokens) {
        current = tokens;
    }

    private synchronized String refresh(String stale, boolean rejected) {
        try {
            StoredTokens refreshed = ownTransaction.execute(tx -> {
                StoredTokens locked = store.lockAndLoad().orElseThrow(this::gone);
                boolean newerThanStale = !locked.accessToken().equals(stale);
                boolean fresh = !locked.expiresWithin(properties.refreshBefore(), Instant.now());
                if (newerThanStale && fresh) {
                    return locked; // someone refreshed meanwhile
                }
                if (!rejected && fresh) {
                    return locked;
                }
                if (locked.refreshToken() == null) {
                    throw new SetupException("the Constant Contact access token " + (rejected ? "was refused" : "expires")
                            + " and there is no refresh token (was offline_access granted?); connect again with: cc connect");
                }
                TokenResponse answer = oauth.refresh(locked.refreshToken(), locked.flow());
                StoredTokens saved = store.saveRefreshed(locked, answer);
                log.info("Constant Contact access token refreshed; valid until {}", saved.accessExpiresAt());
                return saved;
            });
            current = refreshed;
            return refreshed.accessToken();
        }
        catch (OAuthException e) {
            noteFailure(e.getMessage());
            if ("invalid_grant".equals(e.error())) {
                throw new SetupException("Constant Contact refused the refresh token (" + e.getMessage()
                        + "); connect the account again with: cc connect", e);
            }
            throw e;
        }
        catch (RuntimeException e) {
            if (!(e instanceof SetupException)) {
                noteFailure(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
            throw e;
        }
    }

    private void noteFailure(String message) {
        log.warn("Constant Contact token refresh failed; the stored tokens are kept: {}", message);
        try {
            ownTransaction.executeWithoutResult(tx -> store.recordError(message));
        }
        catch (RuntimeException ignored) {
            // the note is for cc status only; the refresh's own failure is what matters
        }
    }

    /** No tokens stored: disconnected on purpose (say when and by whom), or never connected. */
    private SetupException gone() {
        return store.disconnection().<SetupException>map(DisconnectService.DisconnectedException::new)
                .orElseGet(TokenService::notConnected);
    }

    static SetupException notConnected() {
        return new SetupException("no Constant Contact account is connected; connect one with: cc connect");
    }
}
