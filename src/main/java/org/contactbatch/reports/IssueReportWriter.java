package org.contactbatch.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.contactbatch.contacts.ColumnMapping;
import org.contactbatch.files.CsvTableWriter;
import org.contactbatch.files.RawRow;
import org.contactbatch.files.ReadOptions;
import org.contactbatch.files.RowSource;
import org.contactbatch.files.TabularFiles;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the failed-rows and warnings reports of an import: for each row with issues, the
 * row's original cells as read, then {@code line}, {@code column}, {@code code} and
 * {@code message}. The issues stream from the database in line order while the source file is
 * read once more in the same order, so neither is ever held in memory whole and a report can be
 * written again after a restart with the same result.
 *
 * <p>A failed-rows file uploaded again after fixing comes back here with the report columns
 * already at its end: they are dropped and written afresh.
 */
public class IssueReportWriter {

    public static final String FAILED_ROWS = "failed-rows";
    public static final String WARNINGS = "warnings";
    public static final String FAILED_ROWS_XLSX = "failed-rows-xlsx";

    private final DataSource dataSource;

    public IssueReportWriter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A report file and how many rows it holds. */
    public record Report(String kind, Path path, long rows) {
    }

    public List<Report> write(long importId, Path source, ReadOptions readOptions, Path directory) {
        try {
            Files.createDirectories(directory);
            Path failedPath = directory.resolve(FAILED_ROWS + ".csv");
            Path warningsPath = directory.resolve(WARNINGS + ".csv");
            Path workbookPath = directory.resolve(FAILED_ROWS + ".xlsx");
            try (RowSource rows = TabularFiles.open(source, readOptions);
                 CsvTableWriter failed = new CsvTableWriter(failedPath, ',', true);
                 CsvTableWriter warnings = new CsvTableWriter(warningsPath, ',', true)) {
                List<String> header = originalColumns(rows.header());
                List<String> reportHeader = new ArrayList<>(header);
                reportHeader.addAll(ColumnMapping.REPORT_COLUMNS);
                failed.writeRow(reportHeader);
                warnings.writeRow(reportHeader);
                try (FailedRowsWorkbook workbook = new FailedRowsWorkbook(workbookPath, reportHeader)) {
                    Merge merge = new Merge(rows, header.size(), failed, warnings, workbook);
                    // a cursor streams the issues: it needs a transaction in PostgreSQL
                    new TransactionTemplate(new DataSourceTransactionManager(dataSource)).executeWithoutResult(tx -> {
                        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
                        jdbc.setFetchSize(2000);
                        jdbc.query("""
                                select line, severity, column_name, code, message from import_issue
                                where import_id = ? order by line, severity, column_name nulls first, code""",
                                rs -> {
                                    merge.accept(rs.getLong(1), rs.getString(2).charAt(0), rs.getString(3),
                                            rs.getString(4), rs.getString(5));
                                }, importId);
                    });
                    merge.finish();
                    workbook.complete();
                    return List.of(new Report(FAILED_ROWS, failedPath, merge.failedRows),
                            new Report(WARNINGS, warningsPath, merge.warningRows),
                            new Report(FAILED_ROWS_XLSX, workbookPath,
                                    Math.min(merge.failedRows, FailedRowsWorkbook.MAX_ROWS)));
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not write the reports in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The header without the report columns a failed-rows file brings back with it. */
    private static List<String> originalColumns(List<String> header) {
        int n = header.size();
        int k = ColumnMapping.REPORT_COLUMNS.size();
        if (n > k && header.subList(n - k, n).stream().map(String::trim).toList()
                .equals(ColumnMapping.REPORT_COLUMNS)) {
            return header.subList(0, n - k);
        }
        return header;
    }

    /** Joins the issue stream (ordered by line) with the file's rows (in the same order). */
    private static final class Merge {

        private final RowSource rows;
        private final int width;
        private final CsvTableWriter failed;
        private final CsvTableWriter warnings;
        private final FailedRowsWorkbook workbook;
        private long failedRows;
        private long warningRows;

        private long line = -1;
        private final Group errors = new Group();
        private final Group warned = new Group();
        private RawRow current;

        Merge(RowSource rows, int width, CsvTableWriter failed, CsvTableWriter warnings, FailedRowsWorkbook workbook) {
            this.workbook = workbook;
            this.rows = rows;
            this.width = width;
            this.failed = failed;
            this.warnings = warnings;
        }

        void accept(long issueLine, char severity, String column, String code, String message) {
            if (issueLine != line) {
                flush();
                line = issueLine;
            }
            (severity == 'E' ? errors : warned).add(column, code, message);
        }

        void finish() {
            flush();
        }

        private void flush() {
            if (line < 0 || (errors.isEmpty() && warned.isEmpty())) {
                return;
            }
            List<String> cells = line == 0 ? List.of() : cellsOf(line);
            try {
                if (!errors.isEmpty()) {
                    List<String> row = errors.row(cells, width, line);
                    failed.writeRow(row);
                    workbook.add(row, errors.columns, String.join("; ", errors.messages));
                    failedRows++;
                }
                if (!warned.isEmpty()) {
                    warnings.writeRow(warned.row(cells, width, line));
                    warningRows++;
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            errors.clear();
            warned.clear();
        }

        private List<String> cellsOf(long wanted) {
            while (current == null || current.line() < wanted) {
                current = rows.next();
                if (current == null) {
                    throw new IllegalStateException("line " + wanted + " is no longer in " + rows.description().path()
                            + "; was the file changed while the job ran?");
                }
            }
            return current.line() == wanted ? current.cells() : List.of();
        }
    }

    /** The issues of one row and severity, joined so the row appears once in its report. */
    private static final class Group {
        private final List<String> columns = new ArrayList<>();
        private final List<String> codes = new ArrayList<>();
        private final List<String> messages = new ArrayList<>();

        void add(String column, String code, String message) {
            if (column != null && !columns.contains(column)) {
                columns.add(column);
            }
            codes.add(code);
            messages.add(message);
        }

        boolean isEmpty() {
            return codes.isEmpty();
        }

        void clear() {
            columns.clear();
            codes.clear();
            messages.clear();
        }

        List<String> row(List<String> cells, int width, long line) {
            List<String> row = new ArrayList<>(width + 4);
            for (int i = 0; i < width; i++) {
                row.add(i < cells.size() ? cells.get(i) : "");
            }
            row.add(line == 0 ? "" : Long.toString(line));
            row.add(String.join("; ", columns));
            row.add(String.join("; ", codes));
            row.add(String.join("; ", messages));
            return row;
        }
    }
}
