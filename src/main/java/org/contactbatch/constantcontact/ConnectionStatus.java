package org.contactbatch.constantcontact;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.contactbatch.constantcontact.auth.Disconnection;
import org.contactbatch.constantcontact.auth.StoredTokens;
import org.contactbatch.constantcontact.auth.TokenStore;
import org.contactbatch.constantcontact.client.ConstantContactClient;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** What {@code cc status} tells: which account is connected, whether its tokens are healthy, the last syncs. */
@Service
public class ConnectionStatus {

    private final TokenStore store;
    private final ConstantContactClient client;
    private final ConstantContactProperties properties;
    private final JdbcClient jdbc;

    public ConnectionStatus(TokenStore store, ConstantContactClient client, ConstantContactProperties properties,
            JdbcClient jdbc) {
        this.store = store;
        this.client = client;
        this.properties = properties;
        this.jdbc = jdbc;
    }

    /**
     * @param connected whether an account is connected
     * @param healthy   connected, tokens readable, a refresh token there, no refresh failed since the last good one,
     *                  and (when checked) the API answered
     * @param details   what to show, in order
     * @param problems  what is wrong, in words
     * @param disconnected not connected because it was disconnected on purpose ({@code cc disconnect})
     */
    public record Report(boolean connected, boolean healthy, Map<String, Object> details, List<String> problems,
            boolean disconnected) {

        /** The state in a few words, as {@code cc status} and the console's page head it. */
        public String state() {
            return disconnected ? "disconnected" : !connected ? "not connected"
                    : healthy ? "connected, healthy" : "connected, NOT healthy";
        }
    }

    public Report report(boolean checkApi) {
        Map<String, Object> details = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        details.put("api", properties.apiBaseUrl().toString());
        Optional<StoredTokens> loaded;
        try {
            loaded = store.load();
        }
        catch (SetupException e) {
            problems.add(e.getMessage());
            return new Report(true, false, details, problems, false);
        }
        if (loaded.isEmpty()) {
            Optional<Disconnection> disconnection = store.disconnection();
            if (disconnection.isPresent()) {
                Disconnection d = disconnection.get();
                details.put("disconnectedAt", d.at().toString());
                details.put("disconnectedBy", d.by() == null ? "(not known)" : d.by());
                if (d.accountId() != null) {
                    details.put("accountId", d.accountId());
                }
                if (d.organization() != null) {
                    details.put("organization", d.organization());
                }
                // what became of the refresh token, in words: not the "present"/"none" of a connected account
                details.put("revocation", d.revocation());
                problems.add("the account was " + d.describe() + "; no profile runs until it is connected again with: "
                        + "cc connect");
                lastSync().ifPresent(sync -> details.put("lastSync", sync));
                return new Report(false, false, details, problems, true);
            }
            problems.add("no account is connected; connect one with: cc connect (or cc connect --device)");
            return new Report(false, false, details, problems, false);
        }
        StoredTokens tokens = loaded.get();
        Instant now = Instant.now();
        details.put("account", tokens.account() == null ? "(the token does not say)" : tokens.account());
        details.put("accountId", tokens.accountId() == null ? "(not read: connected before accounts were recorded)"
                : tokens.accountId() + (tokens.organization() == null ? "" : " (" + tokens.organization() + ")"));
        details.put("connectedAt", tokens.connectedAt().toString());
        details.put("flow", tokens.flow());
        details.put("scope", tokens.scope());
        details.put("accessTokenExpiresAt", tokens.accessExpiresAt().toString());
        details.put("accessToken", tokens.accessExpiresAt().isAfter(now)
                ? "valid for " + human(Duration.between(now, tokens.accessExpiresAt()))
                : "expired; it is refreshed at the next use");
        details.put("refreshToken", tokens.refreshToken() == null ? "none" : "present");
        details.put("refreshes", tokens.refreshCount());
        if (tokens.refreshedAt() != null) {
            details.put("lastRefreshAt", tokens.refreshedAt().toString());
        }
        if (tokens.refreshToken() == null) {
            problems.add("there is no refresh token: the connection ends when the access token expires; connect again "
                    + "with offline_access in the scopes");
        }
        if (tokens.lastError() != null) {
            details.put("lastRefreshError", tokens.lastError());
            details.put("lastRefreshErrorAt", String.valueOf(tokens.lastErrorAt()));
            problems.add("the last token refresh failed: " + tokens.lastError());
        }
        if (checkApi) {
            long started = System.nanoTime();
            try {
                client.get("/contact_lists?limit=1");
                details.put("apiCheck", "answered in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            }
            catch (RuntimeException e) {
                details.put("apiCheck", "failed");
                problems.add("the API check failed: " + e.getMessage());
            }
        }
        lastSync().ifPresent(sync -> details.put("lastSync", sync));
        return new Report(true, problems.isEmpty(), details, problems, false);
    }

    private Optional<String> lastSync() {
        return jdbc.sql("""
                select job_execution_id, job, coalesce(profile, '-'), status, started_at, counts::text
                from cc_sync_log order by job_execution_id desc limit 1""")
                .query((rs, n) -> rs.getString(2) + " execution " + rs.getLong(1) + " (profile " + rs.getString(3)
                        + "): " + rs.getString(4) + " at " + rs.getTimestamp(5).toInstant() + " " + rs.getString(6))
                .optional();
    }

    private static String human(Duration d) {
        if (d.toHours() > 0) {
            return d.toHours() + " h " + d.toMinutesPart() + " min";
        }
        return d.toMinutes() > 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }
}
