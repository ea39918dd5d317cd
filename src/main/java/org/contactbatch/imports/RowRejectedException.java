package org.contactbatch.imports;

import java.util.List;

import org.contactbatch.files.RawRow;
import org.contactbatch.reports.RowIssue;

/**
 * A row broke a row rule. The step skips it (it is never fatal) and its issues go to the
 * failed-rows report; the exception carries every problem of the row, so a person can fix
 * them all in one pass.
 */
public class RowRejectedException extends RuntimeException {

    private final transient RawRow row;
    private final transient List<RowIssue> issues;

    public RowRejectedException(RawRow row, List<RowIssue> issues) {
        super("line " + row.line() + ": " + issues.get(0).message(), null, false, false);
        this.row = row;
        this.issues = List.copyOf(issues);
    }

    public RawRow row() {
        return row;
    }

    public List<RowIssue> issues() {
        return issues;
    }
}
