package org.contactbatch.reimport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.contactbatch.support.Cli;
import org.contactbatch.support.ContactBatchTest;
import org.contactbatch.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The re-import walkthrough's reports, byte for byte: a fixed upload, its export edited in a fixed
 * way that gives every row outcome, then prepare, start and revert, and a second sheet started with
 * {@code --skip-warnings}; every report each of them
 * registers in {@code job_report} must equal its golden file under
 * {@code src/test/resources/golden/reimport/<step>/}, and no golden file may be left without a report.
 * The upload of {@code sample-data/contacts-with-errors.csv} is pinned the same way, under
 * {@code golden/upload/contacts-with-errors/}. A missing golden file, or {@code -Dgolden.update=true},
 * writes the golden file and fails, so a fresh golden is never passed silently: look at the new
 * file, commit it, run again.
 */
@ContactBatchTest
class ReimportGoldenReportsTests {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/reimport");
    private static final Path UPLOAD_GOLDEN = Path.of("src/test/resources/golden/upload/contacts-with-errors");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path temp;

    /** The golden files this run wrote. */
    private final List<String> written = new ArrayList<>();

    /** The last job_report row compared. */
    private long lastReport;

    @Test
    void theReimportWalkthroughWritesTheGoldenReports() throws IOException {
        TestDatabase.clean(jdbc);
        Cli cli = new Cli(context);
        assertThat(cli.run("upload", GOLDEN.resolve("contacts.csv").toString(), "--no-progress").exitCode()).isZero();
        Path export = temp.resolve("export.csv");
        assertThat(cli.run("export", "--out", export.toString(), "--no-progress").exitCode()).isZero();

        List<Map<String, String>> sheet = rows(export);
        String takenEmail = sheet.remove(19).get("email");           // contact 20 stays out of the sheet
        sheet.get(0).put("first_name", "Renamed");                   // line 2: updated
        sheet.get(1).put("owner", "new.owner@example.com");          // line 3: conflict (edited after prepare)
        sheet.get(2).put("lifecycle_stage", "");                     // line 4: cleared, warned, updated
        sheet.get(3).put("company", "");                             // line 5: cleared without a warning,
        sheet.get(3).put("job_title", "Chief Tester");               //         and a second field, updated
        /* line 6: unchanged */
        sheet.get(5).put("id", "999999");                            // line 7: UNKNOWN_ID
        sheet.get(6).put("email", "not-an-email");                   // line 8: INVALID_EMAIL
        sheet.get(7).put("email", takenEmail);                       // line 9: EMAIL_TAKEN
        jdbc.sql("update contact set version = version + 1 where id = 9").update();
        sheet.get(8).put("city", "Stale City");                      // line 10: STALE_VERSION, updated
        sheet.get(9).put("email", "brand.new@example.org");          // line 11: EMAIL_CHANGED, updated
        sheet.get(10).put("id", "abc");                              // line 12: ID_INVALID
        sheet.get(11).put("lifecycle_stage", "churned");             // line 13: INVALID_VALUE
        sheet.get(12).put("lifecycle_stage", "CUSTOMER");            // line 14: NORMALISED, updated
        sheet.get(13).put("id", "");                                 // line 15: ID_MISSING
        sheet.get(14).put("version", "x");                           // line 16: VERSION_INVALID
        sheet.get(15).put("email", "same.new@example.org");          // line 17: EMAIL_CHANGED, updated
        sheet.get(16).put("email", "Same.New@example.org");          // line 18: DUPLICATE_EMAIL
        sheet.get(17).put("email", "");                              // line 19: NO_EMAIL_OR_PHONE
        sheet.get(17).put("phone", "");
        /* line 20: unchanged */
        sheet.add(new LinkedHashMap<>(sheet.get(19)));               // lines 21 and 22: DUPLICATE_ID
        Path edited = write(sheet);
        lastReport = jdbc.sql("select coalesce(max(id), 0) from job_report").query(Long.class).single();

        long importId = json(cli.run("reimport", "prepare", edited.toString(), "--tag", "golden", "--by", "golden-test",
                "--json")).get("importId").asLong();
        compareReports(GOLDEN.resolve("prepare"));

        jdbc.sql("update contact set owner = 'someone.else@example.com', version = version + 1 where id = 2").update();
        json(cli.run("reimport", "start", Long.toString(importId), "--by", "golden-test", "--json"));
        compareReports(GOLDEN.resolve("start"));

        jdbc.sql("update contact set first_name = 'Edited Later', version = version + 1 where id = 1").update();
        json(cli.run("reimport", "revert", Long.toString(importId), "--by", "golden-test", "--json"));
        compareReports(GOLDEN.resolve("revert"));

        // a second sheet, started leaving out the rows with warnings: the one outcome the first can't have
        Path reexport = temp.resolve("reexport.csv");
        assertThat(cli.run("export", "--out", reexport.toString(), "--no-progress").exitCode()).isZero();
        List<Map<String, String>> second = rows(reexport);
        second.get(5).put("job_title", "Second Sheet");              // line 7: updated
        second.get(6).put("first_name", "");                         // line 8: CLEARS_FIELD, skipped (warning)
        lastReport = jdbc.sql("select coalesce(max(id), 0) from job_report").query(Long.class).single();
        long secondId = json(cli.run("reimport", "prepare", write(second).toString(), "--by", "golden-test", "--json"))
                .get("importId").asLong();
        compareReports(GOLDEN.resolve("skip-warnings-prepare"));
        json(cli.run("reimport", "start", Long.toString(secondId), "--skip-warnings", "--by", "golden-test", "--json"));
        compareReports(GOLDEN.resolve("skip-warnings-start"));
        failIfGoldenWritten();
    }

