package org.contactbatch.jobs;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.configuration.JobRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobExecutionNotRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Service;

/**
 * Which job executions may be restarted or stopped now, and the words for why not: the one set of rules
 * behind {@code jobs restart|stop} and the console's Restart and Stop buttons, so that the two never offer
 * different things nor answer in different words.
 *
 * <p>A restart continues a job instance from its last committed chunk; of the executions of one instance only
 * the latest is restarted, and an earlier one's restart is refused with the latest's id: one execution to act
 * on, which the summary names ("Continue it with: … jobs restart ID") and whose page has the button.
 */
@Service
public class ExecutionControl {

    /**
     * What may be done with one execution now.
     *
     * @param alive      it runs, in a live process
     * @param dead       the repository says it runs, but the process running it died (killed or crashed)
     * @param canRestart it failed, stopped or was killed, and is the latest execution of its job instance
     * @param canStop    it may be asked to stop
     */
    public record State(boolean alive, boolean dead, boolean canRestart, boolean canStop) {
    }

    /** The job and its execution that a restart continues. */
    public record Restart(Job job, JobExecution execution) {
    }

    /**
     * The execution can't be restarted or stopped; the message says why, for people. An
     * {@link IllegalArgumentException}: the id given is the problem, which the command line answers as bad
     * usage (exit 2) and the console shows as it is.
     */
    public static class Refused extends IllegalArgumentException {
        public Refused(String message) {
            super(message);
        }
    }

    private final JobRepository jobRepository;
    private final JobOperator jobOperator;
    private final JobLiveness liveness;
    private final JobRegistry jobs;

    public ExecutionControl(JobRepository jobRepository, JobOperator jobOperator, JobLiveness liveness,
            JobRegistry jobs) {
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
        this.liveness = liveness;
        this.jobs = jobs;
    }

    /** What may be done with the execution now: the console's buttons. */
    public State state(JobExecution execution) {
        boolean alive = alive(execution);
        boolean dead = execution.getStatus().isRunning() && !alive;
        BatchStatus status = execution.getStatus();
        boolean restartable = status == BatchStatus.FAILED || status == BatchStatus.STOPPED || dead;
        return new State(alive, dead, restartable && latest(execution).getId() == execution.getId(),
                alive && (status == BatchStatus.STARTED || status == BatchStatus.STARTING));
    }

    /**
     * What a restart of this execution continues, or {@link Refused} with the reason. A completed instance and
     * one that runs are not refused here: {@link JobRunner#run} answers "completed before" and "still running"
     * for them as it does for every launch.
     */
    public Restart restart(long executionId) {
        JobExecution execution = find(executionId);
        String name = execution.getJobInstance().getJobName();
        Job job = jobs.getJob(name);
        if (job == null) {
            throw new Refused("execution " + executionId + " belongs to job '" + name
                    + "', which this version does not have");
        }
        JobExecution latest = latest(execution);
        if (latest.getId() != executionId) {
            throw new Refused("execution " + executionId + " was followed by execution " + latest.getId() + " ("
                    + latest.getStatus() + "); restart that one");
        }
        if (execution.getStatus() == BatchStatus.ABANDONED) {
            throw new Refused("execution " + executionId + " was abandoned: an abandoned run is not continued");
        }
        if (execution.getStatus() == BatchStatus.UNKNOWN) {
            // Spring Batch refuses it too, in words about its internals: a failure it could not roll back
            throw new Refused("execution " + executionId + " ended UNKNOWN (a failure that could not be rolled "
                    + "back): continuing it may be unsafe, so it is not continued");
        }
        return new Restart(job, execution);
    }

    /** Asks a running execution to stop after its current chunk; gives what to tell, or {@link Refused}. */
    public String stop(long executionId) {
        JobExecution execution = find(executionId);
        BatchStatus status = execution.getStatus();
        if (!status.isRunning()) {
            throw notRunning(execution);
        }
        if (!liveness.isAlive(executionId)) {
            // asking would only mark it STOPPING in the repository: nobody is left to stop it
            throw new Refused("execution " + executionId + " is not running: the process running it has died "
                    + "(killed or crashed); restart it to continue from its last committed chunk");
        }
        if (status == BatchStatus.STOPPING) {
            return "Execution " + executionId + " was asked to stop already; it stops after its current chunk.";
        }
        try {
            jobOperator.stop(execution);
        }
        catch (JobExecutionNotRunningException endedMeanwhile) {
            throw notRunning(find(executionId));
        }
        return "Asked execution " + executionId + " to stop; it stops after its current chunk. "
                + "Restart it later to continue.";
    }

    /** The execution with this id, or {@link Refused} saying there is none. */
    public JobExecution find(long executionId) {
        return JobRunner.find(jobRepository, executionId)
                .orElseThrow(() -> new Refused("there is no job execution " + executionId));
    }

    private static Refused notRunning(JobExecution execution) {
        return new Refused("execution " + execution.getId() + " is not running (" + execution.getStatus() + ")");
    }

    private boolean alive(JobExecution execution) {
        return execution.getStatus().isRunning() && liveness.isAlive(execution.getId());
    }

    private JobExecution latest(JobExecution execution) {
        JobExecution last = jobRepository.getLastJobExecution(execution.getJobInstance());
        return last == null ? execution : last;
    }
}
