package org.contactbatch.constantcontact;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import static org.contactbatch.config.SettingChecks.atLeast;
import static org.contactbatch.config.SettingChecks.between;
import static org.contactbatch.config.SettingChecks.notBlank;
import static org.contactbatch.config.SettingChecks.required;

/**
 * Settings of the Constant Contact connection (prefix {@code contact-batch.constant-contact}).
 * Every address is a setting, so the same code talks to Constant Contact or to a fake.
 *
 * @param clientId               the application's API key (client id) from Constant Contact's developer portal
 * @param clientSecret           its secret; leave empty for a public (PKCE-only) application
 * @param redirectUri            the redirect URI registered for the application; {@code cc connect} listens on
 *                               it, so it must be a {@code http://127.0.0.1:PORT/…} or {@code localhost} address
 * @param scopes                 scopes asked for; {@code offline_access} is what gives a refresh token,
 *                               {@code account_read} what tells one account from another
 * @param authorizationUri       the authorization server's authorize endpoint (browser)
 * @param tokenUri               its token endpoint
 * @param deviceAuthorizationUri its device authorization endpoint
 * @param revocationUri          an RFC 7009 token revocation endpoint that {@code cc disconnect} sends the refresh
 *                               token to; empty by default, because Constant Contact documents none (its Okta-style
 *                               server may take {@code …/oauth2/default/v1/revoke}, unconfirmed). Empty: the tokens
 *                               are only forgotten here, and access has to be removed in the account itself
 * @param apiBaseUrl             the API's base, with {@code /v3}
 * @param tokenKey               the key tokens are encrypted with at rest; set it in the environment
 *                               ({@code CONTACT_BATCH_CONSTANTCONTACT_TOKENKEY}), never in a file
 * @param refreshBefore          an access token is refreshed this long before it expires
 * @param connectTimeout         TCP connect timeout
 * @param responseTimeout        how long to wait for an answer before trying again
 * @param connectWait            how long {@code cc connect} waits for the browser or the device approval
 * @param rate                   the one request budget of the whole application
 * @param retry                  retries of failed requests
 * @param activityPoll           how bulk activities are waited for
 * @param importLimits           how contacts are packed into bulk imports
 * @param profileLock            how {@code serve} makes sure one profile runs in one instance at a time
 * @param defaultProfile         the profile {@code upload --sync-constant-contact} takes lists and fields from
 */
