package org.contactbatch.reimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Kill -9 a re-import's start half-way; starting it again applies every row exactly once. */
@ContactBatchTest
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

    @Test
    void aKilledStartRestartedAppliesEveryRowExactlyOnce() throws Exception {
        TestDatabase.clean(jdbc);
        Cli cli = new Cli(context);
        Path contacts = temp.resolve("contacts.csv");
        ContactGenerator.write(contacts, ROWS, 11);
        assertThat(cli.run("upload", contacts.toString(), "--no-progress").exitCode()).isZero();
        Path sheet = temp.resolve("edited.csv");
        try (Writer writer = Files.newBufferedWriter(sheet, StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(writer, CSVFormat.RFC4180)) {
            csv.printRecord("id", "version", "company");
            jdbc.sql("select id, version from contact order by id").query(rs -> {
                try {
                    csv.printRecord(rs.getLong(1), rs.getInt(2), "Company " + rs.getLong(1));
                }
                catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        JsonNode prepared = JsonMapper.shared().readTree(
                cli.run("reimport", "prepare", sheet.toString(), "--tag", "restart", "--json").out());
        long importId = prepared.get("importId").asLong();
        assertThat(prepared.get("counts").get("toUpdate").asLong()).isEqualTo(ROWS);

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
}
