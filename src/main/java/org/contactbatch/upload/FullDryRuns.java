package org.contactbatch.upload;

import java.util.Optional;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.stereotype.Service;

/**
 * The rules for applying a full dry run, for the command line and the console alike: only a dry
 * run that completed, and only once.
 */
@Service
public class FullDryRuns {

    /** Why an import can't be applied, for people. */
    public static class NotApplicable extends IllegalArgumentException {
        NotApplicable(String message) {
            super(message);
        }
    }

    private final JobRepository jobRepository;

    public FullDryRuns(JobRepository jobRepository) {
        this.jobRepository = jobRepository;
    }

    /** The parameters that apply the full dry run of this import, or why it can't be applied. */
    public JobParameters applyParameters(long importId, String by) {
        JobExecution dryRun = lastExecution(importId)
                .orElseThrow(() -> new NotApplicable("there is no upload with import id " + importId));
        if (!UploadOptions.from(dryRun.getJobParameters()).dryRun()) {
            throw new NotApplicable("upload " + importId + " was not a dry run: it was applied as it ran (execution "
                    + dryRun.getId() + ")");
        }
        if (dryRun.getStatus() != BatchStatus.COMPLETED) {
            throw new NotApplicable("the dry run of upload " + importId + " did not complete (execution "
                    + dryRun.getId() + " is " + dryRun.getStatus() + "); only a completed full dry run can be applied");
        }
        JobParameters identity = new JobParametersBuilder().addLong(UploadOptions.IMPORT_ID, importId).toJobParameters();
        JobExecution applied = jobRepository.getLastJobExecution(UploadOptions.APPLY_JOB, identity);
        if (applied != null && applied.getStatus() == BatchStatus.COMPLETED) {
            throw new NotApplicable("upload " + importId + " was applied already (execution " + applied.getId() + ")");
        }
        return UploadOptions.applyParameters(dryRun.getJobParameters(), importId, by);
    }

    /** Whether this execution is a completed full dry run not applied yet: the console offers to apply it. */
    public boolean canApply(JobExecution execution) {
        if (!execution.getJobInstance().getJobName().equals(UploadOptions.JOB_NAME)) {
            return false;
        }
        try {
            applyParameters(execution.getJobInstanceId(), "anyone");
            return true;
        }
        catch (NotApplicable no) {
            return false;
        }
    }

    private Optional<JobExecution> lastExecution(long importId) {
        try {
            JobInstance instance = jobRepository.getJobInstance(importId);
            if (instance == null || !instance.getJobName().equals(UploadOptions.JOB_NAME)) {
                return Optional.empty();
            }
            return Optional.ofNullable(jobRepository.getLastJobExecution(instance));
        }
        catch (EmptyResultDataAccessException unknown) {
            return Optional.empty();
        }
    }
}
