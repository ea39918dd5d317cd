package org.contactbatch.consent;

import java.util.LinkedHashMap;
import java.util.Map;

import org.contactbatch.jobs.Failures;
import org.contactbatch.jobs.JobRunner;
import org.contactbatch.jobs.JobSummarizer;
import org.contactbatch.jobs.JobSummary;
import org.contactbatch.reports.JobReports;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

/**
 * The counts of a consent request run: read (messages to send), written (sent), skipped (failed), and per
 * report: requested, sent, failed, confirmed, declined, expired. Confirmed and declined are counted when
 * asked, so {@code jobs show} of a request tells how many have answered by now.
 */
@Component
public class ConsentRequestSummary implements JobSummarizer {

    private final ConsentReports reports;
    private final JobReports jobReports;
    private final JobRepository jobRepository;
    private final ConsentMailer mailer;

    public ConsentRequestSummary(ConsentReports reports, JobReports jobReports, JobRepository jobRepository,
            ConsentMailer mailer) {
        this.reports = reports;
        this.jobReports = jobReports;
        this.jobRepository = jobRepository;
        this.mailer = mailer;
    }

    @Override
    public String jobName() {
        return ConsentRequestOptions.JOB_NAME;
    }

    /** People answer after the run ended: the console counts them again each time. */
    @Override
    public boolean countsChangeAfterTheEnd() {
        return true;
    }

    @Override
    public JobSummary summarize(JobRunner.Launch launch) {
        JobExecution execution = launch.execution();
        long runId = execution.getJobInstanceId();
        Map<String, Long> counted = reports.counts(runId);
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("read", counted.get("requested"));
        counts.put("written", counted.get("sent"));
        counts.put("skipped", counted.get("failed"));
        counts.put("warnings", 0L);
        counts.putAll(counted);
        StepExecution prepare = jobRepository.getLastStepExecution(execution.getJobInstance(),
                ConsentRequestJobConfiguration.PREPARE);
        ConsentRequestOptions options = ConsentRequestOptions.from(execution.getJobParameters());
        if (options.kind() == ConsentRequestOptions.Kind.REQUEST) {
            counts.put("already_pending", prepare == null ? 0L
                    : prepare.getExecutionContext().getLong(ConsentRequestPrepareTasklet.ALREADY_PENDING, 0L));
        }
        Map<String, String> files = new LinkedHashMap<>();
        jobReports.forExecution(execution.getId()).forEach((kind, path) -> files.put(kind, path.toString()));
        String message;
        if (execution.getStatus().isUnsuccessful()) {
            message = Failures.message(execution, IllegalArgumentException.class,
                    ConsentMailer.UnavailableException.class, ConsentMailer.MaybeSentException.class).orElse(null);
        }
        else {
            message = (options.kind() == ConsentRequestOptions.Kind.REQUEST ? "request " + runId + " for upload "
                    + options.uploadId() : "reminders and expiry as of " + options.at()) + ": messages went to "
                    + mailer.describe();
        }
        return new JobSummary(ConsentRequestOptions.JOB_NAME, execution.getId(), execution.getStatus().name(),
                launch.outcome().name(), counts, files, message, options.uploadId());
    }
}
