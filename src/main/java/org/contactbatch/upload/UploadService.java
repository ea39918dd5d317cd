package org.contactbatch.upload;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.contactbatch.config.ContactBatchProperties;
import org.contactbatch.contacts.ColumnMapping;
import org.contactbatch.files.RawRow;
import org.contactbatch.files.RowSource;
import org.contactbatch.files.TabularFiles;
import org.contactbatch.imports.RowRejectedException;
import org.contactbatch.imports.StagedContact;
import org.contactbatch.jobs.JobRequest;
import org.contactbatch.reports.RowIssue;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Uploads for the command line and the console alike: the preview, and what to run for an upload,
 * a full dry run or the apply of one, so both adapters follow the same rules. The preview runs the
 * first rows through the very row rules the job stages with, so what a dry run shows is what the
 * upload will store.
 */
@Service
public class UploadService {

    /** One previewed row: the contact as it would be stored, or the problems it would be rejected for. */
    public record PreviewRow(long line, StagedContact contact, List<RowIssue> rejected) {
    }

    /**
     * What an upload comes to: the job to run, or the execution that made this very upload already by
     * applying a full dry run of it (the same file and options), which the upload then is.
     */
    public record Start(JobRequest run, JobExecution uploadedBefore) {

        public boolean done() {
            return uploadedBefore != null;
        }
    }

    private final ContactBatchProperties properties;
    /** Only for what runs a job: the preview must not start Spring Batch's repository on the command line. */
    private final ObjectProvider<FullDryRuns> fullDryRuns;

    public UploadService(ContactBatchProperties properties, ObjectProvider<FullDryRuns> fullDryRuns) {
        this.properties = properties;
        this.fullDryRuns = fullDryRuns;
    }

    /**
     * The upload of a file with these options, or its full dry run (every row staged, checked and reported; no
     * contact changed), which {@link #apply} then applies as it was checked.
     */
    public Start start(UploadOptions options, boolean fullDryRun) {
        if (fullDryRun) {
            return new Start(new JobRequest(UploadOptions.JOB_NAME,
                    options.asFullDryRun(Instant.now().toString()).toJobParameters()), null);
        }
        Optional<JobExecution> applied = fullDryRuns.getObject().appliedAs(options);
        return applied.map(done -> new Start(null, done))
                .orElseGet(() -> new Start(new JobRequest(UploadOptions.JOB_NAME, options.toJobParameters()), null));
    }

    /** Applies the completed full dry run of this import as it was checked, or says why it can't. */
    public JobRequest apply(long importId, String by) {
        return new JobRequest(UploadOptions.APPLY_JOB, fullDryRuns.getObject().applyParameters(importId, by));
    }

    /** The file's first rows, mapped with {@code mapping}, as the upload would stage them; nothing is written. */
    public List<PreviewRow> preview(UploadOptions options, ColumnMapping mapping, int rows) {
        UploadRowProcessor processor = new UploadRowProcessor(mapping, options.consent(),
                properties.defaultPhoneRegion());
        List<PreviewRow> preview = new ArrayList<>();
        try (RowSource source = TabularFiles.open(options.file(), options.readOptions())) {
            for (RawRow row; preview.size() < rows && (row = source.next()) != null; ) {
                try {
                    preview.add(new PreviewRow(row.line(), processor.process(row), List.of()));
                }
                catch (RowRejectedException rejected) {
                    preview.add(new PreviewRow(row.line(), null, rejected.issues()));
                }
            }
        }
        return preview;
    }
}
