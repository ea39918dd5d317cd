package org.contactbatch.upload;

import java.util.Optional;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The rules for applying a full dry run, for the command line and the console alike: only a dry
 * run that completed, and only once. An upload is one thing whether it ran at once or from a dry
 * run: a file uploaded with the same options (see {@link UploadOptions#uploadKey}) is not uploaded
 * again by applying a dry run of it, nor by running it again after a dry run of it was applied.
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
    private final JdbcClient jdbc;

    public FullDryRuns(JobRepository jobRepository, JdbcClient jdbc) {
        this.jobRepository = jobRepository;
        this.jdbc = jdbc;
    }

    /** The parameters that apply the full dry run of this import, or why it can't be applied. */
    public JobParameters applyParameters(long importId, String by) {
        whyNot(importId).ifPresent(why -> {
            throw new NotApplicable(why);
        });
        JobExecution dryRun = lastExecution(importId).orElseThrow();
        return UploadOptions.applyParameters(dryRun.getJobParameters(), importId, by);
    }

    /** Why the full dry run of this import can't be applied now, or nothing when it can. */
    public Optional<String> whyNot(long importId) {
        Optional<JobExecution> found = lastExecution(importId);
        if (found.isEmpty()) {
            return Optional.of("there is no upload with import id " + importId);
        }
        JobExecution dryRun = found.get();
        if (!UploadOptions.from(dryRun.getJobParameters()).dryRun()) {
            return Optional.of("upload " + importId + " was not a dry run: it was applied as it ran (execution "
                    + dryRun.getId() + ")");
        }
        if (dryRun.getStatus() != BatchStatus.COMPLETED) {
            return Optional.of("the dry run of upload " + importId + " did not complete (execution " + dryRun.getId()
                    + " is " + dryRun.getStatus() + "); only a completed full dry run can be applied");
        }
        JobParameters identity = new JobParametersBuilder().addLong(UploadOptions.IMPORT_ID, importId).toJobParameters();
        JobExecution applied = jobRepository.getLastJobExecution(UploadOptions.APPLY_JOB, identity);
        if (applied != null && applied.getStatus() == BatchStatus.COMPLETED) {
            return Optional.of("upload " + importId + " was applied already (execution " + applied.getId() + ")");
        }
        return uploaded(dryRun.getJobParameters().getString(UploadOptions.UPLOAD_KEY)).map(done -> "upload "
                + importId + " would upload " + UploadOptions.from(dryRun.getJobParameters()).file().getFileName()
                + " a second time with the same options: execution " + done.getId() + " uploaded it already; "
                + "to upload it once more, dry-run it again with --again");
    }

    /**
     * Whether this execution is a completed full dry run not applied yet, nor being applied: the
     * console offers to apply it. (An apply killed mid-way is continued by applying again.)
     */
    public boolean canApply(JobExecution execution) {
        if (!execution.getJobInstance().getJobName().equals(UploadOptions.JOB_NAME)) {
            return false;
        }
        long importId = execution.getJobInstanceId();
        JobExecution applying = jobRepository.getLastJobExecution(UploadOptions.APPLY_JOB,
                new JobParametersBuilder().addLong(UploadOptions.IMPORT_ID, importId).toJobParameters());
        return whyNot(importId).isEmpty() && (applying == null || !applying.getStatus().isRunning());
    }

    /**
     * For an upload about to run: the apply of a full dry run that already made this very upload
     * (the same file and options), which the upload then is instead of running again.
     */
    public Optional<JobExecution> appliedAs(UploadOptions options) {
        return uploaded(options.uploadKey())
                .filter(done -> done.getJobInstance().getJobName().equals(UploadOptions.APPLY_JOB));
    }

    /** The completed upload with this key, run at once or applied from a full dry run. */
    private Optional<JobExecution> uploaded(String uploadKey) {
        if (uploadKey == null) {
            return Optional.empty();
        }
        return jdbc.sql("""
                select e.job_execution_id
                from batch_job_execution_params p
                join batch_job_execution e on e.job_execution_id = p.job_execution_id
                join batch_job_instance i on i.job_instance_id = e.job_instance_id
                where p.parameter_name = :key and p.parameter_value = :value and e.status = 'COMPLETED'
                  and (i.job_name = :apply or (i.job_name = :upload and not exists (
                      select 1 from batch_job_execution_params d
                      where d.job_execution_id = e.job_execution_id and d.parameter_name = :dryRun)))
                order by e.job_execution_id limit 1""")
                .param("key", UploadOptions.UPLOAD_KEY).param("value", uploadKey)
                .param("apply", UploadOptions.APPLY_JOB).param("upload", UploadOptions.JOB_NAME)
                .param("dryRun", UploadOptions.DRY_RUN_AT)
                .query(Long.class).optional()
                .map(jobRepository::getJobExecution);
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