    @Test
    void theUploadOfTheSampleWithErrorsWritesTheGoldenReports() throws IOException {
        TestDatabase.clean(jdbc);
        json(new Cli(context).run("upload", "sample-data/contacts-with-errors.csv", "--no-progress", "--json"));
        compareReports(UPLOAD_GOLDEN);
        failIfGoldenWritten();
    }

    private void failIfGoldenWritten() {
        if (!written.isEmpty()) {
            fail("Wrote golden files " + written + (UPDATE ? " (-Dgolden.update=true)" : " (they were missing)")
                    + ": look at them, commit them and run the test again");
        }
    }

    /**
     * The only parts of a report that may differ from run to run, each made a fixed placeholder: the
     * creation time POI writes into a workbook's properties. Contact ids are fixed (the identity
     * restarts with every clean), versions too, and no report line holds a time or the run's folder.
     */
    private static String normalise(String text) {
        return text.replaceAll("<dcterms:created([^>]*)>[^<]*</dcterms:created>", "<dcterms:created$1>{TIME}</dcterms:created>");
    }

    /** Every report the step registered since the last one compared, against the step's golden folder. */
    private void compareReports(Path folder) throws IOException {
        String step = folder.toString();
        Map<String, Path> reports = new LinkedHashMap<>();
        jdbc.sql("select id, kind, path from job_report where id > :last order by id").param("last", lastReport)
                .query(rs -> {
                    lastReport = rs.getLong(1);
                    reports.put(rs.getString(2), Path.of(rs.getString(3)));
                });
        assertThat(reports).as("reports of %s", step).isNotEmpty();
        TreeSet<String> expectedNames = new TreeSet<>();
        for (Path report : reports.values()) {
            String name = report.getFileName().toString() + (report.toString().endsWith(".xlsx") ? ".txt" : "");
            expectedNames.add(name);
            String actual = normalise(text(report));
            Path golden = folder.resolve(name);
            if (UPDATE || !Files.exists(golden)) {
                Files.createDirectories(folder);
                Files.writeString(golden, actual, StandardCharsets.UTF_8);
                written.add(golden.toString());
                continue;
            }
            assertThat(actual).as("%s/%s", step, name).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
        }
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
                    .as("golden files of %s without a report", step).containsExactlyElementsOf(expectedNames);
        }
    }

    /**
     * A report as text: a CSV as it is (BOM and line endings kept); a workbook, whose zip container
     * holds entry times, as each entry's name and content in the zip's order.
     */
    private static String text(Path report) throws IOException {
        if (!report.toString().endsWith(".xlsx")) {
            return Files.readString(report, StandardCharsets.UTF_8);
        }
        StringBuilder text = new StringBuilder();
        try (ZipFile zip = new ZipFile(report.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(entry)) {
                    text.append("=== ").append(entry.getName()).append('\n')
                            .append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
                }
            }
        }
        return text.toString();
    }

    private static List<Map<String, String>> rows(Path csv) throws IOException {
        String text = Files.readString(csv, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (CSVRecord record : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(text))) {
            rows.add(new LinkedHashMap<>(record.toMap()));
        }
        return rows;
    }

    /** The edited sheet as a spreadsheet saves it back: a BOM, CRLF line ends. */
    private Path write(List<Map<String, String>> rows) throws IOException {
        StringBuilder text = new StringBuilder("\uFEFF");
        CSVFormat format = CSVFormat.RFC4180;
        text.append(format.format(rows.get(0).keySet().toArray())).append("\r\n");
        for (Map<String, String> row : rows) {
            text.append(format.format(row.values().toArray())).append("\r\n");
        }
        return Files.writeString(Files.createTempFile(temp, "edited", ".csv"), text, StandardCharsets.UTF_8);
    }

    private static JsonNode json(Cli.Result result) {
        assertThat(result.err()).isEmpty();
        return JsonMapper.shared().readTree(result.out());
    }
}
