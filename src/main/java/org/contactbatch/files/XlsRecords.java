package org.contactbatch.files;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.poi.EncryptedDocumentException;
import org.apache.poi.hssf.OldExcelFormatException;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.poifs.filesystem.DirectoryNode;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.jspecify.annotations.Nullable;

/**
 * Rows of an Excel 97-2003 workbook. The whole workbook is loaded with HSSF: the format holds at most 65,536 rows
 * per sheet, so memory stays bounded without a streaming reader.
 */
final class XlsRecords implements SheetRecords {

    private final Path file;
    private final HSSFWorkbook workbook;
    private final List<String> sheetNames;
    private final String sheetName;
    private final Iterator<Row> rows;
    private final DataFormatter formatter = SheetSupport.formatter();

    private XlsRecords(Path file, HSSFWorkbook workbook, List<String> sheetNames, int sheetIndex) {
        this.file = file;
        this.workbook = workbook;
        this.sheetNames = sheetNames;
        this.sheetName = sheetNames.get(sheetIndex);
        Sheet sheet = workbook.getSheetAt(sheetIndex);
        this.rows = sheet.rowIterator();
    }

    /** Opens an OLE2 file that must hold an unencrypted Excel 97-2003 workbook. */
    static XlsRecords open(Path file, @Nullable String wantedSheet) {
        POIFSFileSystem fs;
        try {
            fs = new POIFSFileSystem(file.toFile(), true);
        } catch (IOException | RuntimeException e) {
            throw new FileProblemException(file, null, "the workbook is damaged and cannot be opened (" + e.getMessage() + ")", e);
        }
        HSSFWorkbook workbook;
        try {
            checkIsWorkbook(file, fs.getRoot());
            workbook = new HSSFWorkbook(fs);
        } catch (FileProblemException e) {
            closeQuietly(fs);
            throw e;
        } catch (EncryptedDocumentException e) {
            closeQuietly(fs);
            throw passwordProtected(file, e);
        } catch (OldExcelFormatException e) {
            closeQuietly(fs);
            throw new FileProblemException(file, null,
                    "this is an Excel 5.0/95 workbook, which cannot be read; open it in Excel and save it as .xlsx", e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(fs);
            throw new FileProblemException(file, null, "the workbook is damaged and cannot be read (" + e.getMessage() + ")", e);
        }
        try {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < workbook.getNumberOfSheets(); i++) {
                names.add(workbook.getSheetName(i));
            }
            return new XlsRecords(file, workbook, List.copyOf(names), SheetSupport.choose(file, names, wantedSheet));
        } catch (RuntimeException e) {
            closeQuietly(workbook);
            throw e;
        }
    }

    /**
     * An OLE2 container is also what a password-protected .xlsx, an old .doc or a .ppt is; say which rather than
     * "damaged".
     */
    private static void checkIsWorkbook(Path file, DirectoryNode root) {
        if (root.hasEntryCaseInsensitive("EncryptedPackage")) {
            throw passwordProtected(file, null);
        }
        if (root.hasEntryCaseInsensitive("Workbook") || root.hasEntryCaseInsensitive("Book")) {
            return;
        }
        String looksLike = root.hasEntryCaseInsensitive("WordDocument") ? "a Word document"
                : root.hasEntryCaseInsensitive("PowerPoint Document") ? "a PowerPoint presentation"
                : "an Office file that is not a spreadsheet";
        throw new FileProblemException(file, null, TabularFiles.notATable(looksLike));
    }

    static FileProblemException passwordProtected(Path file, @Nullable Throwable cause) {
        return new FileProblemException(file, null,
                "the workbook is password-protected; remove the password in Excel (File > Info > Protect Workbook) and try again", cause);
    }

    @Override
    public List<String> sheetNames() {
        return sheetNames;
    }

    @Override
    public String sheetName() {
        return sheetName;
    }

    @Override
    public @Nullable RawRow read() {
        while (rows.hasNext()) {
            Row row = rows.next();
            int width = Math.max(row.getLastCellNum(), 0);
            List<String> cells = new ArrayList<>(width);
            for (int i = 0; i < width; i++) {
                Cell cell = row.getCell(i);
                cells.add(cell == null ? "" : text(cell, row.getRowNum()));
            }
            SheetSupport.trimTrailingEmpty(cells);
            if (!cells.isEmpty()) {
                return new RawRow(row.getRowNum() + 1L, cells);
            }
        }
        return null;
    }

    private String text(Cell cell, int rowNum) {
        try {
            return formatter.formatCellValue(cell);
        } catch (RuntimeException e) {
            throw new FileProblemException(file, where(rowNum + 1L),
                    "cell " + cell.getAddress() + " cannot be read (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void close() {
        closeQuietly(workbook);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // read-only: nothing to lose
        }
    }
}
