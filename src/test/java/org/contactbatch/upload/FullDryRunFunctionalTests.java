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

        // the real upload took the emails the dry run found free: applying it now would come out otherwise
        Cli.Result apply = run("upload", "--apply", dryRun.get("importId").asString(), "--no-progress");
        assertThat(apply.exitCode()).isEqualTo(2);
        assertThat(apply.err().lines().toList()).singleElement().asString()
                .startsWith("error: upload " + dryRun.get("importId").asString() + " was not applied: the contacts "
                        + "changed since the dry run")
                .containsPattern("line \\d+: [^ ]+@[^ ]+ was taken by contact \\d+")
                .contains("run the dry run again");
        assertThat(count("select count(*) from contact")).isEqualTo(1000 + 14);
    }

    @Test
    void applyingAFullDryRunDoesWhatItShowedAndOnlyOnce() throws IOException {
        JsonNode dryRun = json("upload", file.toString(), "--dry-run", "--full", "--list", "Spring fair");
        Cli.Result shown = run("jobs", "show", dryRun.get("executionId").asString());
        assertThat(shown.out()).contains("dryRun");

        JsonNode applied = json("upload", "--apply", dryRun.get("importId").asString());

        assertThat(applied.get("job").asString()).isEqualTo(UploadOptions.APPLY_JOB);
        assertThat(applied.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(applied.get("importId").asLong()).isEqualTo(dryRun.get("importId").asLong());
        assertThat(counts(applied)).isEqualTo(counts(dryRun));
        assertSameReports(dryRun, applied);
        assertThat(count("select count(*) from contact where source_import_id = " + dryRun.get("importId")))
                .isEqualTo(14);
        assertThat(count("select count(*) from contact_list_member m join contact_list l on l.id = m.list_id "
                + "where l.name = 'Spring fair'")).isEqualTo(14);

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
