package org.contactbatch.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

class XlsxTableWriterTest {

    private static final List<String> HEADER = List.of("id", "version", "phone", "postal_code", "notes");

    @TempDir
    Path temp;

    private int spools;

    /** A spool as the export writes it: comma-separated, RFC 4180, the header only in the first part. */
    private Path spool(boolean header, List<List<String>> rows) throws IOException {
        Path csv = temp.resolve("spool" + spools++ + ".csv");
        try (Writer writer = Files.newBufferedWriter(csv, StandardCharsets.UTF_8);
                CSVPrinter printer = new CSVPrinter(writer, CSVFormat.RFC4180)) {
            if (header) {
                printer.printRecord(HEADER);
            }
            for (List<String> row : rows) {
                printer.printRecord(row);
            }
        }
        return csv;
    }

    private List<Path> spool(List<List<String>> rows) throws IOException {
        return List.of(spool(true, rows));
    }

    @Test
    void everyCellIsTextAsItWasWithABoldFrozenHeader() throws Exception {
        List<List<String>> rows = List.of(
                List.of("1", "0", "'+1 212 555 0100", "01234", "'=HYPERLINK(\"http://x\",\"y\")"),
                List.of("2", "3", "0044 20 7946 0018", "00501", "line 1\r\nline 2\ttab <b>&amp;</b> \"q\""),
                List.of("3", "0", "", "1.5E3", "  spaces kept  "),
                List.of("4", "0", "12345678901234567890", "", "_x0041_ stays, \u0001 too, and ünïcødé 😀"));
        Path xlsx = temp.resolve("out.xlsx");

        XlsxTableWriter.Result result = new XlsxTableWriter().write(spool(rows), xlsx, rows.size(), n -> { });

        assertThat(result).isEqualTo(new XlsxTableWriter.Result(4, 0, 1));
        try (XSSFWorkbook workbook = new XSSFWorkbook(xlsx.toFile())) {
            assertThat(workbook.getNumberOfSheets()).isEqualTo(1);
            Sheet sheet = workbook.getSheetAt(0);
            assertThat(sheet.getSheetName()).isEqualTo("Contacts");
            assertThat(sheet.getPaneInformation().isFreezePane()).isTrue();
            assertThat(sheet.getPaneInformation().getHorizontalSplitPosition()).isEqualTo((short) 1);
            Row header = sheet.getRow(0);
            for (int c = 0; c < HEADER.size(); c++) {
                Cell cell = header.getCell(c);
                assertThat(cell.getStringCellValue()).isEqualTo(HEADER.get(c));
                assertThat(workbook.getFontAt(cell.getCellStyle().getFontIndex()).getBold()).isTrue();
                assertThat(sheet.getColumnWidth(c)).as("width of column %d", c).isGreaterThanOrEqualTo(6 * 256);
            }
            assertThat(sheet.getColumnWidth(4)).isGreaterThan(sheet.getColumnWidth(1));
            for (int r = 0; r < rows.size(); r++) {
                Row row = sheet.getRow(r + 1);
                for (int c = 0; c < HEADER.size(); c++) {
                    String expected = rows.get(r).get(c);
                    Cell cell = row.getCell(c);
                    if (expected.isEmpty()) {
                        assertThat(cell).isNull();
                        continue;
                    }
                    assertThat(cell.getCellType()).as("type of %s", expected).isEqualTo(CellType.STRING);
                    assertThat(cell.getStringCellValue()).isEqualTo(expected);
                    assertThat(((XSSFCellStyle) cell.getCellStyle()).getDataFormatString()).isEqualTo("@");
                }
            }
        }
    }

    @Test
    void theProjectsOwnReaderGetsTheOriginalValuesBack() throws IOException {
        List<List<String>> rows = List.of(
                List.of("1", "0", "'+49 1512 7070168", "01234", "'=1+2"),
                List.of("2", "0", "+", "09", "-3"));
        Path xlsx = temp.resolve("back.xlsx");
        new XlsxTableWriter().write(spool(rows), xlsx, rows.size(), n -> { });

        try (RowSource source = TabularFiles.open(xlsx, ReadOptions.defaults())) {
            assertThat(source.header()).isEqualTo(HEADER);
            assertThat(source.next().cells()).containsExactly("1", "0", "+49 1512 7070168", "01234", "=1+2");
            assertThat(source.next().cells()).containsExactly("2", "0", "+", "09", "-3");
            assertThat(source.next()).isNull();
        }
    }

