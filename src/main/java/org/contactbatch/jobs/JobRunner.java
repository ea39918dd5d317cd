package org.contactbatch.jobs;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Service;

/**
 * Starts jobs so that giving the same command again does the right thing: continue an upload
 * that was interrupted (even by {@code kill -9}), refuse to run one twice at once, and say so
 * when it already completed.
 */
@Service
public class JobRunner {

    /** How a launch went. */
    public enum Outcome {
        /** a new run */
        STARTED,
        /** an interrupted or failed run, continued from its last committed chunk */
        RESTARTED,
        /** it had completed before; nothing was done */
        ALREADY_COMPLETED
    }

    public record Launch(JobExecution execution, Outcome outcome) {
    }

    /** How a command launches its job. */
    @FunctionalInterface
    public interface Launcher {
        Launch launch(JobRunner runner, Job job) throws Exception;
    }

    /** The execution runs in a live process. */
    public static class AlreadyRunningException extends RuntimeException {
        public AlreadyRunningException(JobExecution execution) {
            super(execution.getJobInstance().getJobName() + " execution " + execution.getId()
                    + " is still running (started " + execution.getStartTime() + "); wait for it or stop it with: jobs stop "
                    + execution.getId());
        }
    }

    private final JobRepository jobRepository;
    private final JobOperator jobOperator;
    private final JobLiveness liveness;
    private final ExecutionControl control;

    public JobRunner(JobRepository jobRepository, JobOperator jobOperator, JobLiveness liveness,
            ExecutionControl control) {
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
        this.liveness = liveness;
        this.control = control;
    }

    /** Runs the job with these parameters, or continues the run that has them. Blocks until it ends. */
    public Launch run(Job job, JobParameters parameters) throws Exception {
        JobExecution last = jobRepository.getLastJobExecution(job.getName(), parameters);
        if (last != null && last.getStatus() == BatchStatus.COMPLETED) {
            return new Launch(last, Outcome.ALREADY_COMPLETED);
        }
        if (last != null) {
            recoverIfDead(last);
        }
        JobExecution execution = jobOperator.start(job, parameters);
        return new Launch(execution, last == null ? Outcome.STARTED : Outcome.RESTARTED);
    }

    /** Continues a failed, stopped or killed execution of any job; refused as {@link ExecutionControl} says. */
    public Launch restart(long executionId) throws Exception {
        ExecutionControl.Restart restart = control.restart(executionId);
        return run(restart.job(), restart.execution().getJobParameters());
    }

    /** The execution with this id; Spring Batch 6 throws for an unknown id where it used to return null. */
    public static java.util.Optional<JobExecution> find(JobRepository jobRepository, long executionId) {
        try {
            return java.util.Optional.ofNullable(jobRepository.getJobExecution(executionId));
        }
        catch (org.springframework.dao.EmptyResultDataAccessException unknown) {
            return java.util.Optional.empty();
        }
    }

    private void recoverIfDead(JobExecution last) {
        if (!last.getStatus().isRunning()) {
            return;
        }
        if (liveness.isAlive(last.getId())) {
            throw new AlreadyRunningException(last);
        }
        jobOperator.recover(last);
    }
}
