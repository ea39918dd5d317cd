package org.contactbatch.export;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.zip.Deflater;

import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.xssf.streaming.DeferredSXSSFSheet;
import org.apache.poi.xssf.streaming.DeferredSXSSFWorkbook;
import org.apache.poi.xssf.streaming.SXSSFRow;
import org.apache.poi.xssf.streaming.StreamingSheetWriter;

/**
 * Turns the CSV an export spooled into an Excel workbook, streaming: POI's {@link DeferredSXSSFWorkbook} generates
 * each sheet's rows while it writes the file, so neither the rows nor a temporary copy of the sheet ever pile up.
 *
 * <p>What makes the workbook survive Excel: every cell is a text cell (an inline string, never a formula) with the
 * text format "@", so IDs, phones and postcodes keep their leading zeros and "+" and never turn into numbers in
 * scientific notation, even after a person edits them; the cells already carry the export's neutralisation
 * ({@code '=…}), exactly as in the CSV. The header row is bold and frozen, the columns are as wide as the header and
 * the first rows need, and past Excel's 1,048,576 rows a new sheet continues with the header repeated.
 */
final class XlsxTableWriter {

    /** Rows of an Excel sheet, header included. */
    static final int EXCEL_ROWS = 1_048_576;

    /** Characters Excel keeps in a cell. */
    static final int EXCEL_CELL_CHARS = 32_767;

    private static final int WIDTH_SAMPLE = 1_000;
    private static final int MAX_WIDTH = 60;
    private static final int PROGRESS_EVERY = 10_000;
    private static final String SHEET = "Contacts";

    /**
     * @param rows     the data rows written
     * @param cutCells cells longer than Excel holds, cut to its limit (the CSV keeps them whole)
     * @param sheets   how many sheets the rows took
     */
    record Result(long rows, long cutCells, int sheets) {
    }

    private final int rowsPerSheet;

    XlsxTableWriter() {
        this(EXCEL_ROWS);
    }

    /** A smaller sheet size, so tests can see a sheet fill up. */
    XlsxTableWriter(int rowsPerSheet) {
        if (rowsPerSheet < 2 || rowsPerSheet > EXCEL_ROWS) {
            throw new IllegalArgumentException("rowsPerSheet must be between 2 and " + EXCEL_ROWS);
        }
        this.rowsPerSheet = rowsPerSheet;
    }

