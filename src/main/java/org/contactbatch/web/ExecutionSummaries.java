package org.contactbatch.web;

import java.time.LocalDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.contactbatch.jobs.Failures;
import org.contactbatch.jobs.JobRunner;
import org.contactbatch.jobs.JobSummaries;
import org.contactbatch.jobs.JobSummarizer;
import org.contactbatch.jobs.JobSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

/**
 * The counts of an execution as the command line prints them: each job's own {@link JobSummarizer}
 * (read, written, skipped, warnings and the job's own counts), or, for a job that has none, the
 * sums of its steps. A finished execution's summary is kept, so list pages stay quick.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ExecutionSummaries {

    private static final Logger log = LoggerFactory.getLogger(ExecutionSummaries.class);
    private static final int CACHED = 2000;

    private final JobSummaries summarizers;
    /** An execution, known by its id and when it was created (ids of an emptied database come again). */
    private record Key(long id, LocalDateTime created) {
    }

    private final Map<Key, JobSummary> finished = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, JobSummary> eldest) {
            return size() > CACHED;
        }
    });

    public ExecutionSummaries(JobSummaries summarizers) {
        this.summarizers = summarizers;
    }

    public JobSummary summarize(JobExecution execution) {
        boolean done = !execution.getStatus().isRunning() && execution.getEndTime() != null
                && !summarizers.of(execution.getJobInstance().getJobName())
                        .map(JobSummarizer::countsChangeAfterTheEnd).orElse(false);
        Key key = new Key(execution.getId(), execution.getCreateTime());
        if (done) {
            JobSummary known = finished.get(key);
            if (known != null) {
                return known;
            }
        }
        JobSummary summary = compute(execution);
        if (done) {
            finished.put(key, summary);
        }
        return summary;
    }

    /** Counted now, not kept: for a job that is just ending, whose reports are still being written. */
    public JobSummary fresh(JobExecution execution) {
        return compute(execution);
    }

    /** The summary of a finished execution when it was counted before. */
    public Optional<JobSummary> cached(long executionId, LocalDateTime created) {
        return Optional.ofNullable(finished.get(new Key(executionId, created)));
    }

    private JobSummary compute(JobExecution execution) {
        String job = execution.getJobInstance().getJobName();
        Optional<JobSummarizer> summarizer = summarizers.of(job);
        if (summarizer.isPresent()) {
            try {
                return summarizer.get().summarize(new JobRunner.Launch(execution, JobRunner.Outcome.STARTED));
            }
            catch (RuntimeException e) {
                // a summary that can't be counted (a half-written import) must not break the page
                log.warn("could not summarize execution {} of {}", execution.getId(), job, e);
            }
        }
        return fromSteps(execution);
    }

    private static JobSummary fromSteps(JobExecution execution) {
        long read = 0, written = 0, skipped = 0;
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getStepName().contains(":")) {
                continue; // a partition: its manager step holds the sum
            }
            read += step.getReadCount();
            written += step.getWriteCount();
            skipped += step.getSkipCount();
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("read", read);
        counts.put("written", written);
        counts.put("skipped", skipped);
        Optional<String> message = execution.getStatus().isUnsuccessful() ? Failures.rootMessage(execution)
                : Optional.empty();
        return new JobSummary(execution.getJobInstance().getJobName(), execution.getId(),
                execution.getStatus().name(), JobRunner.Outcome.STARTED.name(), counts, Map.of(),
                message.orElse(null));
    }
}
