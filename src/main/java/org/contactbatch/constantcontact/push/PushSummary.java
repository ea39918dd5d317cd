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
        counts.putAll(logged);
        Map<String, String> files = new LinkedHashMap<>();
        reports.forExecution(execution.getId()).forEach((kind, path) -> files.put(kind, path.toString()));
        String message = entry.get("message") == null ? null : entry.get("message").toString();
        if (message == null && Boolean.TRUE.equals(entry.get("dry_run"))) {
            message = "Dry run: nothing was sent to Constant Contact; the plan is in " + files.get("plan");
        }
        return new JobSummary(jobName(), execution.getId(), execution.getStatus().name(), launch.outcome().name(), counts,
                files, message, null);
    }

    @org.springframework.stereotype.Component
    static class Push extends PushSummary {
        Push(SyncLog log, JobReports reports) {
            super(log, reports);
        }

        @Override
        public String jobName() {
            return PushOptions.JOB_NAME;
        }
    }

    @org.springframework.stereotype.Component
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
