package org.contactbatch.files;

/** What a file is, judged by its content rather than its name. */
public enum FileKind {
    /** Any delimited text: .csv, .tsv, .txt. */
    CSV("CSV"),
    /** Excel 2007+ workbook (Office Open XML). */
    XLSX("XLSX"),
    /** Excel 97-2003 workbook (BIFF8 in an OLE2 container). */
    XLS("XLS"),
    /** Excel 2003 XML (SpreadsheetML), saved as .xml or .xls. */
    XML_SPREADSHEET("Excel 2003 XML"),
    /** OpenDocument spreadsheet (.ods). */
    ODS("OpenDocument spreadsheet"),
    /** The first table of a web page, as old systems' "export to Excel" saves it as .xls. */
    HTML_TABLE("HTML table");

    private final String label;

    FileKind(String label) {
        this.label = label;
    }

    /** How the file is named to a person: "CSV", "Excel 2003 XML". */
    public String label() {
        return label;
    }
}
