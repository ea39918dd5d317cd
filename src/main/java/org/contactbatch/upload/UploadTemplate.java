package org.contactbatch.upload;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.contactbatch.contacts.ConsentState;
import org.contactbatch.contacts.ContactField;
import org.contactbatch.contacts.LifecycleStage;
import org.contactbatch.files.CsvTableWriter;

/**
 * A file to fill in and upload: every field as a header the automatic mapping recognises, and one
 * example row that loads as it is. The workbook also has a sheet explaining each column and the
 * values it accepts, and keeps every cell as text, so a postcode typed as 02134 stays 02134.
 */
public final class UploadTemplate {

    /** One column: its header, an example that passes every rule, and what it accepts, for people. */
    public record Column(ContactField field, String header, String example, String accepted) {
    }

    private static final Map<ContactField, Column> COLUMNS = new EnumMap<>(ContactField.class);

    static {
        text(ContactField.EMAIL, "Email", "ann.lee@example.com",
                "an email address; every row needs an email or a phone; an email already here fails the row unless "
                        + "--on-existing says otherwise");
        text(ContactField.PHONE, "Phone", "(212) 555-0100",
                "a phone number as people write it, with +country code or in the default region's form");
        text(ContactField.FIRST_NAME, "First Name", "Ann", null);
        text(ContactField.LAST_NAME, "Last Name", "Lee", null);
        text(ContactField.COMPANY, "Company", "Acme Supplies", null);
        text(ContactField.JOB_TITLE, "Job Title", "Buyer", null);
        text(ContactField.STREET, "Street", "1 Main Street", null);
        text(ContactField.CITY, "City", "Springfield", null);
        text(ContactField.REGION, "Region", "MA", "state, province or county");
        text(ContactField.POSTAL_CODE, "Postal Code", "02134", "kept as written, leading zeros too");
        text(ContactField.COUNTRY, "Country", "US", null);
        text(ContactField.LIFECYCLE_STAGE, "Lifecycle Stage", "lead",
                "one of " + String.join(", ", LifecycleStage.allowedValues()) + "; another value is left out with a warning");
        text(ContactField.OWNER, "Owner", "jane.doe", "who looks after the contact");
        text(ContactField.LEGAL, "Legal", "yes", "yes or no (also y/n, true/false, 1/0, x)");
        text(ContactField.GROUPS, "Groups", "East; Wholesale", "several, separated by ; or ,");
        text(ContactField.TAGS, "Tags", "vip; newsletter", "several, separated by ; or ,");
        text(ContactField.CONSENT, "Consent", ConsentState.CONFIRMED.value(),
                "confirmed, unconfirmed, pending or opted_out; empty: what --consent says for the file");
    }

    private static void text(ContactField field, String header, String example, String accepted) {
        String limit = "up to " + field.maxLength() + " characters";
        COLUMNS.put(field, new Column(field, header, example, accepted == null ? "text, " + limit : accepted + "; " + limit));
    }

    private UploadTemplate() {
    }

    /** Every field's column, in the fields' order. */
    public static List<Column> columns() {
        if (COLUMNS.size() != ContactField.values().length) {
            throw new IllegalStateException("the upload template lacks a column for a field");
        }
        return List.copyOf(COLUMNS.values());
    }

    /** Writes the template as a .csv or an .xlsx, by the file's name; whole or not at all. */
    public static void write(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".csv") && !name.endsWith(".xlsx")) {
            throw new IllegalArgumentException("the template is written as a .csv or an .xlsx file (got " + file + ")");
        }
        try {
            Path directory = file.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            Path partial = Files.createTempFile(directory, ".template-", ".part");
            try {
                if (name.endsWith(".csv")) {
                    writeCsv(partial);
                }
                else {
                    try (OutputStream out = Files.newOutputStream(partial)) {
                        writeXlsx(out);
                    }
                }
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            finally {
                Files.deleteIfExists(partial);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeCsv(Path file) throws IOException {
        try (CsvTableWriter csv = new CsvTableWriter(file)) {
            csv.writeRow(columns().stream().map(Column::header).toList());
            csv.writeRow(columns().stream().map(Column::example).toList());
        }
    }

    /** The workbook, to a stream (the console sends it as it is written). */
    public static void writeXlsx(OutputStream out) throws IOException {
        try (XSSFWorkbook workbook = new XSSFWorkbook()) {
            CellStyle text = workbook.createCellStyle();
            text.setDataFormat(workbook.createDataFormat().getFormat("@"));
            CellStyle header = workbook.createCellStyle();
            header.cloneStyleFrom(text);
            Font bold = workbook.createFont();
            bold.setBold(true);
            header.setFont(bold);

            Sheet contacts = workbook.createSheet("Contacts");
            List<Column> columns = columns();
            Row headers = contacts.createRow(0);
            Row example = contacts.createRow(1);
            for (int i = 0; i < columns.size(); i++) {
                cell(headers, i, columns.get(i).header(), header);
                cell(example, i, columns.get(i).example(), text);
                // typed values stay text in the empty rows below too
                contacts.setDefaultColumnStyle(i, text);
                contacts.setColumnWidth(i, 256 * Math.max(14, columns.get(i).example().length() + 4));
            }
            contacts.createFreezePane(0, 1);

            Sheet about = workbook.createSheet("About the columns");
            Row aboutHeaders = about.createRow(0);
            List<String> titles = List.of("Column", "Field", "Accepts", "Example");
            for (int i = 0; i < titles.size(); i++) {
                cell(aboutHeaders, i, titles.get(i), header);
            }
            for (int r = 0; r < columns.size(); r++) {
                Column column = columns.get(r);
                Row row = about.createRow(r + 1);
                cell(row, 0, column.header(), text);
                cell(row, 1, column.field().key(), text);
                cell(row, 2, column.accepted(), text);
                cell(row, 3, column.example(), text);
            }
            Row more = about.createRow(columns.size() + 2);
            cell(more, 0, "Any other column becomes a custom field of the contact (or is ignored with --unmapped "
                    + "ignore); a column's header may also be one of the words people use, such as E-mail, Zip or "
                    + "Surname.", text);
            about.setColumnWidth(0, 256 * 18);
            about.setColumnWidth(1, 256 * 16);
            about.setColumnWidth(2, 256 * 90);
            about.setColumnWidth(3, 256 * 22);
            about.createFreezePane(0, 1);
            workbook.write(out);
        }
    }

    private static void cell(Row row, int column, String value, CellStyle style) {
        var cell = row.createCell(column);
        cell.setCellValue(value);
        cell.setCellStyle(style);
    }
}
