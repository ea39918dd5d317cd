package org.contactbatch.constantcontact.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.contactbatch.constantcontact.push.PushFixtures.count;
import static org.contactbatch.constantcontact.push.PushFixtures.lower;
import static org.contactbatch.constantcontact.push.PushFixtures.push;
import static org.contactbatch.constantcontact.push.PushFixtures.report;
import static org.contactbatch.constantcontact.push.PushFixtures.sendable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.csv.CSVRecord;
import org.contactbatch.constantcontact.CcTestSupport;
import org.contactbatch.constantcontact.CliAccess;
import org.contactbatch.constantcontact.fake.FakeConstantContact;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The push of the sample data to the fake Constant Contact, and what the next pushes send. */
class PushJobFunctionalTests extends CcTestSupport {

    @TempDir
    Path dir;

    Path profile;

    @BeforeEach
    void sampleDataAndAConnectedAccount() throws Exception {
        PushFixtures.loadSampleData(context, jdbc);
        connect();
        profile = PushFixtures.profile(dir, "test-sync", "");
    }

    @Test
    void pushesTheSampleDataWithListsFieldsAndReasonsForWhatItSkips() throws Exception {
        JsonNode summary = push(context, "--profile", profile.toString());

        assertThat(summary.get("status").asString()).isEqualTo("COMPLETED");
        Set<String> expected = sendable(jdbc);
        assertThat(expected).hasSizeGreaterThan(950);
        assertThat(count(summary, "created")).isEqualTo(expected.size());
        assertThat(count(summary, "updated")).isZero();
        assertThat(FAKE.listNames()).contains("Active Members", "Volunteers", "Board");
        assertThat(FAKE.customFieldLabels()).containsExactlyInAnyOrder("Lifecycle Stage", "Account Owner");

        // every selected contact is there, once, and the managed list holds exactly them
        assertThat(FAKE.emails()).isEqualTo(expected);
        assertThat(FAKE.listMembers("Active Members")).isEqualTo(expected);
        assertThat(FAKE.listMembers("Volunteers")).isEqualTo(new TreeSet<>(jdbc.sql("""
                select lower(email) from contact where 'Volunteers' = any(groups) and email is not null
                  and length(email) <= 50 and consent_state in ('confirmed', 'unconfirmed')""").query(String.class).list()));
        assertThat(FAKE.listMembers("Board")).isNotEmpty();

        // with the right fields and custom fields
        Map<String, Object> zoe = jdbc.sql("select * from contact where email = 'zoe.oconnor@example.net'").query().singleRow();
        assertThat(FAKE.contactFields("zoe.oconnor@example.net"))
                .containsEntry("first_name", "Zoë").containsEntry("last_name", "O'Connor")
                .containsEntry("company_name", zoe.get("company").toString())
                .containsEntry("job_title", "Events Coordinator")
                .containsEntry("phone", (zoe.get("phone_e164") != null ? zoe.get("phone_e164") : zoe.get("phone")).toString())
                .containsEntry("cf:Lifecycle Stage", "member")
                .containsEntry("permission_to_send", "implicit");
        Map<String, Object> first = jdbc.sql("select * from contact order by id limit 1").query().singleRow();
        assertThat(FAKE.contactFields(first.get("email").toString()))
                .containsEntry("city", first.get("city").toString())
                .containsEntry("state", first.get("region").toString())
                .containsEntry("zip", first.get("postal_code").toString())
                .containsEntry("country", first.get("country").toString())
                .containsEntry("cf:Account Owner", first.get("owner").toString());

        // in bulk: imports of at most 250 contacts (the test setting), one per set of lists, never one per contact
        var imports = FAKE.apiRequests("POST", "/activities/contacts_json_import");
        assertThat(imports).allSatisfy(r -> assertThat(r.json().get("import_data").size()).isLessThanOrEqualTo(250));
        assertThat(imports.size()).isLessThan(15);
        assertThat(FAKE.importedEmails()).hasSize(expected.size());
        assertThat(FAKE.apiRequests("POST", "/contacts")).isEmpty();

        // the skipped ones, with reasons
        List<CSVRecord> failed = report(summary, "failed-rows");
        assertThat(failed).extracting(r -> r.get("code")).containsOnly("NO_EMAIL", "NO_CONSENT", "CONSENT_PENDING",
                "TOO_LONG");
        assertThat(failed).filteredOn(r -> r.get("code").equals("TOO_LONG")).extracting(r -> r.get("message"))
                .allSatisfy(m -> assertThat(m).contains("email has", "at most 50"));
        // pending: whatever the consent rule, never sent before the person confirms
        assertThat(failed).filteredOn(r -> r.get("code").equals("CONSENT_PENDING")).extracting(r -> r.get("email"))
                .contains("bjorn.odegard@mail.example.net", "wei.chen@example.net");
        assertThat(failed).filteredOn(r -> r.get("code").equals("NO_EMAIL")).extracting(r -> r.get("first_name"))
                .containsExactly("Kenji");
        assertThat(failed.get(0).get("message")).isNotBlank();
        assertThat(count(summary, "skipped")).isEqualTo(failed.size());
        assertThat(report(summary, "created")).hasSize(expected.size());
        long noEmail = jdbc.sql("select count(*) from contact where email is null").query(Long.class).single();
        assertThat(failed).filteredOn(r -> r.get("code").equals("NO_EMAIL")).hasSize((int) noEmail);
    }