@ConfigurationProperties("contact-batch.constant-contact")
public record ConstantContactProperties(
        String clientId,
        String clientSecret,
        @DefaultValue("http://127.0.0.1:8765/callback") URI redirectUri,
        @DefaultValue("contact_data offline_access account_read") String scopes,
        @DefaultValue("https://authz.constantcontact.com/oauth2/default/v1/authorize") URI authorizationUri,
        @DefaultValue("https://authz.constantcontact.com/oauth2/default/v1/token") URI tokenUri,
        @DefaultValue("https://authz.constantcontact.com/oauth2/default/v1/device/authorize") URI deviceAuthorizationUri,
        URI revocationUri,
        @DefaultValue("https://api.cc.email/v3") URI apiBaseUrl,
        String tokenKey,
        @DefaultValue("5m") Duration refreshBefore,
        @DefaultValue("10s") Duration connectTimeout,
        @DefaultValue("60s") Duration responseTimeout,
        @DefaultValue("10m") Duration connectWait,
        @DefaultValue Rate rate,
        @DefaultValue Retry retry,
        @DefaultValue ActivityPoll activityPoll,
        @DefaultValue ImportLimits importLimits,
        @DefaultValue ProfileLock profileLock,
        @DefaultValue("nightly-sync") String defaultProfile) {

    public ConstantContactProperties {
        required("redirect-uri", redirectUri);
        notBlank("scopes", scopes);
        required("authorization-uri", authorizationUri);
        required("token-uri", tokenUri);
        required("device-authorization-uri", deviceAuthorizationUri);
        required("api-base-url", apiBaseUrl);
        required("refresh-before", refreshBefore);
        required("connect-timeout", connectTimeout);
        required("response-timeout", responseTimeout);
        required("connect-wait", connectWait);
        required("rate", rate);
        required("retry", retry);
        required("activity-poll", activityPoll);
        required("import-limits", importLimits);
        required("profile-lock", profileLock);
        notBlank("default-profile", defaultProfile);
    }

    /**
     * The request budget: Constant Contact allows 4 requests a second and 10,000 a day per API key,
     * shared by every process and server using it.
     *
     * @param requestsPerSecond requests a second at most
     * @param spacingMargin     added to the spacing of requests ({@code 1s / requestsPerSecond}), so delays on
     *                          the way can never make the server count one request too many in a second
     * @param dailyBudget       requests a day (UTC) at most; when used up, a run stops and the next continues
     * @param maxWait           waiting for the budget longer than this means the daily budget is used up
     */
    public record Rate(
            @DefaultValue("4") int requestsPerSecond,
            @DefaultValue("25ms") Duration spacingMargin,
            @DefaultValue("10000") long dailyBudget,
            @DefaultValue("1m") Duration maxWait) {

        public Rate {
            atLeast("requests-per-second", requestsPerSecond, 1);
            required("spacing-margin", spacingMargin);
            atLeast("daily-budget", dailyBudget, 1);
            required("max-wait", maxWait);
        }

        /** The time between two requests. */
        public Duration spacing() {
            return Duration.ofNanos(1_000_000_000L / requestsPerSecond).plus(spacingMargin);
        }
    }

    /**
     * Retries of requests that failed for a passing reason: 429 {@code throttled}, 5xx, timeouts and
     * dropped connections. Every attempt waits for the rate limiter like any request.
     *
     * @param maxRetries   retries after the first attempt
     * @param initialDelay wait before the first retry (Constant Contact asks for at least a second after 429)
     * @param maxDelay     the longest wait between two attempts
     * @param multiplier   each wait is this much longer than the one before
     */
    public record Retry(
            @DefaultValue("8") int maxRetries,
            @DefaultValue("1s") Duration initialDelay,
            @DefaultValue("60s") Duration maxDelay,
            @DefaultValue("2.0") double multiplier) {

        public Retry {
            atLeast("max-retries", maxRetries, 0);
            required("initial-delay", initialDelay);
            required("max-delay", maxDelay);
        }
    }

    /**
     * Polling a bulk activity until it ends (every poll counts against the daily budget).
     *
     * @param initialDelay the first wait
     * @param maxDelay     the longest wait between polls
     * @param maxWait      give up (the run fails and a restart polls again) after this long
     */
    public record ActivityPoll(
            @DefaultValue("2s") Duration initialDelay,
            @DefaultValue("30s") Duration maxDelay,
            @DefaultValue("2h") Duration maxWait) {

        public ActivityPoll {
            required("initial-delay", initialDelay);
            required("max-delay", maxDelay);
            required("max-wait", maxWait);
        }
    }

    /**
     * Packing contacts into {@code contacts_json_import} requests: Constant Contact takes at most 40,000
     * contacts and less than 4 MB per request, and silently drops what is beyond.
     *
     * @param maxContacts    contacts per request
     * @param maxBytes       bytes of the whole request body
     * @param maxEmailLength longer emails are skipped with TOO_LONG: the import's contract takes 50 characters (the
     *                       contact resource 80; raise it to 80 if your account's imports take them)
     */
    public record ImportLimits(
            @DefaultValue("40000") int maxContacts,
            @DefaultValue("3900000") int maxBytes,
            @DefaultValue("50") int maxEmailLength) {

        public ImportLimits {
            between("max-contacts", maxContacts, 1, 40_000);
            between("max-bytes", maxBytes, 10_000, 4_000_000);
            between("max-email-length", maxEmailLength, 50, 80);
        }
    }

    /**
     * ShedLock settings for scheduled runs.
     *
     * @param atMostFor  a lock of a process that died frees itself after this long (a live one keeps extending it)
     * @param atLeastFor a lock is held at least this long, so instances whose clocks differ a little don't
     *                   both start the same scheduled run
     */
    public record ProfileLock(
            @DefaultValue("5m") Duration atMostFor,
            @DefaultValue("30s") Duration atLeastFor) {

        public ProfileLock {
            required("at-most-for", atMostFor);
            required("at-least-for", atLeastFor);
        }
    }

    /** Whether {@code cc disconnect} can ask the authorization server to revoke the refresh token. */
    public boolean offersRevocation() {
        return revocationUri != null && !revocationUri.toString().isBlank();
    }

    public boolean hasClientSecret() {
        return clientSecret != null && !clientSecret.isBlank();
    }
}
