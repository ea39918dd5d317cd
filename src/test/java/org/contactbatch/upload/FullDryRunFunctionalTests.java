package org.contactbatch.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.contactbatch.support.Cli;
import org.contactbatch.support.ContactBatchTest;
import org.contactbatch.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code upload --dry-run --full} and {@code upload --apply}: the reports before are the reports after. */
@ContactBatchTest
class FullDryRunFunctionalTests {

    private static final Path SAMPLES = Path.of("sample-data");
    private static final List<String> REPORTS = List.of("failed-rows", "warnings");

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path temp;

    Cli cli;

    Path file;

    @BeforeEach
    void setUp() throws IOException {
        TestDatabase.clean(jdbc);
        cli = new Cli(context);
        assertThat(run("upload", SAMPLES.resolve("contacts.csv").toString(), "--no-progress").exitCode()).isZero();
        // a copy of its own, so a test may change it
        file = Files.copy(SAMPLES.resolve("contacts-with-errors.csv"), temp.resolve("contacts-with-errors.csv"));
    }

    @Test
    void aFullDryRunChangesNothingAndItsReportsAreByteForByteThoseOfTheRealUpload() throws IOException {
        String before = contacts();

        JsonNode dryRun = json("upload", file.toString(), "--dry-run", "--full", "--list", "Spring fair");

        assertThat(dryRun.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(contacts()).isEqualTo(before);
        assertThat(count("select count(*) from contact_list")).isZero();
        assertThat(counts(dryRun)).containsEntry("inserted", 14L).containsEntry("rejected", 11L)
                .containsEntry("warnings", 3L);

        JsonNode real = json("upload", file.toString(), "--list", "Spring fair");

        assertThat(counts(real)).isEqualTo(counts(dryRun));
        assertSameReports(dryRun, real);
        assertThat(count("select count(*) from contact")).isEqualTo(1000 + 14);

        // the same file with the same options was uploaded: applying the dry run would upload it twice
        Cli.Result apply = run("upload", "--apply", dryRun.get("importId").asString(), "--no-progress");
        assertThat(apply.exitCode()).isEqualTo(2);
        assertThat(apply.err()).contains("a second time with the same options: execution "
                + real.get("executionId").asString() + " uploaded it already");
        assertThat(count("select count(*) from contact")).isEqualTo(1000 + 14);
    }

    @Test
    void anEmailTakenSinceTheDryRunRefusesTheApplyNamingTheLine() throws IOException {
        JsonNode dryRun = json("upload", file.toString(), "--dry-run", "--full");
        Path other = Files.writeString(temp.resolve("other.csv"), "Email\namelia.hart@example.com\n");
        assertThat(run("upload", other.toString(), "--no-progress").exitCode()).isZero();
        long taker = jdbc.sql("select id from contact where email = 'amelia.hart@example.com'").query(Long.class).single();

        Cli.Result apply = run("upload", "--apply", dryRun.get("importId").asString(), "--no-progress");

        assertThat(apply.exitCode()).isEqualTo(2);
        assertThat(apply.err().lines().toList()).singleElement().asString()
                .isEqualTo("error: upload " + dryRun.get("importId").asString() + " was not applied: the contacts "
                        + "changed since the dry run in a way that changes its outcome (line 2: amelia.hart@example.com "
                        + "was taken by contact " + taker + "). Nothing was changed; run the dry run again to see what "
                        + "the upload would do now");
        assertThat(count("select count(*) from contact")).isEqualTo(1001);
    }

    @Test
    void anUpdateAppliesAsShownAndIsRefusedWhenTheContactItMatchedLostTheEmail() throws IOException {
        String secondEmail = emailOf(2);
        Path changes = Files.writeString(temp.resolve("changes.csv"),
                "Email,Company\n" + emailOf(1) + ",Changed One\n" + secondEmail + ",Changed Two\n");
        JsonNode first = json("upload", changes.toString(), "--on-existing", "update", "--dry-run", "--full");
        JsonNode second = json("upload", changes.toString(), "--on-existing", "update", "--dry-run", "--full", "--again");
        assertThat(counts(first)).containsEntry("updated", 2L);

        JsonNode applied = json("upload", "--apply", first.get("importId").asString());
        assertThat(counts(applied)).isEqualTo(counts(first));
        assertThat(count("select count(*) from contact where company like 'Changed %' and version = 1")).isEqualTo(2);
        assertThat(count("select count(*) from contact_before_image where import_id = " + first.get("importId")))
                .isEqualTo(2);

        // the second dry run matched these rows to contact 2 by its email, which it no longer has
        long two = jdbc.sql("select id from contact where lower(email) = lower(:e)").param("e", secondEmail)
                .query(Long.class).single();
        jdbc.sql("update contact set email = 'moved@example.com' where id = :id").param("id", two).update();
        Cli.Result refused = run("upload", "--apply", second.get("importId").asString(), "--no-progress");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("line 3: " + secondEmail + " no longer belongs to contact " + two);
    }

    @Test
    void aDryRunAndTheUploadAreOneUploadWhicheverComesFirst() throws IOException {
        // a phone-only row is the one no email check would stop from loading twice
        Path phones = Files.writeString(temp.resolve("phones.csv"), "Phone,First Name\n(212) 555-0199,Pat\n");
        JsonNode one = json("upload", phones.toString(), "--dry-run", "--full");
        JsonNode two = json("upload", phones.toString(), "--dry-run", "--full");
        assertThat(json("upload", "--apply", one.get("importId").asString()).get("status").asString())
                .isEqualTo("COMPLETED");

        assertThat(run("upload", "--apply", two.get("importId").asString()).err()).contains("a second time");
        Cli.Result again = run("upload", phones.toString(), "--no-progress");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("Apply upload COMPLETED").contains("completed before");
        assertThat(count("select count(*) from contact where first_name = 'Pat'")).isEqualTo(1);

        // asked for on purpose, it loads once more
        JsonNode more = json("upload", phones.toString(), "--dry-run", "--full", "--again");
        assertThat(json("upload", "--apply", more.get("importId").asString()).get("status").asString())
                .isEqualTo("COMPLETED");
        assertThat(count("select count(*) from contact where first_name = 'Pat'")).isEqualTo(2);
    }

    @Test
    void applyingAFullDryRunDoesWhatItShowedAndOnlyOnce() throws IOException {
        JsonNode dryRun = json("upload", file.toString(), "--dry-run", "--full", "--list", "Spring fair");
        assertThat(run("jobs", "show", dryRun.get("executionId").asString()).out()).contains("dryRun=20");

        JsonNode applied = json("upload", "--apply", dryRun.get("importId").asString(), "--by", "ann.applier");

        assertThat(applied.get("job").asString()).isEqualTo(UploadOptions.APPLY_JOB);
        // the consent is recorded as given when it was applied, by whoever applied it
        assertThat(count("select count(*) from contact where source_import_id = " + dryRun.get("importId")
                + " and consent_state is not null")).isPositive();
        assertThat(count("select count(*) from contact c join import_batch b on b.id = c.source_import_id"
                + " where b.id = " + dryRun.get("importId") + " and c.consent_state is not null"
                + " and (c.consent_by is distinct from 'ann.applier' or c.consent_at <= b.created_at)")).isZero();
        assertThat(applied.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(applied.get("importId").asLong()).isEqualTo(dryRun.get("importId").asLong());
        assertThat(counts(applied)).isEqualTo(counts(dryRun));
        assertSameReports(dryRun, applied);
        assertThat(count("select count(*) from contact where source_import_id = " + dryRun.get("importId")))
                .isEqualTo(14);
        assertThat(count("select count(*) from contact_list_member m join contact_list l on l.id = m.list_id "
                + "where l.name = 'Spring fair'")).isEqualTo(14);

        assertThat(run("jobs", "show", applied.get("executionId").asString()).out()).doesNotContain("dryRun");
        Cli.Result again = run("upload", "--apply", dryRun.get("importId").asString(), "--no-progress");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("was applied already");
        assertThat(count("select count(*) from contact")).isEqualTo(1000 + 14);
    }

    @Test
    void aFileChangedSinceItsDryRunIsNotApplied() throws IOException {
        JsonNode dryRun = json("upload", file.toString(), "--dry-run", "--full");
        Files.writeString(file, "Email\nsomeone.else@example.com\n");

        Cli.Result apply = run("upload", "--apply", dryRun.get("importId").asString(), "--no-progress");

        assertThat(apply.exitCode()).isEqualTo(2);
        assertThat(apply.err()).contains("is gone or changed since the dry run");
        assertThat(count("select count(*) from contact")).isEqualTo(1000);
    }

    @Test
    void aDryRunOverTheErrorLimitFailsAsTheUploadWouldAndCannotBeApplied() throws IOException {
        JsonNode dryRun = json("upload", file.toString(), "--dry-run", "--full", "--max-errors", "3");
        JsonNode real = json("upload", file.toString(), "--max-errors", "3");

        assertThat(dryRun.get("status").asString()).isEqualTo("FAILED");
        assertThat(dryRun.get("message").asString()).isEqualTo(real.get("message").asString())
                .contains("more than --max-errors 3");
        assertSameReports(dryRun, real);

        Cli.Result apply = run("upload", "--apply", dryRun.get("importId").asString(), "--no-progress");
        assertThat(apply.exitCode()).isEqualTo(2);
        assertThat(apply.err()).contains("did not complete");
        assertThat(count("select count(*) from contact")).isEqualTo(1000);
    }

    @Test
    void theOptionsSayHowTheyGoTogether() {
        assertThat(run("upload", file.toString(), "--full").err()).contains("--full goes with --dry-run");
        assertThat(run("upload", "--apply", "1", file.toString()).err()).contains("--apply takes no FILE");
        assertThat(run("upload", "--apply", "1", "--list", "X", "--on-existing", "update").err())
                .contains("--apply takes no FILE and no --list, --on-existing: it applies what the full dry run 1 "
                        + "checked, with its file and options");
        assertThat(run("upload", "--apply", "999999").err()).contains("there is no upload with import id 999999");
        JsonNode plain = json("upload", file.toString());
        assertThat(run("upload", "--apply", plain.get("importId").asString()).err())
                .contains("was not a dry run");
    }

    private void assertSameReports(JsonNode expected, JsonNode actual) throws IOException {
        for (String kind : REPORTS) {
            Path one = Path.of(expected.get("reports").get(kind).asString());
            Path other = Path.of(actual.get("reports").get(kind).asString());
            assertThat(one).isNotEqualTo(other);
            assertThat(Files.readAllBytes(other)).as(kind).isEqualTo(Files.readAllBytes(one));
            assertThat(UploadJobFunctionalTests.records(one)).as(kind).isNotEmpty();
        }
    }

    /** The email of the sample's n-th contact, as loaded before each test. */
    private String emailOf(int n) {
        return jdbc.sql("select email from contact order by id offset :n limit 1").param("n", n - 1)
                .query(String.class).single();
    }

    private String contacts() {
        return String.join("\n", jdbc.sql("select to_jsonb(c)::text from contact c order by id").query(String.class).list());
    }

    private Cli.Result run(String... args) {
        return cli.run(args);
    }

    private JsonNode json(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--json");
        all.add("--no-progress");
        Cli.Result result = cli.run(all.toArray(String[]::new));
        assertThat(result.err()).isEmpty();
        return JsonMapper.shared().readTree(result.out());
    }

    private static Map<String, Long> counts(JsonNode summary) {
        Map<String, Long> counts = new LinkedHashMap<>();
        summary.get("counts").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
        return counts;
    }

    private int count(String sql) {
        return jdbc.sql(sql).query(Integer.class).single();
    }
}
