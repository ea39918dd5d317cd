package org.contactbatch.constantcontact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import org.contactbatch.constantcontact.auth.TokenService;
import org.contactbatch.constantcontact.auth.TokenStore;
import org.contactbatch.constantcontact.auth.TokenResponse;
import org.contactbatch.constantcontact.fake.FakeConstantContact;
import org.contactbatch.support.ContactBatchTest;
import org.contactbatch.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.node.ObjectNode;

/**
 * The base of the Constant Contact tests: one application context pointed at one {@link FakeConstantContact}
 * (shared by every test class in the JVM, so the context is shared too), with short timeouts and pauses so
 * the tests stay fast, and an empty database and a fresh fake before each test.
 */
@ContactBatchTest
public abstract class CcTestSupport {

    public static final FakeConstantContact FAKE = new FakeConstantContact();
    public static final String TOKEN_KEY = "test-token-key-0123456789";
    /** The request rate of the tests: the application's limiter and the fake's limit alike. */
    public static final int RATE = 10;
    public static final int CALLBACK_PORT = freePort();

    @Autowired
    protected ApplicationContext context;

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    protected TokenService tokenService;

    @Autowired
    protected TokenStore tokenStore;

    @Autowired
    protected org.contactbatch.constantcontact.AccountSwitch accountSwitch;

    @DynamicPropertySource
    static void constantContact(DynamicPropertyRegistry registry) {
        FAKE.springProperties().forEach((key, value) -> registry.add(key, () -> value));
        testSettings().forEach((key, value) -> registry.add(key, () -> value));
    }

    /** The settings tests run with, also handed to child JVMs. */
    public static java.util.Map<String, String> testSettings() {
        java.util.Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("contact-batch.constant-contact.token-key", TOKEN_KEY);
        p.put("contact-batch.constant-contact.redirect-uri", "http://127.0.0.1:" + CALLBACK_PORT + "/callback");
        p.put("contact-batch.constant-contact.connect-timeout", "1s");
        p.put("contact-batch.constant-contact.response-timeout", "1s");
        p.put("contact-batch.constant-contact.connect-wait", "20s");
        p.put("contact-batch.constant-contact.rate.requests-per-second", Integer.toString(RATE));
        p.put("contact-batch.constant-contact.retry.initial-delay", "20ms");
        p.put("contact-batch.constant-contact.retry.max-delay", "200ms");
        p.put("contact-batch.constant-contact.activity-poll.initial-delay", "10ms");
        p.put("contact-batch.constant-contact.activity-poll.max-delay", "50ms");
        p.put("contact-batch.constant-contact.activity-poll.max-wait", "30s");
        p.put("contact-batch.constant-contact.profile-lock.at-least-for", "0s");
        // small imports, so a test push of a thousand contacts takes several, as a big push would
        p.put("contact-batch.constant-contact.import-limits.max-contacts", "250");
        return p;
    }

    @BeforeEach
    void freshFakeAndDatabase() {
        FAKE.reset();
        FAKE.requestsPerSecond(RATE);
        clean(jdbc);
        tokenService.forget();
    }

    public static void clean(JdbcClient jdbc) {
        TestDatabase.clean(jdbc);
        jdbc.sql("""
                truncate cc_connection, cc_list, cc_custom_field, cc_managed_member, cc_sync_state, cc_push_item,
                    cc_push_activity, cc_push_removal, cc_unsubscribe_pulled, cc_sync_log, shedlock, cc_rate_limit_bucket,
                    cc_push_selected, cc_push_seen, cc_push_unsubscribe, cc_push_email_change, cc_audit_drift,
                    cc_pull_seen, cc_pull_item, cc_pull_conflict""")
                .update();
        jdbc.sql("truncate cc_disconnection").update();
    }

    /** Connects the account as cc connect would, without the browser. */
    protected void connect() {
        ObjectNode answer = FAKE.issueTokens();
        tokenService.connected(tokenStore.saveNew(new TokenResponse(answer.get("access_token").asString(),
                answer.get("refresh_token").asString(),
                java.time.Instant.now().plusSeconds(answer.get("expires_in").asLong()),
                answer.get("scope").asString(), FakeConstantContact.ACCOUNT), "authorization_code"));
        // and records which account it is, as cc connect does after reading the account summary
        accountSwitch.bind(FAKE.encodedAccountId());
        tokenStore.recordAccount(FAKE.encodedAccountId(), null);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
