package org.contactbatch.constantcontact.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.contactbatch.constantcontact.push.PushFixtures.count;
import static org.contactbatch.constantcontact.push.PushFixtures.push;
import static org.contactbatch.constantcontact.push.PushFixtures.sendable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.contactbatch.constantcontact.CcTestSupport;
import org.contactbatch.constantcontact.CliAccess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 9, point 9: connecting another Constant Contact account says so and resets every sync state tied to
 * the first (contact ids, hashes, list ids, cursors), so that nothing of account A is assumed about account B.
 */
class AnotherAccountFunctionalTests extends CcTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    Path profile;
    String first;

    @BeforeEach
    void everyonePushedToTheFirstAccount() throws Exception {
        PushFixtures.loadSampleData(context, jdbc);
        connect();
        first = FAKE.encodedAccountId();
        profile = PushFixtures.profile(dir, "test-sync", "");
        push(context, "--profile", profile.toString());
        assertThat(FAKE.listMembers("Active Members")).isEqualTo(sendable(jdbc));
        assertThat(jdbc.sql("select count(*) from contact where cc_contact_id is not null").query(Long.class).single())
                .isEqualTo(sendable(jdbc).size());
        assertThat(jdbc.sql("select count(*) from cc_sync_state where key <> 'account_id'").query(Long.class).single())
                .as("the cursors of what was read from the account").isPositive();
    }

    /** cc connect --device, approved on the fake's page; the command's output. */
    private String connectThroughTheDeviceFlow() throws Exception {
        var run = CliAccess.start(context, "cc", "connect", "--device");
        String userCode = run.await("enter the code: (\\d{4}-\\d{4})", WAIT);
        FAKE.approveDevice(userCode, true);
        assertThat(run.exitCode(WAIT)).as(run.err()).isZero();
        return run.out();
    }

    @Test
    void anotherAccountResetsTheSyncStateAndTheNextPushSendsEveryoneThere() throws Exception {
        Map<String, Object> before = state();
        String second = FAKE.anotherAccount();

        String out = connectThroughTheDeviceFlow();

        assertThat(out).contains("to the account " + second)
                .contains("This is another Constant Contact account (" + second + ") than the one earlier pushes went to ("
                        + first + "): its sync state was reset (" + before.get("synced") + " contact ids and hashes");
        assertThat(state()).containsEntry("synced", 0L).containsEntry("lists", 0L).containsEntry("fields", 0L)
                .containsEntry("members", 0L).containsEntry("listIds", 0L).containsEntry("cursors", 0L);
        assertThat(jdbc.sql("select value from cc_sync_state where key = 'account_id'").query(String.class).single())
                .isEqualTo(second);
        assertThat(tokenStore.load().orElseThrow().accountId()).isEqualTo(second);

        // the next push treats the new account as the empty account it is, and reads back what it holds
        JsonNode next = push(context, "--profile", profile.toString());
        Set<String> everyone = sendable(jdbc);
        assertThat(count(next, "created")).isEqualTo(everyone.size());
        assertThat(FAKE.encodedAccountId()).isEqualTo(second);
        assertThat(FAKE.listMembers("Active Members")).isEqualTo(everyone);
        for (String email : everyone) {
            String here = jdbc.sql("select cast(cc_contact_id as text) from contact where lower(email) = :email")
                    .param("email", email).query(String.class).single();
            assertThat(here).as(email).isEqualTo(FAKE.contact(email).orElseThrow().get("contact_id").asString());
        }
        var audit = CliAccess.run(context, "cc", "audit", "--profile", profile.toString(), "--json");
        assertThat(audit.exitCode()).as(audit.err()).isZero();
        assertThat(count(tools.jackson.databind.json.JsonMapper.shared().readTree(audit.out()), "differences")).isZero();
    }

    @Test
    void theSameAccountAgainKeepsEverything() throws Exception {
        Map<String, Object> before = state();

        String out = connectThroughTheDeviceFlow();

        assertThat(out).contains("to the account " + first).doesNotContain("another Constant Contact account");
        assertThat(state()).isEqualTo(before);
        JsonNode next = push(context, "--profile", profile.toString());
        assertThat(count(next, "created")).isZero();
        assertThat(count(next, "unchanged")).isEqualTo(sendable(jdbc).size());
    }

    @Test
    void aConnectionThatMayNotReadTheAccountIsRefusedAndResetsNothing() throws Exception {
        Map<String, Object> before = state();
        FAKE.anotherAccount();
        FAKE.grantOnly("contact_data offline_access");

        var run = CliAccess.start(context, "cc", "connect", "--device");
        FAKE.approveDevice(run.await("enter the code: (\\d{4}-\\d{4})", WAIT), true);

        assertThat(run.exitCode(WAIT)).isEqualTo(2);
        assertThat(run.err()).contains("Constant Contact would not say which account was connected")
                .contains("account_read");
        assertThat(tokenStore.load()).as("no half-made connection is kept").isEmpty();
        assertThat(state()).isEqualTo(before);
    }

    /** The sync state tied to an account, counted. */
    private Map<String, Object> state() {
        return Map.of(
                "synced", one("select count(*) from contact where cc_contact_id is not null or cc_hash is not null"),
                "lists", one("select count(*) from cc_list"),
                "fields", one("select count(*) from cc_custom_field"),
                "members", one("select count(*) from cc_managed_member"),
                "listIds", one("select count(*) from contact_list where cc_list_id is not null"),
                "cursors", one("select count(*) from cc_sync_state where key <> 'account_id'"));
    }

    private long one(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
