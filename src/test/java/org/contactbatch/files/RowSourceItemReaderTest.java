package org.contactbatch.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.ExecutionContext;

class RowSourceItemReaderTest {

    @TempDir
    Path dir;

    @Test
    void restartContinuesAfterTheRowsAlreadyRead() throws Exception {
        Path file = dir.resolve("contacts.csv");
        Files.writeString(file, "Name,Email\nAnn,a\nBob,b\n\nCarl,c\nDora,d\nEve,e\n");

        ExecutionContext context = new ExecutionContext();
        RowSourceItemReader first = reader(file);
        first.open(context);
        assertThat(first.header()).containsExactly("Name", "Email");
        assertThat(first.read().cells()).containsExactly("Ann", "a");
        assertThat(first.read().cells()).containsExactly("Bob", "b");
        assertThat(first.read().cells()).containsExactly("Carl", "c");
        first.update(context);
        first.close();
        assertThat(context.getInt("contacts.read.count")).isEqualTo(3);

        RowSourceItemReader second = reader(file);
        second.open(context);
        assertThat(second.read()).isEqualTo(new RawRow(6, List.of("Dora", "d")));
        assertThat(second.read()).isEqualTo(new RawRow(7, List.of("Eve", "e")));
        assertThat(second.read()).isNull();
        second.close();
    }

    @Test
    void partsByLineReadEachRowOnceWithItsLineAndARestartContinuesInItsPart() throws Exception {
        Path file = dir.resolve("parts.csv");
        // a byte order mark and Excel's sep= line before the header, a quoted line break across the split, a blank row
        String text = "\uFEFFsep=;\r\nName;Note\r\nAnn;a\r\nBob;\"two\r\nlines\"\r\n;;\r\n\r\nCarl;c\r\nDora;d\r\nEve;e\r\n";
        Files.writeString(file, text, StandardCharsets.UTF_8);
        assertThat(part(file, 0, 5)).containsExactly(new RawRow(3, List.of("Ann", "a")), new RawRow(4, List.of("Bob", "two\r\nlines")));
        assertThat(part(file, 5, 9)).containsExactly(new RawRow(8, List.of("Carl", "c")));
        assertThat(part(file, 9, Long.MAX_VALUE)).containsExactly(new RawRow(9, List.of("Dora", "d")), new RawRow(10, List.of("Eve", "e")));
        assertThat(part(file, 11, Long.MAX_VALUE)).isEmpty();

        ExecutionContext context = new ExecutionContext();
        RowSourceItemReader first = part(file, 5);
        first.open(context);
        assertThat(first.read()).isEqualTo(new RawRow(8, List.of("Carl", "c")));
        first.update(context);
        first.close();
        RowSourceItemReader again = part(file, 5);
        again.open(context);
        assertThat(again.read()).isEqualTo(new RawRow(9, List.of("Dora", "d")));
        again.close();
    }

    @Test
    void aPartOfAUtf16FileStartsAtItsLine() throws Exception {
        Path file = dir.resolve("utf16.csv");
        Files.writeString(file, "\uFEFFName,Note\nAnn,\u00e9\nBob,\u4e2d\nCarl,c\n", StandardCharsets.UTF_16LE);
        assertThat(part(file, 3, Long.MAX_VALUE)).containsExactly(new RawRow(3, List.of("Bob", "\u4e2d")), new RawRow(4, List.of("Carl", "c")));
    }

    @Test
    void aProblemInAPartNamesTheFilesLine() throws Exception {
        Path file = dir.resolve("broken.csv");
        Files.writeString(file, "Name,Note\nAnn,a\nBob,b\nCarl,\"open\n");
        RowSourceItemReader reader = part(file, 3);
        reader.open(new ExecutionContext());
        assertThat(reader.read()).isEqualTo(new RawRow(3, List.of("Bob", "b")));
        assertThatThrownBy(reader::read).isInstanceOf(FileProblemException.class)
                .hasMessage("broken.csv: line 4: a quoted field is not closed (started at line 4)");
    }

    @Test
    void aPartOfAWorkbookReadsPastTheRowsBeforeIt() throws Exception {
        Path file = dir.resolve("parts.xlsx");
        try (XSSFWorkbook workbook = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
            Sheet sheet = workbook.createSheet("Contacts");
            String[][] rows = {{"Name", "Email"}, {"Ann", "a"}, {"Bob", "b"}, {"Carl", "c"}};
            for (int r = 0; r < rows.length; r++) {
                sheet.createRow(r).createCell(0).setCellValue(rows[r][0]);
                sheet.getRow(r).createCell(1).setCellValue(rows[r][1]);
            }
            workbook.write(out);
        }
        assertThat(part(file, 0, 3)).containsExactly(new RawRow(2, List.of("Ann", "a")));
        assertThat(part(file, 3, Long.MAX_VALUE)).containsExactly(new RawRow(3, List.of("Bob", "b")), new RawRow(4, List.of("Carl", "c")));
    }

    private static List<RawRow> part(Path file, long first, long end) throws Exception {
        RowSourceItemReader reader = reader(file);
        reader.setLines(first, end);
        reader.open(new ExecutionContext());
        List<RawRow> rows = new ArrayList<>();
        for (RawRow row; (row = reader.read()) != null; ) {
            rows.add(row);
        }
        reader.close();
        return rows;
    }

    private static RowSourceItemReader part(Path file, long first) {
        RowSourceItemReader reader = reader(file);
        reader.setLines(first, Long.MAX_VALUE);
        return reader;
    }

    @Test
    void headerAndDescriptionAreAvailableBeforeOpen() throws IOException {
        Path file = dir.resolve("contacts.csv");
        Files.writeString(file, "Name;Email\nAnn;a\n");
        RowSourceItemReader reader = reader(file);
        assertThat(reader.header()).containsExactly("Name", "Email");
        assertThat(reader.description().delimiter()).isEqualTo(';');
    }

    @Test
    void openingABadFileFailsWithTheOneLineProblem() throws IOException {
        Path file = dir.resolve("header.csv");
        Files.writeString(file, "Name,Email\n");
        RowSourceItemReader reader = reader(file);
        assertThatThrownBy(() -> reader.open(new ExecutionContext()))
                .isInstanceOf(FileProblemException.class)
                .hasMessage("header.csv: has a header row but no data rows");
    }

    private static RowSourceItemReader reader(Path file) {
        RowSourceItemReader reader = new RowSourceItemReader(file, ReadOptions.defaults());
        reader.setName("contacts");
        return reader;
    }
}
