package org.contactbatch.web;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.contactbatch.consent.ConsentRequests;
import org.contactbatch.jobs.ExecutionControl;
import org.contactbatch.jobs.ExecutionQueries;
import org.contactbatch.jobs.JobRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.core.task.AsyncTaskExecutor;

/**
 * Starts jobs for the console without making the request wait for them: the job runs on the
 * console's own threads, through the same {@link JobRunner} as the command line (so a killed run
 * is continued, a running one is not started twice, a completed one is not run again), and the
 * request waits only until the job's execution exists, to send the browser to its page.
 */
public class ConsoleJobs {

    private static final Logger log = LoggerFactory.getLogger(ConsoleJobs.class);

    /** What became of a start: the execution to show, and what to tell. */
    public record Started(long executionId, JobRunner.Outcome outcome) {
    }

    /** The start could not happen; the message says why, for people. */
    public static class NotStarted extends RuntimeException {
        public NotStarted(String message) {
            super(message);
        }
    }

    private final AsyncTaskExecutor executor;
    private final JobRunner runner;
    private final JobRepository jobRepository;
    private final ExecutionQueries queries;
    private final ConsentRequests consentRequests;
    private final ExecutionControl control;
    private final long waitMillis;
    private final Set<String> launching = ConcurrentHashMap.newKeySet();

    public ConsoleJobs(AsyncTaskExecutor executor, JobRunner runner, JobRepository jobRepository,
            ExecutionQueries queries, ConsentRequests consentRequests, ExecutionControl control, long waitMillis) {
        this.executor = executor;
        this.runner = runner;
        this.jobRepository = jobRepository;
        this.queries = queries;
        this.consentRequests = consentRequests;
        this.control = control;
        this.waitMillis = waitMillis;
    }

    /** Runs the job with these parameters (or continues its interrupted run) in the background. */
    public Started run(Job job, JobParameters parameters) {
        return launch(job.getName(), parameters, () -> runner.run(job, parameters));
    }

    /**
     * Continues a failed, stopped or killed execution in the background; an upload with {@code --consent request}
     * then asks its contacts, as when it ran at once.
     */
    public Started restart(long executionId) {
        ExecutionControl.Restart restart;
        try {
            restart = control.restart(executionId);
        }
        catch (ExecutionControl.Refused e) {
            throw new NotStarted(e.getMessage());
        }
        return launch(restart.job().getName(), restart.execution().getJobParameters(),
                () -> consentRequests.restartThenAsk(executionId).upload());
    }

    /** What starts a job and blocks until it ends, as the command line runs it. */
    public interface Work {
        JobRunner.Launch call() throws Exception;
    }

    /**
     * Runs a job the way another feature launches it (which chooses the parameters itself) in the
     * background; the request waits for the job's next execution to exist.
     */
    public Started launch(String jobName, Work work) {
        long before = queries.newestExecution(jobName);
        return launch(jobName, "any", work, () -> {
            long now = queries.newestExecution(jobName);
            return now > before ? now : null;
        }, false);
    }

    private Started launch(String jobName, JobParameters parameters, Work work) {
        JobExecution before = jobRepository.getLastJobExecution(jobName, parameters);
        String key = parameters.getIdentifyingParameters().stream().map(p -> p.name() + "=" + p.value()).sorted()
                .toList().toString();
        return launch(jobName, key, work, () -> {
            JobExecution now = jobRepository.getLastJobExecution(jobName, parameters);
            return now != null && (before == null || now.getId() > before.getId()) ? now.getId() : null;
        }, before != null);
    }

    private Started launch(String jobName, String parametersKey, Work work, Supplier<Long> newExecution,
            boolean ranBefore) {
        String key = jobName + parametersKey;
        if (!launching.add(key)) {
            throw new NotStarted(Formats.jobTitle(jobName) + " with these parameters was started from the console "
                    + "already and has not finished");
        }
        boolean handedOver = false;
        try {
            CompletableFuture<JobRunner.Launch> future = new CompletableFuture<>();
            executor.execute(() -> {
                try {
                    future.complete(work.call());
                }
                catch (Throwable e) {
                    future.completeExceptionally(e);
                    log.warn("{} did not start or failed to run", jobName, e);
                }
                finally {
                    launching.remove(key);
                }
            });
            handedOver = true;
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
            while (System.nanoTime() < deadline) {
                try {
                    JobRunner.Launch done = future.get(50, TimeUnit.MILLISECONDS);
                    return new Started(done.execution().getId(), done.outcome());
                }
                catch (TimeoutException stillRunning) {
                    Long created = newExecution.get();
                    if (created != null) {
                        return new Started(created, ranBefore ? JobRunner.Outcome.RESTARTED : JobRunner.Outcome.STARTED);
                    }
                }
                catch (ExecutionException e) {
                    throw new NotStarted(message(e.getCause()));
                }
            }
            throw new NotStarted(Formats.jobTitle(jobName) + " is waiting for other jobs started here to finish; "
                    + "it will appear in the list when it starts");
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotStarted("interrupted while starting " + jobName);
        }
        finally {
            if (!handedOver) {
                launching.remove(key);
            }
        }
    }

    private static String message(Throwable e) {
        Throwable t = e;
        while (!(t instanceof JobRunner.AlreadyRunningException || t instanceof IllegalArgumentException)
                && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
