package org.contactbatch.imports;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import javax.sql.DataSource;

import org.contactbatch.db.CopyRows;
import org.contactbatch.files.RawRow;
import org.contactbatch.reports.IssueWriter;
import org.contactbatch.reports.RowIssue;
import org.springframework.batch.core.listener.SkipListener;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Writes a chunk of checked rows into {@code staged_contact} with COPY, together with the
 * warnings of those rows and the issues of the rows the processor rejected in the same chunk.
 * Everything lands in the chunk's transaction, so after a crash a chunk is either wholly staged
 * and counted, or read again.
 */
public class StagingWriter implements ItemWriter<StagedContact>, SkipListener<RawRow, StagedContact> {

    private static final String COPY = "COPY staged_contact (import_id, line, contact_id, file_version, email, phone,"
            + " phone_e164, first_name,"
            + " last_name, company, job_title, street, city, region, postal_code, country, lifecycle_stage, owner,"
            + " legal, groups, tags, custom_fields, consent_state) FROM STDIN";

    private final DataSource dataSource;
    private final long importId;
    private final CopyRows rows = new CopyRows();
    private final IssueWriter issues;
    /** rejected rows' issues, handed over by the threads that process rows concurrently */
    private final Queue<RowIssue> rejected = new ConcurrentLinkedQueue<>();

    public StagingWriter(DataSource dataSource, long importId) {
        this.dataSource = dataSource;
        this.importId = importId;
        this.issues = new IssueWriter(dataSource, importId);
    }

    /**
     * Called for each rejected row, on the thread that processed it; the issues are sent with the
     * chunk's write, in the chunk's transaction. Spring Batch calls the writer for every chunk it
     * read, even one whose rows were all rejected.
     */
    @Override
    public void onSkipInProcess(RawRow row, Throwable cause) {
        if (cause instanceof RowRejectedException rejection) {
            rejected.addAll(rejection.issues());
        }
    }

    @Override
    public void write(Chunk<? extends StagedContact> chunk) {
        for (StagedContact c : chunk) {
            rows.number(importId).number(c.line()).number(c.contactId()).number(c.fileVersion()).text(c.email()).text(c.phone()).text(c.phoneE164())
                    .text(c.firstName()).text(c.lastName()).text(c.company()).text(c.jobTitle()).text(c.street())
                    .text(c.city()).text(c.region()).text(c.postalCode()).text(c.country()).text(c.lifecycleStage())
                    .text(c.owner()).bool(c.legal()).array(c.groups()).array(c.tags()).json(c.customFields())
                    .text(c.consentState()).endRow();
            issues.addAll(c.warnings());
        }
        for (RowIssue issue; (issue = rejected.poll()) != null; ) {
            issues.add(issue);
        }
        rows.copyInto(dataSource, COPY);
        issues.flush();
    }
}
