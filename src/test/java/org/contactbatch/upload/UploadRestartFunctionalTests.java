package org.contactbatch.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.contactbatch.sampledata.ContactGenerator;
import org.contactbatch.support.ChildJvm;
import org.contactbatch.support.Cli;
import org.contactbatch.support.ContactBatchTest;
import org.contactbatch.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kill -9 an upload in a separate JVM at a chosen moment, give the same command again, and the
 * contacts and reports are exactly those of an uninterrupted run: none lost, none twice.
 */
@ContactBatchTest
// small partitions, so a restart has to continue two partitions of each partitioned step
@TestPropertySource(properties = "contact-batch.partition-min-rows=1000")
class UploadRestartFunctionalTests {

    private static final int ROWS = 30_000;

    @TempDir
    static Path files;

    static Path file;

    /** What the killed command printed. */
    private Path childOut;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Environment environment;

    @BeforeAll
    static void writeFile() throws IOException {
        file = files.resolve("contacts-30k.csv");
        ContactGenerator.write(file, ROWS, 7);
        // some rows the job must reject, spread through the file, so the report is worth comparing
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> bad = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            String row = lines.get(i * 700);
            bad.add(i % 2 == 0 ? row.toUpperCase() : "not-an-email-" + i + row.substring(row.indexOf(',')));
        }
        Files.write(file, bad, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    @BeforeEach
    void clean() {
        TestDatabase.clean(jdbc);
    }

    @ParameterizedTest(name = "killed while {0}")
    @ValueSource(strings = {"staging", "applying", "applying a full dry run"})
    void aKilledUploadRestartedEndsAsAnUninterruptedOne(String moment) throws Exception {
        JsonNode reference = upload();
        assertThat(reference.get("status").asString()).isEqualTo("COMPLETED");
        List<Map<String, Object>> expectedContacts = contacts();
        String expectedFailed = Files.readString(report(reference, "failed-rows"));
        String expectedWarnings = Files.readString(report(reference, "warnings"));
        assertThat(expectedContacts).hasSize(ROWS);
        TestDatabase.clean(jdbc);

        List<String> command = List.of("upload", file.toString());
        if (moment.equals("applying a full dry run")) {
            JsonNode dryRun = run("upload", file.toString(), "--dry-run", "--full");
            assertThat(dryRun.get("status").asString()).isEqualTo("COMPLETED");
            command = List.of("upload", "--apply", dryRun.get("importId").asString());
        }
        Process child = startInAnotherJvm(command);
        ChildJvm.killWhen(child, ChildJvm.when(jdbc, moment.equals("staging")
                ? "select count(*) >= 3000 from staged_contact"
                : "select count(*) >= 3000 from contact"), childOut);
        assertThat(jdbc.sql("select status from batch_job_execution order by job_execution_id desc limit 1")
                .query(String.class).single()).as("the killed run was cut off mid-way").isEqualTo("STARTED");
        String step = moment.equals("staging") ? "uploadStageRows:%" : "uploadApplyLines:%";
        assertThat(jdbc.sql("select count(*) from batch_step_execution where step_name like :step and status = 'STARTED'")
                .param("step", step).query(Integer.class).single())
                .as("both partitions of the step were running").isEqualTo(2);
        int before = jdbc.sql("select count(*) from contact").query(Integer.class).single();
        assertThat(before).isLessThan(ROWS);

        JsonNode restarted = run(command.toArray(String[]::new));

        assertThat(restarted.get("outcome").asString()).isEqualTo("RESTARTED");
        assertThat(restarted.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(restarted.get("counts")).isEqualTo(reference.get("counts"));
        assertThat(contacts()).isEqualTo(expectedContacts);
        assertThat(Files.readString(report(restarted, "failed-rows"))).isEqualTo(expectedFailed);
        assertThat(Files.readString(report(restarted, "warnings"))).isEqualTo(expectedWarnings);
    }

    private JsonNode upload() {
        return run("upload", file.toString());
    }

    private JsonNode run(String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of("--json", "--no-progress", "--by", "tester"));
        Cli.Result result = new Cli(context).run(args.toArray(String[]::new));
        assertThat(result.err()).isEmpty();
        return JsonMapper.shared().readTree(result.out());
    }

    private List<Map<String, Object>> contacts() {
        return jdbc.sql("""
                select email, phone, phone_e164, first_name, last_name, company, job_title, street, city, region,
                       postal_code, country, lifecycle_stage, owner, tags::text, custom_fields::text, source_line, version
                from contact order by source_line""").query().listOfRows();
    }

    private static Path report(JsonNode summary, String kind) {
        return Path.of(summary.get("reports").get(kind).asString());
    }

    /** The command in a JVM of its own, with small chunks so there is time to kill it mid-way. */
    private Process startInAnotherJvm(List<String> upload) throws IOException {
        childOut = files.resolve("child-" + System.nanoTime() + ".log");
        List<String> args = new ArrayList<>(upload);
        args.addAll(List.of("--json", "--no-progress", "--by", "tester"));
        return ChildJvm.start(environment, Map.of("contact-batch.chunk-size", "100",
                "contact-batch.partition-min-rows", "1000",
                "contact-batch.log-file", files.resolve("child.log").toString(),
                "contact-batch.reports-dir", files.resolve("child-reports").toString()), childOut,
                args.toArray(String[]::new));
    }
}
