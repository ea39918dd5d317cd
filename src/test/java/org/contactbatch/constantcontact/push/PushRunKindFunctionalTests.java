package org.contactbatch.constantcontact.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.contactbatch.constantcontact.push.PushFixtures.count;
import static org.contactbatch.constantcontact.push.PushFixtures.lower;
import static org.contactbatch.constantcontact.push.PushFixtures.push;
import static org.contactbatch.constantcontact.push.PushFixtures.report;
import static org.contactbatch.constantcontact.push.PushFixtures.sendable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.contactbatch.constantcontact.CcTestSupport;
import org.contactbatch.constantcontact.CliAccess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 9, point 1: only an exact run (a saved profile's whole selection, or --exact) takes anybody off the
 * managed list; a run by hand with a narrowed selection adds and updates what it selects and nothing else.
 */
class PushRunKindFunctionalTests extends CcTestSupport {

    @TempDir
    Path dir;

    Path profile;
    Set<String> everyone;

    @BeforeEach
    void aFullPushOfTheSampleData() throws Exception {
        PushFixtures.loadSampleData(context, jdbc);
        connect();
        profile = PushFixtures.profile(dir, "test-sync", "");
        JsonNode first = push(context, "--profile", profile.toString());
        assertThat(first.get("message").asString()).startsWith("Exact run: 'Active Members' holds exactly");
        everyone = sendable(jdbc);
        assertThat(FAKE.listMembers("Active Members")).isEqualTo(everyone);
        FAKE.clearRecorded();
    }

    private List<String> twoNewReps() {
        return jdbc.sql("""
                insert into contact (email, first_name, consent_state, tags) values
                  ('new.rep1@example.org', 'New', 'confirmed', '{newrep}'),
                  ('new.rep2@example.org', 'Newer', 'confirmed', '{newrep}')
                returning id::text""").query(String.class).list();
    }

    @Test
    void aManualRunWithANarrowedSelectionAddsItsContactsAndTakesNobodyOff() {
        twoNewReps();

        JsonNode manual = push(context, "--managed-list", "Active Members", "--tag", "newrep");

        assertThat(count(manual, "created")).isEqualTo(2);
        assertThat(count(manual, "removed")).isZero();
        assertThat(manual.get("message").asString()).startsWith("Manual run:").contains("nobody was taken off any list");
        assertThat(FAKE.apiRequests("POST", "/activities/remove_list_memberships")).isEmpty();
        Set<String> expected = new TreeSet<>(everyone);
        expected.addAll(List.of("new.rep1@example.org", "new.rep2@example.org"));
        assertThat(FAKE.listMembers("Active Members")).isEqualTo(expected);

        // and the next exact run keeps them: they are selected by the profile too
        JsonNode nightly = push(context, "--profile", profile.toString());
        assertThat(count(nightly, "removed")).isZero();
        assertThat(FAKE.listMembers("Active Members")).isEqualTo(expected);
    }

    @Test
    void thePushOfContactsTickedInTheConsoleAddsJustThoseAndTakesNobodyOff() throws Exception {
        List<String> ids = twoNewReps();
        jdbc.sql("insert into contact (email, first_name, consent_state, tags, active) values"
                + " ('gone.rep@example.org', 'Gone', 'confirmed', '{newrep}', false)").update();
        Path ticked = Files.writeString(dir.resolve("ticked.ids"), "id\n" + String.join("\n", ids) + "\n"
                + jdbc.sql("select id from contact where email = 'gone.rep@example.org'").query(Long.class).single() + "\n");
        PushOptions options = SyncProfile.load(profile).options().forIds(ticked.toString(),
                org.contactbatch.files.FileHashes.sha256(ticked));

        var launch = context.getBean(PushLauncher.class).push(options);
        JsonNode run = tools.jackson.databind.json.JsonMapper.shared().valueToTree(context
                .getBeansOfType(org.contactbatch.jobs.JobSummarizer.class).values().stream()
                .filter(s -> s.jobName().equals(PushOptions.JOB_NAME)).findFirst().orElseThrow().summarize(launch));

        assertThat(options.exact()).isFalse();
        assertThat(count(run, "created")).isEqualTo(2);
        assertThat(count(run, "removed")).isZero();
        assertThat(FAKE.apiRequests("POST", "/activities/remove_list_memberships")).isEmpty();
        Set<String> expected = new TreeSet<>(everyone);
        expected.addAll(List.of("new.rep1@example.org", "new.rep2@example.org"));
        assertThat(FAKE.listMembers("Active Members")).as("the inactive one is left out").isEqualTo(expected);
    }

    @Test
    void aProfileNarrowedByAnOptionIsAManualRun() {
        twoNewReps();

        JsonNode narrowed = push(context, "--profile", profile.toString(), "--tag", "newrep");

        assertThat(narrowed.get("message").asString()).startsWith("Manual run:");
        assertThat(count(narrowed, "removed")).isZero();
        assertThat(FAKE.listMembers("Active Members")).hasSize(everyone.size() + 2);
    }

    @Test
    void exactMakesTheManagedListHoldExactlyTheSelectionAndTheDryRunSaysSo() {
        twoNewReps();

        JsonNode dry = push(context, "--tag", "newrep", "--exact", "--dry-run");
        assertThat(dry.get("message").asString()).startsWith("Exact run: 'Active Members' would hold exactly")
                .contains(everyone.size() + " would be taken off it", "Dry run");
        assertThat(FAKE.listMembers("Active Members")).isEqualTo(everyone);

        JsonNode exact = push(context, "--tag", "newrep", "--exact");

        assertThat(count(exact, "removed")).isEqualTo(everyone.size());
        assertThat(FAKE.listMembers("Active Members")).containsExactlyInAnyOrder("new.rep1@example.org", "new.rep2@example.org");
    }

    @Test
    void anExactRunTakesAContactOffTheGroupListItLeftAndOffEveryListItWasPutOnWhenItLeavesTheSelection() throws Exception {
        String leftTheBoard = jdbc.sql("""
                update contact set groups = '{Volunteers}' where id = (select min(id) from contact
                  where cc_hash is not null and 'Board' = any(groups)) returning lower(email)""").query(String.class).single();
        String deactivated = jdbc.sql("""
                update contact set active = false where id = (select max(id) from contact
                  where cc_hash is not null and 'Board' = any(groups) and 'Volunteers' = any(groups)) returning lower(email)""")
                .query(String.class).single();
        assertThat(FAKE.listMembers("Board")).contains(leftTheBoard, deactivated);
        assertThat(FAKE.listMembers("Volunteers")).contains(leftTheBoard, deactivated);

        JsonNode nightly = push(context, "--profile", profile.toString());

        assertThat(FAKE.listMembers("Board")).doesNotContain(leftTheBoard, deactivated);
        assertThat(FAKE.listMembers("Volunteers")).contains(leftTheBoard).doesNotContain(deactivated);
        assertThat(FAKE.listMembers("Active Members")).contains(leftTheBoard).doesNotContain(deactivated);
        // taken off, not unsubscribed: only an explicit opt-out is that
        assertThat(FAKE.contact(deactivated).orElseThrow().get("email_address").get("permission_to_send").asString())
                .isNotEqualTo("unsubscribed");
        assertThat(count(nightly, "removed")).isEqualTo(2);
        assertThat(report(nightly, "removed")).extracting(r -> r.get("email").toLowerCase() + " off " + r.get("lists"))
                .containsExactlyInAnyOrder(leftTheBoard + " off Board", deactivated + " off Active Members; Board; Volunteers");
        // and nobody else lost a list
        Set<String> stillSelected = new TreeSet<>(everyone);
        stillSelected.remove(deactivated);
        assertThat(FAKE.listMembers("Active Members")).isEqualTo(stillSelected);

        var audit = CliAccess.run(context, "cc", "audit", "--profile", profile.toString(), "--json");
        assertThat(audit.exitCode()).as(audit.err()).isZero();
        assertThat(count(tools.jackson.databind.json.JsonMapper.shared().readTree(audit.out()), "differences")).isZero();
    }

    @Test
    void anIdsFilePushesJustThoseContacts() throws Exception {
        List<String> ids = twoNewReps();
        jdbc.sql("update contact set job_title = 'Changed' where consent_state = 'confirmed' and length(email) <= 50").update();
        Path file = dir.resolve("new.txt");
        Files.writeString(file, "id\n" + String.join("\n", ids) + "\n", StandardCharsets.UTF_8);

        JsonNode summary = push(context, "--ids", file.toString());

        assertThat(summary.get("message").asString()).startsWith("Manual run:");
        assertThat(count(summary, "selected")).isEqualTo(2);
        assertThat(lower(FAKE.importedEmails())).containsExactlyInAnyOrder("new.rep1@example.org", "new.rep2@example.org");
        assertThat(FAKE.listMembers("Active Members")).hasSize(everyone.size() + 2);
        assertThat(report(summary, "created")).extracting(r -> r.get("id")).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void aBrokenIdsFileOrIdsWithExactIsRefusedInOneLine() throws Exception {
        Path file = dir.resolve("ids.txt");
        Files.writeString(file, "12\nnot-an-id\n", StandardCharsets.UTF_8);

        var broken = CliAccess.run(context, "cc", "push", "--ids", file.toString(), "--no-progress");
        assertThat(broken.exitCode()).isEqualTo(2);
        assertThat(broken.err().strip()).contains("ids.txt: line 2", "not-an-id").doesNotContain("\n");

        Files.writeString(file, "12\n", StandardCharsets.UTF_8);
        var exact = CliAccess.run(context, "cc", "push", "--ids", file.toString(), "--exact", "--no-progress");
        assertThat(exact.exitCode()).isEqualTo(2);
        assertThat(exact.err()).contains("--exact", "--ids");
        assertThat(FAKE.apiRequests()).isEmpty();
    }

    @Test
    void updatedSinceSelectsOnlyWhatChangedHereSinceThen() {
        jdbc.sql("update contact set updated_at = '2026-01-01T00:00:00Z'").update();
        String changed = jdbc.sql("""
                update contact set job_title = 'Promoted', updated_at = '2026-11-30T12:00:00Z'
                where id = (select min(id) from contact where consent_state = 'confirmed' and length(email) <= 50)
                returning lower(email)""").query(String.class).single();
        jdbc.sql("update contact set job_title = 'Not selected' where lower(email) <> :e").param("e", changed).update();

        JsonNode summary = push(context, "--updated-since", "2026-11-30T00:00:00Z");

        assertThat(count(summary, "selected")).isEqualTo(1);
        assertThat(count(summary, "updated")).isEqualTo(1);
        assertThat(lower(FAKE.importedEmails())).containsExactly(changed);
        assertThat(count(summary, "removed")).isZero();

        var bad = CliAccess.run(context, "cc", "push", "--updated-since", "yesterday", "--no-progress");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--updated-since 'yesterday' is not a date");
    }

    @Test
    void withNoAccountConnectedAPushOrAnAuditIsOneLineAndExitTwo() {
        tokenService.forget();
        jdbc.sql("truncate cc_connection").update();
        for (String command : new String[] {"push", "audit"}) {
            var result = CliAccess.run(context, "cc", command, "--profile", profile.toString());
            assertThat(result.exitCode()).as(command).isEqualTo(2);
            assertThat(result.err().strip()).isEqualTo("error: no Constant Contact account is connected; connect one with: cc connect");
            assertThat(result.out()).isEmpty();
        }
    }
}
