package org.contactbatch.consent;

import java.time.Instant;

import org.contactbatch.jobs.JobRunner;
import org.contactbatch.upload.UploadOptions;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * Starts consent request runs, for the command line and the console alike: after an upload with
 * {@code --consent request}, the run that asks its pending contacts; on demand (or from cron), the run that
 * sends the reminders due and expires what nobody answered.
 */
@Service
public class ConsentRequests {

    private final JobRunner runner;
    private final Job consentRequest;

    public ConsentRequests(JobRunner runner, @Qualifier(ConsentRequestOptions.JOB_NAME) Job consentRequest) {
        this.runner = runner;
        this.consentRequest = consentRequest;
    }

    /** Asks the pending contacts of an upload (again: continues, or finds finished, the run that did). */
    public JobRunner.Launch ask(long uploadId, String by) throws Exception {
        return runner.run(consentRequest, ConsentRequestOptions.request(uploadId, by).toJobParameters());
    }

    /** Sends the reminders due now and expires the requests nobody answered in time. */
    public JobRunner.Launch remind(String by) throws Exception {
        return runner.run(consentRequest, ConsentRequestOptions.remind(Instant.now(), by).toJobParameters());
    }

    /** Both launches of an upload that asks for consent: the upload's, and the request's when the upload completed. */
    public record Uploaded(JobRunner.Launch upload, JobRunner.Launch request) {
    }

    public Uploaded uploadThenAsk(JobRunner.Launch upload, UploadOptions options) throws Exception {
        if (!options.requestConsent() || options.dryRun() || upload.execution().getStatus() != BatchStatus.COMPLETED) {
            return new Uploaded(upload, null);
        }
        // the import's id: for the apply of a full dry run, the dry run's
        return new Uploaded(upload, ask(UploadOptions.importId(upload.execution()), options.by()));
    }

    /**
     * The console's way: runs the upload (or the apply of a full dry run), then its request; returns
     * the upload's launch.
     */
    public JobRunner.Launch runThenAsk(Job upload, JobParameters parameters) throws Exception {
        JobRunner.Launch launch = runner.run(upload, parameters);
        return uploadThenAsk(launch, UploadOptions.from(launch.execution().getJobParameters())).upload();
    }
}
