package org.contactbatch.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.contactbatch.support.ChildJvm;
import org.contactbatch.support.Cli;
import org.contactbatch.support.ContactBatchTest;
import org.contactbatch.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kill -9 an export in a separate JVM at a chosen moment, give the same command again, and the file that appears is
 * the one an uninterrupted export writes: every selected contact in it exactly once.
 */
@ContactBatchTest
class ExportRestartFunctionalTests {

    private static final int ROWS = 30_000;

    @TempDir
    Path temp;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Environment environment;

    @BeforeEach
    void contacts() {
        TestDatabase.clean(jdbc);
        jdbc.sql("truncate export_run, export_id").update();
        jdbc.sql("""
                insert into contact (email, phone, first_name, last_name, company, street, postal_code, tags,
                    custom_fields)
                select 'c' || i || '@example.com',
                    case i % 3 when 0 then '+1 212 555 ' || lpad((i % 10000)::text, 4, '0') when 1 then '0' || i end,
                    case i % 50 when 0 then '=SUM(A' || i || ')' else 'Zoë ' || i end,
                    'O''Brien, "Jr." ' || i,
                    case when i % 7 = 0 then 'Line 1' || chr(13) || chr(10) || 'Line 2' end,
                    repeat('x', i % 300),
                    lpad((i % 100000)::text, 5, '0'),
                    case when i % 4 = 0 then array['vip', 'events'] else '{}' end,
                    case when i % 5 = 0 then jsonb_build_object('member_number', lpad(i::text, 8, '0')) else '{}' end
                from generate_series(1, :rows) i""").param("rows", ROWS).update();
    }

    @ParameterizedTest(name = "{0}, killed while {1}")
    @CsvSource({"csv, writing rows", "xlsx, writing rows", "xlsx, making the workbook",
            "csv, writing rows and the machine lost part of the file"})
    void aKilledExportRestartedWritesEveryContactExactlyOnce(String format, String moment) throws Exception {
        Path reference = temp.resolve("reference." + format);
        JsonNode uninterrupted = export(reference);
        assertThat(uninterrupted.get("status").asString()).isEqualTo("COMPLETED");
        Path out = temp.resolve("killed." + format);

        Path childOut = temp.resolve("child-" + System.nanoTime() + ".log");
        ChildJvm.killWhen(startExportInAnotherJvm(out, childOut), ChildJvm.when(jdbc, moment.startsWith("writing rows")
                ? "select coalesce(sum(commit_count), 0) >= 30 from batch_step_execution"
                        + " where step_name like 'exportRowsPart:%' and status = 'STARTED'"
                : "select count(*) > 0 from batch_step_execution where step_name = 'exportFinish'"
                        + " and status = 'STARTED'"), childOut);
        assertThat(jdbc.sql("select status from batch_job_execution order by job_execution_id desc limit 1")
                .query(String.class).single()).as("the killed run was cut off mid-way").isEqualTo("STARTED");
        assertThat(out).as("nothing appears under the file's name before it is complete").doesNotExist();
        assertThat(jdbc.sql("select parts from export_run order by id desc limit 1").query(Integer.class).single())
                .as("the killed export spooled its rows in two parts").isEqualTo(2);
        if (moment.endsWith("lost part of the file")) {
            // what an operating system crash can do to what was written but not yet on disk
            Path spool = out.resolveSibling("." + out.getFileName() + ".rows0");
            try (FileChannel channel = FileChannel.open(spool, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(new byte[4096]), 1000);
            }
        }

        // continued by the same command, or (as a person reading "jobs list" would) by the execution's id
        JsonNode restarted = moment.endsWith("lost part of the file")
                ? json(new Cli(context).run("jobs", "restart", String.valueOf(killedExecution()), "--json"))
                : export(out);

        assertThat(restarted.get("outcome").asString()).isEqualTo("RESTARTED");
        assertThat(restarted.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(restarted.get("counts")).isEqualTo(uninterrupted.get("counts"));
        List<Map<String, String>> rows = ExportJobFunctionalTests.read(out);
        assertThat(rows.stream().map(row -> Long.valueOf(row.get("id"))).toList())
                .as("every contact exactly once, in id order")
                .isEqualTo(jdbc.sql("select id from contact order by id").query(Long.class).list());
        if (format.equals("csv")) {
            assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(reference));
        }
        else {
            ExportJobFunctionalTests.assertSameRows(rows, ExportJobFunctionalTests.read(reference));
        }
        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left.map(p -> p.getFileName().toString()).filter(name -> name.startsWith(".")))
                    .as("no temporary file is left behind").isEmpty();
        }
    }

    private JsonNode export(Path out) {
        return json(new Cli(context).run("export", "--out", out.toString(), "--json"));
    }

    private static JsonNode json(Cli.Result result) {
        assertThat(result.err()).isEmpty();
        return JsonMapper.shared().readTree(result.out());
    }

    private long killedExecution() {
        return jdbc.sql("select max(job_execution_id) from batch_job_execution").query(Long.class).single();
    }

    /**
     * The same command in a JVM of its own, with small slices so there is time to kill it mid-way, and its rows in
     * two parts side by side (the uninterrupted reference export has one).
     */
    private Process startExportInAnotherJvm(Path out, Path childOut) throws IOException {
        return ChildJvm.start(environment, Map.of("contact-batch.chunk-size", "10",
                "contact-batch.partition-min-rows", "1000",
                "contact-batch.workers", "2",
                "contact-batch.log-file", temp.resolve("child.log").toString()), childOut,
                "export", "--out", out.toString(), "--json");
    }
}