    @Test
    void aSecondPushSendsNothingAndAfterThreeChangesOnlyThoseThree() throws Exception {
        push(context, "--profile", profile.toString());
        FAKE.clearRecorded();

        JsonNode second = push(context, "--profile", profile.toString());

        assertThat(count(second, "unchanged")).isEqualTo(sendable(jdbc).size());
        assertThat(count(second, "created") + count(second, "updated") + count(second, "removed")).isZero();
        assertThat(FAKE.apiRequests().stream().filter(r -> !r.method().equals("GET")).toList())
                .as("no contact data, nothing that changes the account").isEmpty();
        // lists, custom fields, unsubscribes, the account's changes since the last read
        assertThat(FAKE.apiRequests()).hasSizeLessThanOrEqualTo(4);

        List<String> changed = jdbc.sql("""
                update contact set job_title = 'Changed ' || id
                where id in (select id from contact where email is not null and length(email) <= 50
                             and consent_state = 'confirmed' order by id limit 3)
                returning lower(email)""").query(String.class).list();
        FAKE.clearRecorded();

        JsonNode third = push(context, "--profile", profile.toString());

        assertThat(count(third, "updated")).isEqualTo(3);
        assertThat(lower(FAKE.importedEmails())).isEqualTo(new TreeSet<>(changed));
        assertThat(FAKE.contactFields(changed.get(0)).get("job_title")).startsWith("Changed ");
        assertThat(report(third, "updated")).extracting(r -> r.get("email").toLowerCase()).containsExactlyInAnyOrderElementsOf(changed);
    }

    @Test
    void unsubscribesComeBackAndAreNeverSentAgain() throws Exception {
        push(context, "--profile", profile.toString());
        List<String> leaving = List.of("zoe.oconnor@example.net", "amelia.hart@example.com", "thao.nguyen@example.com");
        leaving.forEach(FAKE::unsubscribe);
        // they change here too, so an unchanged hash is not what keeps them from being sent
        jdbc.sql("update contact set job_title = 'Changed' where lower(email) in ('zoe.oconnor@example.net',"
                + " 'amelia.hart@example.com', 'thao.nguyen@example.com', 'jose.ramirez@example.org')").update();
        FAKE.clearRecorded();

        JsonNode second = push(context, "--profile", profile.toString());

        assertThat(count(second, "unsubscribes")).isEqualTo(3);
        var pull = FAKE.apiRequests("GET", "/contacts").get(0);
        assertThat(pull.query()).contains("status=unsubscribed").contains("optout_after=").doesNotContain("updated_after");
        assertThat(lower(FAKE.importedEmails())).containsExactly("jose.ramirez@example.org");
        assertThat(jdbc.sql("select count(*) from contact where cc_unsubscribed").query(Long.class).single()).isEqualTo(3);
        assertThat(report(second, "unsubscribes")).extracting(r -> r.get("email")).containsExactlyInAnyOrderElementsOf(leaving);
        assertThat(report(second, "failed-rows")).filteredOn(r -> r.get("code").equals("UNSUBSCRIBED"))
                .extracting(r -> r.get("email")).containsExactlyInAnyOrderElementsOf(leaving);
        for (String email : leaving) {
            assertThat(FAKE.contactFields(email)).containsEntry("permission_to_send", "unsubscribed");
            assertThat(FAKE.listMembers("Active Members")).doesNotContain(email);
        }

        FAKE.clearRecorded();
        JsonNode third = push(context, "--profile", profile.toString());
        assertThat(count(third, "unsubscribes")).isZero();
        assertThat(FAKE.importedEmails()).isEmpty();
    }

