package org.contactbatch.reports;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.ClientAnchor;
import org.apache.poi.ss.usermodel.Comment;
import org.apache.poi.ss.usermodel.CreationHelper;
import org.apache.poi.ss.usermodel.Drawing;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.IndexedColors;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * The failed rows as a workbook for the people who fix them: the same rows and columns as
 * {@code failed-rows.csv}, every cell as text, the offending cells filled red with the reason as
 * the cell's comment, the header frozen. Uploaded again as it is, its report columns are
 * recognised and left aside, like the CSV's. Written streaming; comments are kept in memory
 * until the end, so only the first {@value #COMMENTED_ROWS} rows get them (the message column
 * says it for every row), and a sheet holds at most {@value #MAX_ROWS} rows.
 */
final class FailedRowsWorkbook implements Closeable {

    static final int COMMENTED_ROWS = 10_000;
    static final int MAX_ROWS = 1_048_575;

    private final Path file;
    private final Path partial;
    private final SXSSFWorkbook workbook = new SXSSFWorkbook(200);
    private final SXSSFSheet sheet;
    private final Drawing<?> drawing;
    private final CreationHelper helper;
    private final CellStyle text;
    private final CellStyle offending;
    private final Map<String, Integer> columnIndex = new HashMap<>();
    private int rows;
    private boolean complete;

    FailedRowsWorkbook(Path file, List<String> header) throws IOException {
        this.file = file;
        this.partial = file.resolveSibling(file.getFileName() + ".part");
        this.sheet = workbook.createSheet("Failed rows");
        this.drawing = sheet.createDrawingPatriarch();
        this.helper = workbook.getCreationHelper();
        this.text = workbook.createCellStyle();
        text.setDataFormat(workbook.createDataFormat().getFormat("@"));
        this.offending = workbook.createCellStyle();
        offending.cloneStyleFrom(text);
        offending.setFillForegroundColor(IndexedColors.ROSE.getIndex());
        offending.setFillPattern(FillPatternType.SOLID_FOREGROUND);
        CellStyle bold = workbook.createCellStyle();
        bold.cloneStyleFrom(text);
        Font font = workbook.createFont();
        font.setBold(true);
        bold.setFont(font);
        Row first = sheet.createRow(0);
        for (int i = 0; i < header.size(); i++) {
            Cell cell = first.createCell(i);
            cell.setCellValue(header.get(i));
            cell.setCellStyle(bold);
            columnIndex.putIfAbsent(header.get(i), i);
        }
        sheet.createFreezePane(0, 1);
    }

    /** One failed row: its cells (the report columns included), which columns broke a rule, and why. */
    void add(List<String> cells, List<String> offendingColumns, String reason) {
        if (rows == MAX_ROWS) {
            return;
        }
        rows++;
        Row row = sheet.createRow(rows);
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = row.createCell(i);
            cell.setCellValue(cells.get(i));
            cell.setCellStyle(text);
        }
        for (String column : offendingColumns) {
            Integer index = columnIndex.get(column);
            if (index == null || index >= cells.size()) {
                continue;
            }
            Cell cell = row.getCell(index);
            cell.setCellStyle(offending);
            if (rows <= COMMENTED_ROWS) {
                ClientAnchor anchor = helper.createClientAnchor();
                anchor.setCol1(index);
                anchor.setCol2(index + 3);
                anchor.setRow1(rows);
                anchor.setRow2(rows + 3);
                Comment comment = drawing.createCellComment(anchor);
                comment.setString(helper.createRichTextString(reason));
                cell.setCellComment(comment);
            }
        }
    }

    /** Every row was added: the workbook may replace an earlier one. */
    void complete() {
        complete = true;
    }

    @Override
    public void close() throws IOException {
        try {
            if (complete) {
                try (OutputStream out = Files.newOutputStream(partial)) {
                    workbook.write(out);
                }
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        finally {
            workbook.close();
            Files.deleteIfExists(partial);
        }
    }
}
