package org.contactbatch.upload;

import java.nio.file.Path;

import org.contactbatch.files.FileProblemException;
import org.contactbatch.imports.ImportReports;
import org.contactbatch.jobs.Failures;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * Writes the failed-rows and warnings reports of an upload, as its last step or when it is
 * stopped by --max-errors, under {@code reports/<job>/<execution id>/}. They are built from what the
 * database holds, so a restarted upload writes the same reports as an uninterrupted one.
 * A file that could not be read gets no reports: its one-line message says it all.
 */
public class UploadReportsListener implements JobExecutionListener {

    private final ImportReports reports;
    private final Path reportsDir;

    public UploadReportsListener(ImportReports reports, Path reportsDir) {
        this.reports = reports;
        this.reportsDir = reportsDir;
    }

    /** Only for an upload stopped by --max-errors: a completed one writes its reports in its last step. */
    @Override
    public void afterJob(JobExecution execution) {
        if (execution.getStatus() != BatchStatus.COMPLETED
                && Failures.find(execution, TooManyRejectedRowsException.class).isPresent()
                && Failures.find(execution, FileProblemException.class).isEmpty()) {
            write(execution);
        }
    }

    public void write(JobExecution execution) {
        UploadOptions options = UploadOptions.from(execution.getJobParameters());
        Path directory = reportsDir.resolve(execution.getJobInstance().getJobName())
                .resolve(Long.toString(execution.getId()));
        reports.issues(execution.getId(), UploadOptions.importId(execution), options.file(), options.readOptions(),
                directory);
    }
}
