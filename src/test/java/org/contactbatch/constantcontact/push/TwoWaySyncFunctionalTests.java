package org.contactbatch.constantcontact.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.contactbatch.constantcontact.push.PushFixtures.count;
import static org.contactbatch.constantcontact.push.PushFixtures.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVRecord;
import org.contactbatch.constantcontact.CcTestSupport;
import org.contactbatch.constantcontact.CliAccess;
import org.contactbatch.constantcontact.fake.FakeConstantContact;
import org.contactbatch.support.Cli;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A profile's field mapping and the conflicts of a two-way sync, against the fake over HTTP: the newer edit of a field
 * changed on both sides wins and conflicts.csv keeps the other; an unsubscribe wins over any edit; a pull profile never
 * writes to the account; a field mapped one way never goes the other.
 */
class TwoWaySyncFunctionalTests extends CcTestSupport {

    @TempDir
    Path dir;

    Path profile;

    @BeforeEach
    void aConnectedAccountAndATwoWayProfile() throws Exception {
        connect();
        profile = profile("two-way.yml", """
                managed-list: Active Members
                direction: both
                since: 2020-01-01
                group-lists: none
                custom-fields:
                  lifecycle_stage: Lifecycle Stage
                """);
    }

    @Test
    void aFieldEditedOnBothSidesGoesToTheNewerEditAndConflictsCsvKeepsTheOther() throws Exception {
        here("ann@example.com", "Ann", "Nurse", "Leeds");
        here("bob@example.com", "Bob", "Clerk", "York");
        synced(sync(profile));
        // Ann: edited here, then there (Constant Contact's edit is newer); Bob: edited there, then here (ours is newer)
        editHere("ann@example.com", "job_title", "Matron", Instant.now().minus(Duration.ofMinutes(5)));
        FAKE.editField("ann@example.com", "job_title", "Ward Sister");
        FAKE.editField("bob@example.com", "job_title", "Cashier");
        editHere("bob@example.com", "job_title", "Manager", FAKE.updatedAt("bob@example.com").plus(Duration.ofMinutes(5)));
        // a field changed on one side only is no conflict: it is taken as it is
        FAKE.editField("ann@example.com", "first_name", "Anne");
        FAKE.clearRecorded();

        JsonNode synced = sync(profile);

        assertThat(synced.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(synced.get("push").get("status").asString()).isEqualTo("COMPLETED");
        assertThat(count(synced, "conflicts")).isEqualTo(2);
        assertThat(count(synced, "updated")).as("Ann's newer edits there came here").isEqualTo(1);
        assertThat(jobTitleHere("ann@example.com")).isEqualTo("Ward Sister");
        assertThat(jdbc.sql("select first_name from contact where email = 'ann@example.com'").query(String.class).single())
                .isEqualTo("Anne");
        assertThat(jobTitleHere("bob@example.com")).isEqualTo("Manager");
        // the push sent Bob's newer edit, and not Ann back to the account that gave her edits (no echo)
        assertThat(FAKE.contactFields("bob@example.com")).containsEntry("job_title", "Manager");
        assertThat(FAKE.contactFields("ann@example.com")).containsEntry("job_title", "Ward Sister")
                .containsEntry("first_name", "Anne");
        assertThat(FAKE.importedEmails()).containsExactly("bob@example.com");
        assertThat(FAKE.apiRequests()).noneMatch(r -> r.method().equals("PUT") || r.method().equals("DELETE"));
        List<CSVRecord> conflicts = report(synced, "conflicts");
        assertThat(conflicts).hasSize(2);
        assertThat(conflicts.get(0).toMap()).containsEntry("email", "ann@example.com").containsEntry("field", "job_title")
                .containsEntry("value_here", "Matron").containsEntry("value_there", "Ward Sister")
                .containsEntry("won", "Constant Contact").containsEntry("id", idHere("ann@example.com"))
                .containsEntry("cc_contact_id", FAKE.contactId("ann@example.com"));
        assertThat(conflicts.get(1).toMap()).containsEntry("email", "bob@example.com").containsEntry("field", "job_title")
                .containsEntry("value_here", "Manager").containsEntry("value_there", "Cashier").containsEntry("won", "here")
                .containsEntry("id", idHere("bob@example.com"));
        assertThat(jdbc.sql("select count(*) from cc_pull_conflict").query(Long.class).single()).isEqualTo(2);
        // the sync log counts them, as jobs show prints it
        String shown = CliAccess.run(context, "jobs", "show", synced.get("executionId").asString()).out();
        assertThat(shown).contains("conflicts 2", "conflicts.csv");
        FAKE.clearRecorded();

        JsonNode quiet = sync(profile);

        assertThat(count(quiet, "conflicts")).isZero();
        assertThat(count(quiet, "read")).as("the push's own writes are not read back as changes").isZero();
        assertThat(FAKE.importedEmails()).as("a quiet night sends nobody").isEmpty();
        assertThat(jobTitleHere("bob@example.com")).isEqualTo("Manager");
    }

    @Test
    void anUnsubscribeOnEitherSideWinsOverANewerEditOnTheOther() throws Exception {
        here("cy@example.com", "Cy", "Baker", "Hull");
        here("dee@example.com", "Dee", "Vet", "Ely");
        synced(sync(profile));
        // Cy unsubscribed there, then was edited here, later; Dee opted out here, then was edited there, later
        FAKE.unsubscribe("cy@example.com");
        editHere("cy@example.com", "job_title", "Head Baker", Instant.now().plus(Duration.ofMinutes(5)));
        jdbc.sql("update contact set consent_state = 'opted_out', updated_at = :at where email = 'dee@example.com'")
                .param("at", Timestamp.from(Instant.now().minus(Duration.ofMinutes(5)))).update();
        FAKE.editField("dee@example.com", "job_title", "Surgeon");
        FAKE.clearRecorded();

        JsonNode synced = sync(profile);

        assertThat(synced.get("push").get("status").asString()).isEqualTo("COMPLETED");
        assertThat(count(synced, "unsubscribes")).isEqualTo(1);
        // Cy stays unsubscribed in the account and is marked so here: the newer edit sends nothing
        assertThat(FAKE.contactFields("cy@example.com")).containsEntry("permission_to_send", "unsubscribed")
                .containsEntry("job_title", "Baker");
        assertThat(jdbc.sql("select cc_unsubscribed from contact where email = 'cy@example.com'").query(Boolean.class)
                .single()).isTrue();
        // Dee's opt-out here unsubscribes her there, whatever the account's newer edit says; her consent stays
        assertThat(FAKE.contactFields("dee@example.com")).containsEntry("permission_to_send", "unsubscribed");
        assertThat(jdbc.sql("select consent_state from contact where email = 'dee@example.com'").query(String.class)
                .single()).isEqualTo("opted_out");
        assertThat(FAKE.importedEmails()).isEmpty();
        FAKE.clearRecorded();

        JsonNode next = sync(profile);

        assertThat(FAKE.importedEmails()).isEmpty();
        assertThat(FAKE.contactFields("cy@example.com")).containsEntry("permission_to_send", "unsubscribed");
        assertThat(FAKE.contactFields("dee@example.com")).containsEntry("permission_to_send", "unsubscribed");
        assertThat(next.get("push").get("status").asString()).isEqualTo("COMPLETED");
    }

    @Test
    void aPullProfileNeverWritesToTheAccount() throws Exception {
        here("eve@example.com", "Eve", "Pilot", "Bath");
        synced(sync(profile));
        Path pullOnly = profile("pull-only.yml", """
                direction: pull
                since: 2020-01-01
                custom-fields:
                  lifecycle_stage: {label: Lifecycle Stage, direction: both}
                """);
        String permission = FAKE.contactFields("eve@example.com").get("permission_to_send");
        editHere("eve@example.com", "city", "Wells", Instant.now());
        jdbc.sql("update contact set consent_state = 'opted_out' where email = 'eve@example.com'").update();
        FAKE.editField("eve@example.com", "job_title", "Captain");
        FAKE.createInWebsite("fay@example.com", "explicit", Map.of("first_name", "Fay", "cf:Lifecycle Stage", "lead"));
        FAKE.clearRecorded();

        JsonNode pulled = sync(pullOnly);

        assertThat(pulled.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(pulled.has("push")).isFalse();
        assertThat(count(pulled, "created")).isEqualTo(1);
        assertThat(count(pulled, "updated")).isEqualTo(1);
        assertThat(jobTitleHere("eve@example.com")).isEqualTo("Captain");
        assertThat(jdbc.sql("select lifecycle_stage from contact where email = 'fay@example.com'").query(String.class).single())
                .isEqualTo("lead");
        // no write of any kind: neither the changed city, nor the opt-out, nor a list, a field or an import
        assertThat(FAKE.apiRequests()).isNotEmpty()
                .allSatisfy(r -> assertThat(r.method()).as(r.method() + " " + r.path()).isEqualTo("GET"));
        assertThat(permission).isNotEqualTo("unsubscribed");
        assertThat(FAKE.contactFields("eve@example.com")).containsEntry("city", "Bath")
                .containsEntry("permission_to_send", permission);
    }

    @Test
    void aFieldMappedPullIsNeverSentAndOneMappedPushIsNeverWrittenHere() throws Exception {
        Path oneWay = profile("one-way-fields.yml", """
                managed-list: Active Members
                direction: both
                since: 2020-01-01
                group-lists: none
                fields:
                  job_title: pull
                  city: push
                  phone: push
                custom-fields:
                  lifecycle_stage: {label: Lifecycle Stage, direction: push}
                """);
        here("gus@example.com", "Gus", "Porter", "Leeds");
        JsonNode first = sync(oneWay);

        assertThat(first.get("push").get("status").asString()).isEqualTo("COMPLETED");
        assertThat(importRows()).singleElement().satisfies(row -> {
            assertThat(row.path("city").asString()).isEqualTo("Leeds");
            assertThat(row.has("job_title")).as("job_title is mapped pull: never sent").isFalse();
        });
        FAKE.editField("gus@example.com", "job_title", "Head Porter");
        FAKE.editField("gus@example.com", "city", "Bath");
        editHere("gus@example.com", "job_title", "Doorman", FAKE.updatedAt("gus@example.com").plus(Duration.ofMinutes(5)));
        FAKE.createInWebsite(null, "not_set", Map.of("first_name", "Hal", "phone", "+44 20 7946 0001"));
        FAKE.clearRecorded();

        JsonNode synced = sync(oneWay);

        // job_title comes here (mapped pull: the account's, whatever the edit here); city never does (mapped push)
        assertThat(jobTitleHere("gus@example.com")).isEqualTo("Head Porter");
        assertThat(jdbc.sql("select city from contact where email = 'gus@example.com'").query(String.class).single())
                .isEqualTo("Leeds");
        assertThat(count(synced, "conflicts")).as("a one-way field has no conflicts").isZero();
        // and the push puts back the city the account changed, without the job title
        assertThat(FAKE.contactFields("gus@example.com")).containsEntry("city", "Leeds").containsEntry("job_title", "Head Porter");
        assertThat(importRows()).allSatisfy(row -> assertThat(row.has("job_title")).isFalse());
        // a contact without an email, whose phone the profile does not pull, cannot be a contact here
        assertThat(report(synced, "skipped")).singleElement().satisfies(r -> {
            assertThat(r.get("code")).isEqualTo("NOT_MAPPABLE");
            assertThat(r.get("reason")).contains("no email", "does not pull its phone");
        });
        assertThat(jdbc.sql("select count(*) from contact where first_name = 'Hal'").query(Long.class).single()).isZero();
        // the audit holds the account to what the push sends: a job title of its own there is no drift
        FAKE.editField("gus@example.com", "job_title", "Chief Porter");

        Cli.Result audit = CliAccess.run(context, "cc", "audit", "--profile", oneWay.toString(), "--json");

        assertThat(count(JsonMapper.shared().readTree(audit.out()), "field_difference")).isZero();
        FAKE.editField("gus@example.com", "last_name", "Leigh");
        assertThat(count(JsonMapper.shared().readTree(CliAccess.run(context, "cc", "audit", "--profile", oneWay.toString(),
                "--json").out()), "field_difference")).as("a pushed field still is").isEqualTo(1);
    }

    @Test
    void anUnknownFieldInTheProfileIsRefusedInOneLineNamingTheFileAndTheKey() throws Exception {
        Path typo = profile("typo.yml", """
                direction: both
                since: 2020-01-01
                fields:
                  jobtitle: pull
                """);
        Path badLabel = profile("bad-key.yml", """
                direction: both
                since: 2020-01-01
                custom-fields:
                  member_no: {lable: Member Number}
                """);
        for (Path file : List.of(typo, badLabel)) {
            FAKE.clearRecorded();

            Cli.Result result = CliAccess.run(context, "cc", "sync", "--profile", file.toString(), "--no-progress");

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.err().strip().lines()).singleElement().satisfies(line -> assertThat(line)
                    .contains(file.toString()).contains(file == typo ? "jobtitle" : "lable"));
            assertThat(FAKE.apiRequests()).isEmpty();
        }
    }

    private Path profile(String name, String yaml) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }

