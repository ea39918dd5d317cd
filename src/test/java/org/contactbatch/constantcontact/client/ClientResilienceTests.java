package org.contactbatch.constantcontact.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import javax.sql.DataSource;

import org.contactbatch.constantcontact.CcTestSupport;
import org.contactbatch.constantcontact.ConstantContactProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Retries, the refresh on 401, quota_exceeded, error bodies and the one rate limit, against the fake. */
class ClientResilienceTests extends CcTestSupport {

    @Autowired
    ConstantContactClient client;

    @Autowired
    ConstantContactProperties properties;

    @Autowired
    DataSource dataSource;

    @BeforeEach
    void connected() {
        connect();
    }

    @Test
    void throttlingServerErrorsSlowAnswersAndDroppedConnectionsAreTriedAgain() {
        FAKE.throttleNext(3).serverErrorNext(2, null).slowNext(1, null, Duration.ofMillis(1500)).dropNext(1, null);

        assertThat(client.lists()).isEmpty();

        var statuses = FAKE.apiRequests().stream().map(r -> r.status()).toList();
        // the slow one (6th) was given up on by the client; the fake may still be answering it
        assertThat(statuses).hasSize(8);
        assertThat(statuses.subList(0, 5)).containsExactly(429, 429, 429, 503, 503);
        assertThat(statuses.subList(6, 8)).containsExactly(-1, 200);
        assertThat(FAKE.maxApiRequestsWithin(Duration.ofSeconds(1))).isLessThanOrEqualTo(RATE);
    }

    @Test
    void quotaExceededStopsAtOnceWithoutTryingAgain() {
        FAKE.dailyQuota(0);
        assertThatThrownBy(() -> client.lists()).isInstanceOf(QuotaExceededException.class)
                .hasMessageContaining("quota_exceeded").hasMessageContaining("next run continues");
        assertThat(FAKE.apiRequests()).hasSize(1);
    }

    @Test
    void errorMessagesAreReadFromArraysAndObjects() {
        client.createList("Members");
        assertThatThrownBy(() -> client.createList("Members")).isInstanceOf(ApiException.class)
                .hasMessageContaining("409").hasMessageContaining("contacts.api.conflict")
                .hasMessageContaining("already in use");

        FAKE.failNext(1, "/contact_lists", 403, "{\"error_key\":\"forbidden\",\"error_message\":\"The app is deactivated\"}");
        assertThatThrownBy(() -> client.lists()).isInstanceOf(ApiException.class)
                .hasMessageContaining("forbidden: The app is deactivated");

        FAKE.failNext(1, "/contact_lists", 400, "[{\"error_key\":\"a\",\"error_message\":\"first\"},{\"error_key\":\"b\",\"error_message\":\"second\"}]");
        assertThatThrownBy(() -> client.lists()).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).errors()).extracting(ApiError::message).containsExactly("first", "second"));
    }

    @Test
    void requestsNeverGoFasterThanTheConfiguredRate() {
        for (int i = 0; i < 3 * RATE; i++) {
            client.get("/contact_lists?limit=1");
        }
        assertThat(FAKE.apiRequests()).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(FAKE.maxApiRequestsWithin(Duration.ofSeconds(1))).isLessThanOrEqualTo(RATE);
    }

    @Test
    void theDailyBudgetStopsRequestsBeforeConstantContactWould() {
        ConstantContactProperties.Rate tight = new ConstantContactProperties.Rate(RATE, Duration.ofMillis(25), 3,
                Duration.ofMinutes(1));
        ConstantContactProperties small = new ConstantContactProperties(properties.clientId() + "-budget", null,
                properties.redirectUri(), properties.scopes(), properties.authorizationUri(), properties.tokenUri(),
                properties.deviceAuthorizationUri(), properties.revocationUri(), properties.apiBaseUrl(), properties.tokenKey(),
                properties.refreshBefore(), properties.connectTimeout(), properties.responseTimeout(),
                properties.connectWait(), tight, properties.retry(), properties.activityPoll(), properties.importLimits(),
                properties.profileLock(), properties.defaultProfile());
        ApiRateLimiter limiter = new ApiRateLimiter(dataSource, small);
        limiter.acquire();
        limiter.acquire();
        limiter.acquire();
        assertThatThrownBy(limiter::acquire).isInstanceOf(QuotaExceededException.class)
                .hasMessageContaining("daily budget of 3");
    }
}