    /**
     * Writes the header and {@code rows} data rows of {@code csv} (comma-separated, no BOM, as the export spools
     * them; the header in the first part, the rows in the parts in order) to {@code xlsx}.
     *
     * @param progress told the rows written so far, now and then
     */
    Result write(List<Path> csv, Path xlsx, long rows, LongConsumer progress) throws IOException {
        List<String> header;
        int[] widths;
        try (CSVParser sample = open(csv)) {
            Iterator<CSVRecord> records = sample.iterator();
            if (!records.hasNext()) {
                throw new IllegalStateException(csv.get(0) + " has no header row");
            }
            header = records.next().toList();
            widths = new int[header.size()];
            measure(widths, header);
            for (int i = 0; i < WIDTH_SAMPLE && records.hasNext(); i++) {
                measure(widths, records.next().toList());
            }
        }
        int perSheet = rowsPerSheet - 1;
        int sheets = (int) Math.max(1, (rows + perSheet - 1) / perSheet);
        AtomicLong written = new AtomicLong();
        AtomicLong cut = new AtomicLong();
        AtomicBoolean more = new AtomicBoolean();
        try (FastWorkbook workbook = new FastWorkbook()) {
            CellStyle text = workbook.createCellStyle();
            text.setDataFormat(workbook.createDataFormat().getFormat("@"));
            CellStyle bold = workbook.createCellStyle();
            bold.cloneStyleFrom(text);
            Font font = workbook.createFont();
            font.setBold(true);
            bold.setFont(font);
            for (int s = 0; s < sheets; s++) {
                DeferredSXSSFSheet sheet = workbook.createSheet(s == 0 ? SHEET : SHEET + " " + (s + 1));
                for (int c = 0; c < header.size(); c++) {
                    sheet.setColumnWidth(c, Math.min(MAX_WIDTH, Math.max(widths[c], 4) + 2) * 256);
                    // what a person types into an empty cell of the column is text as well
                    sheet.setDefaultColumnStyle(c, text);
                }
                sheet.createFreezePane(0, 1);
                long skip = (long) s * perSheet;
                long sheetRows = Math.min(perSheet, rows - skip);
                boolean lastSheet = s == sheets - 1;
                // POI asks for the sheets' rows in an order of its own: each sheet reads its rows itself
                sheet.setRowGenerator(generated -> {
                    Row head = generated.createRow(0);
                    for (int c = 0; c < header.size(); c++) {
                        Cell cell = head.createCell(c);
                        cell.setCellStyle(bold);
                        cell.setCellValue(header.get(c));
                    }
                    try (CSVParser parser = open(csv)) {
                        Iterator<CSVRecord> records = parser.iterator();
                        for (long skipped = -1; skipped < skip; skipped++) {
                            next(records, csv, rows);
                        }
                        for (int r = 1; r <= sheetRows; r++) {
                            CSVRecord record = next(records, csv, rows);
                            Row row = generated.createRow(r);
                            for (int c = 0; c < record.size(); c++) {
                                String value = record.get(c);
                                if (value.isEmpty()) {
                                    continue;
                                }
                                if (value.length() > EXCEL_CELL_CHARS) {
                                    value = value.substring(0, EXCEL_CELL_CHARS);
                                    cut.incrementAndGet();
                                }
                                Cell cell = row.createCell(c);
                                cell.setCellStyle(text);
                                cell.setCellValue(value);
                            }
                            long done = written.incrementAndGet();
                            if (done % PROGRESS_EVERY == 0) {
                                progress.accept(done);
                            }
                        }
                        if (lastSheet && records.hasNext()) {
                            more.set(true);
                        }
                    }
                });
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(xlsx), 1 << 16)) {
                workbook.writeAvoidingTempFiles(out);
            }
        }
        if (more.get()) {
            throw new IllegalStateException(csv + " holds more rows than the " + rows + " exported");
        }
        progress.accept(written.get());
        return new Result(written.get(), cut.get(), sheets);
    }

    /** The parts as one text: a part ends with a line break, so the next one starts a record. */
    private static CSVParser open(List<Path> csv) throws IOException {
        List<InputStream> parts = new ArrayList<>();
        for (Path part : csv) {
            parts.add(new LazyInput(part));
        }
        BufferedReader reader = new BufferedReader(new InputStreamReader(
                new SequenceInputStream(Collections.enumeration(parts)), StandardCharsets.UTF_8), 1 << 16);
        try {
            return CSVFormat.RFC4180.parse(reader);
        }
        catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** Opens its file when first read, so only one part is open at a time. */
    private static final class LazyInput extends InputStream {

        private final Path file;
        private InputStream in;

        LazyInput(Path file) {
            this.file = file;
        }

        private InputStream in() throws IOException {
            if (in == null) {
                in = Files.newInputStream(file);
            }
            return in;
        }

        @Override
        public int read() throws IOException {
            return in().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in().read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }

    private static CSVRecord next(Iterator<CSVRecord> records, List<Path> csv, long rows) {
        try {
            return records.next();
        }
        catch (NoSuchElementException e) {
            throw new IllegalStateException(csv + " holds fewer rows than the " + rows + " exported", e);
        }
    }

    private static void measure(int[] widths, List<String> cells) {
        for (int c = 0; c < Math.min(widths.length, cells.size()); c++) {
            String cell = cells.get(c);
            int longestLine = 0;
            int line = 0;
            for (int i = 0; i < cell.length() && longestLine < MAX_WIDTH; i++) {
                char ch = cell.charAt(i);
                line = ch == '\n' || ch == '\r' ? 0 : line + 1;
                longestLine = Math.max(longestLine, line);
            }
            widths[c] = Math.max(widths[c], longestLine);
        }
    }

    /**
     * POI's streaming workbook with three changes for speed, all through its extension points: the fastest deflate
     * level (the sheets are large and repetitive, so the file grows little and the time drops a lot); a sheet
     * writer that puts each cell's XML together in one piece (POI's own writes a cell in some fifteen small writes
     * to a synchronized writer, which was most of the time a million-row export took); and the sheet's bytes
     * deflated on a second thread while the next rows are made, by {@link HandOffOutputStream}.
     */
    static final class FastWorkbook extends DeferredSXSSFWorkbook {

        FastWorkbook() {
            super(100);
        }

        @Override
        protected ZipArchiveOutputStream createArchiveOutputStream(OutputStream out) {
            ZipArchiveOutputStream zip = super.createArchiveOutputStream(out);
            zip.setLevel(Deflater.BEST_SPEED);
            return zip;
        }

        @Override
        protected StreamingSheetWriter createSheetDataWriter(OutputStream out) throws IOException {
            return new TextCellWriter(new HandOffOutputStream(out, "xlsx-deflate"));
        }
    }

    /**
     * Writes rows as POI does, with every cell an inline string, each cell's XML written at once. Closing it (POI does
     * when the sheet's rows are written) waits for the hand-off's thread to write them all, and ends that thread; the
     * workbook's stream stays open for the rest of the file. Should POI fail between the rows and that close, the
     * thread may still write into a workbook that is failing anyway; POI closes the writer again when the workbook
     * closes, which ends the thread.
     */
    static final class TextCellWriter extends StreamingSheetWriter {

        private final StringBuilder xml = new StringBuilder(256);
        private final List<String> columnNames = new ArrayList<>();
        private final HandOffOutputStream handOff;
        private char[] chars = new char[256];
        private String rowNumber = "1";

        TextCellWriter(HandOffOutputStream out) throws IOException {
            super(out);
            this.handOff = out;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            }
            catch (IOException | RuntimeException e) {
                try {
                    handOff.close();
                }
                catch (IOException | RuntimeException second) {
                    e.addSuppressed(second);
                }
                throw e;
            }
            handOff.close();
        }

        @Override
        public void writeRow(int rownum, SXSSFRow row) throws IOException {
            rowNumber = Integer.toString(rownum + 1);
            super.writeRow(rownum, row);
        }

        @Override
        public void writeCell(int columnIndex, Cell cell) throws IOException {
            if (cell == null) {
                return;
            }
            if (cell.getCellType() != CellType.STRING) {
                throw new IllegalStateException("an export writes text cells only");
            }
            String value = cell.getStringCellValue();
            xml.setLength(0);
            xml.append("<c r=\"").append(columnName(columnIndex)).append(rowNumber).append('"');
            int style = cell.getCellStyle().getIndex() & 0xffff;
            if (style != 0) {
                xml.append(" s=\"").append(style).append('"');
            }
            xml.append(" t=\"inlineStr\"><is><t");
            if (!value.isEmpty() && (Character.isWhitespace(value.charAt(0))
                    || Character.isWhitespace(value.charAt(value.length() - 1)))) {
                xml.append(" xml:space=\"preserve\"");
            }
            xml.append('>');
            XmlText.escape(value, xml);
            xml.append("</t></is></c>");
            int length = xml.length();
            if (chars.length < length) {
                chars = new char[Math.max(length, chars.length * 2)];
            }
            xml.getChars(0, length, chars, 0);
            _out.write(chars, 0, length);
        }

        private String columnName(int column) {
            while (columnNames.size() <= column) {
                columnNames.add(CellReference.convertNumToColString(columnNames.size()));
            }
            return columnNames.get(column);
        }
    }
}