    private void here(String email, String first, String job, String city) {
        jdbc.sql("""
                insert into contact (email, first_name, last_name, job_title, city, consent_state, lifecycle_stage)
                values (:email, :first, 'Lee', :job, :city, 'confirmed', 'member')""")
                .param("email", email).param("first", first).param("job", job).param("city", city).update();
    }

    /** An edit here, made at that time (updated_at is what a conflict is decided by). */
    private void editHere(String email, String column, String value, Instant at) {
        jdbc.sql("update contact set " + column + " = :value, version = version + 1, updated_at = :at where email = :email")
                .param("value", value).param("at", Timestamp.from(at)).param("email", email).update();
    }

    private String jobTitleHere(String email) {
        return jdbc.sql("select job_title from contact where email = :email").param("email", email).query(String.class).single();
    }

    private String idHere(String email) {
        return jdbc.sql("select id::text from contact where email = :email").param("email", email).query(String.class).single();
    }

    /** Every contact of every import the fake took since it was last cleared. */
    private static List<JsonNode> importRows() {
        List<JsonNode> rows = new ArrayList<>();
        for (FakeConstantContact.Recorded r : FAKE.apiRequests("POST", "/activities/contacts_json_import")) {
            r.json().path("import_data").forEach(rows::add);
        }
        return rows;
    }

    private static void synced(JsonNode summary) {
        assertThat(summary.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(summary.get("push").get("status").asString()).isEqualTo("COMPLETED");
    }

    private JsonNode sync(Path file) {
        Cli.Result result = CliAccess.run(context, "cc", "sync", "--profile", file.toString(), "--json", "--no-progress");
        assertThat(result.err()).as("stderr").isEmpty();
        return JsonMapper.shared().readTree(result.out());
    }
}
