package org.contactbatch.constantcontact.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.contactbatch.constantcontact.CcTestSupport;
import org.contactbatch.constantcontact.CliAccess;
import org.contactbatch.constantcontact.fake.FakeConstantContact;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** cc connect (browser with PKCE, and device flow) and cc status against the fake Constant Contact. */
class ConnectFunctionalTests extends CcTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Value("${contact-batch.log-file}")
    Path logFile;

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
