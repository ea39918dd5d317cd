package org.contactbatch.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.apache.poi.hssf.record.crypto.Biff8EncryptionKey;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkbookFilesTest {

    @TempDir
    Path dir;

    private static final List<String> HEADER =
            List.of("Name", "Phone", "Postcode", "Born", "Joined", "Active", "Score", "Double", "Error", "Mobile", "Note");

    @ParameterizedTest
    @ValueSource(strings = {"xlsx", "xls"})
    void cellsComeOutAsExcelShowsThem(String extension) throws IOException {
        Path file = contactsWorkbook(extension);
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            FileKind kind = extension.equals("xlsx") ? FileKind.XLSX : FileKind.XLS;
            assertThat(source.description()).isEqualTo(new FileDescription(file, kind, null, null, "Contacts",
                    List.of("Contacts", "Notes", "Archive")));
            assertThat(source.description().describe()).isEqualTo(kind + ", sheet 'Contacts' (1 of 3)");
            assertThat(source.header()).isEqualTo(HEADER);
            assertThat(TextFilesTest.readAll(source)).containsExactly(
                    new RawRow(2, List.of("Ann", "+1 212 555 0100", "01234", "1/15/2024", "2024-01-15", "TRUE", "3",
                            "6", "#DIV/0!", "12125550100", "=SUM(A1)")),
                    // row 3 is empty, row 5 is missing altogether
                    new RawRow(4, List.of("Bob", "", "", "", "", "FALSE")),
                    new RawRow(6, List.of("Carl", "020 7946 0000")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xlsx", "xls"})
    void sheetsByNameOrNumber(String extension) throws IOException {
        Path file = contactsWorkbook(extension);
        try (RowSource source = TabularFiles.open(file, new ReadOptions(true, "notes", null, null))) {
            assertThat(source.description().sheet()).isEqualTo("Notes");
            assertThat(source.header()).containsExactly("Topic");
            assertThat(source.next()).isEqualTo(new RawRow(2, List.of("call back")));
        }
        try (RowSource source = TabularFiles.open(file, new ReadOptions(false, "3", null, null))) {
            assertThat(source.description().describe()).endsWith("sheet 'Archive' (3 of 3)");
            assertThat(source.header()).containsExactly("column 1", "column 2");
            assertThat(source.next()).isEqualTo(new RawRow(1, List.of("old", "row")));
        }
        assertThatThrownBy(() -> TabularFiles.open(file, new ReadOptions(true, "Leads", null, null)))
                .isInstanceOf(FileProblemException.class)
                .hasMessage("contacts." + extension + ": there is no sheet 'Leads' (sheets: 'Contacts', 'Notes', 'Archive')");
        assertThatThrownBy(() -> TabularFiles.open(file, new ReadOptions(true, "4", null, null)))
                .hasMessage("contacts." + extension + ": there is no sheet 4 (the workbook has 3 sheets: 'Contacts', 'Notes', 'Archive')");
    }

    @ParameterizedTest
    @ValueSource(strings = {"xlsx", "xls"})
    void headerProblemsNameTheSheetAndRow(String extension) throws IOException {
        Path file = dir.resolve("bad." + extension);
        try (Workbook workbook = extension.equals("xlsx") ? new XSSFWorkbook() : new HSSFWorkbook()) {
            Sheet dup = workbook.createSheet("Dup");
            fill(dup.createRow(1), "Name", "Email", "EMAIL");
            fill(dup.createRow(2), "Ann", "a", "b");
            Sheet gap = workbook.createSheet("Gap");
            fill(gap.createRow(0), "Name", "", "Email");
            fill(gap.createRow(1), "Ann", "", "a");
            Sheet headerOnly = workbook.createSheet("Header only");
            fill(headerOnly.createRow(0), "Name");
            workbook.createSheet("Empty");
            save(workbook, file);
        }
        assertThatThrownBy(() -> TabularFiles.open(file, ReadOptions.defaults()))
                .hasMessage("bad." + extension + ": sheet 'Dup', row 2: column 'Email' appears twice (columns 2 and 3)");
        assertThatThrownBy(() -> TabularFiles.open(file, new ReadOptions(true, "Gap", null, null)))
                .hasMessage("bad." + extension + ": sheet 'Gap', row 1: column 2 has no header");
        assertThatThrownBy(() -> TabularFiles.open(file, new ReadOptions(true, "Header only", null, null)))
                .hasMessage("bad." + extension + ": sheet 'Header only': has a header row but no data rows");
        assertThatThrownBy(() -> TabularFiles.open(file, new ReadOptions(true, "Empty", null, null)))
                .hasMessage("bad." + extension + ": sheet 'Empty': the sheet is empty");
    }

    @Test
    void xlsxIsDetectedByContentWhateverItsName() throws IOException {
        Path file = contactsWorkbook("xlsx");
        Path renamed = Files.move(file, dir.resolve("export.csv"));
        try (RowSource source = TabularFiles.open(renamed, ReadOptions.defaults())) {
            assertThat(source.description().kind()).isEqualTo(FileKind.XLSX);
        }
    }

    @Test
    void closingEarlyStopsTheParsingThread() throws IOException {
        Path file = dir.resolve("big.xlsx");
        try (XSSFWorkbook workbook = new XSSFWorkbook()) {
            Sheet sheet = workbook.createSheet("Big");
            fill(sheet.createRow(0), "Name", "Email");
            for (int i = 1; i <= 6_000; i++) {
                fill(sheet.createRow(i), "Person " + i, "p" + i + "@example.com");
            }
            save(workbook, file);
        }
        RowSource source = TabularFiles.open(file, ReadOptions.defaults());
        assertThat(source.next()).isEqualTo(new RawRow(2, List.of("Person 1", "p1@example.com")));
        source.close();
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().equals("xlsx-rows-big.xlsx") && t.isAlive());
        try (RowSource again = TabularFiles.open(file, ReadOptions.defaults())) {
            assertThat(TextFilesTest.readAll(again)).hasSize(6_000).last()
                    .isEqualTo(new RawRow(6_001, List.of("Person 6000", "p6000@example.com")));
        }
    }

    @Test
    void passwordProtectedWorkbookIsRefused() throws Exception {
        Path file = dir.resolve("secret.xlsx");
        try (POIFSFileSystem fs = new POIFSFileSystem();
             XSSFWorkbook workbook = new XSSFWorkbook()) {
            fill(workbook.createSheet("S").createRow(0), "Name");
            EncryptionInfo info = new EncryptionInfo(EncryptionMode.agile);
            Encryptor encryptor = info.getEncryptor();
            encryptor.confirmPassword("secret");
            try (OutputStream out = encryptor.getDataStream(fs)) {
                workbook.write(out);
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                fs.writeFilesystem(out);
            }
        }
        assertThatThrownBy(() -> TabularFiles.open(file, ReadOptions.defaults()))
                .isInstanceOf(FileProblemException.class)
                .hasMessageStartingWith("secret.xlsx: the workbook is password-protected");
    }

    @Test
    void passwordProtectedXlsIsRefused() throws IOException {
        Path file = dir.resolve("secret.xls");
        try (HSSFWorkbook workbook = new HSSFWorkbook()) {
            fill(workbook.createSheet("S").createRow(0), "Name");
            Biff8EncryptionKey.setCurrentUserPassword("secret");
            try {
                save(workbook, file);
            } finally {
                Biff8EncryptionKey.setCurrentUserPassword(null);
            }
        }
        assertThatThrownBy(() -> TabularFiles.open(file, ReadOptions.defaults()))
                .isInstanceOf(FileProblemException.class)
                .hasMessageStartingWith("secret.xls: the workbook is password-protected");
    }

    @Test
    void zipBombIsRefused() throws IOException {
        Path plain = contactsWorkbook("xlsx");
        Path bomb = dir.resolve("bomb.xlsx");
        try (ZipFile zip = new ZipFile(plain.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(bomb))) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                out.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream in = zip.getInputStream(entry)) {
                    byte[] content = in.readAllBytes();
                    if (entry.getName().equals("xl/worksheets/sheet1.xml")) {
                        String xml = new String(content, StandardCharsets.UTF_8);
                        int at = xml.indexOf("<sheetData>");
                        out.write(xml.substring(0, at).getBytes(StandardCharsets.UTF_8));
                        byte[] blanks = " ".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
                        for (int i = 0; i < 20; i++) {
                            out.write(blanks);
                        }
                        out.write(xml.substring(at).getBytes(StandardCharsets.UTF_8));
                    } else {
                        out.write(content);
                    }
                }
                out.closeEntry();
            }
        }
        assertThatThrownBy(() -> TabularFiles.open(bomb, ReadOptions.defaults()))
                .isInstanceOf(FileProblemException.class)
                .hasMessageContaining("zip bomb");
    }

    @Test
    void damagedXlsxIsRefused() throws IOException {
        Path good = contactsWorkbook("xlsx");
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.xlsx");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> TabularFiles.open(cut, ReadOptions.defaults()))
                .isInstanceOf(FileProblemException.class)
                .hasMessageStartingWith("cut.xlsx: the file is damaged");
    }

    // ---- fixtures ----

    /**
     * Sheet "Contacts": a header, then Ann with every kind of cell, an empty row 3, Bob with gaps, no row 5, Carl;
     * sheets "Notes" and "Archive" for sheet selection.
     */
    private Path contactsWorkbook(String extension) throws IOException {
        Path file = dir.resolve("contacts." + extension);
        try (Workbook workbook = extension.equals("xlsx") ? new XSSFWorkbook() : new HSSFWorkbook()) {
            Sheet sheet = workbook.createSheet("Contacts");
            fill(sheet.createRow(0), HEADER.toArray(String[]::new));

            Row ann = sheet.createRow(1);
            ann.createCell(0).setCellValue("Ann");
            ann.createCell(1).setCellValue("+1 212 555 0100");
            Cell postcode = ann.createCell(2);
            postcode.setCellValue(1234);
            postcode.setCellStyle(style(workbook, "00000"));
            Cell born = ann.createCell(3);
            born.setCellValue(LocalDate.of(2024, 1, 15));
            born.setCellStyle(style(workbook, "m/d/yy"));
            Cell joined = ann.createCell(4);
            joined.setCellValue(LocalDate.of(2024, 1, 15));
            joined.setCellStyle(style(workbook, "yyyy-mm-dd"));
            ann.createCell(5).setCellValue(true);
            ann.createCell(6).setCellValue(3);
            ann.createCell(7).setCellFormula("G2*2");
            ann.createCell(8).setCellFormula("1/0");
            ann.createCell(9).setCellValue(12125550100d);
            ann.createCell(10).setCellValue("'=SUM(A1)");

            Row empty = sheet.createRow(2);
            empty.createCell(1).setCellStyle(style(workbook, "00000"));
            empty.createCell(3).setCellValue("");

            Row bob = sheet.createRow(3);
            bob.createCell(0).setCellValue("Bob");
            bob.createCell(5).setCellValue(false);

            Row carl = sheet.createRow(5);
            carl.createCell(0).setCellValue("Carl");
            carl.createCell(1).setCellValue("020 7946 0000");

            workbook.getCreationHelper().createFormulaEvaluator().evaluateAll();

            Sheet notes = workbook.createSheet("Notes");
            fill(notes.createRow(0), "Topic");
            fill(notes.createRow(1), "call back");
            Sheet archive = workbook.createSheet("Archive");
            fill(archive.createRow(0), "old", "row");
            save(workbook, file);
        }
        return file;
    }

    private static CellStyle style(Workbook workbook, String format) {
        CellStyle style = workbook.createCellStyle();
        style.setDataFormat(workbook.createDataFormat().getFormat(format));
        return style;
    }

    private static void fill(Row row, String... values) {
        for (int i = 0; i < values.length; i++) {
            row.createCell(i).setCellValue(values[i]);
        }
    }

    private static void save(Workbook workbook, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            workbook.write(out);
        }
    }
}
