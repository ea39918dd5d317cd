package org.contactbatch.constantcontact.push;

import java.util.LinkedHashMap;
import java.util.Map;

import org.contactbatch.jobs.JobRunner;
import org.contactbatch.jobs.JobSummary;
import org.contactbatch.reports.JobReports;
import org.springframework.batch.core.job.JobExecution;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The summary of a push or a pull, from its sync log entry. */
abstract class PushSummary implements org.contactbatch.jobs.JobSummarizer {

    private final SyncLog log;
    private final JobReports reports;

    PushSummary(SyncLog log, JobReports reports) {
        this.log = log;
        this.reports = reports;
    }

    @Override
    public JobSummary summarize(JobRunner.Launch launch) {
        JobExecution execution = launch.execution();
        Map<String, Object> entry = log.entry(execution.getId()).orElse(Map.of());
        Map<String, Long> logged = new LinkedHashMap<>();
        if (entry.get("counts") != null) {
            JsonNode counts = JsonMapper.shared().readTree(entry.get("counts").toString());
            counts.properties().forEach(e -> logged.put(e.getKey(), e.getValue().asLong()));
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        if (jobName().equals(PushOptions.JOB_NAME)) {
            counts.put("read", logged.getOrDefault("selected", 0L) + logged.getOrDefault("ignored", 0L));
            counts.put("written", logged.getOrDefault("created", 0L) + logged.getOrDefault("updated", 0L));
            counts.put("skipped", logged.getOrDefault("skipped", 0L) + logged.getOrDefault("failed", 0L));
            counts.put("warnings", logged.getOrDefault("ignored", 0L));
        }
        if (jobName().equals(PushJobConfiguration.PULL_JOB) && logged.containsKey("created")) {
            counts.put("read", logged.getOrDefault("read", 0L));
            counts.put("written", logged.getOrDefault("created", 0L) + logged.getOrDefault("updated", 0L)
                    + logged.getOrDefault("deleted", 0L));
            counts.put("skipped", logged.getOrDefault("skipped", 0L));
            counts.put("warnings", 0L);
        }
        counts.putAll(logged);
        Map<String, String> files = new LinkedHashMap<>();
        reports.forExecution(execution.getId()).forEach((kind, path) -> files.put(kind, path.toString()));
        String message = entry.get("message") == null ? null : entry.get("message").toString();
        if (jobName().equals(PushOptions.JOB_NAME) && !execution.getStatus().isUnsuccessful()) {
            message = join(runKind(entry, logged), message);
        }
        if (jobName().equals(PushJobConfiguration.AUDIT_JOB) && "COMPLETED".equals(execution.getStatus().name())) {
            long differences = logged.getOrDefault("differences", 0L);
            message = differences == 0 ? "No differences: the account holds what this database says it should."
                    : differences + " difference" + (differences == 1 ? "" : "s") + " between the account and this "
                            + "database, one a line in " + files.get("drift");
        }
        else if (jobName().equals(PushOptions.JOB_NAME) && Boolean.TRUE.equals(entry.get("dry_run"))) {
            message = join(message, "Dry run: nothing was sent to Constant Contact; the plan is in " + files.get("plan"));
        }
        return new JobSummary(jobName(), execution.getId(), execution.getStatus().name(), launch.outcome().name(), counts,
                files, message, null);
    }

    /** What kind of run it was, in words: whether anybody was (or would be) taken off the managed list. */
    static String runKind(Map<String, Object> entry, Map<String, Long> counts) {
        if (entry.get("exact") == null) {
            return null;
        }
        String list = String.valueOf(entry.get("managed_list"));
        boolean dry = Boolean.TRUE.equals(entry.get("dry_run"));
        if (Boolean.TRUE.equals(entry.get("exact"))) {
            return "Exact run: '" + list + "' " + (dry ? "would hold" : "holds") + " exactly the selected contacts; "
                    + counts.getOrDefault("removed", 0L) + (dry ? " would be" : "") + " taken off it.";
        }
        return "Manual run: the selected contacts " + (dry ? "would be" : "were") + " added to '" + list
                + "' and updated; nobody " + (dry ? "would be" : "was") + " taken off any list.";
    }

    private static String join(String first, String second) {
        return first == null ? second : second == null ? first : first + " " + second;
    }

    // each named after its job, so that JobSummaries creates only the one whose job it prints
    @org.springframework.stereotype.Component(PushOptions.JOB_NAME + "Summary")
    static class Push extends PushSummary {
        Push(SyncLog log, JobReports reports) {
            super(log, reports);
        }

        @Override
        public String jobName() {
            return PushOptions.JOB_NAME;
        }
    }

    @org.springframework.stereotype.Component(PushJobConfiguration.AUDIT_JOB + "Summary")
    static class Audit extends PushSummary {
        Audit(SyncLog log, JobReports reports) {
            super(log, reports);
        }

        @Override
        public String jobName() {
            return PushJobConfiguration.AUDIT_JOB;
        }
    }

    @org.springframework.stereotype.Component(PushJobConfiguration.PULL_JOB + "Summary")
    static class Pull extends PushSummary {
        Pull(SyncLog log, JobReports reports) {
            super(log, reports);
        }

        @Override
        public String jobName() {
            return PushJobConfiguration.PULL_JOB;
        }
    }
}