    @Test
    void theManagedListHoldsExactlyTheSelectionAndTheDroppedLeaveOnlyTheListsThisProgramPutThemOn() throws Exception {
        push(context, "--profile", profile.toString());
        List<String> dropped = jdbc.sql("""
                update contact set consent_state = case when id % 2 = 0 then null else consent_state end,
                                   active = case when id % 2 = 1 then false else active end
                where id in (select id from contact where consent_state = 'confirmed' and 'Volunteers' = any(groups)
                             and length(email) <= 50 order by id limit 4)
                returning lower(email)""").query(String.class).list();
        FAKE.createList("Hand-made");
        FAKE.addToList(dropped.get(0), "Hand-made");
        FAKE.clearRecorded();

        JsonNode second = push(context, "--profile", profile.toString());

        assertThat(count(second, "removed")).isEqualTo(4);
        assertThat(FAKE.listMembers("Active Members")).isEqualTo(sendable(jdbc)).doesNotContainAnyElementsOf(dropped);
        // deactivated or consent unknown: off every list this program put them on (issue 9, point 5), not unsubscribed,
        // and never off a list someone made by hand
        assertThat(FAKE.listMembers("Volunteers")).doesNotContainAnyElementsOf(dropped);
        assertThat(FAKE.listMembers("Hand-made")).containsExactly(dropped.get(0));
        Set<String> ours = new HashSet<>();
        jdbc.sql("select cast(cc_list_id as text) from cc_list").query(String.class).list().forEach(ours::add);
        var removals = FAKE.apiRequests("POST", "/activities/remove_list_memberships");
        assertThat(removals).isNotEmpty().allSatisfy(r -> assertThat(r.json().get("list_ids").valueStream()
                .map(JsonNode::asString).toList()).isSubsetOf(ours).isNotEmpty());
        assertThat(dropped).allSatisfy(email -> assertThat(FAKE.contact(email).orElseThrow().get("email_address")
                .get("permission_to_send").asString()).isNotEqualTo("unsubscribed"));
        assertThat(report(second, "removed")).extracting(r -> r.get("email").toLowerCase()).containsExactlyInAnyOrderElementsOf(dropped);
    }

