package org.contactbatch.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.contactbatch.files.RawRow;
import org.contactbatch.files.ReadOptions;
import org.contactbatch.files.RowSource;
import org.contactbatch.files.TabularFiles;
import org.contactbatch.jobs.ExecutionQueries;
import org.contactbatch.support.Cli;
import org.contactbatch.support.ContactBatchTest;
import org.contactbatch.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The export against a real PostgreSQL: what is in the file is what is in the database, for every format, filter
 * and column choice, read back with the project's own reader.
 */
@ContactBatchTest
class ExportJobFunctionalTests {

    static final String EVIL = "x'); drop table contact; --";
    static final String LONG_TEXT = "Lorem ipsum dolor sit amet, “quoted”, and so on. ".repeat(200);

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Environment environment;

    @TempDir
    Path temp;

    Cli cli;

    @BeforeEach
    void setUp() {
        TestDatabase.clean(jdbc);
        jdbc.sql("truncate export_run, export_id").update();
        cli = new Cli(context);
        insertContacts(jdbc);
    }

    /** Contacts with what files get wrong: accents, +, leading zeros, quotes, line breaks, formulas, long text. */
    static void insertContacts(JdbcClient jdbc) {
        jdbc.sql("""
                insert into contact (email, phone, first_name, last_name, company, job_title, street, city, region,
                    postal_code, country, lifecycle_stage, owner, legal, groups, tags, custom_fields, consent_state,
                    active, updated_at)
                values
                ('lukasz.kovacevic@example.net', '+49 1512 7070168', 'Łukasz', 'Kovačević',
                 'Smith, Jones & "Partners"', 'Manager ', 'Goethestraße 78', 'Düsseldorf', 'NRW', '01234', 'Germany',
                 'lead', 'sam@example.com', true, '{Board}', '{vip,events}',
                 '{"member_number": "00042", "notes": "line 1\\nline 2"}', 'confirmed', true, '2026-01-15T00:00:00Z'),
                ('formula@example.com', '0044 20 7946 0018', '=HYPERLINK("http://x","y")', '+1+2', '@corp', '-3',
                 null, null, null, '00501', null, 'customer', 'SAM@example.com', false, '{}', '{VIP}',
                 '{"member_number": "=1+2"}', 'pending', false, '2026-02-20T10:30:00Z'),
                (null, '(720) 555-0180 x968', 'Renée', null, null, null, :long, null, null, null, null, null, null,
                 null, '{}', '{}', '{}', null, true, '2025-12-31T23:59:59Z'),
                ('tab@example.com', '-', E'\\tTabbed', E'\\rStart', 'Zoë & Søren ApS', null, 'Line one' || chr(13)
                 || chr(10) || 'Line two', 'Montréal', 'QC', 'H2X 7L3', 'Canada', 'member', 'priya@example.com', null,
                 '{Board,Donors}', '{newsletter}', '{"shoe size": "42"}', 'unconfirmed', true, '2026-03-10T08:00:00Z'),
                ('evil@example.com', null, 'Bobby', 'Tables', null, null, null, null, null, null, null, 'lead', :evil,
                 null, '{}', :evilTags, '{}', null, true, '2026-01-01T00:00:00Z')""")
                .param("long", LONG_TEXT).param("evil", EVIL).param("evilTags", new String[] {EVIL})
                .update();
        // many more, so that every filter keeps some and leaves out others
        jdbc.sql("""
                insert into contact (email, first_name, lifecycle_stage, owner, tags, groups, consent_state, active,
                    updated_at)
                select 'gen' || i || '@example.com', 'Gen ' || i,
                    (array['subscriber','lead','prospect','customer','member','inactive'])[1 + i % 6],
                    (array['sam@example.com','Priya@Example.com', null])[1 + i % 3],
                    case i % 4 when 0 then array['vip'] when 1 then array['VIP','events'] else '{}' end,
                    case when i % 5 = 0 then array['Board'] else '{}' end,
                    (array['confirmed','unconfirmed','pending',null])[1 + i % 4],
                    i % 7 <> 0,
                    timestamptz '2025-11-01T00:00:00Z' + i * interval '1 day'
                from generate_series(1, 200) i""").update();
        jdbc.sql("insert into contact_list (name) values ('Newsletter'), ('Board Members')").update();
        jdbc.sql("""
                insert into contact_list_member (list_id, contact_id)
                select (select id from contact_list where name = 'Newsletter'), id from contact where id % 3 = 1
                union all
                select (select id from contact_list where name = 'Board Members'), id from contact where id % 10 = 2""")
                .update();
    }

