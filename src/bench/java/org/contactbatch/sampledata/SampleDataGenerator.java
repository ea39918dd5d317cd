package org.contactbatch.sampledata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.validator.routines.EmailValidator;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.DataFormat;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * (Re)writes the files in {@code sample-data/}: every text file comes out byte for byte the same on
 * each run. Run from the project root, or pass the target directory as the only argument.
 *
 * <p>Before it finishes it checks its own output against the upload's row rules, so a sample that
 * claims to be clean really is, and the expected-errors files match what was written.
 */
public final class SampleDataGenerator {

    static final int CLEAN_ROWS = 1_000;
    static final long CLEAN_SEED = 42L;

    private static final Set<String> STAGES = Set.of("subscriber", "lead", "prospect", "customer", "member",
            "inactive");
    private static final Set<String> CONSENTS = Set.of("confirmed", "unconfirmed", "pending");
    private static final EmailValidator EMAILS = EmailValidator.getInstance();

    private final Path dir;
    /** Lower-cased emails of every row meant to load, across all files: they must never meet. */
    private final Map<String, String> loadedEmails = new HashMap<>();

    private SampleDataGenerator(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) throws IOException {
        Path dir = Paths.get(args.length > 0 ? args[0] : "sample-data");
        Files.createDirectories(dir);
        new SampleDataGenerator(dir).run();
    }

    private void run() throws IOException {
        List<String[]> clean = writeClean();
        writeWithErrors(clean);
        writeXlsx();
        writeXls();
        writeSemicolonWindows1252();
        writeUtf16();
        writeQuotedLineBreaks();
        writeReadme();
        System.out.println("sample data written to " + dir.toAbsolutePath().normalize());
    }

    // ------------------------------------------------------------------ contacts.csv

