package org.contactbatch.upload;

import java.util.LinkedHashMap;
import java.util.Map;

import org.contactbatch.files.FileProblemException;
import org.contactbatch.imports.ImportCounts;
import org.contactbatch.imports.RowAction;
import org.contactbatch.jobs.Failures;
import org.contactbatch.jobs.JobRunner;
import org.contactbatch.jobs.JobSummarizer;
import org.contactbatch.jobs.JobSummary;
import org.contactbatch.reports.JobReports;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The counts of an upload, from what the database holds about it. A full dry run counts what
 * applying it will do, the same numbers the real run gives; its apply counts the same again.
 */
@Component
public class UploadSummary implements JobSummarizer {

    private final JdbcClient jdbc;
    private final JobReports reports;

    public UploadSummary(JdbcClient jdbc, JobReports reports) {
        this.jdbc = jdbc;
        this.reports = reports;
    }

    @Override
    public String jobName() {
        return UploadOptions.JOB_NAME;
    }

    @Override
    public JobSummary summarize(JobRunner.Launch launch) {
        JobExecution execution = launch.execution();
        long importId = UploadOptions.importId(execution);
        Map<String, Long> counts = new LinkedHashMap<>();
        long read = execution.getStepExecutions().stream()
                .filter(step -> step.getStepName().equals("uploadStage"))
                .mapToLong(StepExecution::getReadCount).max().orElse(0);
        Map<RowAction, Long> actions = ImportCounts.actions(jdbc, importId);
        boolean applied = execution.getStatus().name().equals("COMPLETED");
        long inserted = applied ? actions.getOrDefault(RowAction.INSERT, 0L) : 0;
        long updated = applied ? actions.getOrDefault(RowAction.UPDATE, 0L) : 0;
        long existing = actions.getOrDefault(RowAction.SKIP_EXISTING, 0L);
        Map<String, Long> issues = new LinkedHashMap<>();
        jdbc.sql("""
                select severity, count(distinct line) from import_issue
                where import_id = :id and line > 0 group by severity""")
                .param("id", importId)
                .query(rs -> {
                    issues.put(rs.getString(1), rs.getLong(2));
                });
        long rejected = issues.getOrDefault("E", 0L);
        // a restarted run read only what the killed one had not; the staged rows and issues tell the whole file
        long total = Math.max(read, actions.values().stream().mapToLong(Long::longValue).sum()
                - actions.getOrDefault(RowAction.REJECTED, 0L) + rejected);
        counts.put("read", total);
        counts.put("written", inserted + updated);
        counts.put("skipped", rejected + existing);
        counts.put("warnings", issues.getOrDefault("W", 0L));
        counts.put("inserted", inserted);
        counts.put("updated", updated);
        counts.put("rejected", rejected);
        counts.put("existing", existing);
        Map<String, String> files = new LinkedHashMap<>();
        reports.forExecution(execution.getId()).forEach((kind, path) -> files.put(kind, path.toString()));
        String message = execution.getStatus().isUnsuccessful()
                ? Failures.message(execution, FileProblemException.class, TooManyRejectedRowsException.class,
                        StagedUploadChangedException.class).orElse(null) : null;
        return new JobSummary(execution.getJobInstance().getJobName(), execution.getId(), execution.getStatus().name(),
                launch.outcome().name(), counts, files, message, importId);
    }

    /** The same counts for {@value UploadOptions#APPLY_JOB}, which finishes a full dry run's upload. */
    @Component
    public static class OfApply implements JobSummarizer {

        private final UploadSummary upload;

        public OfApply(UploadSummary upload) {
            this.upload = upload;
        }

        @Override
        public String jobName() {
            return UploadOptions.APPLY_JOB;
        }

        @Override
        public JobSummary summarize(JobRunner.Launch launch) {
            return upload.summarize(launch);
        }
    }
}