    // ------------------------------------------------------------------ what is in the file is in the database

    @Test
    void exportsEveryContactToCsvWithTheValuesOfTheDatabase() throws IOException {
        Path out = temp.resolve("contacts.csv");

        JsonNode summary = exportJson("--out", out.toString());

        int contacts = count("select count(*) from contact");
        assertThat(summary.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(summary.get("job").asString()).isEqualTo("export");
        assertThat(counts(summary)).containsEntry("read", (long) contacts).containsEntry("written", (long) contacts)
                .containsEntry("skipped", 0L).containsEntry("warnings", 0L);
        assertThat(summary.get("reports").get("export").asString()).isEqualTo(out.toString());
        byte[] bytes = Files.readAllBytes(out);
        assertThat(bytes).startsWith(0xEF, 0xBB, 0xBF);
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text).startsWith("\uFEFFid,version,email,phone,first_name,last_name,company,job_title,street,"
                + "city,region,postal_code,country,lifecycle_stage,owner,legal,groups,tags,consent,"
                + "custom:member_number,custom:notes,custom:shoe size\r\n");
        assertThat(text.split("\r\n", -1)).hasSizeGreaterThan(contacts);

        assertSameRows(read(out), expected(headers(out)));
        assertThat(Files.list(temp).map(p -> p.getFileName().toString()).toList())
                .as("no temporary file is left behind").containsExactly("contacts.csv");
    }