    private List<String[]> writeClean() throws IOException {
        Path file = dir.resolve("contacts.csv");
        ContactGenerator.write(file, CLEAN_ROWS, CLEAN_SEED);
        List<String[]> rows = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                        .parse(reader)) {
            check(parser.getHeaderNames().equals(List.of(ContactGenerator.HEADERS)), "contacts.csv header");
            for (CSVRecord record : parser) {
                check(record.size() == ContactGenerator.HEADERS.length, "contacts.csv width at " + record);
                String[] row = record.values();
                String where = "contacts.csv record " + record.getRecordNumber();
                checkValidContact(where, row[0], row[1], row[2], row[3], row[4], row[5]);
                check(STAGES.contains(row[11]), where + " stage");
                check(row[12].length() <= 80 && EMAILS.isValid(row[12]), where + " owner");
                check(row[13].isEmpty() || row[13].equals("vip") || row[13].equals("newsletter;events"),
                        where + " tags");
                claim(row[0], where);
                rows.add(row);
            }
        }
        check(rows.size() == CLEAN_ROWS, "contacts.csv row count");
        return rows;
    }

    // ------------------------------------------------------------------ contacts-with-errors.csv

    /** A row of the errors file and what the upload should say about it (code null: a clean row). */
    private record Expect(String[] cells, String column, String code, boolean warning) {
        static Expect good(String... cells) {
            return new Expect(cells, null, null, false);
        }

        static Expect error(String column, String code, String... cells) {
            return new Expect(cells, column, code, false);
        }

        static Expect warn(String column, String code, String... cells) {
            return new Expect(cells, column, code, true);
        }
    }

    private void writeWithErrors(List<String[]> clean) throws IOException {
        String[] header = { "Email", "First Name", "Last Name", "Phone", "Company", "Job Title", "Lifecycle Stage",
                "Consent" };
        // two contacts that contacts.csv already holds, as they appear there
        String[] existing1 = clean.get(0);
        String[] existing2 = clean.get(499);
        String tooLongEmail = "alexandra.konstantinopoulou-papadimitriou@customer-relations.marketing.example.com";
        check(tooLongEmail.length() > 80 && EMAILS.isValid(tooLongEmail), "too-long email must be valid syntax");

        List<Expect> rows = List.of(
                Expect.good("amelia.hart@example.com", "Amelia", "Hart", "+1 212-555-0101",
                        "Northwind Analytics Inc.", "Marketing Manager", "lead", "confirmed"),
                Expect.good("jose.ramirez@example.org", "José", "Ramírez", "(415) 555-0142", "Acme Logistics LLC",
                        "Account Executive", "Customer", "unconfirmed"),
                Expect.error("Email", "INVALID_EMAIL", "maria.garcia@", "María", "García", "+44 20 7946 0112",
                        "Globex Media Ltd", "Data Analyst", "prospect", "pending"),
                Expect.warn("Email", "NO_EMAIL", "", "Kenji", "Tanaka", "(617) 555-0178", "Summit Health",
                        "Product Manager", "subscriber", "unconfirmed"),
                Expect.error("", "MISSING_CONTACT", "", "Lena", "Fischer", "", "Brightwater Energy GmbH", "Buyer",
                        "lead", "pending"),
                Expect.good("zoe.oconnor@example.net", "Zoë", "O'Connor", "020 7946 0018", "Lakeside Events Ltd",
                        "Events Coordinator", "member", "confirmed"),
                Expect.error("First Name", "TOO_LONG", "max.hohenstein@example.com",
                        "Maximilian Alexander Friedrich Wilhelm Georg Ludwig", "von Hohenstein", "+49 30 90182736",
                        "Sonnenberg Consulting GmbH", "Geschäftsführer", "customer", "confirmed"),
                Expect.good("Liam.OConnell@Example.org", "Liam", "O'Connell", "+1 (303) 555-0166",
                        "Redwood Software Inc.", "Software Engineer", "prospect", "confirmed"),
                Expect.error("Email", "DUPLICATE_IN_FILE", "liam.oconnell@example.org", "Liam", "O'Connell",
                        "303-555-0166", "Redwood Software Inc.", "Senior Software Engineer", "customer", "confirmed"),
                Expect.warn("Lifecycle Stage", "UNKNOWN_VALUE", "sophie.laurent@example.com", "Sophie", "Laurent",
                        "+33 1 99 00 12 34", "Étoile Publishing SAS", "Directrice commerciale", "hot lead",
                        "confirmed"),
                Expect.good("bjorn.odegard@mail.example.net", "Bjørn", "Ødegård", "+44 7700 900123",
                        "Nordlicht Travel AS", "Consultant", "SUBSCRIBER", "pending"),
                Expect.warn("Consent", "UNKNOWN_VALUE", "hannah.becker@example.com", "Hannah", "Becker",
                        "+49 30 12345678", "Sonnenberg Foods GmbH", "Teamleiter Vertrieb", "lead", "yes"),
                Expect.error("Phone", "INVALID_PHONE", "raj.iyer@example.org", "Raj", "Iyer", "unknown",
                        "Cobalt Robotics Corp.", "IT Administrator", "prospect", "unconfirmed"),
                Expect.good("thao.nguyen@example.com", "Thảo", "Nguyễn", "(206) 555-0123",
                        "Evergreen Coffee Roasters", "Owner", "customer", "confirmed"),
                // nine non-empty cells under an eight-column header
                Expect.error("", "RAGGED_ROW", "noah.williams@example.net", "Noah", "Williams", "(512) 555-0190",
                        "Keystone Travel LLC", "Buyer", "customer", "confirmed", "called twice about invoice"),
                // a trailing comma: nine cells, but only eight non-empty, so not ragged
                Expect.good("grace.kim@example.org", "Grace", "Kim", "+1 404-555-0111", "Horizon Dental Care",
                        "Office Manager", "member", "pending", ""),
                Expect.error("Email", "ALREADY_EXISTS", existing1[0], existing1[1], existing1[2], existing1[3],
                        existing1[4], existing1[5], existing1[11], "confirmed"),
                Expect.good("oluwaseun.adeyemi@example.com", "Oluwaseun", "Adeyemi", "+44 161 496 0321",
                        "Granite Architects LLP", "Architect", "prospect", "unconfirmed"),
                Expect.error("Email", "TOO_LONG", tooLongEmail, "Alexandra", "Konstantinopoulou-Papadimitriou",
                        "+1 212-555-0175", "Meridian Media Inc.", "Head of Customer Success", "lead", "confirmed"),
                Expect.error("Company", "TOO_LONG", "tom.hargreaves@example.net", "Tom", "Hargreaves",
                        "0117 496 0742",
                        "The International Association of Independent Bookbinders and Paper Conservators",
                        "Membership Secretary", "member", "confirmed"),
                Expect.error("Email", "ALREADY_EXISTS", existing2[0], existing2[1], existing2[2], existing2[3],
                        existing2[4], existing2[5], existing2[11], "unconfirmed"),
                Expect.error("Email", "INVALID_EMAIL", "peter.nilsson.example.com", "Peter", "Nilsson",
                        "+1 (617) 555-0155", "Atlas Logistics Inc.", "Procurement Lead", "lead", "confirmed"),
                Expect.good("francoise.lefevre@post.example.org", "Françoise", "Lefèvre", "01 99 00 45 67",
                        "Boulangerie Lefèvre", "Owner", "customer", "confirmed"),
                Expect.good("wei.chen@example.net", "Wei", "Chen", "(415) 555-0177 x12", "Lumen Biotech Inc.",
                        "Data Analyst", "lead", "pending"),
                Expect.good("siobhan.murphy@example.org", "Siobhán", "Murphy", "(212) 555-0184",
                        "Meridian Insurance Co.", "Chief Financial Officer", "inactive", "unconfirmed"));

        StringBuilder csv = new StringBuilder();
        csv.append(csvLine(header, ',')).append('\n');
        StringBuilder errors = new StringBuilder("line,column,code\n");
        StringBuilder warnings = new StringBuilder("line,column,code\n");
        Set<String> seen = new TreeSet<>();
        Set<String> codes = new TreeSet<>();
        int line = 1;
        for (Expect row : rows) {
            line++;
            String text = csvLine(row.cells(), ',');
            check(text.indexOf('\n') < 0 && text.indexOf('\r') < 0, "no line breaks in the errors file");
            csv.append(text).append('\n');
            String[] c = row.cells();
            String where = "contacts-with-errors.csv line " + line;
            long nonEmpty = java.util.Arrays.stream(c).filter(s -> !s.isEmpty()).count();
            if (row.code() == null || row.warning()) {
                // a row that loads: prove it breaks no rule
                check(nonEmpty <= header.length, where + " ragged");
                checkValidContact(where, c[0], c[1], c[2], c[3], c[4], c[5]);
                // a value outside its closed set is a warning (UNKNOWN_VALUE, that column), the only one allowed here
                boolean unknown = "UNKNOWN_VALUE".equals(row.code());
                check(STAGES.contains(c[6].toLowerCase(Locale.ROOT)) != (unknown && row.column().equals("Lifecycle Stage")),
                        where + " stage");
                check(CONSENTS.contains(c[7].toLowerCase(Locale.ROOT)) != (unknown && row.column().equals("Consent")),
                        where + " consent");
                check(c[0].isEmpty() || seen.add(c[0].toLowerCase(Locale.ROOT)), where + " duplicate");
                if (!c[0].isEmpty()) {
                    claim(c[0], where);
                }
                check("NO_EMAIL".equals(row.code()) == c[0].isEmpty(), where + " NO_EMAIL exactly when the email is missing");
            }
            else if (!row.code().equals("DUPLICATE_IN_FILE")) {
                // a bad row's email must not collide with another row in the file
                check(c[0].isEmpty() || seen.add(c[0].toLowerCase(Locale.ROOT)), where + " unexpected duplicate");
            }
            else {
                check(seen.contains(c[0].toLowerCase(Locale.ROOT)), where + " duplicate of nothing");
            }
            if (row.code() != null) {
                codes.add(row.code());
                (row.warning() ? warnings : errors).append(line).append(',').append(csvField(row.column(), ','))
                        .append(',').append(row.code()).append('\n');
                check(row.column().isEmpty() || List.of(header).contains(row.column()), where + " column name");
            }
        }
        check(codes.containsAll(List.of("MISSING_CONTACT", "INVALID_EMAIL", "TOO_LONG", "DUPLICATE_IN_FILE",
                "ALREADY_EXISTS", "UNKNOWN_VALUE", "INVALID_PHONE", "RAGGED_ROW", "NO_EMAIL")), "all codes: " + codes);
        writeString("contacts-with-errors.csv", csv.toString(), StandardCharsets.UTF_8, false);
        writeString("contacts-with-errors.expected.csv", errors.toString(), StandardCharsets.UTF_8, false);
        writeString("contacts-with-errors.expected-warnings.csv", warnings.toString(), StandardCharsets.UTF_8, false);
    }

    // ------------------------------------------------------------------ contacts.xlsx / contacts.xls

    private static final String[] SHEET_HEADER = { "Email", "First Name", "Last Name", "Phone", "Company",
            "Job Title", "Street", "City", "State", "Postal Code", "Country", "Lifecycle Stage", "Member Since",
            "Legal" };

    /**
     * One spreadsheet row. Phone and postal code are Objects: a String becomes a text cell, a Number a
     * numeric cell (phones with format "0", postal codes with "00000" so 2134 shows as 02134). A null
     * cell is not written at all.
     */
    private record SheetContact(String email, String first, String last, Object phone, String company,
            String title, String street, String city, String state, Object postal, String country, String stage,
            LocalDate memberSince, boolean legal) {
    }

    private static SheetContact sc(String email, String first, String last, Object phone, String company,
            String title, String street, String city, String state, Object postal, String country, String stage,
            String memberSince, boolean legal) {
        return new SheetContact(email, first, last, phone, company, title, street, city, state, postal, country,
                stage, LocalDate.parse(memberSince), legal);
    }

    private void writeXlsx() throws IOException {
        List<SheetContact> contacts = java.util.Arrays.asList(
                sc("ella.brooks@example.com", "Ella", "Brooks", "+1 212 555 0100", "Northwind Analytics Inc.",
                        "Marketing Manager", "350 Fifth Avenue", "New York", "NY", 10118, "United States",
                        "customer", "2019-04-12", true),
                sc("marcus.reid@example.org", "Marcus", "Reid", "(617) 555-0134", "Harbor Lights Dental",
                        "Dentist", "45 Commonwealth Ave", "Boston", "MA", 2134, "United States", "member",
                        "2021-09-01", false),
                sc("ines.moreno@mail.example.net", "Inés", "Moreno", 4155550199L, "Pinecrest Software LLC",
                        "Software Engineer", "600 Market Street", "San Francisco", "CA", 94105, "United States",
                        "lead", "2023-01-15", true),
                sc("chloe.martin@example.com", "Chloé", "Martin", "+33 1 99 00 27 41", "Étoile Publishing SAS",
                        "Responsable marketing", "12 rue de la Paix", "Paris", "Île-de-France", "75002", "France",
                        "prospect", "2020-06-30", true),
                sc("hamish.mcleod@example.org", "Hamish", "McLeod", "+44 131 496 0645", "Granite Whisky Ltd",
                        "Distillery Manager", "8 Royal Mile", "Edinburgh", "Scotland", "EH1 1QS", "United Kingdom",
                        "customer", "2018-11-05", true),
                sc("anja.kruger@example.com", "Anja", "Krüger", "+49 351 4567890", "Müller & Söhne GmbH",
                        "Geschäftsführerin", "Prager Straße 14", "Dresden", "Sachsen", 1067, "Germany", "lead",
                        "2022-03-14", false),
                // the Company cell of this row is missing altogether
                sc("devon.price@example.net", "Devon", "Price", "(303) 555-0172", null, "Freelance Photographer",
                        "1550 Wynkoop St", "Denver", "CO", 80202, "United States", "subscriber", "2024-02-29", true),
                sc("yuki.sato@example.com", "Yūki", "Satō", "+1 206-555-0117", "Cobalt Robotics Corp.",
                        "Product Manager", "1201 Third Ave", "Seattle", "WA", 98101, "United States", "prospect",
                        "2021-07-19", false),
                sc("priya.nair@example.org", "Priya", "Nair", "+44 20 7946 0381", "Lumen Biotech PLC",
                        "Data Analyst", "Flat 4, 22 King's Road", "London", "England", "SW3 4RP", "United Kingdom",
                        "customer", "2017-05-23", true),
                sc("olivier.roy@example.net", "Olivier", "Roy", "(514) 555-0163", "Brightwater Energy Ltée",
                        "Ingénieur", "1200, boulevard Saint-Laurent", "Montréal", "QC", "H2X 2S6", "Canada",
                        "member", "2019-10-10", true),
                null, // an empty row in the middle
                sc("sara.lindqvist@example.com", "Sara", "Lindqvist", "+1 (401) 555-0108", "Keystone Events Inc.",
                        "Events Coordinator", "75 Westminster Street", "Providence", "RI", 2903, "United States",
                        "lead", "2023-08-08", false),
                sc("tomasz.nowak@example.org", "Tomasz", "Nowak", "+49 30 90182736", "Nordlicht Travel GmbH",
                        "Reiseberater", "Friedrichstraße 43", "Berlin", "Berlin", 10117, "Germany", "prospect",
                        "2020-12-01", true),
                sc("grace.owusu@example.com", "Grace", "Owusu", "(416) 555-0147", "Riverstone Health Inc.",
                        "Nurse Practitioner", "220 Yonge Street", "Toronto", "ON", "M5B 2H1", "Canada", "customer",
                        "2016-02-17", true),
                sc("liam.fitzgerald@example.net", "Liam", "Fitzgerald", "020 7946 0927", "Summit Legal Services LLP",
                        "Solicitor", "3 Chancery Lane", "London", "England", "WC2A 1LS", "United Kingdom",
                        "inactive", "2015-09-09", false),
                sc("camille.bernard@example.org", "Camille", "Bernard", "04 65 71 38 20", "Lakeside Foods SARL",
                        "Chef de projet", "18 place Bellecour", "Lyon", "Auvergne-Rhône-Alpes", 69002, "France",
                        "subscriber", "2024-05-06", true),
                sc("daniel.cohen@example.com", "Daniel", "Cohen", "+1 860-555-0129", "Meridian Insurance Co.",
                        "Actuary", "1 Financial Plaza", "Hartford", "CT", 6103, "United States", "customer",
                        "2018-03-03", true),
                sc("mei.lin@example.org", "Mei", "Lin", "(604) 555-0190", "Bluebird Media Ltd.", "Video Editor",
                        "555 Robson St", "Vancouver", "BC", "V6B 1A1", "Canada", "lead", "2022-11-11", false),
                sc("jonas.weber@example.net", "Jonas", "Weber", "+49 89 2345678", "Sonnenberg Architects AG",
                        "Architekt", "Marienplatz 8", "München", "Bayern", 80331, "Germany", "member", "2019-01-21",
                        true),
                sc("aisha.bello@example.com", "Aisha", "Bello", "+44 161 496 0550", "Crescent Textiles Ltd",
                        "Buyer", "14 Deansgate", "Manchester", "England", "M3 2BW", "United Kingdom", "prospect",
                        "2023-04-18", true),
                sc("ruth.goldberg@example.org", "Ruth", "Goldberg", "(212) 555-0161", "Ironbridge Consulting LLC",
                        "Partner", "30 Rockefeller Plaza", "New York", "NY", 10112, "United States", "customer",
                        "2014-07-04", true));
        try (XSSFWorkbook workbook = new XSSFWorkbook()) {
            workbook.getProperties().getCoreProperties().setCreator("contact-batch sample data");
            fillWorkbook(workbook, contacts, "contacts.xlsx");
            writeWorkbook(workbook, "contacts.xlsx");
        }
    }

    private void writeXls() throws IOException {
        ContactGenerator generator = new ContactGenerator(1997L);
        SplittableRandom random = new SplittableRandom(1998L);
        List<SheetContact> contacts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // indexes far above contacts.csv's 1..1000, so the emails never meet
            ContactGenerator.Contact c = generator.next(5001 + i);
            Object postal = c.postalCode();
            if (c.postalCode().matches("\\d{5}")) {
                postal = Integer.parseInt(c.postalCode()); // stored as a number, shown through "00000"
            }
            Object phone = c.phone();
            if (i == 2) {
                phone = 2125550143L; // a phone typed as a number
            }
            else if (i == 0) {
                phone = "+1 212 555 0100"; // text, as in the xlsx
            }
            LocalDate since = LocalDate.of(2012, 1, 1).plusDays(random.nextInt(4_500));
            contacts.add(new SheetContact(c.email(), c.firstName(), c.lastName(), phone,
                    i == 6 ? null : c.company(), c.jobTitle(), c.street(), c.city(), c.state(), postal, c.country(),
                    c.lifecycleStage(), since, random.nextInt(4) != 0));
            if (i == 9) {
                contacts.add(null);
            }
        }
        try (HSSFWorkbook workbook = new HSSFWorkbook()) {
            workbook.createInformationProperties();
            workbook.getSummaryInformation().setAuthor("contact-batch sample data");
            fillWorkbook(workbook, contacts, "contacts.xls");
            writeWorkbook(workbook, "contacts.xls");
        }
    }

    private void fillWorkbook(Workbook workbook, List<SheetContact> contacts, String fileName) {
        DataFormat formats = workbook.createDataFormat();
        CellStyle headerStyle = workbook.createCellStyle();
        Font bold = workbook.createFont();
        bold.setBold(true);
        headerStyle.setFont(bold);
        CellStyle text = workbook.createCellStyle();
        text.setDataFormat(formats.getFormat("@"));
        CellStyle zip = workbook.createCellStyle();
        zip.setDataFormat(formats.getFormat("00000"));
        CellStyle wholeNumber = workbook.createCellStyle();
        wholeNumber.setDataFormat(formats.getFormat("0"));
        CellStyle date = workbook.createCellStyle();
        date.setDataFormat(formats.getFormat("yyyy-mm-dd"));

        Sheet sheet = workbook.createSheet("Contacts");
        Row head = sheet.createRow(0);
        int[] widths = { 34, 14, 16, 20, 30, 26, 32, 18, 22, 12, 16, 16, 14, 8 };
        for (int i = 0; i < SHEET_HEADER.length; i++) {
            Cell cell = head.createCell(i);
            cell.setCellValue(SHEET_HEADER[i]);
            cell.setCellStyle(headerStyle);
            sheet.setColumnWidth(i, widths[i] * 256);
        }
        sheet.createFreezePane(0, 1);
        int r = 0;
        for (SheetContact c : contacts) {
            r++;
            if (c == null) {
                continue; // the row is simply not there, as after clearing it in Excel
            }
            String where = fileName + " row " + (r + 1);
            checkValidContact(where, c.email(), c.first(), c.last(), String.valueOf(c.phone()),
                    c.company() == null ? "" : c.company(), c.title());
            check(STAGES.contains(c.stage()), where + " stage");
            claim(c.email(), where);
            Row row = sheet.createRow(r);
            textCell(row, 0, c.email());
            textCell(row, 1, c.first());
            textCell(row, 2, c.last());
            if (c.phone() instanceof Number number) {
                Cell cell = row.createCell(3);
                cell.setCellValue(number.doubleValue());
                cell.setCellStyle(wholeNumber);
            }
            else if (!((String) c.phone()).isEmpty()) {
                Cell cell = row.createCell(3);
                cell.setCellValue((String) c.phone());
                cell.setCellStyle(text);
            }
            if (c.company() != null) {
                textCell(row, 4, c.company());
            }
            textCell(row, 5, c.title());
            textCell(row, 6, c.street());
            textCell(row, 7, c.city());
            textCell(row, 8, c.state());
            if (c.postal() instanceof Number number) {
                Cell cell = row.createCell(9);
                cell.setCellValue(number.doubleValue());
                cell.setCellStyle(zip);
            }
            else {
                textCell(row, 9, (String) c.postal());
            }
            textCell(row, 10, c.country());
            textCell(row, 11, c.stage());
            Cell since = row.createCell(12);
            since.setCellValue(c.memberSince());
            since.setCellStyle(date);
            row.createCell(13).setCellValue(c.legal());
        }

        Sheet notes = workbook.createSheet("Notes");
        notes.createRow(0).createCell(0).setCellValue(
                "Exported from the events CRM; the contacts are on the Contacts sheet, this sheet is only notes.");
        notes.setColumnWidth(0, 100 * 256);
    }

    private static void textCell(Row row, int column, String value) {
        if (!value.isEmpty()) {
            row.createCell(column).setCellValue(value);
        }
    }

    private void writeWorkbook(Workbook workbook, String name) throws IOException {
        try (OutputStream out = Files.newOutputStream(dir.resolve(name))) {
            workbook.write(out);
        }
    }

    // ------------------------------------------------------------------ contacts-semicolon-windows1252.csv

    private void writeSemicolonWindows1252() throws IOException {
        String[] header = { "E-mail", "Given Name", "Surname", "Mobile", "Organization", "Zip", "Country" };
        String[][] rows = {
                { "jose.martinez@example.com", "José", "Martínez", "+34 612 345 678", "Café Olé S.L.", "28013",
                        "España" },
                { "francoise.lefebvre@example.org", "Françoise", "Lefebvre", "06 39 98 12 34", "Crème & Brûlée SARL",
                        "75011", "France" },
                { "jurgen.muller@example.com", "Jürgen", "Müller", "0151 23456789", "Müller & Söhne GmbH", "01067",
                        "Deutschland" },
                { "ase.odegard@example.net", "Åse", "Ødegård", "+47 912 34 567", "Fjordkraft Sørlandet AS", "0150",
                        "Norge" },
                { "soren.norgaard@example.com", "Søren", "Nørgaard", "+45 20 12 34 56", "Nørgaard Ærø ApS", "5970",
                        "Danmark" },
                { "bjork.gudmundsdottir@example.org", "Björk", "Guðmundsdóttir", "+354 611 2345",
                        "Íslensk Hönnun ehf.", "101", "Ísland" },
                { "zoe.lefevre@example.com", "Zoë", "Lefèvre", "07700 900456", "Noël & Zoë Ltd", "SW1A 2AA",
                        "United Kingdom" },
                { "sarka.novotna@example.net", "Šárka", "Novotná", "+420 601 234 567", "Škoda Díly s.r.o.", "110 00",
                        "Czech Republic" },
                { "ziga.kos@example.org", "Žiga", "Kos", "+386 41 123 456", "Kos d.o.o.", "1000", "Slovenija" },
                { "helene.martin@example.com", "Hélène", "Martin", "+33 6 39 98 45 12", "Sœurs Martin & Fils",
                        "69002", "France" },
                { "nuno.goncalves@example.net", "Nuno", "Gonçalves", "+351 912 345 678", "Açores Pescas Lda.",
                        "9500-150", "Portugal" },
                { "inaki.ibanez@example.org", "Iñaki", "Ibáñez", "+34 688 123 456", "Pañuelos Ibáñez S.A.", "48001",
                        "España" },
                { "ingrid.strom@example.com", "Ingrid", "Ström", "+46 70 123 45 67", "Ström & Öberg AB", "111 22",
                        "Sverige" },
                { "gunther.schafer@example.net", "Günther", "Schäfer", "+49 89 1234567", "Bäckerei Schäfer e.K.",
                        "80331", "Deutschland" },
                { "maelle.legoff@example.org", "Maëlle", "Le Goff", "+33 2 61 91 23 45", "Crêperie Ty Breizh",
                        "29200", "France" },
                { "renee.dubois@example.com", "Renée", "Dubois", "(514) 555-0142", "Bûcheron Ltée", "H2X 1Y4",
                        "Canada" },
                { "lukas.weiss@example.net", "Lukas", "Weiß", "+41 79 123 45 67", "Weiß Uhren AG", "8001",
                        "Schweiz" },
                { "anais.dupree@example.org", "Anaïs", "Duprée", "+32 470 12 34 56", "Chocolaterie Duprée SPRL",
                        "1000", "Belgique" },
                { "sean.obriain@example.com", "Seán", "Ó Briain", "+353 87 123 4567", "Ó Briain Teoranta",
                        "D02 X285", "Éire" },
                { "ole.baekkegaard@example.net", "Ole", "Bækkegård", "+45 31 23 45 67", "Bækkegård Landbrug I/S",
                        "8000", "Danmark" } };
        StringBuilder text = new StringBuilder();
        text.append(csvLine(header, ';')).append("\r\n");
        int line = 1;
        for (String[] row : rows) {
            line++;
            String where = "contacts-semicolon-windows1252.csv line " + line;
            checkValidContact(where, row[0], row[1], row[2], row[3], row[4], "");
            claim(row[0], where);
            text.append(csvLine(row, ';')).append("\r\n");
        }
        writeString("contacts-semicolon-windows1252.csv", text.toString(), Charset.forName("windows-1252"), false);
    }

    // ------------------------------------------------------------------ contacts-utf16.txt

    private void writeUtf16() throws IOException {
        String[] header = { "Email", "First Name", "Last Name", "Phone", "Company", "City", "Country" };
        String[][] rows = {
                { "thao.nguyen.thi@example.com", "Thảo", "Nguyễn Thị", "+84 28 3822 1234", "Cà phê Sài Gòn",
                        "Hồ Chí Minh", "Việt Nam" },
                { "dorde.petrovic@example.org", "Đorđe", "Petrović", "+381 11 123 4567", "Petrović d.o.o.",
                        "Beograd", "Srbija" },
                { "lukasz.wisniewski@example.net", "Łukasz", "Wiśniewski", "+48 22 123 45 67",
                        "Wiśniewski i Synowie sp. z o.o.", "Warszawa", "Polska" },
                { "wang.wei@example.com", "伟", "王", "+86 10 1234 5678", "北京示例科技有限公司", "北京", "中国" },
                { "ivan.petrov@example.org", "Иван", "Петров", "+7 495 123-45-67", "ООО «Пример»", "Москва",
                        "Россия" },
                { "eleni.papadopoulou@example.net", "Ελένη", "Παπαδοπούλου", "+30 21 0123 4567", "Παράδειγμα Α.Ε.",
                        "Αθήνα", "Ελλάδα" },
                { "yuko.tanaka@example.com", "裕子", "田中", "+81 3-1234-5678", "株式会社サンプル", "東京", "日本" },
                { "jiri.dvorak@example.org", "Jiří", "Dvořák", "+420 601 234 567", "Dvořák a syn s.r.o.", "Praha",
                        "Česko" },
                { "mehmet.yilmaz@example.net", "Mehmet", "Yılmaz", "+90 212 123 45 67", "Yılmaz Tekstil A.Ş.",
                        "İstanbul", "Türkiye" },
                { "aroha.ngata@example.com", "Aroha", "Ngata", "+64 9 123 4567", "Kōwhai Design Ltd",
                        "Tāmaki Makaurau", "Aotearoa" } };
        StringBuilder text = new StringBuilder();
        text.append(String.join("\t", header)).append("\r\n");
        int line = 1;
        for (String[] row : rows) {
            line++;
            String where = "contacts-utf16.txt line " + line;
            checkValidContact(where, row[0], row[1], row[2], row[3], row[4], "");
            for (String cell : row) {
                check(cell.indexOf('\t') < 0 && cell.indexOf('"') < 0, where + " needs no quoting");
            }
            claim(row[0], where);
            text.append(String.join("\t", row)).append("\r\n");
        }
        writeString("contacts-utf16.txt", text.toString(), StandardCharsets.UTF_16LE, true);
    }

    // ------------------------------------------------------------------ contacts-quoted-linebreaks.csv

    private void writeQuotedLineBreaks() throws IOException {
        // written by hand, not by a CSV printer, so the file shows the quoting people's tools really produce:
        // quotes where needed, quotes where not needed, "" for an empty field, LF and CRLF inside fields
        String crlf = "\r\n";
        String text = "Email,First Name,Last Name,Phone,Company,Job Title,Street,City,Postal Code,Country" + crlf
                + "olivia.smith@example.com,Olivia,Smith,+1 212-555-0147,\"Smith, Jones & \"\"Partners\"\"\","
                + "Senior Partner,\"350 Fifth Avenue\nSuite 4100\",New York,10118,United States" + crlf
                + "daniel.oreilly@example.org,Daniel,O'Reilly,020 7946 0555,O'Reilly's Pub & Kitchen,"
                + "\"Owner, Head Chef\",\"Flat 2\r\n14 Baker Street\",London,NW1 6XE,United Kingdom" + crlf
                + "\"margaux.petit@example.net\",Margaux,Petit,\"+33 1 99 00 18 27\",\"Le \"\"Petit\"\" Atelier\","
                + "\"Directrice, Création\",\"5, rue des Rosiers\",Paris,75004,France" + crlf
                + "helmut.krause@example.com,Helmut,Krause,+49 30 1234567,\"Krause, Lange & Partner mbB\","
                + "Rechtsanwalt,\"c/o Kanzlei Krause\nKurfürstendamm 21\n3. OG\",Berlin,10719,Germany" + crlf
                + "rachel.nakamura@example.org,\"Rachel \"\"Rae\"\"\",Nakamura,(415) 555-0182,"
                + "\"Nakamura Design, Inc.\",Creative Director,\"1 Market St, Spear Tower\",San Francisco,94105,"
                + "United States" + crlf
                + "amit.patel@example.net,Amit,Patel,\"+1 (416) 555-0133\",Patel & Sons Ltd.,"
                + "\"\"\"Chief\"\" Everything Officer\",\"100 King St W\nFloor 52\",Toronto,M5X 1A9,Canada" + crlf
                + "lucy.ward@example.com,Lucy,Ward,\"\",,\"\",12 Station Road,Bristol,BS1 6QF,United Kingdom" + crlf
                + "\"noel.dubois@example.org\",\"Noël\",\"Dubois\",\"04 65 71 22 33\",\"Dubois, Père & Fils SA\","
                + "\"Vigneron\",\"Domaine des Trois Chênes\nRoute de Beaune\",\"Lyon\",\"69001\",\"France\"" + crlf;
        try (CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new java.io.StringReader(text))) {
            int count = 0;
            for (CSVRecord record : parser) {
                count++;
                String where = "contacts-quoted-linebreaks.csv record " + count;
                check(record.size() == 10, where + " width");
                checkValidContact(where, record.get(0), record.get(1), record.get(2), record.get(3), record.get(4),
                        record.get(5));
                claim(record.get(0), where);
            }
            check(count == 8, "contacts-quoted-linebreaks.csv count");
        }
        writeString("contacts-quoted-linebreaks.csv", text, StandardCharsets.UTF_8, true);
    }

    // ------------------------------------------------------------------ README.md

    private void writeReadme() throws IOException {
        String readme = """
                # Sample data

                Files to try the upload jobs on. They are written by
                `src/bench/java/org/contactbatch/sampledata/SampleDataGenerator.java` (`bench/sample-data.sh` builds
                it with the Maven profile `bench` and runs it from the project root; running it again gives the same
                bytes for every text file) and are checked by it against the row rules before it finishes. All emails use `example.*` domains; phone numbers use the ranges set
                aside for fiction where a country has one (US/CA 555-01xx, UK 020 7946 0xxx, 07700 900xxx, ...).
                No email appears in two files, except the two in `contacts-with-errors.csv` that are meant to.

                | File | What it shows | What uploading it should give |
                |------|---------------|-------------------------------|
                | `contacts.csv` | 1,000 clean contacts from `ContactGenerator` (seed 42): UTF-8, comma, LF line ends, header `Email,First Name,Last Name,Phone,Company,Job Title,Street,City,State,Postal Code,Country,Lifecycle Stage,Owner,Tags`. Names from many cultures (José, Zoë, Müller, Ødegård, O'Brien, Nguyễn, ...), phones in mixed national formats, postal codes with leading zeros (`02134`, `01067`), quoted fields with commas and quotes, about 10% without a phone and 5% without a company. | 1,000 loaded, 0 rejected, 0 warnings. |
                | `contacts-with-errors.csv` | 25 rows under `Email,First Name,Last Name,Phone,Company,Job Title,Lifecycle Stage,Consent`: 11 good, 11 with exactly one error each, covering every error code of an upload (`MISSING_CONTACT`, `INVALID_EMAIL`, `TOO_LONG` for email, first name and company, `DUPLICATE_IN_FILE`, `ALREADY_EXISTS`, `INVALID_PHONE`, `RAGGED_ROW`), and 3 that load with a warning: `NO_EMAIL`, and `UNKNOWN_VALUE` for a lifecycle stage (`hot lead`) and a consent (`yes`) the program does not know, which are left out. Lifecycle stages in mixed case (`Customer`, `SUBSCRIBER`) are valid. Line 17 ends with a trailing comma: nine cells but only eight non-empty, so it is not ragged. The expected results are in `contacts-with-errors.expected.csv` (errors) and `contacts-with-errors.expected-warnings.csv` (warnings), as `line,column,code` with the physical line number (header = line 1) and the column header as written, empty for row-wide errors. | After `contacts.csv` has been uploaded: 14 loaded, 11 rejected, 3 warnings (line 5 `NO_EMAIL`, lines 11 and 13 `UNKNOWN_VALUE`). Into an empty database the two `ALREADY_EXISTS` rows (lines 18 and 22, emails taken from `contacts.csv`) load as well: 16 loaded, 9 rejected, 3 warnings. Uploading it a second time turns every loaded row into `ALREADY_EXISTS` except the phone-only one on line 5. |
                | `contacts.xlsx` | Excel 2007+ workbook: sheet `Contacts` with 20 contacts and a second sheet `Notes` holding one line of text (so `--sheet` matters). Phone stored as TEXT (`+1 212 555 0100`), a phone stored as a NUMBER (4155550199, format `0`), postal codes stored as NUMBERS with format `00000` (2134 shows as `02134`), a real date column `Member Since` formatted `yyyy-mm-dd`, a boolean column `Legal` with TRUE/FALSE cells, one empty row in the middle (sheet row 12) and one row (sheet row 8) with no Company cell at all. | 20 loaded, 0 rejected, 0 warnings (`Member Since` as a custom field). Postal codes must come out as shown (`02134`, `01067`, `02903`, `06103`), phones as `+1 212 555 0100` and `4155550199`. With `--sheet Notes`: no email or phone column, nothing to load. |
                | `contacts.xls` | The same in the old Excel 97-2003 format (HSSF): sheet `Contacts` with 20 contacts from `ContactGenerator` (seed 1997) plus `Notes`; a TEXT phone `+1 212 555 0100`, a NUMBER phone 2125550143, five-digit postal codes stored as numbers with format `00000`, dates, booleans, an empty row (sheet row 12), a missing Company cell (sheet row 8). | 20 loaded, 0 rejected, 0 warnings. |
                | `contacts-semicolon-windows1252.csv` | 20 contacts as a European Excel saves them: `;` delimiter, windows-1252 without BOM, CRLF line ends, header words other than ours (`E-mail;Given Name;Surname;Mobile;Organization;Zip;Country`). Accents from the whole 1252 set, including letters that are only in windows-1252 and not in ISO-8859-1 (`Š`, `Ž`, `œ`): José, Françoise, Müller, Ødegård, Guðmundsdóttir, Šárka, Žiga, Sœurs. Leading-zero postal codes (`01067`, `0150`). | 20 loaded, 0 rejected, 0 warnings, names read back with their accents intact. |
                | `contacts-utf16.txt` | 10 contacts as Excel's "Unicode Text" saves them: UTF-16LE with BOM, tab-separated, CRLF. Scripts beyond Latin-1: Vietnamese, Serbian, Polish, Chinese, Russian, Greek, Japanese, Turkish, Māori. | 10 loaded, 0 rejected, 0 warnings. |
                | `crm-export.csv` | 4 members from an old CRM whose headers the automatic mapping does not know (`Member E-mail`, `Fname`, `Cell #`, …); upload it with `--mapping crm-export` (`jobs/mappings/crm-export.yml`). | 4 loaded, 1 warning (line 5 has no email); `Member No` and `Joined` become custom fields, `Internal notes` and `Branch` are ignored. |
                | `contacts-quoted-linebreaks.csv` | 8 contacts, UTF-8 with BOM, CRLF: fields with commas (`"Owner, Head Chef"`), doubled quotes (`"Smith, Jones & ""Partners""\"`, `"Rachel ""Rae""\"`), line breaks inside quotes (LF and CRLF; one street spans three lines), quoted empty fields (`""`) and needlessly quoted ones. The file has a header and 8 records on 15 physical lines. | 8 loaded, 0 rejected, 0 warnings; the company reads `Smith, Jones & "Partners"` and the streets keep their line breaks. |

                To make a big file for load tests (not kept in the repository):

                ```
                ./mvnw -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
                java -cp "target/test-classes:$(cat target/cp.txt)" org.contactbatch.sampledata.ContactGenerator 1000000 /tmp/contacts-1m.csv 42
                ```
                """;
        writeString("README.md", readme, StandardCharsets.UTF_8, false);
    }

    // ------------------------------------------------------------------ helpers

    /** The upload's rules for a row that must load. */
    private static void checkValidContact(String where, String email, String first, String last, String phone,
            String company, String title) {
        check(!email.isEmpty() || !phone.isEmpty(), where + ": neither email nor phone");
        if (!email.isEmpty()) {
            check(email.length() <= 80, where + ": email too long: " + email);
            check(EMAILS.isValid(email), where + ": invalid email: " + email);
        }
        check(first.length() <= 50, where + ": first name too long");
        check(last.length() <= 50, where + ": last name too long");
        check(company.length() <= 50, where + ": company too long");
        check(title.length() <= 50, where + ": job title too long");
        if (!phone.isEmpty()) {
            check(phone.chars().anyMatch(Character::isDigit), where + ": phone without digits");
            check(phone.length() <= 25, where + ": phone too long: " + phone);
        }
    }

    private void claim(String email, String where) {
        String previous = loadedEmails.putIfAbsent(email.toLowerCase(Locale.ROOT), where);
        check(previous == null, where + ": email " + email + " already used at " + previous);
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("sample data check failed: " + message);
        }
    }

    /** One delimited line, quoting a field only when it must be quoted. */
    private static String csvLine(String[] cells, char delimiter) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                b.append(delimiter);
            }
            b.append(csvField(cells[i], delimiter));
        }
        return b.toString();
    }

    private static String csvField(String value, char delimiter) {
        boolean quote = value.indexOf(delimiter) >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0;
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    private void writeString(String name, String text, Charset charset, boolean bom) throws IOException {
        CharsetEncoder encoder = charset.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer encoded;
        try {
            encoded = encoder.encode(CharBuffer.wrap(text));
        }
        catch (CharacterCodingException e) {
            throw new IllegalStateException(name + " has a character " + charset + " cannot hold", e);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.remaining() + 3);
        if (bom) {
            if (charset.equals(StandardCharsets.UTF_8)) {
                bytes.write(0xEF);
                bytes.write(0xBB);
                bytes.write(0xBF);
            }
            else if (charset.equals(StandardCharsets.UTF_16LE)) {
                bytes.write(0xFF);
                bytes.write(0xFE);
            }
            else {
                throw new IllegalArgumentException("no BOM for " + charset);
            }
        }
        bytes.write(encoded.array(), encoded.arrayOffset() + encoded.position(), encoded.remaining());
        try {
            Files.write(dir.resolve(name), bytes.toByteArray());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
