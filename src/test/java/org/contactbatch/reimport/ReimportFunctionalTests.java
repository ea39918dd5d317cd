package org.contactbatch.reimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
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

/** Export, edit the sheet, prepare, review, start, revert: what the admins' mass update must do. */
@ContactBatchTest
class ReimportFunctionalTests {

    private static final String COLUMNS = "id, version, email, first_name, last_name, company, lifecycle_stage, owner";

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path temp;

    Cli cli;

    @BeforeEach
    void setUp() {
        TestDatabase.clean(jdbc);
        cli = new Cli(context);
        assertThat(cli.run("upload", "sample-data/contacts.csv", "--no-progress").exitCode()).isZero();
    }

    @Test
    void aSheetWithRealisticEditsAndMistakesGivesExactlyTheExpectedErrorsWarningsAndChanges() throws IOException {
        List<Map<String, String>> sheet = exportRows(12);
        Map<String, String> c1 = sheet.get(0), c2 = sheet.get(1), c3 = sheet.get(2), c5 = sheet.get(4),
                c6 = sheet.get(5), c7 = sheet.get(6), c8 = sheet.get(7), c10 = sheet.get(9);
        c1.put("first_name", "Renamed");                                 // line 2: a change
        c2.put("owner", "new.owner@example.com");                        // line 3: a change
        c3.put("lifecycle_stage", "");                                   // line 4: a clearing, warned
        sheet.get(3).put("id", "999999");                                // line 5: unknown id
        Map<String, String> twin = new LinkedHashMap<>(c5);              // lines 6 and 14: the same id twice
        c6.put("email", "not-an-email");                                 // line 7: invalid email
        c7.put("email", exportRows(20).get(19).get("email"));            // line 8: email of a contact not in the sheet
        jdbc.sql("update contact set version = version + 1 where id = " + c8.get("id")).update();
        c8.put("company", "Stale Sheet Ltd");                            // line 9: stale version, warned
        c10.put("email", "brand.new@example.org");                       // line 11: email change, warned
        sheet.get(10).put("id", "abc");                                  // line 12: not a number
        sheet.add(twin);
        Path file = write(sheet);

        JsonNode prepared = json(cli.run("reimport", "prepare", file.toString(), "--tag", "fall-cleanup", "--json"));

        long importId = prepared.get("importId").asLong();
        assertThat(prepared.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(counts(prepared)).containsEntry("read", 13L).containsEntry("toUpdate", 5L)
                .containsEntry("unchanged", 2L).containsEntry("errors", 6L).containsEntry("changes", 5L);
        assertThat(issues(prepared, "failed-rows")).containsExactly(
                "5,id,UNKNOWN_ID", "6,id,DUPLICATE_ID", "7,email,INVALID_EMAIL", "8,email,EMAIL_TAKEN",
                "12,id,ID_INVALID", "14,id,DUPLICATE_ID");
        assertThat(issues(prepared, "warnings")).containsExactly(
                "4,lifecycle_stage,CLEARS_FIELD", "9,version,STALE_VERSION", "11,email,EMAIL_CHANGED");
        assertThat(records(report(prepared, "changes"))).extracting(r -> String.join("|", r.values())).containsExactly(
                "2|" + c1.get("id") + "|first_name|" + exportRows(1).get(0).get("first_name") + "|Renamed",
                "3|" + c2.get("id") + "|owner|" + original(c2.get("id"), "owner") + "|new.owner@example.com",
                "4|" + c3.get("id") + "|lifecycle_stage|" + original(c3.get("id"), "lifecycle_stage") + "|",
                "9|" + c8.get("id") + "|company|" + original(c8.get("id"), "company") + "|Stale Sheet Ltd",
                "11|" + c10.get("id") + "|email|" + original(c10.get("id"), "email") + "|brand.new@example.org");
        // nothing changed yet
        assertThat(original(c1.get("id"), "first_name")).isNotEqualTo("Renamed");

        // someone edits contact 2 between prepare and start: start must not overwrite it
        jdbc.sql("update contact set owner = 'someone.else@example.com', version = version + 1 where id = "
                + c2.get("id")).update();

        JsonNode started = json(cli.run("reimport", "start", Long.toString(importId), "--json"));

        assertThat(counts(started)).containsEntry("updated", 4L).containsEntry("conflicts", 1L);
        assertThat(original(c1.get("id"), "first_name")).isEqualTo("Renamed");
        assertThat(original(c2.get("id"), "owner")).isEqualTo("someone.else@example.com");
        assertThat(original(c3.get("id"), "lifecycle_stage")).isNull();
        assertThat(original(c8.get("id"), "company")).isEqualTo("Stale Sheet Ltd");
        assertThat(original(c10.get("id"), "email")).isEqualTo("brand.new@example.org");
        assertThat(jdbc.sql("select count(*) from contact where 'fall-cleanup' = any(tags)").query(Integer.class).single())
                .isEqualTo(4);
        assertThat(jdbc.sql("select count(*) from contact where version > 0 and id not in (" + c2.get("id") + ", "
                + c8.get("id") + ")").query(Integer.class).single()).as("only the applied rows changed").isEqualTo(3);
        assertThat(records(report(started, "result"))).extracting(r -> r.get("line") + ":" + r.get("outcome"))
                .contains("2:updated", "3:conflict", "5:rejected", "10:unchanged");

        assertThat(records(report(started, "result"))).as("every line of the sheet, refused ones too")
                .hasSize((int) counts(started).get("read").longValue());

        JsonNode shown = json(cli.run("reimport", "show", Long.toString(importId), "--json"));
        assertThat(shown.get("importId").asLong()).isEqualTo(importId);
        assertThat(shown.get("status").asString()).isEqualTo("applied");
        assertThat(shown.get("executions").get("start").asLong()).isEqualTo(started.get("executionId").asLong());
        assertThat(shown.get("reports").get("start").get("result").asString())
                .isEqualTo(started.get("reports").get("result").asString());

        Cli.Result again = cli.run("reimport", "start", Long.toString(importId));
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("already ran");

        // contact 1 is edited again after the import: revert keeps that newer edit
        jdbc.sql("update contact set first_name = 'Edited Later', version = version + 1 where id = " + c1.get("id"))
                .update();
        JsonNode reverted = json(cli.run("reimport", "revert", Long.toString(importId), "--json"));

        assertThat(counts(reverted)).containsEntry("reverted", 3L).containsEntry("keptChangedSince", 1L);
        assertThat(original(c1.get("id"), "first_name")).isEqualTo("Edited Later");
        assertThat(original(c3.get("id"), "lifecycle_stage")).isEqualTo(exportRowsById(c3.get("id"), "lifecycle_stage"));
        assertThat(original(c8.get("id"), "company")).isNotEqualTo("Stale Sheet Ltd");
        assertThat(original(c10.get("id"), "email")).isNotEqualTo("brand.new@example.org");
        assertThat(jdbc.sql("select count(*) from contact where 'fall-cleanup' = any(tags)").query(Integer.class).single())
                .as("the tag goes with the revert, except on the contact kept").isEqualTo(1);
    }

    @Test
    void emailsAreComparedIgnoringCaseWhetherTheyAreAsciiOrNot() throws IOException {
        List<Map<String, String>> contacts = exportRows(22);
        String accented = contacts.get(20).get("id");
        jdbc.sql("update contact set email = 'émile@example.org' where id = " + accented).update();
        List<Map<String, String>> sheet = contacts.subList(0, 4);
        sheet.get(0).put("email", "ZOË.NEW@example.org");                              // line 2: a new email
        sheet.get(1).put("email", "zoë.new@example.org");                              // line 3: line 2's, in other case
        sheet.get(2).put("email", "ÉMILE@example.org");                                // line 4: contact 21's, non-ASCII
        sheet.get(3).put("email", contacts.get(21).get("email").toUpperCase(Locale.ROOT)); // line 5: contact 22's, ASCII

        JsonNode prepared = json(cli.run("reimport", "prepare", write(sheet).toString(), "--json"));

        assertThat(issues(prepared, "failed-rows")).containsExactly(
                "3,email,DUPLICATE_EMAIL", "4,email,EMAIL_TAKEN", "5,email,EMAIL_TAKEN");
        assertThat(records(report(prepared, "failed-rows"))).filteredOn(r -> !r.get("line").isEmpty())
                .extracting(r -> r.get("message")).containsExactly(
                "line 2 gives another contact the same email",
                "this email belongs to another contact (id " + accented + ")",
                "this email belongs to another contact (id " + contacts.get(21).get("id") + ")");
        assertThat(counts(prepared)).containsEntry("toUpdate", 1L);
    }

    @Test
    void aValueOutsideAClosedSetRejectsTheRowBecauseLeavingItOutWouldClearTheField() throws IOException {
        // an upload leaves such a value out and loads the person; here a blank means "clear", so the row is refused
        List<Map<String, String>> sheet = exportRows(2);
        String id = sheet.get(0).get("id");
        String stage = original(id, "lifecycle_stage");
        sheet.get(0).put("lifecycle_stage", "churned");
        sheet.get(1).put("first_name", "Renamed");
        JsonNode prepared = json(cli.run("reimport", "prepare", write(sheet).toString(), "--json"));

        assertThat(issues(prepared, "failed-rows")).containsExactly("2,lifecycle_stage,INVALID_VALUE");
        json(cli.run("reimport", "start", Long.toString(prepared.get("importId").asLong()), "--json"));
        assertThat(original(id, "lifecycle_stage")).isEqualTo(stage);
        assertThat(original(sheet.get(1).get("id"), "first_name")).isEqualTo("Renamed");
    }

    @Test
    void anUnchangedSheetPreparesToNoChangesErrorsOrWarnings() throws IOException {
        List<Map<String, String>> sheet = exportRows(1000);

        JsonNode prepared = json(cli.run("reimport", "prepare", write(sheet).toString(), "--json"));

        assertThat(counts(prepared)).containsEntry("read", 1000L).containsEntry("unchanged", 1000L)
                .containsEntry("changes", 0L).containsEntry("errors", 0L).containsEntry("warnings", 0L);
    }

    @Test
    void aFileWithoutAnIdColumnIsRefusedAndStagesNothing() throws IOException {
        Path file = Files.writeString(temp.resolve("no-id.csv"), "email,first_name\nann@example.com,Ann\n");

        Cli.Result result = cli.run("reimport", "prepare", file.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().strip().lines()).hasSize(1);
        assertThat(result.err()).contains("no 'id' column");
        assertThat(jdbc.sql("select count(*) from import_batch where kind = 'reimport'").query(Integer.class).single())
                .isZero();
    }

    /** The first rows of an export: the columns a person edits, as the database holds them. */
    private List<Map<String, String>> exportRows(int limit) {
        List<Map<String, String>> rows = new ArrayList<>();
        jdbc.sql("select " + COLUMNS + " from contact order by id limit " + limit).query(rs -> {
            Map<String, String> row = new LinkedHashMap<>();
            for (String column : COLUMNS.split(", ")) {
                String value = rs.getString(column);
                row.put(column, value == null ? "" : value);
            }
            rows.add(row);
        });
        return rows;
    }

    private String exportRowsById(String id, String column) {
        return jdbc.sql("select " + column + " from contact_before_image b, jsonb_populate_record(null::contact, b.before) r"
                + " where b.contact_id = " + id).query(String.class).single();
    }

    private String original(String id, String column) {
        return jdbc.sql("select " + column + " from contact where id = " + id).query(String.class).optional().orElse(null);
    }

    private Path write(List<Map<String, String>> rows) throws IOException {
        Path file = temp.resolve("edited-" + System.nanoTime() + ".csv");
        StringBuilder text = new StringBuilder();
        CSVFormat format = CSVFormat.RFC4180;
        text.append(format.format(rows.get(0).keySet().toArray())).append("\r\n");
        for (Map<String, String> row : rows) {
            text.append(format.format(row.values().toArray())).append("\r\n");
        }
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static JsonNode json(Cli.Result result) {
        assertThat(result.err()).isEmpty();
        return JsonMapper.shared().readTree(result.out());
    }

    private static Map<String, Long> counts(JsonNode summary) {
        Map<String, Long> counts = new LinkedHashMap<>();
        summary.get("counts").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
        return counts;
    }

    private static Path report(JsonNode summary, String kind) {
        return Path.of(summary.get("reports").get(kind).asString());
    }

    private static List<String> issues(JsonNode summary, String kind) throws IOException {
        return records(report(summary, kind)).stream().filter(r -> !r.get("line").isEmpty())
                .map(r -> r.get("line") + "," + r.get("column") + "," + r.get("code")).toList();
    }

    private static List<CSVRecord> records(Path csv) throws IOException {
        String text = Files.readString(csv, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new java.io.StringReader(text)).getRecords();
    }
}
