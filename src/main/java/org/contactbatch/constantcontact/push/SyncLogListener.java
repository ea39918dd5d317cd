package org.contactbatch.constantcontact.push;

import java.nio.file.Path;
import java.util.Map;

import org.contactbatch.jobs.Failures;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * Opens the sync log entry when a push or pull starts and closes it when it ends (completed, stopped
 * or failed), with its counts and files. The files come from the database, so a restarted run writes
 * them for everything the run did, before and after the interruption.
 */
public class SyncLogListener implements JobExecutionListener {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SyncLogListener.class);

    private final SyncLog log;
    private final PushReports reports;
    private final Path reportsDir;
    private final String job;

    public SyncLogListener(SyncLog log, PushReports reports, Path reportsDir, String job) {
        this.log = log;
        this.reports = reports;
        this.reportsDir = reportsDir;
        this.job = job;
    }

    @Override
    public void beforeJob(JobExecution execution) {
        log.start(execution, job, hasOptions() ? PushOptions.from(execution.getJobParameters()) : null);
        if (!hasOptions()) {
            log.profile(execution, PullOptions.from(execution.getJobParameters()).profile());
        }
    }

    @Override
    public void afterJob(JobExecution execution) {
        long runId = execution.getJobInstanceId();
        Path directory = reportsDir.resolve(job.equals(PushJobConfiguration.AUDIT_JOB) ? "cc-audit" : isPush() ? "cc-push"
                : "cc-pull").resolve(Long.toString(execution.getId()));
        Map<String, Long> counts;
        if (job.equals(PushJobConfiguration.AUDIT_JOB)) {
            counts = log.auditCounts(runId);
            reports.writeAudit(execution.getId(), runId, directory);
        }
        else if (isPush()) {
            boolean dryRun = PushOptions.from(execution.getJobParameters()).dryRun();
            counts = log.pushCounts(runId, dryRun);
            reports.writePush(execution.getId(), runId, dryRun, directory);
        }
        else if (PullOptions.from(execution.getJobParameters()).profile() == null) {
            counts = Map.of("unsubscribes", log.unsubscribes(runId));
            reports.writeUnsubscribes(execution.getId(), runId, directory);
        }
        else {
            counts = log.pullCounts(runId);
            reports.writePull(execution.getId(), runId, directory);
        }
        String message = message(execution);
        log.finish(execution, counts, message);
        LOG.info("{} execution {} ended {}: {}{}", job, execution.getId(), execution.getStatus(), counts,
                message == null ? "" : " (" + message + ")");
    }

    static String message(JobExecution execution) {
        String refused = refusedLists(execution);
        String message = failure(execution);
        return message == null ? refused : refused == null ? message : message + " " + refused;
    }

    /** The group lists the account would not create, in words; null when none. */
    static String refusedLists(JobExecution execution) {
        Object json = execution.getExecutionContext().get(PushPrepareTasklet.REFUSED_LISTS);
        if (json == null) {
            return null;
        }
        java.util.Map<String, String> refused = tools.jackson.databind.json.JsonMapper.shared().readValue(json.toString(),
                new tools.jackson.core.type.TypeReference<java.util.LinkedHashMap<String, String>>() {
                });
        if (refused.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        refused.forEach((name, why) -> text.append(text.isEmpty() ? "" : " ").append("Constant Contact refused to create the list '")
                .append(name).append("' (").append(why).append("); its members were sent without it."));
        return text.toString();
    }

    private static String failure(JobExecution execution) {
        Object stop = execution.getExecutionContext().get(PushStops.STOP_REASON);
        if (stop != null && !execution.getStatus().name().equals("COMPLETED")) {
            return stop.toString();
        }
        if (execution.getStatus().isUnsuccessful()) {
            return Failures.rootMessage(execution).orElse(null);
        }
        return null;
    }

    private boolean hasOptions() {
        return isPush() || job.equals(PushJobConfiguration.AUDIT_JOB);
    }

    private boolean isPush() {
        return job.equals(PushOptions.JOB_NAME);
    }
}
