package org.contactbatch.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.zip.ZipFile;

import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.openxml4j.opc.PackagePart;
import org.apache.poi.openxml4j.opc.PackageRelationshipCollection;
import org.apache.poi.openxml4j.opc.PackageRelationshipTypes;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.model.SharedStrings;
import org.apache.poi.xssf.model.Styles;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.jspecify.annotations.Nullable;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.XMLFilterImpl;

/**
 * Rows of an Excel 2007+ workbook, streamed with POI's event API so a sheet of a million rows never sits in memory.
 *
 * <p>POI's SAX handler pushes rows while a {@link RowSource} is pulled, and a SAX parse cannot pause, so the parse
 * runs on its own thread and hands rows over in batches through a small bounded queue: the parser is at most a few
 * thousand rows ahead of the consumer, and batching keeps the hand-over cost out of the per-row path.
 */
final class XlsxRecords implements SheetRecords {

    private static final int BATCH = 1_000;
    private static final Object END = new Object();

    private final Path file;
    private final OPCPackage pkg;
    private final List<String> sheetNames;
    private final String sheetName;
    private final BlockingQueue<Object> handoff = new ArrayBlockingQueue<>(4);
    private final Thread producer;
    private volatile boolean cancelled;
    private List<RawRow> batch = List.of();
    private int position;
    private boolean finished;
    private boolean closed;

    /** Thrown inside the parsing thread to stop the parse once the reader is closed. */
    private static final class Cancelled extends RuntimeException {
        Cancelled() {
            super(null, null, false, false);
        }
    }

    private XlsxRecords(Path file, OPCPackage pkg, List<String> sheetNames, int sheetIndex, InputStream sheet,
                        SharedStrings strings, Styles styles) {
        this.file = file;
        this.pkg = pkg;
        this.sheetNames = sheetNames;
        this.sheetName = sheetNames.get(sheetIndex);
        Path name = file.getFileName();
        this.producer = new Thread(() -> produce(sheet, strings, styles), "xlsx-rows-" + name);
        producer.setDaemon(true);
        producer.start();
    }

    /** Opens a ZIP file that must be an Excel workbook, and starts reading the wanted sheet. */
    static XlsxRecords open(Path file, @Nullable String wantedSheet) {
        checkIsOfficePackage(file);
        OPCPackage pkg;
        try {
            pkg = OPCPackage.open(file.toFile(), PackageAccess.READ);
        } catch (Exception e) {
            throw damaged(file, null, e);
        }
        try {
            checkIsWorkbook(file, pkg);
            XSSFReader reader = new XSSFReader(pkg);
            List<String> names = sheetNames(reader);
            int index = SheetSupport.choose(file, names, wantedSheet);
            SharedStrings strings = new ReadOnlySharedStringsTable(pkg, false);
            Styles styles = reader.getStylesTable();
            InputStream sheet = sheetStream(reader, index);
            return new XlsxRecords(file, pkg, names, index, sheet, strings, styles);
        } catch (FileProblemException e) {
            pkg.revert();
            throw e;
        } catch (Exception e) {
            pkg.revert();
            throw damaged(file, null, e);
        }
    }

