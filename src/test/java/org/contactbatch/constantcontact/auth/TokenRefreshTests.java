package org.contactbatch.constantcontact.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.contactbatch.constantcontact.CcTestSupport;
import org.contactbatch.constantcontact.ConstantContactProperties;
import org.contactbatch.constantcontact.SetupException;
import org.contactbatch.constantcontact.client.ConstantContactClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;

/** The access token is refreshed shortly before it expires, once at a time, and a rotated refresh token is never lost. */
class TokenRefreshTests extends CcTestSupport {

    @Autowired
    OAuthClient oauth;

    @Autowired
    ConstantContactProperties properties;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    ConstantContactClient client;

    @Test
    void refreshesShortlyBeforeExpiryAndKeepsTheRotatedRefreshToken() {
        connect();
        String oldRefresh = tokenStore.load().orElseThrow().refreshToken();
        expireSoon();

        String access = tokenService.accessToken();

        assertThat(FAKE.refreshCount()).isEqualTo(1);
        StoredTokens stored = tokenStore.load().orElseThrow();
        assertThat(stored.accessToken()).isEqualTo(access);
        assertThat(stored.refreshToken()).isNotEqualTo(oldRefresh);
        assertThat(FAKE.liveRefreshTokens()).containsExactly(stored.refreshToken());
        assertThat(stored.refreshCount()).isEqualTo(1);
        assertThat(tokenService.accessToken()).as("a fresh token is not refreshed again").isEqualTo(access);
        assertThat(FAKE.refreshCount()).isEqualTo(1);
    }

    @Test
    void longLivedRefreshTokensAreKeptAsTheyAre() {
        FAKE.rotatingRefreshTokens(false);
        connect();
        String refresh = tokenStore.load().orElseThrow().refreshToken();
        expireSoon();
        tokenService.accessToken();
        assertThat(tokenStore.load().orElseThrow().refreshToken()).isEqualTo(refresh);
    }

    @Test
    void aRefusedRefreshKeepsTheOldTokensAndSaysToConnectAgain() {
        connect();
        expireSoon();
        StoredTokens before = tokenStore.load().orElseThrow();
        FAKE.revokeRefreshTokens();

        assertThatThrownBy(() -> tokenService.accessToken()).isInstanceOf(SetupException.class)
                .hasMessageContaining("invalid_grant").hasMessageContaining("cc connect");

        StoredTokens after = tokenStore.load().orElseThrow();
        assertThat(after.accessToken()).isEqualTo(before.accessToken());
        assertThat(after.refreshToken()).isEqualTo(before.refreshToken());
        assertThat(after.lastError()).contains("invalid_grant");
        var status = org.contactbatch.constantcontact.CliAccess.run(context, "cc", "status");
        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.out()).contains("NOT healthy", "the last token refresh failed");
    }

    @Test
    void aTokenEndpointThatKeepsFailingKeepsTheOldTokens() {
        connect();
        StoredTokens before = tokenStore.load().orElseThrow();
        expireSoon();
        FAKE.tokenCallsPerSecond(0); // every call: 429

        assertThatThrownBy(() -> tokenService.accessToken()).isInstanceOf(OAuthException.class);

        StoredTokens after = tokenStore.load().orElseThrow();
        assertThat(after.accessToken()).isEqualTo(before.accessToken());
        assertThat(after.refreshToken()).isEqualTo(before.refreshToken());
        assertThat(FAKE.liveRefreshTokens()).containsExactly(before.refreshToken());
    }

    @Test
    void twoProcessesRefreshingAtOnceSpendTheRefreshTokenOnce() throws Exception {
        connect();
        String stale = tokenStore.load().orElseThrow().accessToken();
        FAKE.expireAccessTokens();
        FAKE.tokenCallsPerSecond(10);
        // two services, as two processes would have: only the database lock keeps them apart
        TokenService first = new TokenService(tokenStore, oauth, properties, transactionManager);
        TokenService second = new TokenService(tokenStore, oauth, properties, transactionManager);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<String> a = threads.submit(() -> {
                start.await();
                return first.afterUnauthorized(stale);
            });
            Future<String> b = threads.submit(() -> {
                start.await();
                return second.afterUnauthorized(stale);
            });
            start.countDown();
            assertThat(a.get()).isEqualTo(b.get());
        }
        finally {
            threads.shutdownNow();
        }
        assertThat(FAKE.refreshCount()).isEqualTo(1);
        assertThat(FAKE.liveRefreshTokens()).containsExactly(tokenStore.load().orElseThrow().refreshToken());
    }

    @Test
    void aRefusedTokenIsRefreshedOnceAndTheRequestSentAgain() {
        connect();
        FAKE.expireAccessTokens();

        client.lists();

        assertThat(FAKE.refreshCount()).isEqualTo(1);
        var requests = FAKE.apiRequests();
        assertThat(requests).extracting(r -> r.status()).containsExactly(401, 200);
        assertThat(requests.get(1).header("Authorization")).isEqualTo("Bearer " + tokenStore.load().orElseThrow().accessToken());
    }

    private void expireSoon() {
        jdbc.sql("update cc_connection set access_expires_at = :at").param("at", java.sql.Timestamp.from(Instant.now().plusSeconds(60))).update();
        tokenService.forget();
    }
}