    @Test
    void thePartsAreReadInOrderAndPastTheLastRowOfASheetANewSheetContinuesWithTheHeader() throws IOException {
        List<List<String>> first = new ArrayList<>();
        List<List<String>> second = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            (i <= 4 ? first : second).add(List.of(String.valueOf(i), "0", "", "", "row " + i));
        }
        Path xlsx = temp.resolve("sheets.xlsx");
        List<Long> progress = new ArrayList<>();

        XlsxTableWriter.Result result = new XlsxTableWriter(4).write(List.of(spool(true, first), spool(false, second)),
                xlsx, 7, progress::add);

        assertThat(result.sheets()).isEqualTo(3);
        assertThat(result.rows()).isEqualTo(7);
        assertThat(progress).last().isEqualTo(7L);
        List<String> ids = new ArrayList<>();
        for (String sheet : List.of("Contacts", "Contacts 2", "Contacts 3")) {
            try (RowSource source = TabularFiles.open(xlsx, new ReadOptions(true, sheet, null, null))) {
                assertThat(source.header()).isEqualTo(HEADER);
                for (RawRow row; (row = source.next()) != null; ) {
                    ids.add(row.cell(0));
                }
            }
        }
        assertThat(ids).containsExactly("1", "2", "3", "4", "5", "6", "7");
    }

    @Test
    void aCellLongerThanExcelHoldsIsCutAndCounted() throws Exception {
        String longText = "x".repeat(XlsxTableWriter.EXCEL_CELL_CHARS + 10);
        Path xlsx = temp.resolve("long.xlsx");

        XlsxTableWriter.Result result = new XlsxTableWriter().write(
                spool(List.of(List.of("1", "0", "", "", longText))), xlsx, 1, n -> { });

        assertThat(result.cutCells()).isEqualTo(1);
        try (XSSFWorkbook workbook = new XSSFWorkbook(xlsx.toFile())) {
            assertThat(workbook.getSheetAt(0).getRow(1).getCell(4).getStringCellValue())
                    .hasSize(XlsxTableWriter.EXCEL_CELL_CHARS);
        }
    }

    @Test
    void noRowsGiveASheetWithItsHeader() throws Exception {
        Path xlsx = temp.resolve("empty.xlsx");

        XlsxTableWriter.Result result = new XlsxTableWriter().write(spool(List.of()), xlsx, 0, n -> { });

        assertThat(result).isEqualTo(new XlsxTableWriter.Result(0, 0, 1));
        try (XSSFWorkbook workbook = new XSSFWorkbook(xlsx.toFile())) {
            assertThat(workbook.getSheetAt(0).getRow(0).getCell(0).getStringCellValue()).isEqualTo("id");
            assertThat(workbook.getSheetAt(0).getLastRowNum()).isZero();
        }
    }

    @Test
    void aWorkbookIsWrittenWithoutAWarningAndLeavesNoThreadBehindEvenWhenItFails() throws IOException {
        Logger poi = (Logger) LoggerFactory.getLogger("org.apache.poi");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        poi.addAppender(logged);
        try {
            List<List<String>> rows = List.of(List.of("1", "0", "", "", "a"), List.of("2", "0", "", "", "b"));
            new XlsxTableWriter().write(spool(rows), temp.resolve("fine.xlsx"), rows.size(), n -> { });
            assertThat(deflateThreads()).as("after a workbook").isEmpty();

            // the spool holds fewer rows than the export counted: the sheet's rows fail half-way
            assertThatThrownBy(() -> new XlsxTableWriter().write(spool(rows), temp.resolve("short.xlsx"), 5, n -> { }))
                    .hasStackTraceContaining("holds fewer rows than the 5 exported");
            assertThat(deflateThreads()).as("after a failed workbook").isEmpty();

            // POI closes each sheet's writer again when the workbook closes, and logs what that throws
            assertThat(logged.list).filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                    .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        }
        finally {
            poi.detachAppender(logged);
        }
    }

    private static List<Thread> deflateThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("xlsx-deflate") && thread.isAlive()).toList();
    }
}
