package org.contactbatch.files;

/** What a file is, judged by its content rather than its name. */
public enum FileKind {
    /** Any delimited text: .csv, .tsv, .txt. */
    CSV,
    /** Excel 2007+ workbook (Office Open XML). */
    XLSX,
    /** Excel 97-2003 workbook (BIFF8 in an OLE2 container). */
    XLS,
    /** Excel 2003 XML (SpreadsheetML), saved as .xml or .xls. */
    XML_SPREADSHEET,
    /** OpenDocument spreadsheet (.ods). */
    ODS,
    /** The first table of a web page, as old systems' "export to Excel" saves it as .xls. */
    HTML_TABLE
}
