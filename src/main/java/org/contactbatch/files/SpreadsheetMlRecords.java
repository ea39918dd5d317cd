package org.contactbatch.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.apache.poi.ss.usermodel.DataFormatter;
import org.jspecify.annotations.Nullable;

/**
 * Excel 2003 XML (SpreadsheetML), which many older systems' "export to Excel" writes, as {@code .xml} or
 * {@code .xls}: {@code <Workbook><Worksheet ss:Name><Table><Row><Cell><Data ss:Type>}. Read streaming, one row at a
 * time, with a parser that takes no DTD and no external entity (so neither an entity bomb nor a file of the machine
 * gets in). Rows keep the sheet's own numbers ({@code ss:Index} skips rows and cells); a number shows as its style's
 * number format would show it ({@code 00000} keeps a postal code's leading zero), a date as {@code yyyy-mm-dd} (with
 * the time when it has one), a boolean as TRUE or FALSE, as the XLSX reader gives them.
 */
final class SpreadsheetMlRecords implements SheetRecords {

    static final String NAMESPACE = "urn:schemas-microsoft-com:office:spreadsheet";


    private final Path file;
    private final String sheetName;
    private final List<String> sheetNames;
    private final Map<String, String> formats;
    private final InputStream in;
    private final XMLStreamReader xml;
    private final DataFormatter formatter = SheetSupport.formatter();
    private long rowNumber;
    private boolean done;

    private SpreadsheetMlRecords(Path file, List<String> sheetNames, int sheetIndex, Map<String, String> formats,
            InputStream in, XMLStreamReader xml) {
        this.file = file;
        this.sheetNames = sheetNames;
        this.sheetName = sheetNames.get(sheetIndex);
        this.formats = formats;
        this.in = in;
        this.xml = xml;
    }

    /** Whether the start of a file is SpreadsheetML: XML naming Excel's spreadsheet namespace. */
    static boolean recognises(byte[] sample, int length) {
        String start = new String(sample, 0, Math.min(length, 4096), StandardCharsets.UTF_8).stripLeading();
        if (start.startsWith("\uFEFF")) {
            start = start.substring(1);
        }
        return start.startsWith("<?xml") && (start.contains(NAMESPACE) || start.contains("progid=\"Excel.Sheet\""));
    }

