package org.contactbatch.constantcontact.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.contactbatch.constantcontact.push.PushFixtures.lower;
import static org.contactbatch.constantcontact.push.PushFixtures.push;
import static org.contactbatch.constantcontact.push.PushFixtures.sendable;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.contactbatch.support.ChildJvm;
import org.contactbatch.constantcontact.CcTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import tools.jackson.databind.JsonNode;

/**
 * The push under the faults Constant Contact and the machine can throw at it: bursts of 429, 5xx, a 401
 * half-way (and the refresh-token rotation it brings), slow answers, dropped connections, a process
 * killed with {@code kill -9} and started again. Every selected contact ends up there once, none is lost,
 * and the fake never sees more requests in a second than the configured rate.
 */
class PushResilienceFunctionalTests extends CcTestSupport {

    private static final String UNAUTHORIZED = "{\"error_key\":\"unauthorized\",\"error_message\":\"Unauthorized\"}";

    @TempDir
    Path dir;

    @Autowired
    Environment environment;

    Path profile;

    @BeforeEach
    void sampleDataAndAConnectedAccount() throws Exception {
        PushFixtures.loadSampleData(context, jdbc);
        connect();
        profile = PushFixtures.profile(dir, "faults", "");
    }

    @Test
    void underInjectedFaultsEveryContactArrivesOnceAndTheRateHolds() {
        String initialRefresh = tokenStore.load().orElseThrow().refreshToken();
        FAKE.throttleNext(4)
                .serverErrorNext(2, "/contact_custom_fields")
                .after(2, f -> f.failNext(1, "/activities/contacts_json_import", 401, UNAUTHORIZED))
                .after(3, f -> f.dropNext(1, "/activities/contacts_json_import"))
                .after(4, f -> f.serverErrorNext(3, "/activities/contacts_json_import"))
                .after(2, f -> f.slowNext(1, "GET /activities/", Duration.ofMillis(1500)))
                .after(5, f -> f.slowNext(1, "POST /activities/contacts_json_import", Duration.ofMillis(1500)))
                .after(6, f -> f.throttleNext(3));

        JsonNode summary = push(context, "--profile", profile.toString());

        assertThat(summary.get("status").asString()).isEqualTo("COMPLETED");
        Set<String> expected = sendable(jdbc);
        assertThat(FAKE.emails()).isEqualTo(expected);
        assertThat(FAKE.listMembers("Active Members")).isEqualTo(expected);
        List<String> imported = FAKE.importedEmails();
        assertThat(new TreeSet<>(lower(imported))).isEqualTo(expected);
        // the import whose answer came too late was found among the account's activities, not sent again;
        // the dropped one (never carried out) was looked for, not found, and sent again: every contact arrived once
        assertThat(imported).hasSize(expected.size());
        assertThat(FAKE.apiRequests("GET", "/activities").stream().filter(r -> r.path().equals("/v3/activities"))).isNotEmpty();
        assertThat(FAKE.apiRequests()).extracting(r -> r.status()).contains(429, 503, 401, -1);
        // the 401 made the client refresh once; the rotated refresh token is the one kept
        assertThat(FAKE.refreshCount()).isEqualTo(1);
        String kept = tokenStore.load().orElseThrow().refreshToken();
        assertThat(kept).isNotEqualTo(initialRefresh);
        assertThat(FAKE.liveRefreshTokens()).containsExactly(kept);
        assertThat(FAKE.maxApiRequestsWithin(Duration.ofSeconds(1))).isLessThanOrEqualTo(RATE);
    }

    @Test
    void quotaExceededStopsTheRunCleanlyAndTheNextRunContinues() {
        FAKE.after(12, f -> f.failNext(1, null, 429, "{\"error_key\":\"quota_exceeded\",\"error_message\":\"Limit Exceeded\"}"));

        JsonNode stopped = push(context, "--profile", profile.toString());

        assertThat(stopped.get("status").asString()).isEqualTo("STOPPED");
        assertThat(stopped.get("message").asString()).contains("quota", "next run continues");
        int sentBefore = FAKE.importedEmails().size();
        assertThat(sentBefore).isBetween(1, sendable(jdbc).size() - 1);

        JsonNode next = push(context, "--profile", profile.toString());

        assertThat(next.get("outcome").asString()).isEqualTo("RESTARTED");
        assertThat(next.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(FAKE.emails()).isEqualTo(sendable(jdbc));
        assertThat(FAKE.listMembers("Active Members")).isEqualTo(sendable(jdbc));
        assertThat(FAKE.importedEmails()).hasSize(sendable(jdbc).size());
    }

    @Test
    void aPushKilledMidWayAndStartedAgainEndsWithEveryContactThereOnce() throws Exception {
        Path out = dir.resolve("child.out");
        ChildJvm.killWhen(startPushInAnotherJvm(out), () -> FAKE.importedEmails().size() >= 200, out);
        assertThat(jdbc.sql("select status from batch_job_execution where job_execution_id = (select max(job_execution_id) from batch_job_execution)")
                .query(String.class).single()).as("killed mid-way").isEqualTo("STARTED");
        int sentBeforeKill = FAKE.importedEmails().size();
        Set<String> expected = sendable(jdbc);
        assertThat(sentBeforeKill).isLessThan(expected.size());

        JsonNode restarted = push(context, "--profile", profile.toString());

        assertThat(restarted.get("outcome").asString()).isEqualTo("RESTARTED");
        assertThat(restarted.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(FAKE.emails()).isEqualTo(expected);
        assertThat(FAKE.listMembers("Active Members")).isEqualTo(expected);
        List<String> imported = lower(FAKE.importedEmails()).size() == expected.size() ? FAKE.importedEmails()
                : FAKE.importedEmails();
        assertThat(new TreeSet<>(lower(imported))).isEqualTo(expected);
        // at most the one import whose answer the kill cut off is sent again (an upsert: the account is the same)
        assertThat(imported.size() - expected.size()).isLessThanOrEqualTo(50);
        assertThat(jdbc.sql("select count(*) from contact where cc_hash is not null").query(Long.class).single())
                .isEqualTo(expected.size());
        assertThat(FAKE.maxApiRequestsWithin(Duration.ofSeconds(1))).as("one rate limit for both processes")
                .isLessThanOrEqualTo(RATE);
    }

    /** The same push in a JVM of its own, with imports of 50 contacts so there is time to kill it mid-way. */
    private Process startPushInAnotherJvm(Path out) throws IOException {
        Map<String, String> settings = new HashMap<>(FAKE.springProperties());
        settings.putAll(testSettings());
        settings.put("contact-batch.constant-contact.import-limits.max-contacts", "50");
        settings.put("contact-batch.log-file", dir.resolve("child.log").toString());
        settings.put("contact-batch.reports-dir", dir.resolve("child-reports").toString());
        return ChildJvm.start(environment, settings, out, "cc", "push", "--profile", profile.toString(), "--json",
                "--no-progress");
    }
}
