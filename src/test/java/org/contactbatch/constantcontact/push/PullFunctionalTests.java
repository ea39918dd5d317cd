package org.contactbatch.constantcontact.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.contactbatch.constantcontact.push.PushFixtures.count;
import static org.contactbatch.constantcontact.push.PushFixtures.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVRecord;
import org.contactbatch.constantcontact.CcTestSupport;
import org.contactbatch.constantcontact.CliAccess;
import org.contactbatch.constantcontact.fake.FakeConstantContact;
import org.contactbatch.support.ChildJvm;
import org.contactbatch.support.Cli;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pull: contacts created, edited, deleted, unsubscribed and subscribed again in Constant Contact's website come
 * here; the sync log says what each became, one file a count; a pull stopped half-way continues with nothing read
 * or applied twice. A handful of contacts each (the sample data is the push's business), one context for all.
 */
class PullFunctionalTests extends CcTestSupport {

    private static final String QUOTA = "{\"error_key\":\"quota_exceeded\",\"error_message\":\"Limit Exceeded\"}";

    @TempDir
    Path dir;

    Path profile;

    @Autowired
    Environment environment;

    @BeforeEach
    void aConnectedAccountAndAProfileThatPulls() throws Exception {
        connect();
        profile = dir.resolve("two-way.yml");
        Files.writeString(profile, """
                managed-list: Active Members
                direction: both
                since: 2020-01-01
                consent: [confirmed, unconfirmed]
                group-lists: none
                custom-fields:
                  lifecycle_stage: {label: Lifecycle Stage, direction: both}
                  member_no: {label: Member Number, direction: both}
                """, StandardCharsets.UTF_8);
    }

    @Test
    void createdEditedAndDeletedThereComeHereAndTheNextPullStartsWhereThisOneEnded() throws Exception {
        here("ann@example.com", "Ann", "Nurse", "Leeds", "{}");
        here("bob@example.com", "Bob", "Clerk", "York", "{\"member_no\": \"7\"}");
        assertThat(run("cc", "push", "--profile", profile.toString()).exitCode()).isZero();
        FAKE.clearRecorded();
        Map<String, String> nia = new LinkedHashMap<>();
        nia.put("first_name", "Nia");
        nia.put("last_name", "Obi");
        nia.put("job_title", "Chef");
        nia.put("phone", "+44 20 7946 0958");
        nia.put("street", "1 High St");
        nia.put("city", "Bath");
        nia.put("zip", "BA1 1AA");
        nia.put("country", "GB");
        nia.put("cf:Lifecycle Stage", "customer");
        nia.put("cf:Member Number", "42");
        String niaId = FAKE.createInWebsite("nia@example.com", "explicit", nia);
        FAKE.createInWebsite(null, "not_set", Map.of("first_name", "Nobody"));
        FAKE.createInWebsite("odd@example.com", "implicit", Map.of("cf:Lifecycle Stage", "alien"));
        FAKE.editField("bob@example.com", "job_title", "Manager");
        FAKE.editField("bob@example.com", "city", null);
        FAKE.editCustomField("bob@example.com", "Member Number", "8");
        FAKE.deleteContact("ann@example.com");
        Instant latest = FAKE.updatedAt("ann@example.com");
        int bobVersion = jdbc.sql("select version from contact where email = 'bob@example.com'").query(Integer.class).single();

        JsonNode pulled = json(run("cc", "pull", "--profile", profile.toString(), "--json"));

        assertThat(pulled.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(count(pulled, "created")).isEqualTo(1);
        assertThat(count(pulled, "updated")).isEqualTo(1);
        assertThat(count(pulled, "deleted")).isEqualTo(1);
        assertThat(count(pulled, "skipped")).isEqualTo(2);
        assertThat(count(pulled, "read")).isEqualTo(5);
        // created here, with the account's consent and the time it was given
        Map<String, Object> created = jdbc.sql("select * from contact where email = 'nia@example.com'").query().singleRow();
        assertThat(created).containsEntry("first_name", "Nia").containsEntry("last_name", "Obi")
                .containsEntry("job_title", "Chef").containsEntry("phone", "+44 20 7946 0958")
                .containsEntry("phone_e164", "+442079460958").containsEntry("street", "1 High St")
                .containsEntry("city", "Bath").containsEntry("postal_code", "BA1 1AA").containsEntry("country", "GB")
                .containsEntry("lifecycle_stage", "customer").containsEntry("consent_state", "confirmed")
                .containsEntry("consent_source", "Constant Contact").containsEntry("active", true);
        assertThat(created.get("cc_contact_id").toString()).isEqualTo(niaId);
        assertThat(((Timestamp) created.get("consent_at")).toInstant())
                .isEqualTo(Instant.parse(FAKE.contact("nia@example.com").orElseThrow().path("email_address")
                        .path("opt_in_date").asString()));
        assertThat(JsonMapper.shared().readTree(created.get("custom_fields").toString()).path("member_no").asString())
                .isEqualTo("42");
        // updated in the mapped fields; a field cleared there (it had been sent) is cleared here
        Map<String, Object> bob = jdbc.sql("select job_title, city, custom_fields::text as cf, version from contact where email = 'bob@example.com'")
                .query().singleRow();
        assertThat(bob).containsEntry("job_title", "Manager").containsEntry("version", bobVersion + 1);
        assertThat(bob.get("city")).isNull();
        assertThat(JsonMapper.shared().readTree(bob.get("cf").toString()).path("member_no").asString()).isEqualTo("8");
        // deleted there: deactivated here, the row kept
        assertThat(jdbc.sql("select active from contact where email = 'ann@example.com'").query(Boolean.class).single()).isFalse();
        // the files say which contact became what, and why
        List<CSVRecord> createdCsv = report(pulled, "created");
        assertThat(createdCsv).singleElement().satisfies(r -> {
            assertThat(r.get("name")).isEqualTo("Nia Obi");
            assertThat(r.get("email")).isEqualTo("nia@example.com");
            assertThat(r.get("id")).isEqualTo(created.get("id").toString());
            assertThat(r.get("cc_contact_id")).isEqualTo(niaId);
            assertThat(r.get("reason")).contains("created in Constant Contact", "consent confirmed");
        });
        assertThat(report(pulled, "updated")).singleElement().satisfies(r -> {
            assertThat(r.get("email")).isEqualTo("bob@example.com");
            assertThat(r.get("cc_contact_id")).isEqualTo(FAKE.contactId("bob@example.com"));
            assertThat(r.get("reason")).contains("job_title", "city", "member_no");
        });
        assertThat(report(pulled, "deleted")).singleElement().satisfies(r -> {
            assertThat(r.get("email")).isEqualTo("ann@example.com");
            assertThat(r.get("reason")).contains("deleted in Constant Contact", "deactivated here");
        });
        List<CSVRecord> skipped = report(pulled, "skipped");
        assertThat(skipped).extracting(r -> r.get("code")).containsExactly("NOT_MAPPABLE", "NOT_MAPPABLE");
        assertThat(skipped).extracting(r -> r.get("reason")).anySatisfy(m -> assertThat(m).contains("neither an email nor a phone"))
                .anySatisfy(m -> assertThat(m).contains("lifecycle stage 'alien'"));
        assertThat(jdbc.sql("select count(*) from contact where email = 'odd@example.com'").query(Long.class).single()).isZero();
        // what was asked: changes since the profile's since:, deleted ones since then; never a write to the account
        String since = LocalDate.parse("2020-01-01").atStartOfDay(ZoneId.systemDefault()).toInstant().toString();
        List<Map<String, String>> asked = contactQueries();
        assertThat(asked).contains(Map.of("updated_after", since, "include",
                "custom_fields,list_memberships,phone_numbers,street_addresses", "include_count", "true", "limit", "500"));
        assertThat(asked).contains(Map.of("status", "deleted", "updated_after", since, "include_count", "true", "limit", "500"));
        assertThat(FAKE.apiRequests()).allSatisfy(r -> assertThat(r.method()).isEqualTo("GET"));

        // jobs show gives the same counts and files
        String shown = CliAccess.run(context, "jobs", "show", pulled.get("executionId").asString()).out();
        assertThat(shown).contains("created 1", "updated 1", "deleted 1", "skipped 2", "resubscribed 0", "skipped.csv");

        FAKE.clearRecorded();
        JsonNode next = json(run("cc", "pull", "--profile", profile.toString(), "--json"));

        assertThat(count(next, "read")).isZero();
        assertThat(contactQueries()).filteredOn(q -> q.containsKey("updated_after"))
                .extracting(q -> q.get("updated_after")).containsOnly(latest.toString());
        assertThat(jdbc.sql("select count(*) from contact").query(Long.class).single()).isEqualTo(3);
    }

    @Test
    void unsubscribedThereIsMarkedAndSubscribedAgainThereIsPushedAgainBySync() throws Exception {
        here("cy@example.com", "Cy", "Baker", "Hull", "{}");
        here("dee@example.com", "Dee", "Vet", "Ely", "{}");
        assertThat(run("cc", "sync", "--profile", profile.toString()).exitCode()).isZero();
        FAKE.unsubscribe("cy@example.com");

        JsonNode pulled = json(run("cc", "pull", "--profile", profile.toString(), "--json"));

        assertThat(pulled.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(count(pulled, "read")).as("the sync's own push is not read back as a change there").isZero();
        assertThat(count(pulled, "unsubscribes")).isEqualTo(1);
        assertThat(report(pulled, "unsubscribes")).singleElement().satisfies(r -> {
            assertThat(r.get("name")).isEqualTo("Cy Lee");
            assertThat(r.get("email")).isEqualTo("cy@example.com");
            assertThat(r.get("reason")).contains("never sent again");
        });
        assertThat(unsubscribedHere()).containsExactly("cy@example.com");
        FAKE.resubscribe("cy@example.com");
        FAKE.clearRecorded();

        JsonNode synced = json(run("cc", "sync", "--profile", profile.toString(), "--json"));

        assertThat(synced.get("job").asString()).isEqualTo("ccPull");
        assertThat(count(synced, "resubscribed")).isEqualTo(1);
        assertThat(report(synced, "resubscribed")).singleElement().satisfies(r -> {
            assertThat(r.get("email")).isEqualTo("cy@example.com");
            assertThat(r.get("reason")).contains("subscribed again", "explicit");
        });
        assertThat(unsubscribedHere()).isEmpty();
        // and the push after the pull sends the person again, onto the managed list
        assertThat(synced.get("push").get("status").asString()).isEqualTo("COMPLETED");
        assertThat(FAKE.importedEmails()).containsExactly("cy@example.com");
        assertThat(FAKE.listMembers("Active Members")).contains("cy@example.com", "dee@example.com");
    }

    @Test
    void aPullOfSeveralPagesStoppedByTheQuotaContinuesWithNoPageReadOrContactAppliedTwice() throws Exception {
        Instant old = Instant.parse("2020-06-01T00:00:00Z");
        for (int i = 0; i < 1300; i++) {
            String email = "p" + i + "@example.org";
            FAKE.createInWebsite(email, "implicit", Map.of("first_name", "P" + i));
            if (i % 13 == 0) {
                FAKE.backdate(email, old); // 100 changed before the --since given: not pulled
            }
        }
        // the unsubscribes and the first page go through; the second page meets the end of the day's budget
        FAKE.after(2, f -> f.failNext(1, "GET /contacts", 429, QUOTA));

        JsonNode stopped = json(run("cc", "pull", "--profile", profile.toString(), "--since", "2021-01-01", "--json"));

        assertThat(stopped.get("status").asString()).isEqualTo("STOPPED");
        assertThat(stopped.get("message").asString()).contains("quota");
        assertThat(jdbc.sql("select count(*) from cc_sync_state where key like 'pull.%'").query(Long.class).single())
                .as("no mark before the pull completes").isZero();

        JsonNode next = json(run("cc", "pull", "--profile", profile.toString(), "--since", "2021-01-01", "--json"));

        assertThat(next.get("outcome").asString()).isEqualTo("RESTARTED");
        assertThat(next.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(count(next, "created")).isEqualTo(1200);
        assertThat(jdbc.sql("select count(*), count(distinct lower(email)) from contact where consent_source = 'Constant Contact'")
                .query((rs, n) -> List.of(rs.getLong(1), rs.getLong(2))).single()).containsExactly(1200L, 1200L);
        assertThat(jdbc.sql("select count(*) from contact where version <> 0").query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from contact where email like 'p%' and cast(substring(email from 2 for position('@' in email) - 2) as int) % 13 = 0")
                .query(Long.class).single()).as("changed before --since").isZero();
        assertThat(report(next, "created")).hasSize(1200);
        // three pages of 500 asked for, each answered once; the one the quota refused asked again, nothing more
        List<String> answered = new ArrayList<>();
        FAKE.apiRequests("GET", "/contacts").stream().filter(r -> r.status() == 200 && r.query() != null
                && !r.query().contains("status=unsubscribed")).forEach(r -> answered.add(r.query()));
        assertThat(answered).doesNotHaveDuplicates();
        assertThat(answered.stream().filter(q -> !q.contains("status=deleted"))).hasSize(3);
        String since = LocalDate.parse("2021-01-01").atStartOfDay(ZoneId.systemDefault()).toInstant().toString();
        assertThat(contactQueries()).filteredOn(q -> q.containsKey("updated_after")).extracting(q -> q.get("updated_after"))
                .containsOnly(since);
        assertThat(contactQueries()).filteredOn(q -> q.containsKey("cursor")).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aPullKilledWhileApplyingContinuesWithTheSameCommandAndAppliesEveryContactOnce() throws Exception {
        for (int i = 0; i < 1000; i++) {
            FAKE.createInWebsite("k" + i + "@example.org", "explicit", Map.of("first_name", "K" + i, "city", "Hull"));
        }
        Map<String, String> settings = new LinkedHashMap<>(FAKE.springProperties());
        settings.putAll(testSettings());
        settings.put("contact-batch.chunk-size", "50"); // many small chunks: time to kill it between two
        settings.put("contact-batch.log-file", dir.resolve("child.log").toString());
        settings.put("contact-batch.reports-dir", dir.resolve("child-reports").toString());
        Path out = dir.resolve("child.out");
        Process child = ChildJvm.start(environment, settings, out, "cc", "pull", "--profile", profile.toString(), "--json",
                "--no-progress");
        ChildJvm.killWhen(child, () -> applied() >= 100, out);
        long appliedBeforeKill = applied();
        assertThat(appliedBeforeKill).as("killed while applying").isBetween(100L, 999L);
        assertThat(jdbc.sql("select count(*) from cc_sync_state where key like 'pull.%'").query(Long.class).single()).isZero();

        JsonNode restarted = json(run("cc", "pull", "--profile", profile.toString(), "--json"));

        assertThat(restarted.get("outcome").asString()).isEqualTo("RESTARTED");
        assertThat(restarted.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(count(restarted, "created")).isEqualTo(1000);
        assertThat(jdbc.sql("select count(*), count(distinct lower(email)), count(*) filter (where version = 0) from contact")
                .query((rs, n) -> List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3))).single())
                .as("every contact once, none written twice").containsExactly(1000L, 1000L, 1000L);
        assertThat(report(restarted, "created")).hasSize(1000);
        assertThat(jdbc.sql("select count(*) from cc_sync_state where key like 'pull.%'").query(Long.class).single()).isOne();
    }

    private long applied() {
        return jdbc.sql("select count(*) from cc_pull_item").query(Long.class).single();
    }

    @Test
    void aFirstPullWithNoStartAndBadDatesAreRefusedInOneLine() throws Exception {
        Path noSince = dir.resolve("no-since.yml");
        Files.writeString(noSince, "direction: pull\n", StandardCharsets.UTF_8);

        Cli.Result refused = run("cc", "pull", "--profile", noSince.toString());
        Cli.Result badDate = run("cc", "pull", "--profile", profile.toString(), "--since", "last tuesday");

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err().strip()).doesNotContain("\n").contains("first pull", "since");
        assertThat(badDate.exitCode()).isEqualTo(2);
        assertThat(badDate.err().strip()).doesNotContain("\n").contains("--since 'last tuesday' is not a date");
        assertThat(FAKE.apiRequests("GET", "/contacts")).isEmpty();
    }

    @Test
    void aPullOfAProfileWithDebugLogListsEveryRequestItSent() throws Exception {
        Path debug = dir.resolve("pull-debug.yml");
        Files.writeString(debug, "direction: pull\nsince: 2020-01-01\ndebug-log: true\n", StandardCharsets.UTF_8);
        FAKE.createInWebsite("nia@example.com", "explicit", Map.of("first_name", "Nia"));
        FAKE.clearRecorded();

        JsonNode pulled = json(run("cc", "pull", "--profile", debug.toString(), "--json"));

        assertThat(pulled.get("status").asString()).isEqualTo("COMPLETED");
        List<FakeConstantContact.Recorded> received = FAKE.requests();
        List<CSVRecord> lines = report(pulled, "debug-log");
        assertThat(received).isNotEmpty();
        assertThat(lines.stream().map(l -> l.get("method") + " " + l.get("path").replaceFirst("\\?.*", "") + " "
                + l.get("status")).toList())
                .isEqualTo(received.stream().map(r -> r.method() + " " + r.path() + " " + r.status()).toList());
        assertThat(Files.readString(Path.of(pulled.get("reports").get("debug-log").asString())))
                .doesNotContain("nia@example.com").doesNotContain("Nia");
    }

    @Test
    void theFakeRefusesWhatTheContractRefuses() {
        var client = context.getBean(org.contactbatch.constantcontact.client.ConstantContactClient.class);
        for (String query : List.of("limit=0", "limit=501", "limit=ten", "updated_after=01/12/2026",
                "status=gone", "include=everything", "cursor=bm9wZQ")) {
            assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
                    org.contactbatch.constantcontact.client.ApiException.class, () -> client.contacts("/contacts?" + query)))
                    .as(query).satisfies(e -> assertThat(e.status()).isEqualTo(400));
        }
    }

    private void here(String email, String first, String job, String city, String customFields) {
        jdbc.sql("""
                insert into contact (email, first_name, last_name, job_title, city, consent_state, lifecycle_stage, custom_fields)
                values (:email, :first, 'Lee', :job, :city, 'confirmed', 'member', cast(:custom as jsonb))""")
                .param("email", email).param("first", first).param("job", job).param("city", city)
                .param("custom", customFields).update();
    }

    private List<String> unsubscribedHere() {
        return jdbc.sql("select email from contact where cc_unsubscribed order by 1").query(String.class).list();
    }

    /** The queries of the first pages of GET /contacts the fake was asked for (not the cursors' pages), decoded. */
    private static List<Map<String, String>> contactQueries() {
        List<Map<String, String>> queries = new ArrayList<>();
        for (FakeConstantContact.Recorded request : FAKE.apiRequests("GET", "/contacts")) {
            if (request.path().equals("/v3/contacts") && request.query() != null) {
                Map<String, String> query = new LinkedHashMap<>();
                for (String pair : request.query().split("&")) {
                    String[] kv = pair.split("=", 2);
                    query.put(java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                            java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
                }
                queries.add(query);
            }
        }
        return queries;
    }

    private Cli.Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--no-progress");
        return CliAccess.run(context, all.toArray(String[]::new));
    }

    private static JsonNode json(Cli.Result result) {
        assertThat(result.err()).as("stderr").isEmpty();
        return JsonMapper.shared().readTree(result.out());
    }
}
