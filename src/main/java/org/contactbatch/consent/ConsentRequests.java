package org.contactbatch.consent;

import java.time.Instant;
import java.util.Optional;

import org.contactbatch.jobs.JobRunner;
import org.contactbatch.upload.UploadOptions;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.dao.EmptyResultDataAccessException;
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
    private final JobRepository jobRepository;

    public ConsentRequests(JobRunner runner, @Qualifier(ConsentRequestOptions.JOB_NAME) Job consentRequest,
            JobRepository jobRepository) {
        this.runner = runner;
        this.consentRequest = consentRequest;
        this.jobRepository = jobRepository;
    }

    /**
     * Asks the pending contacts of an upload (again: continues, or finds finished, the run that did). Only an
     * upload that is done: a completed upload, or a full dry run whose apply completed; asking earlier would
     * finish the request before the contacts are there, and the upload's own ask would then find it done.
     */
    public JobRunner.Launch ask(long uploadId, String by) throws Exception {
        whyNotAsk(uploadId).ifPresent(why -> {
            throw new IllegalArgumentException(why);
        });
        return runner.run(consentRequest, ConsentRequestOptions.request(uploadId, by).toJobParameters());
    }

    /** Why the contacts of this import can't be asked (yet), or nothing when they can. */
    Optional<String> whyNotAsk(long importId) {
        JobInstance upload;
        try {
            upload = jobRepository.getJobInstance(importId);
        }
        catch (EmptyResultDataAccessException unknown) {
            upload = null;
        }
        JobExecution last = upload == null || !upload.getJobName().equals(UploadOptions.JOB_NAME) ? null
                : jobRepository.getLastJobExecution(upload);
        if (last == null) {
            return Optional.of("there is no upload with import id " + importId);
        }
        if (UploadOptions.from(last.getJobParameters()).dryRun()) {
            JobExecution applied = jobRepository.getLastJobExecution(UploadOptions.APPLY_JOB, new JobParametersBuilder()
                    .addLong(UploadOptions.IMPORT_ID, importId).toJobParameters());
            if (applied == null) {
                return Optional.of("upload " + importId + " is a full dry run: it changed no contact, so there is nobody "
                        + "to ask; apply it with 'upload --apply " + importId + "', which asks its contacts");
            }
            last = applied;
        }
        if (last.getStatus() != BatchStatus.COMPLETED) {
            return Optional.of("upload " + importId + " did not complete (execution " + last.getId() + " is "
                    + last.getStatus() + "): finish it first ('jobs restart " + last.getId() + "'), which then asks "
                    + "its contacts");
        }
        return Optional.empty();
    }

    /** Sends the reminders due now and expires the requests nobody answered in time. */
    public JobRunner.Launch remind(String by) throws Exception {
        return runner.run(consentRequest, ConsentRequestOptions.remind(Instant.now(), by).toJobParameters());
    }

    /** Both launches of an upload that asks for consent: the upload's, and the request's when the upload completed. */
    public record Uploaded(JobRunner.Launch upload, JobRunner.Launch request) {
    }

    public Uploaded uploadThenAsk(JobRunner.Launch upload, UploadOptions options) throws Exception {
        if (!options.asksConsent() || upload.execution().getStatus() != BatchStatus.COMPLETED) {
            return new Uploaded(upload, null);
        }
        // the import's id: for the apply of a full dry run, the dry run's
        return new Uploaded(upload, ask(UploadOptions.importId(upload.execution()), options.by()));
    }

    /**
     * Continues a failed or stopped execution of any job, as {@code jobs restart} and the console's restart do;
     * an upload (or an apply) with {@code --consent request} then asks its contacts, as when it ran at once.
     */
    public Uploaded restartThenAsk(long executionId) throws Exception {
        JobRunner.Launch launch = runner.restart(executionId);
        String job = launch.execution().getJobInstance().getJobName();
        if (!job.equals(UploadOptions.JOB_NAME) && !job.equals(UploadOptions.APPLY_JOB)) {
            return new Uploaded(launch, null);
        }
        return uploadThenAsk(launch, UploadOptions.from(launch.execution().getJobParameters()));
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