    static SpreadsheetMlRecords open(Path file, @Nullable String wantedSheet) {
        // a first pass for the sheet names and the number formats of the styles
        List<String> names = new ArrayList<>();
        Map<String, String> formats = new HashMap<>();
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader xml = SafeXml.reader(in);
            String style = null;
            while (xml.hasNext()) {
                if (xml.next() != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                switch (xml.getLocalName()) {
                    case "Style" -> style = attribute(xml, "ID");
                    case "NumberFormat" -> {
                        String format = attribute(xml, "Format");
                        if (style != null && format != null) {
                            formats.put(style, format);
                        }
                    }
                    case "Worksheet" -> {
                        String name = attribute(xml, "Name");
                        names.add(name == null ? "Sheet" + (names.size() + 1) : name);
                    }
                    case "Table" -> SafeXml.skip(xml);
                    default -> { }
                }
            }
            xml.close();
        } catch (XMLStreamException e) {
            throw damaged(file, e);
        } catch (IOException e) {
            throw new FileProblemException(file, null, "cannot be read (" + e.getMessage() + ")", e);
        }
        int index = SheetSupport.choose(file, names, wantedSheet);
        InputStream in = null;
        try {
            in = Files.newInputStream(file);
            XMLStreamReader xml = SafeXml.reader(in);
            int seen = -1;
            while (xml.hasNext()) {
                if (xml.next() == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals("Worksheet") && ++seen == index) {
                    break;
                }
            }
            return new SpreadsheetMlRecords(file, List.copyOf(names), index, formats, in, xml);
        } catch (XMLStreamException e) {
            closeQuietly(in);
            throw damaged(file, e);
        } catch (IOException e) {
            closeQuietly(in);
            throw new FileProblemException(file, null, "cannot be read (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public String sheetName() {
        return sheetName;
    }

    @Override
    public List<String> sheetNames() {
        return sheetNames;
    }

    @Override
    public @Nullable RawRow read() {
        try {
            while (!done && xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("Worksheet")) {
                    done = true;
                } else if (event == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals("Row")) {
                    String index = attribute(xml, "Index");
                    rowNumber = index != null ? index(index, "row index") : rowNumber + 1;
                    List<String> cells = row();
                    SheetSupport.trimTrailingEmpty(cells);
                    if (!cells.isEmpty()) {
                        return new RawRow(rowNumber, cells);
                    }
                }
            }
            return null;
        } catch (XMLStreamException e) {
            throw damaged(file, e);
        }
    }

    /** The cells of the row the reader is at, up to its end. */
    private List<String> row() throws XMLStreamException {
        List<String> cells = new ArrayList<>();
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("Row")) {
                return cells;
            }
            if (event == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals("Cell")) {
                String index = attribute(xml, "Index");
                int column = index != null ? (int) index(index, "cell index") - 1 : cells.size();
                if (column < cells.size() || column >= CsvParser.MAX_COLUMNS) {
                    throw new FileProblemException(file, where(rowNumber), "cell " + (column + 1) + " is out of order or "
                            + "beyond Excel's last column");
                }
                String style = attribute(xml, "StyleID");
                String across = attribute(xml, "MergeAcross");
                while (cells.size() < column) {
                    cells.add("");
                }
                cells.add(cell(style));
                // a cell merged across the next ones: they are empty
                for (long k = across == null || across.strip().equals("0") ? 0 : index(across, "merge");
                        k > 0 && cells.size() < CsvParser.MAX_COLUMNS; k--) {
                    cells.add("");
                }
            }
        }
        return cells;
    }

    /** The text of the cell the reader is at, up to its end: its Data as a person saw it. */
    private String cell(@Nullable String style) throws XMLStreamException {
        String type = null;
        StringBuilder text = new StringBuilder();
        int depth = 0;
        boolean inData = false;
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
                if (xml.getLocalName().equals("Data") && depth == 1) {
                    type = attribute(xml, "Type");
                    inData = true;
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                if (depth == 0) {
                    break; // the Cell's end
                }
                if (depth == 1 && xml.getLocalName().equals("Data")) {
                    inData = false;
                }
                depth--;
            } else if (inData && (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA)) {
                text.append(xml.getText());
                if (text.length() > CsvParser.MAX_CELL) {
                    throw new FileProblemException(file, where(rowNumber), "a cell is longer than "
                            + CsvParser.MAX_CELL + " characters, more than Excel allows");
                }
            }
        }
        return shown(type, text.toString(), style);
    }

    private String shown(@Nullable String type, String value, @Nullable String style) {
        if (type == null || value.isEmpty()) {
            return value;
        }
        return switch (type) {
            case "Number" -> formatted(value, style == null ? null : formats.get(style));
            case "Boolean" -> value.equals("1") || value.equalsIgnoreCase("true") ? "TRUE" : "FALSE";
            case "DateTime" -> date(value);
            default -> value;
        };
    }

    private String formatted(String value, @Nullable String format) {
        if (format == null || format.equalsIgnoreCase("General") || format.equalsIgnoreCase("General Number")) {
            return value;
        }
        try {
            return formatter.formatRawCellContents(Double.parseDouble(value), -1, format);
        } catch (RuntimeException e) {
            return value; // a named format this reader does not know ("Fixed", "Standard"): the number as written
        }
    }

    private static String date(String value) {
        try {
            LocalDateTime time = LocalDateTime.parse(value.endsWith("Z") ? value.substring(0, value.length() - 1) : value);
            String date = time.toLocalDate().toString();
            return time.toLocalTime().toSecondOfDay() == 0 ? date : date + " " + time.toLocalTime().withNano(0);
        } catch (DateTimeParseException e) {
            return value;
        }
    }

    private long index(String text, String what) {
        try {
            long n = Long.parseLong(text.strip());
            if (n >= 1 && n <= 1_048_576) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // said below
        }
        throw new FileProblemException(file, where(rowNumber), "the " + what + " '" + text + "' is not a number Excel uses");
    }

    private static @Nullable String attribute(XMLStreamReader xml, String name) {
        String value = xml.getAttributeValue(NAMESPACE, name);
        return value != null ? value : xml.getAttributeValue(null, name);
    }


    private static FileProblemException damaged(Path file, XMLStreamException e) {
        String where = e.getLocation() != null && e.getLocation().getLineNumber() > 0
                ? "line " + e.getLocation().getLineNumber() + " of the XML" : null;
        String detail = SafeXml.reason(e);
        return new FileProblemException(file, where, "the Excel XML file is damaged and cannot be read (" + detail + ")", e);
    }

    @Override
    public void close() {
        SafeXml.closeQuietly(xml);
        closeQuietly(in);
    }

    private static void closeQuietly(@Nullable InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
