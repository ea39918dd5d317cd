package org.contactbatch.reimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import java.util.stream.IntStream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.contactbatch.config.ContactBatchProperties;
import org.contactbatch.sampledata.ContactGenerator;
import org.contactbatch.support.ChildJvm;
import org.contactbatch.support.Cli;
import org.contactbatch.support.ContactBatchTest;
import org.contactbatch.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kill -9 a re-import's start half-way; starting it again applies every row exactly once. Kill -9
 * its prepare while it stages; giving it again ends as an uninterrupted prepare.
 */
@ContactBatchTest
// small partitions (as the upload's restart tests have them), and two workers on any machine, so a prepare's
// staging runs in partitions
@TestPropertySource(properties = {"contact-batch.partition-min-rows=1000", "contact-batch.workers=2"})
class ReimportRestartFunctionalTests {

    private static final int ROWS = 20_000;

    @TempDir
    Path temp;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Environment environment;

    @Autowired
    ContactBatchProperties properties;

    @Test
    void aKilledStartRestartedAppliesEveryRowExactlyOnce() throws Exception {
        TestDatabase.clean(jdbc);
        Cli cli = new Cli(context);
        Path sheet = uploadAndEdit(cli, row -> false);
        JsonNode prepared = JsonMapper.shared().readTree(
                cli.run("reimport", "prepare", sheet.toString(), "--tag", "restart", "--json").out());
        long importId = prepared.get("importId").asLong();
        assertThat(prepared.get("counts").get("toUpdate").asLong()).isEqualTo(ROWS);
        // staged as an upload is: a partition a worker, which together read the whole sheet
        int parts = properties.parallelism();
        assertThat(parts).isEqualTo(2);
        assertThat(jdbc.sql("""
                select step_name from batch_step_execution
                where job_execution_id = :execution and step_name like 'reimportStageRows:%' and status = 'COMPLETED'
                order by step_name""").param("execution", prepared.get("executionId").asLong())
                .query(String.class).list())
                .containsExactlyElementsOf(IntStream.range(0, parts)
                        .mapToObj(i -> "reimportStageRows:rows" + i).toList());
        assertThat(jdbc.sql("""
                select sum(read_count) from batch_step_execution
                where job_execution_id = :execution and step_name like 'reimportStageRows:%'""")
                .param("execution", prepared.get("executionId").asLong()).query(Long.class).single())
                .isEqualTo(ROWS);

        Path out = temp.resolve("child.out");
        ChildJvm.killWhen(ChildJvm.start(environment, Map.of("contact-batch.chunk-size", "50",
                        "contact-batch.log-file", temp.resolve("child.log").toString(),
                        "contact-batch.reports-dir", temp.resolve("child-reports").toString()), out,
                        "reimport", "start", Long.toString(importId), "--json", "--no-progress"),
                ChildJvm.when(jdbc, "select count(*) >= 3000 from contact where version > 0"), out);
        int before = jdbc.sql("select count(*) from contact where version > 0").query(Integer.class).single();
        assertThat(before).as("killed half-way").isBetween(1, ROWS - 1);

        Cli.Result restarted = cli.run("reimport", "start", Long.toString(importId), "--json", "--no-progress");

        JsonNode summary = JsonMapper.shared().readTree(restarted.out());
        assertThat(summary.get("outcome").asString()).isEqualTo("RESTARTED");
        assertThat(summary.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(summary.get("counts").get("updated").asLong()).isEqualTo(ROWS);
        assertThat(jdbc.sql("select count(*) from contact where version = 1 and company = 'Company ' || id"
                + " and cardinality(array_positions(tags, 'restart')) = 1").query(Integer.class).single()).isEqualTo(ROWS);
        assertThat(jdbc.sql("select count(*) from contact_before_image where import_id = " + importId)
                .query(Integer.class).single()).isEqualTo(ROWS);
    }

    @Test
    void aPrepareKilledWhileStagingRestartedEndsAsAnUninterruptedOne() throws Exception {
        TestDatabase.clean(jdbc);
        Cli cli = new Cli(context);
        // some rows the prepare must reject while staging, spread through both partitions
        Path sheet = uploadAndEdit(cli, row -> row % 700 == 0);
        List<String> prepare = List.of("reimport", "prepare", sheet.toString(), "--tag", "restart", "--json",
                "--no-progress");

        Path out = temp.resolve("prepare.out");
        ChildJvm.killWhen(ChildJvm.start(environment, Map.of("contact-batch.chunk-size", "50",
                        "contact-batch.partition-min-rows", "1000", "contact-batch.workers", "2",
                        "contact-batch.log-file", temp.resolve("child.log").toString(),
                        "contact-batch.reports-dir", temp.resolve("child-reports").toString()), out,
                        prepare.toArray(String[]::new)),
                ChildJvm.when(jdbc, """
                        select count(*) >= 3000 from staged_contact s join import_batch b on b.id = s.import_id
                        where b.kind = 'reimport'"""), out);
        assertThat(jdbc.sql("select status from batch_job_execution order by job_execution_id desc limit 1")
                .query(String.class).single()).as("the killed prepare was cut off mid-way").isEqualTo("STARTED");
        assertThat(jdbc.sql("""
                select count(*) from batch_step_execution where step_name like 'reimportStageRows:%'
                and status = 'STARTED'""").query(Integer.class).single())
                .as("both partitions of the staging were running").isEqualTo(2);

        JsonNode restarted = json(cli.run(prepare.toArray(String[]::new)));
        List<String> again = new ArrayList<>(prepare);
        again.add("--again");
        JsonNode uninterrupted = json(cli.run(again.toArray(String[]::new)));

        assertThat(restarted.get("outcome").asString()).isEqualTo("RESTARTED");
        assertThat(restarted.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(uninterrupted.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(restarted.get("importId").asLong()).isNotEqualTo(uninterrupted.get("importId").asLong());
        long rejected = ROWS / 700;
        assertThat(restarted.get("counts").get("toUpdate").asLong()).isEqualTo(ROWS - rejected);
        assertThat(restarted.get("counts").get("errors").asLong()).isEqualTo(rejected);
        assertThat(restarted.get("counts")).isEqualTo(uninterrupted.get("counts"));
        for (String kind : List.of("failed-rows", "warnings", "changes")) {
            assertThat(Files.readString(report(restarted, kind))).as(kind)
                    .isEqualTo(Files.readString(report(uninterrupted, kind)));
        }
        assertThat(jdbc.sql("select count(*), count(distinct line) from staged_contact where import_id = :id")
                .param("id", restarted.get("importId").asLong())
                .query((rs, n) -> List.of(rs.getLong(1), rs.getLong(2))).single())
                .as("every row it took staged once").containsExactly(ROWS - rejected, ROWS - rejected);
    }

    /**
     * Uploads ROWS contacts and writes the sheet that gives every one a company of its own; a row
     * {@code bad} picks (by its position, from 1) gets an id that is not a number instead.
     */
    private Path uploadAndEdit(Cli cli, LongPredicate bad) throws IOException {
        Path contacts = temp.resolve("contacts.csv");
        ContactGenerator.write(contacts, ROWS, 11);
        assertThat(cli.run("upload", contacts.toString(), "--no-progress").exitCode()).isZero();
        Path sheet = temp.resolve("edited.csv");
        try (Writer writer = Files.newBufferedWriter(sheet, StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(writer, CSVFormat.RFC4180)) {
            csv.printRecord("id", "version", "company");
            long[] row = {0};
            jdbc.sql("select id, version from contact order by id").query(rs -> {
                long id = rs.getLong(1);
                try {
                    csv.printRecord(bad.test(++row[0]) ? "x" + id : Long.toString(id), rs.getInt(2), "Company " + id);
                }
                catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        return sheet;
    }

    private static JsonNode json(Cli.Result result) {
        assertThat(result.err()).isEmpty();
        return JsonMapper.shared().readTree(result.out());
    }

    private static Path report(JsonNode summary, String kind) {
        return Path.of(summary.get("reports").get(kind).asString());
    }
}
