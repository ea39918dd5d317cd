package org.contactbatch.reports;

import java.util.Collection;

import javax.sql.DataSource;

import org.contactbatch.db.CopyRows;

/** Records issues of one import in {@code import_issue}, inside the caller's transaction. */
public final class IssueWriter {

    private static final String COPY = "COPY import_issue (import_id, line, severity, column_name, code, message) FROM STDIN";

    private final DataSource dataSource;
    private final long importId;
    private final CopyRows rows = new CopyRows();

    public IssueWriter(DataSource dataSource, long importId) {
        this.dataSource = dataSource;
        this.importId = importId;
    }

    public IssueWriter add(RowIssue issue) {
        rows.number(importId).number(issue.line()).text(String.valueOf(issue.severity().code()))
                .text(issue.column()).text(issue.code()).text(issue.message()).endRow();
        return this;
    }

    public IssueWriter addAll(Collection<RowIssue> issues) {
        issues.forEach(this::add);
        return this;
    }

    public int pending() {
        return rows.rows();
    }

    /** Writes what was added since the last flush. */
    public void flush() {
        rows.copyInto(dataSource, COPY);
    }
}
