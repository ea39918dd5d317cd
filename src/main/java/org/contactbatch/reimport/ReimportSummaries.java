package org.contactbatch.reimport;

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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The summaries of the three re-import jobs, counted from what the database holds about the import. */
@Configuration(proxyBeanMethods = false)
public class ReimportSummaries {

    @Bean
    JobSummarizer reimportPrepareSummary(ReimportImports imports, JobReports reports) {
        return new Summarizer(ReimportOptions.PREPARE_JOB, imports, reports);
    }

    @Bean
    JobSummarizer reimportStartSummary(ReimportImports imports, JobReports reports) {
        return new Summarizer(ReimportOptions.START_JOB, imports, reports);
    }

    @Bean
    JobSummarizer reimportRevertSummary(ReimportImports imports, JobReports reports) {
        return new Summarizer(ReimportOptions.REVERT_JOB, imports, reports);
    }

    private record Summarizer(String jobName, ReimportImports imports, JobReports reports) implements JobSummarizer {

        @Override
        public JobSummary summarize(JobRunner.Launch launch) {
            JobExecution execution = launch.execution();
            long importId = jobName.equals(ReimportOptions.PREPARE_JOB) ? execution.getJobInstanceId()
                    : execution.getJobParameters().getLong("importId");
            Map<String, Long> counts = switch (jobName) {
                case ReimportOptions.PREPARE_JOB -> imports.prepareCounts(importId);
                case ReimportOptions.START_JOB -> imports.startCounts(importId);
                default -> imports.revertCounts(importId);
            };
            Map<String, String> files = new LinkedHashMap<>();
            reports.forExecution(execution.getId()).forEach((kind, path) -> files.put(kind, path.toString()));
            String message = execution.getStatus().isUnsuccessful()
                    ? Failures.message(execution, FileProblemException.class).orElse(null)
                    : jobName.equals(ReimportOptions.PREPARE_JOB)
                            ? "Review the reports, then apply it with: contact-batch reimport start " + importId
                            : null;
            return new JobSummary(jobName, execution.getId(), execution.getStatus().name(), launch.outcome().name(),
                    counts, files, message, importId);
        }
    }

    /** The counts of one re-import's jobs. */
    @org.springframework.stereotype.Repository
    public static class ReimportImports {

        private final JdbcClient jdbc;

        public ReimportImports(JdbcClient jdbc) {
            this.jdbc = jdbc;
        }

        Map<String, Long> prepareCounts(long importId) {
            Map<RowAction, Long> actions = actions(importId);
            Map<String, Long> counts = new LinkedHashMap<>();
            long rejected = distinctLines(importId, "E", "not in ('CONFLICT', 'CHANGED_SINCE')");
            counts.put("read", actions.values().stream().mapToLong(Long::longValue).sum()
                    - actions.getOrDefault(RowAction.REJECTED, 0L) + rejected);
            counts.put("written", 0L);
            counts.put("skipped", rejected);
            counts.put("warnings", distinctLines(importId, "W", "is not null"));
            counts.put("toUpdate", actions.getOrDefault(RowAction.UPDATE, 0L)
                    + actions.getOrDefault(RowAction.CONFLICT, 0L)
                    + actions.getOrDefault(RowAction.SKIPPED_FOR_WARNINGS, 0L));
            counts.put("unchanged", actions.getOrDefault(RowAction.UNCHANGED, 0L));
            counts.put("errors", rejected);
            counts.put("changes", jdbc.sql("select count(*) from import_change where import_id = :id")
                    .param("id", importId).query(Long.class).single());
            return counts;
        }

        Map<String, Long> startCounts(long importId) {
            Map<RowAction, Long> actions = actions(importId);
            Map<String, Long> counts = new LinkedHashMap<>();
            long updated = actions.getOrDefault(RowAction.UPDATE, 0L);
            // every line of the sheet, as prepare counted them and the result file lists them: also the rows
            // refused before they were staged
            long rejected = distinctLines(importId, "E", "not in ('CONFLICT', 'CHANGED_SINCE')");
            counts.put("read", actions.values().stream().mapToLong(Long::longValue).sum()
                    - actions.getOrDefault(RowAction.REJECTED, 0L) + rejected);
            counts.put("written", updated);
            counts.put("skipped", actions.getOrDefault(RowAction.CONFLICT, 0L)
                    + actions.getOrDefault(RowAction.SKIPPED_FOR_WARNINGS, 0L));
            counts.put("warnings", distinctLines(importId, "W", "is not null"));
            counts.put("updated", updated);
            counts.put("conflicts", actions.getOrDefault(RowAction.CONFLICT, 0L));
            counts.put("skippedForWarnings", actions.getOrDefault(RowAction.SKIPPED_FOR_WARNINGS, 0L));
            counts.put("unchanged", actions.getOrDefault(RowAction.UNCHANGED, 0L));
            counts.put("rejected", rejected);
            return counts;
        }

        Map<String, Long> revertCounts(long importId) {
            long images = jdbc.sql("select count(*) from contact_before_image where import_id = :id")
                    .param("id", importId).query(Long.class).single();
            long kept = jdbc.sql("select count(*) from import_issue where import_id = :id and code = 'CHANGED_SINCE'")
                    .param("id", importId).query(Long.class).single();
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("read", images);
            counts.put("written", images - kept);
            counts.put("skipped", kept);
            counts.put("warnings", 0L);
            counts.put("reverted", images - kept);
            counts.put("keptChangedSince", kept);
            return counts;
        }

        private Map<RowAction, Long> actions(long importId) {
            return ImportCounts.actions(jdbc, importId);
        }

        private long distinctLines(long importId, String severity, String codeCondition) {
            return jdbc.sql("select count(distinct line) from import_issue where import_id = :id and line > 0"
                            + " and severity = :severity and code " + codeCondition)
                    .param("id", importId).param("severity", severity).query(Long.class).single();
        }
    }
}
