package org.contactbatch.imports;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.contactbatch.files.ReadOptions;
import org.contactbatch.reports.IssueReportWriter;
import org.contactbatch.reports.JobReports;
import org.contactbatch.reports.QueryReportWriter;
import org.springframework.stereotype.Component;

/**
 * The reports of an import, written from what the database holds about it, so a restarted job
 * writes the same bytes as one that ran through; each is registered with the execution that
 * wrote it, so the command line and the console list and serve it.
 */
@Component
public class ImportReports {

    /** The report kind of the per-field change report. */
    public static final String CHANGES = "changes";

    private final IssueReportWriter issues;
    private final QueryReportWriter queries;
    private final JobReports jobReports;

    public ImportReports(DataSource dataSource, JobReports jobReports) {
        this.issues = new IssueReportWriter(dataSource);
        this.queries = new QueryReportWriter(dataSource);
        this.jobReports = jobReports;
    }

    /** The failed-rows and warnings reports, with the rows of the file they came from. */
    public void issues(long executionId, long importId, Path file, ReadOptions readOptions, Path directory) {
        for (IssueReportWriter.Report report : issues.write(importId, file, readOptions, directory)) {
            jobReports.register(executionId, report.kind(), report.path(), report.rows());
        }
    }

    /** {@code changes.csv}: every field a row changes, from what to what. */
    public void changes(long executionId, long importId, Path directory) {
        query(executionId, CHANGES, directory.resolve(CHANGES + ".csv"),
                List.of("line", "id", "field", "old value", "new value"), """
                        select line, contact_id, field, old_value, new_value from import_change
                        where import_id = :id order by line, field""", importId);
    }

    /** A CSV report of a query about the import (its {@code :id}), registered as {@code kind}. */
    public void query(long executionId, String kind, Path file, List<String> header, String sql, long importId) {
        long rows = queries.write(file, header, sql, Map.of("id", importId));
        jobReports.register(executionId, kind, file, rows);
    }
}