    @Test
    void aDryRunWritesThePlanAndChangesNothing() throws Exception {
        JsonNode plan = push(context, "--profile", profile.toString(), "--dry-run");

        assertThat(plan.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(FAKE.apiRequests()).allSatisfy(r -> assertThat(r.method()).isEqualTo("GET"));
        assertThat(FAKE.listNames()).isEmpty();
        assertThat(jdbc.sql("select count(*) from contact where cc_hash is not null").query(Long.class).single()).isZero();
        List<CSVRecord> rows = report(plan, "plan");
        assertThat(rows).filteredOn(r -> r.get("action").equals("create")).hasSize(sendable(jdbc).size());
        assertThat(rows).filteredOn(r -> r.get("action").equals("skip")).isNotEmpty();
        assertThat(count(plan, "created")).isEqualTo(sendable(jdbc).size());
        assertThat(plan.get("message").asString()).contains("Dry run");

        push(context, "--profile", profile.toString());
        jdbc.sql("update contact set active = false where id in (select id from contact where email is not null and length(email) <= 50 and consent_state = 'confirmed' order by id limit 2)").update();
        jdbc.sql("update contact set company = 'New Co' where id in (select id from contact where email is not null and length(email) <= 50 and consent_state = 'confirmed' and active order by id limit 1)").update();
        FAKE.clearRecorded();

        JsonNode second = push(context, "--profile", profile.toString(), "--dry-run");

        assertThat(FAKE.apiRequests()).allSatisfy(r -> assertThat(r.method()).isEqualTo("GET"));
        assertThat(report(second, "plan")).filteredOn(r -> r.get("action").startsWith("take off Active Members")).hasSize(2);
        assertThat(report(second, "plan")).filteredOn(r -> r.get("action").equals("update")).hasSize(1);
        assertThat(FAKE.listMembers("Active Members")).hasSize(sendable(jdbc).size() + 2);
    }

    @Test
    void ofSeveralContactsWithOneEmailTheFirstWinsAndTheOthersAreListedAsIgnored() throws Exception {
        jdbc.sql("""
                insert into contact (email, first_name, consent_state) values
                  ('twin@example.com', 'First', 'confirmed'), (' twin@example.com ', 'Second', 'confirmed')""").update();

        JsonNode summary = push(context, "--profile", profile.toString());

        assertThat(count(summary, "ignored")).isEqualTo(1);
        assertThat(FAKE.contactFields("twin@example.com")).containsEntry("first_name", "First");
        assertThat(report(summary, "warnings")).singleElement().satisfies(r -> {
            assertThat(r.get("code")).isEqualTo("DUPLICATE_EMAIL");
            assertThat(r.get("first_name")).isEqualTo("Second");
        });
    }

    /**
     * The debug log switch is no part of a run's identity: switched on to look into an interrupted run, the same
     * command continues that run (with the log) rather than starting another and leaving it unfinished.
     */
    @Test
    void switchingTheDebugLogOnContinuesTheInterruptedRun() throws Exception {
        Path profileFile = PushFixtures.profile(dir, "looked-into", "");
        FAKE.failNext(1, null, 400, "[{\"error_key\":\"bad.request\",\"error_message\":\"refused by the test\"}]");
        var failed = CliAccess.run(context, "cc", "push", "--json", "--no-progress", "--profile", profileFile.toString());
        assertThat(failed.exitCode()).as("the push fails, to be continued").isEqualTo(1);
        long instance = jdbc.sql("select job_instance_id from batch_job_execution order by job_execution_id desc limit 1")
                .query(Long.class).single();
        PushFixtures.profile(dir, "looked-into", "debug-log: true\n");

        JsonNode summary = push(context, "--profile", profileFile.toString());

        assertThat(summary.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(jdbc.sql("select job_instance_id from batch_job_execution where job_execution_id = :e")
                .param("e", summary.get("executionId").asLong()).query(Long.class).single())
                .as("the interrupted run, continued").isEqualTo(instance);
        assertThat(summary.get("reports").has("debug-log")).isTrue();
    }

    /** Issue 10: debug-log: true writes one line per request the account received, without tokens or contact data. */
    @Test
    void aProfileWithDebugLogListsEveryRequestWithoutTokensOrContactData() throws Exception {
        Path debug = PushFixtures.profile(dir, "debug-sync", "debug-log: true\n");
        FAKE.clearRecorded();

        JsonNode summary = push(context, "--profile", debug.toString());

        assertThat(summary.get("status").asString()).isEqualTo("COMPLETED");
        List<FakeConstantContact.Recorded> received = FAKE.requests();
        List<CSVRecord> lines = PushFixtures.report(summary, "debug-log");
        assertThat(received).hasSizeGreaterThan(5);
        assertThat(lines).hasSameSizeAs(received);
        for (int i = 0; i < lines.size(); i++) {
            CSVRecord line = lines.get(i);
            FakeConstantContact.Recorded request = received.get(i);
            assertThat(line.get("method") + " " + line.get("path").replaceFirst("\\?.*", "") + " " + line.get("status"))
                    .as("line %d", i + 1).isEqualTo(request.method() + " " + request.path() + " " + request.status());
            if (request.query() != null && !request.query().matches(".*(email|name)=.*")) {
                assertThat(line.get("path")).isEqualTo(request.path() + "?" + request.query());
            }
            assertThat(Long.parseLong(line.get("ms"))).isNotNegative();
            assertThat(java.time.Instant.parse(line.get("timestamp"))).isBetween(
                    request.receivedAt().minusSeconds(5), request.receivedAt());
        }
        String text = Files.readString(Path.of(summary.get("reports").get("debug-log").asString()));
        assertThat(text).doesNotContainPattern("[A-Za-z0-9._%+-]+(@|%40)[A-Za-z0-9.-]+")
                .doesNotContain("Bearer");
        for (String token : FAKE.liveAccessTokens()) {
            assertThat(text).doesNotContain(token);
        }
        assertThat(text).doesNotContain(tokenStore.load().orElseThrow().refreshToken());
        long execution = summary.get("executionId").asLong();
        assertThat(CliAccess.run(context, "jobs", "show", Long.toString(execution)).out()).contains("debug-log");

        // off by default: a run of a profile without the switch writes none
        assertThat(push(context, "--profile", profile.toString()).get("reports").has("debug-log")).isFalse();
    }

    @Test
    void optionsChangeOneRunAndNeverTheProfile() throws Exception {
        String before = java.nio.file.Files.readString(profile);

        JsonNode summary = push(context, "--profile", profile.toString(), "--lifecycle-stage", "member",
                "--managed-list", "Members Only", "--group-lists", "none");

        assertThat(java.nio.file.Files.readString(profile)).isEqualTo(before);
        assertThat(FAKE.listNames()).containsExactly("Members Only");
        Set<String> members = new TreeSet<>(jdbc.sql("""
                select lower(email) from contact where lifecycle_stage = 'member' and email is not null
                  and length(email) <= 50 and consent_state in ('confirmed', 'unconfirmed')""").query(String.class).list());
        assertThat(FAKE.listMembers("Members Only")).isEqualTo(members);
        assertThat(count(summary, "created")).isEqualTo(members.size());
    }

    @Test
    void pullMarksWhoUnsubscribedInConstantContact() throws Exception {
        push(context, "--profile", profile.toString());
        FAKE.unsubscribe("zoe.oconnor@example.net");
        FAKE.unsubscribe("jose.ramirez@example.org");

        var result = org.contactbatch.constantcontact.CliAccess.run(context, "cc", "pull", "--json");

        assertThat(result.exitCode()).isZero();
        JsonNode summary = tools.jackson.databind.json.JsonMapper.shared().readTree(result.out());
        assertThat(count(summary, "unsubscribes")).isEqualTo(2);
        assertThat(report(summary, "unsubscribes")).extracting(r -> r.get("email"))
                .containsExactly("jose.ramirez@example.org", "zoe.oconnor@example.net");
        assertThat(jdbc.sql("select lower(email) from contact where cc_unsubscribed order by 1").query(String.class).list())
                .containsExactly("jose.ramirez@example.org", "zoe.oconnor@example.net");
        var again = org.contactbatch.constantcontact.CliAccess.run(context, "cc", "pull", "--json");
        assertThat(count(tools.jackson.databind.json.JsonMapper.shared().readTree(again.out()), "unsubscribes")).isZero();
    }

    @Test
    void selectsByListAndTag() {
        jdbc.sql("insert into contact_list (name) values ('Newsletter')").update();
        List<String> readers = jdbc.sql("""
                select lower(email) from contact
                where email is not null and length(email) <= 50 and consent_state = 'confirmed' order by id limit 3""")
                .query(String.class).list();
        jdbc.sql("""
                insert into contact_list_member (list_id, contact_id)
                select l.id, c.id from contact_list l, contact c where l.name = 'Newsletter' and lower(c.email) in (:emails)""")
                .param("emails", readers).update();
        String tagged = jdbc.sql("""
                update contact set tags = '{cc-test-tag}' where id = (select max(id) from contact
                  where email is not null and length(email) <= 50 and consent_state = 'confirmed') returning lower(email)""")
                .query(String.class).single();

        push(context, "--list", "newsletter", "--managed-list", "News");
        push(context, "--tag", "cc-test-tag", "--managed-list", "VIP");

        assertThat(FAKE.listMembers("News")).containsExactlyInAnyOrderElementsOf(readers);
        assertThat(FAKE.listMembers("VIP")).containsExactly(tagged);
    }

    @Test
    void contactsConstantContactRefusesAreReportedWithItsMessageAndSentAgainNextTime() throws Exception {
        FAKE.activityErrorsAsObjects(true).refuseEmails("zoe.oconnor@example.net", "amelia.hart@example.com");

        JsonNode first = push(context, "--profile", profile.toString());

        assertThat(first.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(count(first, "failed")).isEqualTo(2);
        List<CSVRecord> refused = report(first, "failed-rows").stream().filter(r -> r.get("code").equals("CC_REJECTED")).toList();
        assertThat(refused).extracting(r -> r.get("email"))
                .containsExactlyInAnyOrder("zoe.oconnor@example.net", "amelia.hart@example.com");
        assertThat(refused).allSatisfy(r -> assertThat(r.get("message")).startsWith("Line ").contains("do-not-mail list"));
        assertThat(FAKE.listMembers("Active Members")).doesNotContain("zoe.oconnor@example.net");
        FAKE.refuseEmails();
        FAKE.clearRecorded();

        JsonNode second = push(context, "--profile", profile.toString());

        assertThat(lower(FAKE.importedEmails())).containsExactlyInAnyOrder("zoe.oconnor@example.net", "amelia.hart@example.com");
        assertThat(count(second, "failed")).isZero();
        assertThat(FAKE.listMembers("Active Members")).isEqualTo(sendable(jdbc));
    }
}