    @Test
    void exportsToXlsxWithEveryCellAsText() throws Exception {
        Path out = temp.resolve("contacts.xlsx");

        JsonNode summary = exportJson("--out", out.toString());

        assertThat(summary.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(counts(summary)).containsEntry("written", (long) count("select count(*) from contact"));
        assertSameRows(read(out), expected(headers(out)));
        try (XSSFWorkbook workbook = new XSSFWorkbook(out.toFile())) {
            Sheet sheet = workbook.getSheetAt(0);
            assertThat(sheet.getPaneInformation().isFreezePane()).isTrue();
            Row header = sheet.getRow(0);
            assertThat(workbook.getFontAt(header.getCell(0).getCellStyle().getFontIndex()).getBold()).isTrue();
            int cells = 0;
            for (int r = 1; r <= sheet.getLastRowNum(); r++) {
                for (Cell cell : sheet.getRow(r)) {
                    assertThat(cell.getCellType()).isEqualTo(CellType.STRING);
                    assertThat(((XSSFCellStyle) cell.getCellStyle()).getDataFormatString()).isEqualTo("@");
                    cells++;
                }
            }
            assertThat(cells).isGreaterThan(1000);
            Row lukasz = sheet.getRow(1);
            assertThat(lukasz.getCell(column(header, "phone")).getStringCellValue()).isEqualTo("'+49 1512 7070168");
            assertThat(lukasz.getCell(column(header, "postal_code")).getStringCellValue()).isEqualTo("01234");
            assertThat(lukasz.getCell(column(header, "custom:member_number")).getStringCellValue()).isEqualTo("00042");
            assertThat(sheet.getColumnWidth(column(header, "street"))).isGreaterThan(sheet.getColumnWidth(0));
        }
    }

    @Test
    void aNameThatIsAFormulaComesOutNeutralisedInBothFormats() throws Exception {
        Path csv = temp.resolve("f.csv");
        Path xlsx = temp.resolve("f.xlsx");
        assertThat(export("--out", csv.toString(), "--ids", idsFile(2)).exitCode()).isZero();
        assertThat(export("--out", xlsx.toString(), "--ids", idsFile(2)).exitCode()).isZero();

        String text = Files.readString(csv);
        assertThat(text).contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+1+2,'@corp,-3,")
                .contains(",'=1+2\r\n")
                .doesNotContain(",=").doesNotContain(",+").doesNotContain(",@");
        try (XSSFWorkbook workbook = new XSSFWorkbook(xlsx.toFile())) {
            Row header = workbook.getSheetAt(0).getRow(0);
            Row row = workbook.getSheetAt(0).getRow(1);
            for (Map.Entry<String, String> cell : Map.of("first_name", "'=HYPERLINK(\"http://x\",\"y\")",
                    "last_name", "'+1+2", "company", "'@corp", "job_title", "-3",
                    "custom:member_number", "'=1+2").entrySet()) {
                Cell c = row.getCell(column(header, cell.getKey()));
                assertThat(c.getCellType()).as(cell.getKey()).isEqualTo(CellType.STRING);
                assertThat(c.getStringCellValue()).as(cell.getKey()).isEqualTo(cell.getValue());
            }
        }
        // and the project's readers give the original back
        for (Path file : List.of(csv, xlsx)) {
            Map<String, String> row = read(file).get(0);
            assertThat(row).containsEntry("first_name", "=HYPERLINK(\"http://x\",\"y\")")
                    .containsEntry("last_name", "+1+2").containsEntry("custom:member_number", "=1+2");
        }
    }

    @Test
    void anUploadedFileExportedComesBackThroughTheReimportUnchanged() throws IOException {
        TestDatabase.clean(jdbc);
        assertThat(cli.run("upload", "sample-data/contacts.csv", "--json", "--no-progress").exitCode()).isZero();
        for (String format : List.of("csv", "xlsx")) {
            Path out = temp.resolve("round-trip." + format);
            assertThat(exportJson("--out", out.toString()).get("status").asString()).isEqualTo("COMPLETED");

            Cli.Result prepared = cli.run("reimport", "prepare", out.toString(), "--json", "--no-progress");

            assertThat(prepared.exitCode()).as(prepared.err()).isZero();
            Map<String, Long> counts = counts(JsonMapper.shared().readTree(prepared.out()));
            assertThat(counts).as(format).containsEntry("read", 1000L).containsEntry("unchanged", 1000L)
                    .containsEntry("errors", 0L).containsEntry("changes", 0L);
        }
    }

    // ------------------------------------------------------------------ filters

    static Stream<Arguments> filters() {
        return Stream.of(
                Arguments.of(List.of("--list", "newsletter"), "id in (select m.contact_id from contact_list_member m"
                        + " join contact_list l on l.id = m.list_id where l.name = 'Newsletter')"),
                Arguments.of(List.of("--stage", "Lead"), "lifecycle_stage = 'lead'"),
                Arguments.of(List.of("--owner", "SAM@example.com"), "lower(owner) = 'sam@example.com'"),
                Arguments.of(List.of("--owner", EVIL), "owner = '" + EVIL.replace("'", "''") + "'"),
                Arguments.of(List.of("--tag", "vip"), "'vip' = any(tags) or 'VIP' = any(tags)"),
                Arguments.of(List.of("--group", "board"), "'Board' = any(groups)"),
                Arguments.of(List.of("--consent", "confirmed"), "consent_state = 'confirmed'"),
                Arguments.of(List.of("--consent", "none"), "consent_state is null"),
                Arguments.of(List.of("--active", "false"), "not active"),
                Arguments.of(List.of("--updated-since", "2026-02-01T00:00:00Z"), "updated_at >= '2026-02-01T00:00:00Z'"),
                Arguments.of(List.of("--stage", "lead", "--owner", "sam@example.com", "--tag", "VIP", "--active", "true",
                        "--updated-since", "2025-12-01T00:00:00Z", "--list", "Newsletter"),
                        "lifecycle_stage = 'lead' and lower(owner) = 'sam@example.com' and ('vip' = any(tags) or "
                                + "'VIP' = any(tags)) and active and updated_at >= '2025-12-01T00:00:00Z' and id in "
                                + "(select m.contact_id from contact_list_member m join contact_list l on "
                                + "l.id = m.list_id where l.name = 'Newsletter')"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void filtersSelectExactlyTheContactsThatMatch(List<String> filter, String where) throws IOException {
        List<Long> expected = ids("select id from contact where " + where + " order by id");
        assertThat(expected).as("the fixture has contacts for this filter").isNotEmpty()
                .hasSizeLessThan(count("select count(*) from contact"));
        Path out = temp.resolve("filtered.csv");
        List<String> args = new ArrayList<>(List.of("--out", out.toString()));
        args.addAll(filter);

        JsonNode summary = exportJson(args.toArray(String[]::new));

        assertThat(counts(summary)).containsEntry("written", (long) expected.size());
        assertThat(read(out).stream().map(row -> Long.valueOf(row.get("id"))).toList()).isEqualTo(expected);
        assertThat(count("select count(*) from contact")).as("the contacts are all still there").isEqualTo(205);
    }

    @Test
    void anIdsFileSelectsExactlyThoseContacts() throws IOException {
        List<Long> some = ids("select id from contact where id % 17 = 3 order by id");
        Path file = temp.resolve("ids.txt");
        List<String> lines = new ArrayList<>(List.of("id"));
        some.forEach(id -> lines.add(" " + id + " "));
        lines.add(String.valueOf(some.get(0)));
        lines.add("999999");
        Files.write(file, lines);
        Path out = temp.resolve("ids.xlsx");

        JsonNode summary = exportJson("--out", out.toString(), "--ids", file.toString(), "--active", "true");

        List<Long> expected = ids("select id from contact where id % 17 = 3 and active order by id");
        assertThat(counts(summary)).containsEntry("written", (long) expected.size());
        assertThat(read(out).stream().map(row -> Long.valueOf(row.get("id"))).toList()).isEqualTo(expected);
        assertThat(count("select count(*) from export_id")).as("the IDs are not kept after the export").isZero();
    }

    @Test
    void noContactSelectedGivesAFileWithTheHeaderOnly() throws IOException {
        Path out = temp.resolve("none.csv");

        JsonNode summary = exportJson("--out", out.toString(), "--tag", "no-such-tag", "--columns", "email");

        assertThat(counts(summary)).containsEntry("written", 0L);
        assertThat(Files.readString(out)).isEqualTo("\uFEFFid,version,email\r\n");
    }

    /** Who exports is recorded with the job, as for an upload or a re-import: jobs show and the console say it. */
    @Test
    void byNamesWhoExportedInJobsShowAndTheExecutionsList() {
        long byAlice = exportJson("--out", temp.resolve("alice.csv").toString(), "--tag", "vip", "--by", "alice")
                .get("executionId").asLong();

        assertThat(cli.run("jobs", "show", Long.toString(byAlice)).out()).contains("by=alice");
        assertThat(context.getBean(ExecutionQueries.class).find(ExportOptions.JOB_NAME, "", 0, 1))
                .as("what the console's list shows in its By column").singleElement()
                .extracting(ExecutionQueries.Line::by).isEqualTo("alice");
        // without it, the user name, as before
        long mine = exportJson("--out", temp.resolve("mine.csv").toString()).get("executionId").asLong();
        assertThat(cli.run("jobs", "show", Long.toString(mine)).out())
                .contains("by=" + System.getProperty("user.name"));
    }

    // ------------------------------------------------------------------ columns and CSV options

    @Test
    void columnsAreChosenAndOrderedAfterIdAndVersion() throws IOException {
        Path out = temp.resolve("columns.csv");

        exportJson("--out", out.toString(), "--ids", idsFile(1, 4), "--columns",
                "Last Name,email,member_number,custom:shoe size,updated_at,lists,active,version");

        assertThat(headers(out)).containsExactly("id", "version", "last_name", "email", "custom:member_number",
                "custom:shoe size", "updated_at", "lists", "active");
        List<Map<String, String>> rows = read(out);
        assertThat(rows).isEqualTo(expected(headers(out)).stream()
                .filter(row -> row.get("id").equals("1") || row.get("id").equals("4")).toList());
        assertThat(rows.get(0)).containsEntry("updated_at", "2026-01-15T00:00:00Z").containsEntry("lists", "Newsletter")
                .containsEntry("active", "yes").containsEntry("custom:member_number", "00042");
        assertThat(rows.get(1)).containsEntry("custom:shoe size", "42").containsEntry("lists", "Newsletter");
    }

    @Test
    void aSemicolonDelimiterAndNoBom() throws IOException {
        Path out = temp.resolve("semicolon.csv");

        exportJson("--out", out.toString(), "--delimiter", ";", "--no-bom");

        String text = Files.readString(out);
        assertThat(text).startsWith("id;version;email;phone;").doesNotStartWith("\uFEFF")
                .contains(";\"Smith, Jones & \"\"Partners\"\"\";");
        assertSameRows(read(out), expected(headers(out)));
    }

    // ------------------------------------------------------------------ the command

    @Test
    void theDefaultFileIsInTheExportsFolderAndAskingAgainWritesANewOne() throws IOException {
        Path dir = Path.of(environment.getProperty("contact-batch.exports-dir", "exports")).toAbsolutePath().normalize();
        JsonNode first = exportJson("--tag", "events", "--columns", "email");
        JsonNode second = exportJson("--tag", "events", "--columns", "email");
        try {
            Path one = Path.of(first.get("reports").get("export").asString());
            Path two = Path.of(second.get("reports").get("export").asString());
            assertThat(one.getParent()).isEqualTo(dir);
            assertThat(one.getFileName().toString()).startsWith("contacts-" + first.get("executionId").asLong())
                    .endsWith(".csv");
            assertThat(second.get("outcome").asString()).isEqualTo("STARTED");
            assertThat(two).isNotEqualTo(one);
            assertThat(Files.readString(two)).isEqualTo(Files.readString(one));
        }
        finally {
            for (JsonNode summary : List.of(first, second)) {
                Files.deleteIfExists(Path.of(summary.get("reports").get("export").asString()));
            }
        }
    }

    @Test
    void printsASummaryForPeople() {
        Path out = temp.resolve("people.csv");

        Cli.Result result = export("--out", out.toString(), "--stage", "member");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Export COMPLETED (execution ").contains("written")
                .contains("  export  " + out);
    }

    @Test
    void anExistingFileIsReplacedOnlyWhenAsked() throws IOException {
        Path out = Files.writeString(temp.resolve("existing.csv"), "keep me");

        Cli.Result refused = export("--out", out.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("exists; add --overwrite");
        assertThat(Files.readString(out)).isEqualTo("keep me");

        assertThat(export("--out", out.toString(), "--overwrite").exitCode()).isZero();
        assertThat(read(out)).hasSize(205);
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingRuns() throws IOException {
        Path out = temp.resolve("never.csv");
        Path badIds = Files.writeString(temp.resolve("bad-ids.txt"), "12\nabc\n");
        List<List<String>> requests = List.of(
                List.of("--columns", "email,emial"),
                List.of("--stage", "vip"),
                List.of("--list", "No Such List"),
                List.of("--consent", "maybe"),
                List.of("--active", "sometimes"),
                List.of("--updated-since", "last week"),
                List.of("--ids", badIds.toString()),
                List.of("--format", "pdf"),
                List.of("--format", "xlsx", "--delimiter", ";"),
                List.of("--delimiter", "x"));
        for (List<String> request : requests) {
            List<String> args = new ArrayList<>(List.of("--out", out.toString()));
            args.addAll(request);
            Cli.Result result = export(args.toArray(String[]::new));
            assertThat(result.exitCode()).as("%s", request).isEqualTo(2);
            assertThat(result.err()).as("%s", request).startsWith("error: ").hasLineCount(1);
        }
        assertThat(export("--list", "No Such List").err()).contains("(lists: Board Members, Newsletter)");
        assertThat(export("--ids", badIds.toString()).err()).contains("line 2").contains("'abc' is not a contact ID");
        assertThat(out).doesNotExist();
        assertThat(count("select count(*) from batch_job_execution")).isZero();
    }

    // ------------------------------------------------------------------ helpers

    private Cli.Result export(String... args) {
        List<String> all = new ArrayList<>(List.of("export"));
        all.addAll(Arrays.asList(args));
        if (!all.contains("--json")) {
            all.add("--no-progress");
        }
        return cli.run(all.toArray(String[]::new));
    }

    private JsonNode exportJson(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--json");
        Cli.Result result = export(all.toArray(String[]::new));
        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).as(result.out()).isZero();
        return JsonMapper.shared().readTree(result.out());
    }

    /** Row by row, so a difference shows the one cell that differs, not the whole file. */
    static void assertSameRows(List<Map<String, String>> actual, List<Map<String, String>> expected) {
        for (int i = 0; i < Math.min(actual.size(), expected.size()); i++) {
            Map<String, String> a = actual.get(i);
            Map<String, String> e = expected.get(i);
            assertThat(a.keySet()).isEqualTo(e.keySet());
            for (String column : e.keySet()) {
                assertThat(a.get(column)).as("row %d (id %s), column %s", i + 1, e.get("id"), column)
                        .isEqualTo(e.get(column));
            }
        }
        assertThat(actual).hasSameSizeAs(expected);
    }

    private static Map<String, Long> counts(JsonNode summary) {
        Map<String, Long> counts = new LinkedHashMap<>();
        summary.get("counts").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
        return counts;
    }

    private String idsFile(long... ids) throws IOException {
        Path file = Files.createTempFile(temp, "ids", ".txt");
        Files.write(file, Arrays.stream(ids).mapToObj(String::valueOf).toList());
        return file.toString();
    }

    private int count(String sql) {
        return jdbc.sql(sql).query(Integer.class).single();
    }

    private List<Long> ids(String sql) {
        return jdbc.sql(sql).query(Long.class).list();
    }

    private static int column(Row header, String name) {
        for (Cell cell : header) {
            if (cell.getStringCellValue().equals(name)) {
                return cell.getColumnIndex();
            }
        }
        throw new AssertionError("no column " + name);
    }

    static List<String> headers(Path file) {
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            return source.header();
        }
    }

    /** The file's rows read by the project's own reader (which restores neutralised cells), header → cell. */
    static List<Map<String, String>> read(Path file) {
        List<Map<String, String>> rows = new ArrayList<>();
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            List<String> header = source.header();
            for (RawRow row; (row = source.next()) != null; ) {
                Map<String, String> cells = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    cells.put(header.get(i), row.cell(i));
                }
                rows.add(cells);
            }
        }
        return rows;
    }

    /** Every contact as the database holds it, in the file's columns, by id: what the file should say. */
    List<Map<String, String>> expected(List<String> headers) {
        return jdbc.sql("""
                select c.*, c.custom_fields::text as custom_json, (select array_agg(l.name order by lower(l.name))
                    from contact_list_member m join contact_list l on l.id = m.list_id where m.contact_id = c.id) as lists
                from contact c order by c.id""")
                .query((rs, n) -> {
                    Map<String, String> all = contact(rs);
                    Map<String, String> row = new LinkedHashMap<>();
                    headers.forEach(h -> row.put(h, all.getOrDefault(h, "")));
                    return row;
                })
                .list();
    }

    private static Map<String, String> contact(ResultSet rs) throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("id", rs.getString("id"));
        values.put("version", rs.getString("version"));
        for (String text : List.of("email", "phone", "first_name", "last_name", "company", "job_title", "street",
                "city", "region", "postal_code", "country", "lifecycle_stage", "owner")) {
            values.put(text, nullToEmpty(rs.getString(text)));
        }
        Object legal = rs.getObject("legal");
        values.put("legal", legal == null ? "" : (Boolean) legal ? "yes" : "no");
        values.put("groups", String.join("; ", strings(rs.getArray("groups"))));
        values.put("tags", String.join("; ", strings(rs.getArray("tags"))));
        values.put("consent", nullToEmpty(rs.getString("consent_state")));
        values.put("active", rs.getBoolean("active") ? "yes" : "no");
        values.put("lists", String.join("; ", strings(rs.getArray("lists"))));
        values.put("updated_at", DateTimeFormatter.ISO_INSTANT.format(
                rs.getTimestamp("updated_at").toInstant().truncatedTo(ChronoUnit.SECONDS)));
        JsonMapper.shared().readTree(rs.getString("custom_json")).properties()
                .forEach(e -> values.put("custom:" + e.getKey(), e.getValue().asString()));
        return values;
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
