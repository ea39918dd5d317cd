package org.contactbatch.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

@ContactBatchTest
class UploadJobFunctionalTests {

    private static final Path SAMPLES = Path.of("sample-data");

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
    }

    @Test
    void uploadsTheCleanSampleFile() throws IOException {
        JsonNode summary = uploadJson(SAMPLES.resolve("contacts.csv"), "--list", "Newsletter", "--consent", "confirmed");

        assertThat(summary.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(counts(summary)).containsEntry("read", 1000L).containsEntry("written", 1000L)
                .containsEntry("inserted", 1000L).containsEntry("skipped", 0L).containsEntry("warnings", 0L);
        assertThat(count("select count(*) from contact")).isEqualTo(1000);
        assertThat(count("select count(*) from contact_list_member m join contact_list l on l.id = m.list_id"
                + " where l.name = 'Newsletter'")).isEqualTo(1000);
        assertThat(count("select count(*) from contact where consent_state = 'confirmed'"
                + " and consent_source = 'contacts.csv' and consent_by is not null and consent_at is not null"))
                .isEqualTo(1000);

        CSVRecord first = records(SAMPLES.resolve("contacts.csv")).get(0);
        Map<String, Object> stored = jdbc.sql("select * from contact where lower(email) = lower(:e)")
                .param("e", first.get("Email")).query().singleRow();
        assertThat(stored).containsEntry("first_name", first.get("First Name"))
                .containsEntry("last_name", first.get("Last Name"))
                .containsEntry("company", first.get("Company"))
                .containsEntry("postal_code", first.get("Postal Code"))
                .containsEntry("lifecycle_stage", first.get("Lifecycle Stage"))
                .containsEntry("source_line", 2L);

        Path failedRows = Path.of(summary.get("reports").get("failed-rows").asString());
        assertThat(Files.readAllBytes(failedRows)).startsWith(0xEF, 0xBB, 0xBF);
        assertThat(records(failedRows)).isEmpty();
    }

    @Test
    void badRowsAreReportedWithTheirLineAndReasonAndGoodRowsLoad() throws IOException {
        assertThat(upload(SAMPLES.resolve("contacts.csv")).exitCode()).isZero();

        JsonNode summary = uploadJson(SAMPLES.resolve("contacts-with-errors.csv"));

        List<CSVRecord> expected = records(SAMPLES.resolve("contacts-with-errors.expected.csv"));
        List<CSVRecord> expectedWarnings = records(SAMPLES.resolve("contacts-with-errors.expected-warnings.csv"));
        List<CSVRecord> source = records(SAMPLES.resolve("contacts-with-errors.csv"));
        assertThat(summary.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(counts(summary)).containsEntry("read", (long) source.size())
                .containsEntry("rejected", (long) expected.size())
                .containsEntry("inserted", (long) (source.size() - expected.size()))
                .containsEntry("warnings", (long) expectedWarnings.size());

        List<CSVRecord> failed = records(Path.of(summary.get("reports").get("failed-rows").asString()));
        assertThat(failed).extracting(r -> r.get("line") + "," + r.get("column") + "," + r.get("code"))
                .containsExactlyElementsOf(expected.stream()
                        .map(r -> r.get("line") + "," + r.get("column") + "," + r.get("code")).toList());
        // each failed row carries its original cells, so it can be fixed and uploaded again
        CSVRecord badEmail = failed.get(0);
        assertThat(badEmail.get("Email")).isEqualTo("maria.garcia@");
        assertThat(badEmail.get("First Name")).isEqualTo("María");
        assertThat(badEmail.get("message")).contains("maria.garcia@").contains("not a valid email");
        assertThat(failed.stream().filter(r -> r.get("code").equals("DUPLICATE_IN_FILE")).findFirst().orElseThrow()
                .get("message")).contains("line 9");

        List<CSVRecord> warnings = records(Path.of(summary.get("reports").get("warnings").asString()));
        assertThat(warnings).extracting(r -> r.get("line") + "," + r.get("column") + "," + r.get("code"))
                .containsExactlyElementsOf(expectedWarnings.stream()
                        .map(r -> r.get("line") + "," + r.get("column") + "," + r.get("code")).toList());

        // a value the program does not know is left out, with what is accepted, and the person loads without it
        assertThat(warnings.stream().filter(r -> r.get("code").equals("UNKNOWN_VALUE")).map(r -> r.get("message")))
                .containsExactly("lifecycle stage 'hot lead' is not one of subscriber, lead, prospect, customer, member, "
                                + "inactive; left out",
                        "consent 'yes' is not one of confirmed, unconfirmed, pending, opted_out; left out");
        assertThat(jdbc.sql("select coalesce(lifecycle_stage, '(none)') || ' ' || consent_state from contact "
                + "where email = 'sophie.laurent@example.com'").query(String.class).single()).isEqualTo("(none) confirmed");
        assertThat(jdbc.sql("select lifecycle_stage || ' ' || coalesce(consent_state, '(unknown)') from contact "
                + "where email = 'hannah.becker@example.com'").query(String.class).single()).isEqualTo("lead (unknown)");

        // exactly the good rows are in the database, next to the 1,000 from before
        assertThat(count("select count(*) from contact")).isEqualTo(1000 + source.size() - expected.size());
        for (CSVRecord bad : expected) {
            assertThat(count("select count(*) from contact where source_line = " + bad.get("line")
                    + " and source_import_id = (select max(id) from import_batch)"))
                    .as("line %s", bad.get("line")).isZero();
        }
        assertThat(jdbc.sql("select cc_syncable from contact where first_name = 'Kenji' and email is null").query(Boolean.class)
                .single()).isFalse();
    }

    @Test
    void anExcelFileWithItsSeparatorLineLoadsAndReportsTheFilesOwnLineNumbers() throws IOException {
        // Excel in a semicolon locale writes "sep=;" as its first line: the delimiter, not the header
        JsonNode summary = uploadJson(Path.of("src/test/resources/files/excel-sep-hint.csv"));

        assertThat(counts(summary)).containsEntry("inserted", 2L).containsEntry("rejected", 1L);
        assertThat(jdbc.sql("select postal_code from contact where email = 'anna.schmidt@example.de'")
                .query(String.class).single()).isEqualTo("01067");
        List<CSVRecord> failed = records(Path.of(summary.get("reports").get("failed-rows").asString()));
        assertThat(failed).singleElement().satisfies(row -> {
            assertThat(row.get("line")).isEqualTo("4");
            assertThat(row.get("Email")).isEqualTo("not-an-email");
        });
    }

    @Test
    void aGzippedOrZippedFileUploadsAsTheFileInsideWithTheSameReports() throws IOException {
        Path gz = temp.resolve("contacts-with-errors.csv.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(SAMPLES.resolve("contacts-with-errors.csv"), out);
        }
        JsonNode summary = uploadJson(gz);

        // into an empty database the two rows that repeat contacts.csv's emails load too
        List<String> expected = records(SAMPLES.resolve("contacts-with-errors.expected.csv")).stream()
                .filter(r -> !r.get("code").equals("ALREADY_EXISTS"))
                .map(r -> r.get("line") + "," + r.get("column") + "," + r.get("code")).toList();
        assertThat(records(Path.of(summary.get("reports").get("failed-rows").asString())))
                .extracting(r -> r.get("line") + "," + r.get("column") + "," + r.get("code"))
                .containsExactlyElementsOf(expected);
        assertThat(counts(summary)).containsEntry("read", 25L).containsEntry("rejected", (long) expected.size());
        assertThat(jdbc.sql("select first_name from contact where email = 'thao.nguyen@example.com'")
                .query(String.class).single()).isEqualTo("Thảo");
    }

    @Test
    void anExcel2003XmlFileUploadsWithItsAccentsAndLeadingZeros() throws IOException {
        JsonNode summary = uploadJson(Path.of("src/test/resources/files/excel-2003.xml"));

        assertThat(counts(summary)).containsEntry("inserted", 3L).containsEntry("rejected", 0L);
        assertThat(jdbc.sql("select first_name || ' ' || last_name || ' ' || postal_code from contact where last_name is not null order by source_line")
                .query(String.class).list()).containsExactly("José García 02134", "Anna Müller 01067");
        assertThat(jdbc.sql("select first_name from contact where email = 'bjorn.odegard@example.no'")
                .query(String.class).single()).isEqualTo("Bjørn Ødegård");
    }

    @Test
    void anOpenDocumentSpreadsheetUploadsWithItsAccentsAndLeadingZeros() throws IOException {
        JsonNode summary = uploadJson(Path.of("src/test/resources/files/contacts.ods"));

        assertThat(counts(summary)).containsEntry("inserted", 3L).containsEntry("rejected", 0L);
        assertThat(jdbc.sql("select source_line || ' ' || first_name || ' ' || postal_code from contact "
                + "where postal_code is not null order by source_line").query(String.class).list())
                .containsExactly("2 José 02134", "5 Anna Müller 01067");
    }

    @Test
    void aTableSavedAsAWebPageUploadsWithItsAccentsAndLeadingZeros() throws IOException {
        JsonNode summary = uploadJson(Path.of("src/test/resources/files/html-table.xls"));

        assertThat(counts(summary)).containsEntry("inserted", 3L).containsEntry("rejected", 0L);
        assertThat(jdbc.sql("select first_name || ' ' || last_name || ' ' || postal_code from contact "
                + "where email = 'jose.garcia@example.org'").query(String.class).single()).isEqualTo("José García 02134");
        assertThat(jdbc.sql("select first_name || '|' || postal_code from contact where email = 'anna.muller@example.de'")
                .query(String.class).single()).isEqualTo("Anna Müller|01067");
    }

    @Test
    void aFixedFailedRowsReportUploadsAsItIs() throws IOException {
        JsonNode first = uploadJson(SAMPLES.resolve("contacts-with-errors.csv"));
        Path report = Path.of(first.get("reports").get("failed-rows").asString());
        String fixed = Files.readString(report, StandardCharsets.UTF_8)
                .replace("maria.garcia@,", "maria.garcia@example.com,");
        Path resubmitted = temp.resolve("fixed.csv");
        Files.writeString(resubmitted, fixed, StandardCharsets.UTF_8);

        JsonNode second = uploadJson(resubmitted);

        assertThat(count("select count(*) from contact where email = 'maria.garcia@example.com'")).isEqualTo(1);
        // the report's own columns are recognised, not taken for custom fields
        assertThat(records(Path.of(second.get("reports").get("warnings").asString())))
                .noneMatch(r -> r.get("code").equals("UNMAPPED_COLUMN"));
        assertThat(count("select count(*) from contact where custom_fields ->> 'code' is not null or custom_fields ->> 'message' is not null"))
                .isZero();
    }

    @Test
    void theFailedRowsWorkbookMarksTheOffendingCellsAndUploadsAsItIsOnceFixed() throws IOException {
        JsonNode first = uploadJson(SAMPLES.resolve("contacts-with-errors.csv"));
        Path report = Path.of(first.get("reports").get("failed-rows-xlsx").asString());
        List<CSVRecord> csv = records(Path.of(first.get("reports").get("failed-rows").asString()));
        Path fixed = temp.resolve("fixed.xlsx");
        try (var workbook = org.apache.poi.ss.usermodel.WorkbookFactory.create(report.toFile())) {
            var sheet = workbook.getSheetAt(0);
            assertThat(sheet.getPaneInformation().isFreezePane()).isTrue();
            assertThat(sheet.getLastRowNum()).isEqualTo(csv.size());
            var header = sheet.getRow(0);
            int email = -1;
            for (int i = 0; i < header.getLastCellNum(); i++) {
                if (header.getCell(i).getStringCellValue().equals("Email")) {
                    email = i;
                }
            }
            // the same rows as the CSV, every cell text; the bad email red, its reason in the cell's comment
            var maria = sheet.getRow(1);
            assertThat(maria.getCell(email).getStringCellValue()).isEqualTo("maria.garcia@");
            assertThat(maria.getCell(email).getCellStyle().getFillForegroundColor())
                    .isEqualTo(org.apache.poi.ss.usermodel.IndexedColors.ROSE.getIndex());
            assertThat(maria.getCell(email).getCellComment().getString().getString()).contains("not a valid email");
            assertThat(maria.getCell(email == 0 ? 1 : 0).getCellStyle().getFillForegroundColor())
                    .isNotEqualTo(org.apache.poi.ss.usermodel.IndexedColors.ROSE.getIndex());
            for (var row : sheet) {
                for (var cell : row) {
                    assertThat(cell.getCellType()).isEqualTo(org.apache.poi.ss.usermodel.CellType.STRING);
                }
            }
            assertThat(csv.get(0).get("Email")).isEqualTo("maria.garcia@");
            // fixed as Excel saves it: a new cell (POI would keep the streamed inline text beside a new value)
            maria.removeCell(maria.getCell(email));
            maria.createCell(email).setCellValue("maria.garcia@example.com");
            try (var out = Files.newOutputStream(fixed)) {
                workbook.write(out);
            }
        }

        JsonNode second = uploadJson(fixed);

        assertThat(count("select count(*) from contact where email = 'maria.garcia@example.com'")).isEqualTo(1);
        assertThat(records(Path.of(second.get("reports").get("warnings").asString())))
                .noneMatch(r -> r.get("code").equals("UNMAPPED_COLUMN"));
        assertThat(count("select count(*) from contact where custom_fields ->> 'code' is not null"
                + " or custom_fields ->> 'message' is not null")).isZero();
    }

    @Test
    void messyRealWorldFilesLoadCorrectly() {
        assertThat(upload(SAMPLES.resolve("contacts-semicolon-windows1252.csv")).exitCode()).isZero();
        assertThat(upload(SAMPLES.resolve("contacts-utf16.txt")).exitCode()).isZero();
        assertThat(upload(SAMPLES.resolve("contacts-quoted-linebreaks.csv")).exitCode()).isZero();
        assertThat(upload(SAMPLES.resolve("contacts.xlsx"), "--sheet", "Contacts").exitCode()).isZero();
        assertThat(upload(SAMPLES.resolve("contacts.xls")).exitCode()).isZero();

        assertThat(jdbc.sql("select first_name from contact where source_import_id = (select min(id) from import_batch)").query(String.class).list())
                .contains("José", "Françoise").anyMatch(n -> n.contains("ü") || n.contains("Ø") || n.contains("ø"));
        assertThat(count("select count(*) from contact where source_import_id = (select min(id) from import_batch) and postal_code like '0%'"))
                .isPositive();
        assertThat(count("select count(*) from contact where phone = '+1 212 555 0100'")).isPositive();
        assertThat(count("select count(*) from contact where postal_code = '02134'")).isPositive();
        assertThat(jdbc.sql("select street from contact where street like '%' || chr(10) || '%'")
                .query(String.class).list()).isNotEmpty();
        assertThat(jdbc.sql("select company from contact where company like '%\"%'").query(String.class).list())
                .isNotEmpty();
    }

    @Test
    void fileLevelProblemsExitTwoWithOneLineAndChangeNothing() throws IOException {
        Path empty = Files.writeString(temp.resolve("empty.csv"), "");
        Path headerOnly = Files.writeString(temp.resolve("header-only.csv"), "Email,First Name\n");
        Path pdf = Files.write(temp.resolve("contacts.csv.pdf"), "%PDF-1.7\n%âãÏÓ\n1 0 obj\n".getBytes(StandardCharsets.ISO_8859_1));
        Path brokenQuote = Files.writeString(temp.resolve("broken.csv"),
                "Email,First Name\na@example.com,Ann\n\"b@example.com,Bob\nc@example.com,Cy\n");
        Path noContactColumns = Files.writeString(temp.resolve("names.csv"), "Given,Family\nAnn,Lee\n");
        // UTF-8 and windows-1252 lines pasted together: refused, never stored with garbled accents
        Path mixedEncodings = Path.of("src/test/resources/files/mixed-encodings.csv");

        for (Path file : List.of(empty, headerOnly, pdf, brokenQuote, noContactColumns, mixedEncodings)) {
            Cli.Result result = upload(file);
            assertThat(result.exitCode()).as(file.getFileName().toString()).isEqualTo(2);
            assertThat(result.err().strip().lines()).as(result.err()).hasSize(1);
            assertThat(result.err()).contains(file.getFileName().toString());
        }
        assertThat(count("select count(*) from contact")).isZero();
        assertThat(upload(temp.resolve("missing.csv")).err()).contains("no such file");

        // read back from the job repository, the execution tells the same words, not that "a partition failed"
        String refused = upload(mixedEncodings).err().strip();
        long execution = count("select max(job_execution_id) from batch_job_execution");
        assertThat(cli.run("jobs", "show", Long.toString(execution)).out())
                .contains("  error: " + refused.substring("error: ".length()) + "\n");
    }

    @Test
    void existingEmailsFailByDefaultAndCanBeSkippedOrUpdated() throws IOException {
        Path original = Files.writeString(temp.resolve("a.csv"), "Email,First Name,Company\nann@example.com,Ann,Acme\n");
        Path changed = Files.writeString(temp.resolve("b.csv"), "E-mail,Given Name,Company\nANN@example.com,Annie,\n");
        assertThat(upload(original).exitCode()).isZero();

        JsonNode failing = uploadJson(changed);
        assertThat(counts(failing)).containsEntry("rejected", 1L).containsEntry("written", 0L);

        JsonNode skipping = uploadJson(changed, "--on-existing", "skip");
        assertThat(counts(skipping)).containsEntry("existing", 1L).containsEntry("written", 0L)
                .containsEntry("rejected", 0L);

        JsonNode updating = uploadJson(changed, "--on-existing", "update");
        assertThat(counts(updating)).containsEntry("updated", 1L);
        Map<String, Object> ann = jdbc.sql("select first_name, company, version from contact").query().singleRow();
        // a blank cell does not wipe what an upload's update would otherwise leave alone
        assertThat(ann).containsEntry("first_name", "Annie").containsEntry("company", "Acme").containsEntry("version", 1);
        assertThat(count("select count(*) from contact_before_image where before ->> 'first_name' = 'Ann'")).isEqualTo(1);
    }

    @Test
    void emailsMatchIgnoringCaseWhetherTheyAreAsciiOrNot() throws IOException {
        Path existing = Files.writeString(temp.resolve("existing.csv"),
                "Email,First Name\nann.lee@example.com,Ann\némile@example.com,Émile\n", StandardCharsets.UTF_8);
        assertThat(upload(existing).exitCode()).isZero();
        Path file = Files.writeString(temp.resolve("cases.csv"), """
                Email,First Name
                Bob.Stone@example.com,Bob
                ZOË@example.com,Zoë
                bob.stone@example.com,Bobby
                zoë@example.com,Zoe
                zoe@example.com,Zoe
                ANN.LEE@example.com,Ann
                ÉMILE@example.com,Emile
                """, StandardCharsets.UTF_8);

        JsonNode summary = uploadJson(file);

        assertThat(counts(summary)).containsEntry("inserted", 3L).containsEntry("rejected", 4L);
        List<CSVRecord> failed = records(Path.of(summary.get("reports").get("failed-rows").asString()));
        assertThat(failed).extracting(r -> r.get("line") + " " + r.get("code") + " " + r.get("message"))
                .containsExactly(
                        "4 DUPLICATE_IN_FILE the same email is on line 2",
                        "5 DUPLICATE_IN_FILE the same email is on line 3",
                        "7 ALREADY_EXISTS a contact with this email already exists (use --on-existing update or skip): contact "
                                + contactId("ann.lee@example.com"),
                        "8 ALREADY_EXISTS a contact with this email already exists (use --on-existing update or skip): contact "
                                + contactId("émile@example.com"));
        assertThat(jdbc.sql("select email from contact where source_import_id = (select max(id) from import_batch)")
                .query(String.class).list()).containsExactlyInAnyOrder("Bob.Stone@example.com", "ZOË@example.com", "zoe@example.com");
    }

    private long contactId(String email) {
        return jdbc.sql("select id from contact where email = :email").param("email", email).query(Long.class).single();
    }

    @Test
    void maxErrorsFailsTheJobWithoutChangingAContact() throws IOException {
        JsonNode summary = uploadJson(SAMPLES.resolve("contacts-with-errors.csv"), "--max-errors", "3");

        assertThat(summary.get("status").asString()).isEqualTo("FAILED");
        assertThat(summary.get("message").asString()).contains("more than --max-errors 3");
        assertThat(count("select count(*) from contact")).isZero();
        // the complete failed-rows report is still there to fix the file in one pass
        assertThat(records(Path.of(summary.get("reports").get("failed-rows").asString()))).hasSizeGreaterThan(3);
    }

    @Test
    void aMappingFileNamesColumnsTheAutomaticMappingDoesNotKnow() throws IOException {
        Cli.Result withoutMapping = upload(SAMPLES.resolve("crm-export.csv"), "--dry-run");
        assertThat(withoutMapping.out()).containsPattern("Member E-mail +-> custom field 'member_e_mail'")
                .containsPattern("Cell # +-> phone");

        JsonNode summary = uploadJson(SAMPLES.resolve("crm-export.csv"), "--mapping", "crm-export");

        assertThat(counts(summary)).containsEntry("inserted", 4L).containsEntry("warnings", 1L);
        Map<String, Object> ines = jdbc.sql("select first_name, last_name, phone, company, custom_fields::text as custom"
                + " from contact where email = 'ines.duarte@example.org'").query().singleRow();
        assertThat(ines).containsEntry("first_name", "Ines").containsEntry("last_name", "Duarte")
                .containsEntry("phone", "+351 912 345 678").containsEntry("company", "Atlântico Imports Lda")
                .containsEntry("custom", "{\"member_since\": \"2019-04-02\", \"member_number\": \"M-0001\"}");
        List<CSVRecord> warnings = records(Path.of(summary.get("reports").get("warnings").asString()));
        assertThat(warnings).extracting(r -> r.get("column") + ":" + r.get("code"))
                .containsExactly("Branch:UNMAPPED_COLUMN", "Member E-mail:NO_EMAIL");
    }

    @Test
    void theTemplateHasEveryFieldAndItsExampleRowUploadsAsItIs() throws IOException {
        for (String name : List.of("template.csv", "template.xlsx")) {
            TestDatabase.clean(jdbc);
            Path template = temp.resolve(name);
            Cli.Result written = cli.run("upload", "--template", template.toString());
            assertThat(written.exitCode()).as(written.err()).isZero();
            assertThat(written.out()).contains("17 columns");

            JsonNode summary = uploadJson(template);

            assertThat(counts(summary)).as(name).containsEntry("inserted", 1L).containsEntry("rejected", 0L)
                    .containsEntry("warnings", 0L);
            Map<String, Object> ann = jdbc.sql("""
                    select email, phone_e164, first_name, last_name, company, job_title, street, city, region,
                           postal_code, country, lifecycle_stage, owner, legal, array_to_string(groups, '|') as groups,
                           array_to_string(tags, '|') as tags, consent_state, custom_fields::text as custom
                    from contact""").query().singleRow();
            assertThat(ann).as(name).containsEntry("email", "ann.lee@example.com").containsEntry("phone_e164", "+12125550100")
                    .containsEntry("first_name", "Ann").containsEntry("last_name", "Lee")
                    .containsEntry("company", "Acme Supplies").containsEntry("job_title", "Buyer")
                    .containsEntry("street", "1 Main Street").containsEntry("city", "Springfield")
                    .containsEntry("region", "MA").containsEntry("postal_code", "02134").containsEntry("country", "US")
                    .containsEntry("lifecycle_stage", "lead").containsEntry("owner", "jane.doe")
                    .containsEntry("legal", true).containsEntry("groups", "East|Wholesale")
                    .containsEntry("tags", "vip|newsletter").containsEntry("consent_state", "confirmed")
                    .containsEntry("custom", "{}");
        }
        // the workbook explains every column on a sheet of its own
        try (var workbook = org.apache.poi.ss.usermodel.WorkbookFactory.create(temp.resolve("template.xlsx").toFile())) {
            assertThat(workbook.getSheetName(1)).isEqualTo("About the columns");
            assertThat(workbook.getSheetAt(1).getRow(12).getCell(2).getStringCellValue())
                    .startsWith("one of subscriber, lead");
            assertThat(workbook.getSheetAt(0).getPaneInformation().isFreezePane()).isTrue();
        }
        assertThat(cli.run("upload", "--template", temp.resolve("t.txt").toString()).err())
                .contains("written as a .csv or an .xlsx");
    }

    @Test
    void dryRunShowsTheMappingAndWritesNothing() {
        Cli.Result result = upload(SAMPLES.resolve("contacts-semicolon-windows1252.csv"), "--dry-run");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("E-mail").contains("-> email").contains("Given Name")
                .contains("-> first_name").contains("Surname").contains("-> last_name").contains("Zip")
                .contains("-> postal_code").contains("nothing was written");
        assertThat(count("select count(*) from contact")).isZero();
        assertThat(count("select count(*) from batch_job_execution")).isZero();
    }

    @Test
    void theSameCommandAgainDoesNotUploadTwice() {
        assertThat(upload(SAMPLES.resolve("contacts.csv")).exitCode()).isZero();
        Cli.Result again = upload(SAMPLES.resolve("contacts.csv"));

        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("completed before");
        assertThat(count("select count(*) from contact")).isEqualTo(1000);
        assertThat(count("select count(*) from batch_job_execution")).isEqualTo(1);
    }

    @Test
    void jobsCommandsSayWhenAnExecutionDoesNotExist() {
        for (String command : List.of("show", "restart")) {
            Cli.Result result = cli.run("jobs", command, "999999");
            assertThat(result.exitCode()).as(command).isEqualTo(2);
            assertThat(result.err()).contains("there is no job execution 999999");
        }
    }

    private Cli.Result upload(Path file, String... options) {
        String[] args = new String[options.length + 3];
        args[0] = "upload";
        args[1] = file.toString();
        args[2] = "--no-progress";
        System.arraycopy(options, 0, args, 3, options.length);
        return cli.run(args);
    }

    private JsonNode uploadJson(Path file, String... options) {
        String[] withJson = new String[options.length + 1];
        System.arraycopy(options, 0, withJson, 0, options.length);
        withJson[options.length] = "--json";
        Cli.Result result = upload(file, withJson);
        assertThat(result.err()).isEmpty();
        return JsonMapper.shared().readTree(result.out());
    }

    private static Map<String, Long> counts(JsonNode summary) {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        summary.get("counts").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
        return counts;
    }

    private int count(String sql) {
        return jdbc.sql(sql).query(Integer.class).single();
    }

    static List<CSVRecord> records(Path csv) throws IOException {
        String text = Files.readString(csv, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new java.io.StringReader(text))
                .getRecords();
    }
}
