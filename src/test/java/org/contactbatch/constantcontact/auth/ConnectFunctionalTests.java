package org.contactbatch.constantcontact.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.contactbatch.constantcontact.CcTestSupport;
import org.contactbatch.constantcontact.ConstantContactProperties;
import org.contactbatch.constantcontact.CliAccess;
import org.contactbatch.constantcontact.client.ConstantContactClient;
import org.contactbatch.constantcontact.fake.FakeConstantContact;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** cc connect (browser with PKCE, and device flow) and cc status against the fake Constant Contact. */
class ConnectFunctionalTests extends CcTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Value("${contact-batch.log-file}")
    Path logFile;

    @Autowired
    ConstantContactProperties properties;

    @Autowired
    OAuthClient oauth;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void browserFlowWithPkceThroughTheLocalCallbackStoresEncryptedTokens() throws Exception {
        var run = CliAccess.start(context, "cc", "connect");
        String address = run.await("(http://127\\.0\\.0\\.1:\\d+/oauth2/default/v1/authorize\\S+)", WAIT);
        assertThat(address).contains("code_challenge_method=S256", "response_type=code", "state=",
                "scope=contact_data%20offline_access%20account_read", "client_id=" + FakeConstantContact.CLIENT_ID);

        // the person's browser: the authorization server sends it back to our callback with a code
        HttpResponse<String> page = browser().send(HttpRequest.newBuilder(URI.create(address)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("connected to Constant Contact");

        assertThat(run.exitCode(WAIT)).isZero();
        assertThat(run.out()).contains("Connected as " + FakeConstantContact.ACCOUNT + " to the account "
                + FAKE.encodedAccountId() + " (Fake Org " + FAKE.encodedAccountId() + ")");
        var tokenRequest = FAKE.requests().stream().filter(r -> r.path().endsWith("/token")).findFirst().orElseThrow();
        assertThat(tokenRequest.bodyText()).contains("grant_type=authorization_code", "code_verifier=");
        assertThat(tokenRequest.header("Authorization")).startsWith("Basic ");

        StoredTokens stored = tokenStore.load().orElseThrow();
        assertThat(FAKE.liveAccessTokens()).contains(stored.accessToken());
        assertThat(FAKE.liveRefreshTokens()).containsExactly(stored.refreshToken());
        assertTokensNeverInClear(stored);

        var status = CliAccess.run(context, "cc", "status", "--check", "--json");
        assertThat(status.exitCode()).isZero();
        JsonNode json = JsonMapper.shared().readTree(status.out());
        assertThat(json.get("connected").asBoolean()).isTrue();
        assertThat(json.get("healthy").asBoolean()).isTrue();
        assertThat(json.get("account").asString()).isEqualTo(FakeConstantContact.ACCOUNT);
        assertThat(json.get("accountId").asString()).isEqualTo(FAKE.encodedAccountId() + " (Fake Org " + FAKE.encodedAccountId() + ")");
        assertThat(json.get("refreshToken").asString()).isEqualTo("present");
        assertThat(json.get("apiCheck").asString()).startsWith("answered");
        assertThat(status.out()).doesNotContain(stored.accessToken()).doesNotContain(stored.refreshToken());
    }

    @Test
    void deviceFlowForMachinesWithoutABrowser() throws Exception {
        var run = CliAccess.start(context, "cc", "connect", "--device");
        String userCode = run.await("enter the code: (\\d{4}-\\d{4})", WAIT);
        run.await("Waiting for the approval", WAIT);
        Thread.sleep(1200); // a poll or two says authorization_pending first
        FAKE.approveDevice(userCode, true);

        assertThat(run.exitCode(WAIT)).isZero();
        assertThat(run.out()).contains("Connected as " + FakeConstantContact.ACCOUNT);
        StoredTokens stored = tokenStore.load().orElseThrow();
        assertThat(stored.flow()).isEqualTo("device_code");
        assertThat(FAKE.liveRefreshTokens()).containsExactly(stored.refreshToken());
        assertTokensNeverInClear(stored);
        // a public client's flow, though a client secret is configured here: the secret is never sent
        assertThat(FAKE.requests()).filteredOn(r -> r.path().contains("/oauth2/")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.header("authorization")).isNull())
                .allSatisfy(r -> assertThat(r.bodyText()).contains("client_id=" + FakeConstantContact.CLIENT_ID)
                        .doesNotContain(FakeConstantContact.CLIENT_SECRET));

        // and its tokens are refreshed the same way
        FAKE.clearRecorded();
        FAKE.expireAccessTokens();
        tokenService.forget();
        assertThat(CliAccess.run(context, "cc", "status", "--check").exitCode()).isZero();
        assertThat(FAKE.refreshCount()).isEqualTo(1);
        // (the token endpoint's one call a second may refuse a try or two first)
        assertThat(FAKE.requests()).filteredOn(r -> r.path().contains("/token")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.header("authorization")).isNull());
    }

    @Test
    void theDeviceFlowWaitsLongerWhenTheServerSaysSlowDown() throws Exception {
        FAKE.slowDownNextDevicePoll();
        var run = CliAccess.start(context, "cc", "connect", "--device");
        String userCode = run.await("enter the code: (\\d{4}-\\d{4})", WAIT);
        FAKE.approveDevice(userCode, true);

        assertThat(run.exitCode(WAIT)).isZero();
        assertThat(FAKE.slowDowns()).isEqualTo(1);
        var polls = FAKE.devicePolls();
        assertThat(polls).hasSize(2);
        // the announced interval (1 s) plus the 5 s slow_down asks for
        assertThat(java.time.Duration.between(polls.get(0), polls.get(1))).isGreaterThanOrEqualTo(java.time.Duration.ofSeconds(6));
    }

    @Test
    void aRefusedConnectionSaysSoAndStoresNothing() throws Exception {
        FAKE.denyAuthorization(true);
        var run = CliAccess.start(context, "cc", "connect");
        String address = run.await("(http://127\\.0\\.0\\.1:\\d+/oauth2/default/v1/authorize\\S+)", WAIT);
        browser().send(HttpRequest.newBuilder(URI.create(address)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(run.exitCode(WAIT)).isEqualTo(2);
        assertThat(run.err()).contains("not authorized: access_denied");
        assertThat(tokenStore.load()).isEmpty();
    }

    @Test
    void statusWithoutAnAccountSaysHowToConnect() {
        var status = CliAccess.run(context, "cc", "status");
        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.out()).contains("not connected", "cc connect");
    }

    @Test
    void tokensSavedWithAnotherKeyCannotBeReadAndSaySo() {
        connect();
        jdbc.sql("update cc_connection set salt = 'deadbeefdeadbeef'").update();
        var status = CliAccess.run(context, "cc", "status");
        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.out()).contains("can't be decrypted", "cc connect");
    }

    /** Issue 10: cc disconnect forgets the tokens and keeps the history; pushes are refused until cc connect. */
    @Test
    void disconnectForgetsTheTokensKeepsTheHistoryAndRefusesPushesUntilConnectedAgain() throws Exception {
        connect();
        jdbc.sql("insert into contact (email, first_name, consent_state) values ('ada@example.com', 'Ada', 'confirmed')")
                .update();
        assertThat(CliAccess.run(context, "cc", "push").exitCode()).isZero();
        Map<String, Object> history = history();
        assertThat(history.get("syncs")).isEqualTo(1L);
        FAKE.clearRecorded();

        var disconnect = CliAccess.run(context, "cc", "disconnect");

        assertThat(disconnect.exitCode()).as(disconnect.err()).isZero();
        assertThat(disconnect.out()).contains("disconnected on ", " by " + System.getProperty("user.name")
                        + " (command line)", "account " + FAKE.encodedAccountId())
                .contains("not revoked: Constant Contact documents no token revocation endpoint")
                .contains("forgotten (removed from the database)", "kept: 1 sync log entries");
        // no revocation endpoint is documented, so none is called: nothing at all goes to Constant Contact
        assertThat(FAKE.requests()).isEmpty();
        assertThat(jdbc.sql("select count(*) from cc_connection").query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select disconnected_by from cc_disconnection").query(String.class).single())
                .endsWith("(command line)");
        assertThat(history()).isEqualTo(history);

        var status = CliAccess.run(context, "cc", "status");
        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.out()).startsWith("Constant Contact: disconnected").contains("disconnectedAt", "disconnectedBy",
                "cc connect");
        var disconnected = JsonMapper.shared().readTree(CliAccess.run(context, "cc", "status", "--json").out());
        assertThat(disconnected.get("disconnected").asBoolean()).isTrue();
        assertThat(disconnected.get("accountId").asString()).isEqualTo(FAKE.encodedAccountId());
        assertThat(disconnected.get("revocation").asString()).startsWith("not revoked: ");
        assertThat(disconnected.has("refreshToken")).as("no token to speak of").isFalse();

        for (String[] refused : new String[][] {{"cc", "push"}, {"cc", "pull"}, {"cc", "audit"}}) {
            var run = CliAccess.run(context, refused);
            assertThat(run.exitCode()).as(String.join(" ", refused)).isEqualTo(2);
            assertThat(run.err().strip()).as(String.join(" ", refused)).doesNotContain("\n")
                    .contains("was disconnected on", "cc connect");
        }
        assertThat(FAKE.requests()).as("nothing sent while disconnected").isEmpty();
        assertThat(history()).isEqualTo(history);

        // cc connect again: the browser flow as before, and pushes go out again
        var connect = CliAccess.start(context, "cc", "connect");
        String address = connect.await("(http://127\\.0\\.0\\.1:\\d+/oauth2/default/v1/authorize\\S+)", WAIT);
        browser().send(HttpRequest.newBuilder(URI.create(address)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(connect.exitCode(WAIT)).as(connect.err()).isZero();
        assertThat(jdbc.sql("select count(*) from cc_disconnection").query(Long.class).single()).isZero();
        assertThat(CliAccess.run(context, "cc", "status").out()).startsWith("Constant Contact: connected, healthy");
        assertThat(CliAccess.run(context, "cc", "push").exitCode()).isZero();
        assertThat(jdbc.sql("select count(*) from cc_sync_log where status = 'COMPLETED'").query(Long.class).single())
                .isEqualTo(2);
    }

    /**
     * Issue 10: a run that failed before cc disconnect is not continued after it, by jobs restart any more than by
     * the same command: one line, exit 2, no request, no new execution.
     */
    @Test
    void aRunStartedBeforeTheDisconnectIsNotRestartedAfterIt() {
        connect();
        jdbc.sql("insert into contact (email, first_name, consent_state) values ('ada@example.com', 'Ada', 'confirmed')")
                .update();
        FAKE.failNext(1, null, 400, "[{\"error_key\":\"bad.request\",\"error_message\":\"refused by the test\"}]");
        assertThat(CliAccess.run(context, "cc", "push").exitCode()).as("the push fails, to be restarted").isEqualTo(1);
        long failed = jdbc.sql("select max(job_execution_id) from batch_job_execution where status = 'FAILED'")
                .query(Long.class).single();
        assertThat(CliAccess.run(context, "cc", "disconnect").exitCode()).isZero();
        Map<String, Object> history = history();
        FAKE.clearRecorded();

        var restart = CliAccess.run(context, "jobs", "restart", Long.toString(failed));

        assertThat(restart.exitCode()).as(restart.err()).isEqualTo(2);
        assertThat(restart.err().strip()).doesNotContain("\n").contains("was disconnected on", "cc connect");
        assertThat(FAKE.requests()).as("nothing sent with forgotten tokens").isEmpty();
        assertThat(history()).as("no new execution, not even a failed one").isEqualTo(history);
    }

    /**
     * cc disconnect in another process (the console, while serve pushes) forgets the tokens there only: this
     * process, which remembers them, sends nothing more with them; its next request is refused.
     */
    @Test
    void aDisconnectInAnotherProcessStopsThisOneAtItsNextRequest() {
        connect();
        ConstantContactClient client = context.getBean(ConstantContactClient.class);
        client.accountSummary();
        // what the other process's DisconnectService does to the database; this process's TokenService is not told
        new TransactionTemplate(transactionManager)
                .executeWithoutResult(tx -> tokenStore.disconnect("another process", "not revoked: a test"));
        FAKE.clearRecorded();

        assertThatThrownBy(client::accountSummary).isInstanceOf(DisconnectService.DisconnectedException.class)
                .hasMessageContaining("by another process").hasMessageContaining("cc connect");
        assertThat(FAKE.requests()).as("nothing sent with forgotten tokens").isEmpty();
    }

    /** cc disconnect with nothing connected, and a second time, changes nothing and says so. */
    @Test
    void disconnectingTwiceOrWithNothingConnectedChangesNothing() {
        var nothing = CliAccess.run(context, "cc", "disconnect");
        assertThat(nothing.exitCode()).isZero();
        assertThat(nothing.out()).contains("No Constant Contact account is connected; nothing to disconnect.");
        assertThat(jdbc.sql("select count(*) from cc_disconnection").query(Long.class).single())
                .as("never connected is not disconnected").isZero();

        connect();
        FAKE.clearRecorded();
        assertThat(CliAccess.run(context, "cc", "disconnect").exitCode()).isZero();
        String first = jdbc.sql("select disconnected_at::text from cc_disconnection").query(String.class).single();
        var again = CliAccess.run(context, "cc", "disconnect");

        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).startsWith("Already disconnected on ").contains("nothing to do");
        assertThat(jdbc.sql("select disconnected_at::text from cc_disconnection").query(String.class).single())
                .as("the first disconnection is the one kept").isEqualTo(first);
        assertThat(FAKE.requests()).isEmpty();
    }

    /**
     * Where a revocation endpoint is configured, cc disconnect sends it the refresh token (RFC 7009). Constant
     * Contact documents none, and the fake, like it, has none: the refusal is reported and the tokens are
     * forgotten all the same.
     */
    @Test
    void aConfiguredRevocationEndpointGetsTheRefreshTokenAndItsRefusalForgetsTheTokensAnyway() {
        connect();
        String refreshToken = tokenStore.load().orElseThrow().refreshToken();
        ConstantContactProperties p = properties;
        URI revoke = URI.create(FAKE.baseUrl() + "/oauth2/default/v1/revoke");
        ConstantContactProperties withRevocation = new ConstantContactProperties(p.clientId(), p.clientSecret(),
                p.redirectUri(), p.scopes(), p.authorizationUri(), p.tokenUri(), p.deviceAuthorizationUri(), revoke,
                p.apiBaseUrl(), p.tokenKey(), p.refreshBefore(), p.connectTimeout(), p.responseTimeout(),
                p.connectWait(), p.rate(), p.retry(), p.activityPoll(), p.importLimits(), p.profileLock(),
                p.defaultProfile());
        DisconnectService disconnects = new DisconnectService(tokenStore, tokenService, oauth, withRevocation, jdbc,
                transactionManager);
        FAKE.clearRecorded();

        DisconnectService.Outcome outcome = disconnects.disconnect("a test");

        assertThat(outcome.revocation()).isEqualTo(DisconnectService.Revocation.FAILED);
        assertThat(outcome.disconnection().orElseThrow().revocation()).startsWith("not revoked: " + revoke)
                .contains("404").doesNotContain(refreshToken);
        var sent = FAKE.requests();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).method() + " " + sent.get(0).path()).isEqualTo("POST /oauth2/default/v1/revoke");
        assertThat(sent.get(0).bodyText()).contains("token=" + refreshToken, "token_type_hint=refresh_token");
        assertThat(sent.get(0).header("Authorization")).startsWith("Basic ");
        assertThat(tokenStore.load()).isEmpty();
        assertThat(disconnects.disconnection()).hasValueSatisfying(d -> assertThat(d.by()).isEqualTo("a test"));
        // a second disconnect changes nothing and sends nothing
        assertThat(disconnects.disconnect("again").disconnected()).isFalse();
        assertThat(FAKE.requests()).hasSize(1);
    }

    /** A refusal that echoes what it was sent: neither the refresh token nor the client secret is kept or shown. */
    @Test
    void aRevocationRefusalThatEchoesTheTokenIsNotRepeated() {
        connect();
        String refreshToken = tokenStore.load().orElseThrow().refreshToken();
        ConstantContactProperties p = properties;
        ConstantContactProperties withRevocation = new ConstantContactProperties(p.clientId(), "the-client-secret",
                p.redirectUri(), p.scopes(), p.authorizationUri(), p.tokenUri(), p.deviceAuthorizationUri(),
                URI.create(FAKE.baseUrl() + "/oauth2/default/v1/revoke"), p.apiBaseUrl(), p.tokenKey(),
                p.refreshBefore(), p.connectTimeout(), p.responseTimeout(), p.connectWait(), p.rate(), p.retry(),
                p.activityPoll(), p.importLimits(), p.profileLock(), p.defaultProfile());
        OAuthClient echoing = new OAuthClient(context.getBean("constantContactWebClient",
                org.springframework.web.reactive.function.client.WebClient.class), withRevocation) {
            @Override
            public void revoke(URI endpoint, String token, String flow) {
                throw new OAuthException(400, "invalid_token", "token=" + token + " client_secret=the-client-secret");
            }
        };
        DisconnectService disconnects = new DisconnectService(tokenStore, tokenService, echoing, withRevocation, jdbc,
                transactionManager);

        DisconnectService.Outcome outcome = disconnects.disconnect("a test");

        assertThat(outcome.revocation()).isEqualTo(DisconnectService.Revocation.FAILED);
        assertThat(outcome.disconnection().orElseThrow().revocation()).contains("invalid_token", "token=***")
                .doesNotContain(refreshToken).doesNotContain("the-client-secret");
        assertThat(jdbc.sql("select revocation from cc_disconnection").query(String.class).single())
                .doesNotContain(refreshToken).doesNotContain("the-client-secret");
    }

    private Map<String, Object> history() {
        return jdbc.sql("""
                select (select count(*) from cc_sync_log) as syncs, (select count(*) from batch_job_execution) as runs,
                       (select count(*) from job_report) as reports, (select count(*) from cc_push_item) as items""")
                .query().singleRow();
    }

    private void assertTokensNeverInClear(StoredTokens stored) throws Exception {
        Map<String, Object> row = jdbc.sql("select access_token, refresh_token from cc_connection").query().singleRow();
        assertThat(row.get("access_token").toString()).doesNotContain(stored.accessToken());
        assertThat(row.get("refresh_token").toString()).doesNotContain(stored.refreshToken());
        if (Files.exists(logFile)) {
            String log = Files.readString(logFile);
            assertThat(log).doesNotContain(stored.accessToken()).doesNotContain(stored.refreshToken());
        }
    }

    private static final HttpClient BROWSER = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    private static HttpClient browser() {
        return BROWSER;
    }
}
