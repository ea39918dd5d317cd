package org.contactbatch.constantcontact.push;

import java.time.Instant;
import java.util.Optional;

import org.contactbatch.constantcontact.auth.DisconnectService;
import org.contactbatch.jobs.JobRunner;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Starts pushes and pulls, one at a time per profile (or managed list) across all processes. Giving the
 * same push again continues the last run with the same options when that one did not complete (killed,
 * failed, stopped by the daily quota); otherwise it is a new run. A completed run is never run again.
 */
@Service
public class PushLauncher {

    private final JobRunner runner;
    private final Job push;
    private final Job pull;
    private final Job audit;
    private final RunLocks locks;
    private final JdbcClient jdbc;
    private final JobRepository jobRepository;
    private final DisconnectService disconnects;

    public PushLauncher(JobRunner runner, @Qualifier("ccPush") Job ccPush, @Qualifier("ccPull") Job ccPull,
            @Qualifier("ccAudit") Job ccAudit, RunLocks locks, JdbcClient jdbc, JobRepository jobRepository,
            DisconnectService disconnects) {
        this.runner = runner;
        this.push = ccPush;
        this.pull = ccPull;
        this.audit = ccAudit;
        this.locks = locks;
        this.jdbc = jdbc;
        this.jobRepository = jobRepository;
        this.disconnects = disconnects;
    }

    public JobRunner.Launch push(PushOptions options) throws Exception {
        disconnects.requireConnected(); // a disconnected account is refused before any run is recorded
        try (RunLocks.Held held = locks.acquire(options.lockName())) {
            JobParameters parameters = unfinished(PushOptions.JOB_NAME, options.toJson()).map(options::continuing)
                    .orElseGet(() -> options.toJobParameters(Instant.now()));
            return runner.run(push, parameters);
        }
    }

    /** The audit of these options' selection: read-only, so it takes no lock; an unfinished one continues. */
    public JobRunner.Launch audit(PushOptions options) throws Exception {
        disconnects.requireConnected();
        PushOptions dry = options.withDryRun(true);
        JobParameters parameters = unfinished(PushJobConfiguration.AUDIT_JOB, dry.toJson()).map(dry::continuing)
                .orElseGet(() -> dry.toJobParameters(Instant.now()));
        return runner.run(audit, parameters);
    }

    /** The pull of the unsubscribes alone. */
    public JobRunner.Launch pull() throws Exception {
        return pull(new PullOptions(null, null, null, false));
    }

    /**
     * A pull: the unsubscribes, and with a profile the contacts the account created, changed or deleted since the
     * profile's last pull. Locked like the profile's push, so the two never overlap; an unfinished pull with the same
     * options continues.
     */
    public JobRunner.Launch pull(PullOptions options) throws Exception {
        disconnects.requireConnected();
        try (RunLocks.Held held = locks.acquire(options.lockName())) {
            Optional<JobParameters> unfinished = unfinished(PushJobConfiguration.PULL_JOB, options.toParameter());
            if (unfinished.isEmpty() && options.profile() != null && PullReadTasklet.start(jdbc, options).isEmpty()) {
                throw new org.contactbatch.constantcontact.SetupException("the first pull of profile '" + options.profile()
                        + "' needs a date to start from, so an account with years of history is not pulled whole by "
                        + "accident: add since: YYYY-MM-DD to the profile or give --since DATE");
            }
            return runner.run(pull, unfinished.map(options::continuing)
                    .orElseGet(() -> options.toJobParameters(Instant.now())));
        }
    }

    /**
     * What the profile's direction says: its push, its pull, or for both the pull then the push (the push only when
     * the pull completed, so a stopped pull is continued before anything is sent). The launches in order.
     */
    public java.util.List<JobRunner.Launch> sync(SyncProfile profile, Instant since) throws Exception {
        java.util.List<JobRunner.Launch> launches = new java.util.ArrayList<>();
        PullOptions pullOptions = PullOptions.of(profile, since);
        if (profile.direction().pulls()) {
            JobRunner.Launch pulled = pull(pullOptions);
            launches.add(pulled);
            if (pulled.execution().getStatus() != BatchStatus.COMPLETED) {
                return launches;
            }
        }
        if (profile.direction().pushes()) {
            JobRunner.Launch pushed = push(profile.options());
            launches.add(pushed);
            if (profile.direction().pulls() && pushed.execution().getStatus() == BatchStatus.COMPLETED
                    && !profile.options().dryRun()) {
                PullFinishTasklet.passOwnWrites(jdbc, pullOptions, pushed.execution().getJobInstanceId());
            }
        }
        return launches;
    }

    /** The parameters of the last run with these options, when it did not complete. */
    private Optional<JobParameters> unfinished(String job, String options) {
        Optional<Long> last = jdbc.sql("""
                select e.job_execution_id from batch_job_execution e
                join batch_job_instance i on i.job_instance_id = e.job_instance_id
                join batch_job_execution_params p on p.job_execution_id = e.job_execution_id and p.parameter_name = :name
                where i.job_name = :job and p.parameter_value = :options
                order by e.job_execution_id desc limit 1""")
                .param("name", PushOptions.OPTIONS).param("job", job).param("options", options)
                .query(Long.class).optional();
        if (last.isEmpty()) {
            return Optional.empty();
        }
        JobExecution execution = jobRepository.getJobExecution(last.get());
        if (execution == null || execution.getStatus() == BatchStatus.COMPLETED
                || execution.getStatus() == BatchStatus.ABANDONED) {
            return Optional.empty();
        }
        return Optional.of(execution.getJobParameters());
    }
}