    /** Any ZIP starts like an XLSX; tell a plain archive from a damaged workbook before POI gives a vaguer answer. */
    private static void checkIsOfficePackage(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.getEntry("[Content_Types].xml") == null) {
                throw new FileProblemException(file, null, TabularFiles.notATable("a ZIP archive, not an Excel workbook"));
            }
        } catch (IOException e) {
            throw new FileProblemException(file, null,
                    "the file is damaged: it starts like an XLSX (ZIP) file but cannot be opened as one", e);
        }
    }

    private static void checkIsWorkbook(Path file, OPCPackage pkg) {
        if (pkg.getRelationshipsByType(PackageRelationshipTypes.STRICT_CORE_DOCUMENT).size() > 0) {
            throw new FileProblemException(file, null, "this workbook is saved as \"Strict Open XML\", which cannot be read; "
                    + "open it in Excel and save it as a normal Excel Workbook (.xlsx)");
        }
        PackageRelationshipCollection main = pkg.getRelationshipsByType(PackageRelationshipTypes.CORE_DOCUMENT);
        PackagePart part = main.size() == 0 ? null : pkg.getPart(main.getRelationship(0));
        String type = part == null ? "" : part.getContentType();
        if (type.startsWith("application/vnd.ms-excel.sheet.binary")) {
            throw new FileProblemException(file, null,
                    "this is an Excel binary workbook (.xlsb), which cannot be read; open it in Excel and save it as .xlsx");
        }
        if (type.contains("spreadsheetml") || type.startsWith("application/vnd.ms-excel")) {
            return;
        }
        String looksLike = type.contains("wordprocessingml") ? "a Word document"
                : type.contains("presentationml") ? "a PowerPoint presentation"
                : "an Office file that is not a spreadsheet";
        throw new FileProblemException(file, null, TabularFiles.notATable(looksLike));
    }

    private static List<String> sheetNames(XSSFReader reader) throws Exception {
        List<String> names = new ArrayList<>();
        XSSFReader.SheetIterator sheets = reader.getSheetIterator();
        while (sheets.hasNext()) {
            try (InputStream ignored = sheets.next()) {
                names.add(sheets.getSheetName());
            }
        }
        return List.copyOf(names);
    }

    private static InputStream sheetStream(XSSFReader reader, int index) throws Exception {
        XSSFReader.SheetIterator sheets = reader.getSheetIterator();
        for (int i = 0; i < index; i++) {
            sheets.next().close();
        }
        return sheets.next();
    }

    static FileProblemException damaged(Path file, @Nullable String where, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FileProblemException problem) {
                return problem;
            }
            if (t.getMessage() != null && t.getMessage().contains("Zip bomb")) {
                return new FileProblemException(file, where,
                        "refused: the workbook would expand to far more data than its size suggests (a possible zip bomb)", e);
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String detail = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return new FileProblemException(file, where, "the workbook is damaged and cannot be read (" + detail + ")", e);
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
    @SuppressWarnings("unchecked")
    public @Nullable RawRow read() {
        while (position >= batch.size()) {
            if (finished) {
                return null;
            }
            Object next;
            try {
                next = handoff.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading " + file, e);
            }
            if (next == END) {
                finished = true;
                return null;
            }
            if (next instanceof Throwable failure) {
                finished = true;
                throw damaged(file, whole(), failure);
            }
            batch = (List<RawRow>) next;
            position = 0;
        }
        return batch.get(position++);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        cancelled = true;
        producer.interrupt();
        handoff.clear();
        try {
            producer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pkg.revert();
    }

    // ---- the parsing thread ----

    private void produce(InputStream sheet, SharedStrings strings, Styles styles) {
        try (InputStream in = sheet) {
            RowCollector rows = new RowCollector();
            XSSFSheetXMLHandler handler =
                    new XSSFSheetXMLHandler(styles, null, strings, rows, SheetSupport.formatter(), false);
            // XMLHelper's parser has external entities and DTDs switched off
            XMLReader parser = XMLHelper.newXMLReader();
            XMLFilterImpl cellTypes = new XMLFilterImpl(parser) {
                @Override
                public void startElement(String uri, String localName, String qName, Attributes attributes)
                        throws SAXException {
                    if ("c".equals(localName)) {
                        rows.errorCell = "e".equals(attributes.getValue("t"));
                    }
                    super.startElement(uri, localName, qName, attributes);
                }
            };
            cellTypes.setContentHandler(handler);
            cellTypes.parse(new InputSource(in));
            rows.flush();
            put(END);
        } catch (Cancelled stopped) {
            // the reader was closed before the end of the sheet
        } catch (Throwable failure) {
            if (!cancelled) {
                try {
                    put(failure);
                } catch (Cancelled stopped) {
                    // closed meanwhile: nobody is waiting for the failure
                }
            }
        }
    }

    private void put(Object item) {
        if (cancelled) {
            throw new Cancelled();
        }
        try {
            handoff.put(item);
        } catch (InterruptedException e) {
            throw new Cancelled();
        }
    }

    /** Builds rows from POI's cell callbacks; runs on the parsing thread only. */
    private final class RowCollector implements XSSFSheetXMLHandler.SheetContentsHandler {

        /** Set from the raw XML: POI reports error cells as "ERROR:#N/A", Excel shows "#N/A". */
        boolean errorCell;
        private final List<String> cells = new ArrayList<>();
        private List<RawRow> rows = new ArrayList<>(BATCH);
        private int rowNum;

        @Override
        public void startRow(int rowNum) {
            this.rowNum = rowNum;
            cells.clear();
        }

        @Override
        public void cell(@Nullable String reference, @Nullable String formattedValue, @Nullable XSSFComment comment) {
            int column = SheetSupport.column(reference);
            if (column < 0) {
                column = cells.size(); // no reference: cells follow each other
            }
            if (column >= CsvParser.MAX_COLUMNS) {
                throw new FileProblemException(file, where(rowNum + 1L), "cell " + reference + " lies beyond Excel's last column (XFD)");
            }
            String text = formattedValue == null ? "" : formattedValue;
            if (errorCell && text.startsWith("ERROR:")) {
                text = text.substring("ERROR:".length());
            }
            while (cells.size() < column) {
                cells.add("");
            }
            if (column < cells.size()) {
                cells.set(column, text);
            } else {
                cells.add(text);
            }
        }

        @Override
        public void endRow(int rowNum) {
            SheetSupport.trimTrailingEmpty(cells);
            if (cells.isEmpty()) {
                return;
            }
            rows.add(new RawRow(rowNum + 1L, cells));
            if (rows.size() >= BATCH) {
                flush();
            }
        }

        void flush() {
            if (!rows.isEmpty()) {
                put(rows);
                rows = new ArrayList<>(BATCH);
            }
        }
    }
}
