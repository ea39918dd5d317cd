package org.contactbatch.reimport;

import java.nio.file.Path;
import java.util.List;

import org.contactbatch.config.ContactBatchProperties;
import org.contactbatch.imports.ImportReports;
import org.contactbatch.imports.ImportStatus;
import org.contactbatch.imports.RowAction;
import org.contactbatch.jobs.FinalStepTasklet;
import org.contactbatch.jobs.JobLiveness;
import org.contactbatch.jobs.Progress;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Re-import by ID, step 2 (start) and its undo (revert): each a job keyed by the import's id, so
 * an import starts once and reverts once; asking again says it already ran.
 */
@Configuration(proxyBeanMethods = false)
public class ReimportStartJobConfiguration {

    static final String RESULT = "result";

    @Bean
    public Job reimportStart(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            Step reimportApply, JobLiveness jobLiveness, JdbcClient jdbcClient, ImportReports importReports,
            ContactBatchProperties properties) {
        ResultReport result = new ResultReport(jdbcClient, importReports, properties.reportsDir(),
                ImportStatus.APPLIED, """
                        select line, contact_id, outcome, message from (
                            select s.line, s.contact_id,
                                case s.action when {UPDATE} then 'updated' when {UNCHANGED} then 'unchanged'
                                    when {CONFLICT} then 'conflict' when {SKIPPED_FOR_WARNINGS} then 'skipped (warning)'
                                    else 'rejected' end as outcome,
                                (select string_agg(i.message, '; ' order by i.code) from import_issue i
                                 where i.import_id = s.import_id and i.line = s.line
                                   and (s.action <> {UPDATE} or i.severity = 'W')) as message
                            from staged_contact s where s.import_id = :id
                            union all
                            -- rows the row rules refused before staging (an id that is no number, a bad email…),
                            -- so every line of the sheet is here; their id is blank (failed-rows.csv has the row)
                            select i.line, null, 'rejected', string_agg(i.message, '; ' order by i.code)
                            from import_issue i
                            where i.import_id = :id and i.severity = 'E' and not exists (
                                select 1 from staged_contact s where s.import_id = i.import_id and s.line = i.line)
                            group by i.line) result
                        order by line""");
        return new JobBuilder(ReimportOptions.START_JOB, jobRepository)
                .listener(jobLiveness)
                .start(reimportApply)
                .next(resultStep("reimportApplyResult", jobRepository, transactionManager, result))
                .build();
    }

    @Bean
    public Job reimportRevert(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            Step reimportUndo, JobLiveness jobLiveness, JdbcClient jdbcClient, ImportReports importReports,
            ContactBatchProperties properties) {
        ResultReport result = new ResultReport(jdbcClient, importReports, properties.reportsDir(),
                ImportStatus.REVERTED, """
                        select s.line, b.contact_id,
                            case when x.message is null then 'reverted' else 'kept (changed since)' end, x.message
                        from contact_before_image b
                        left join staged_contact s on s.import_id = b.import_id and s.contact_id = b.contact_id
                        left join lateral (
                            select string_agg(i.message, '; ') as message from import_issue i
                            where i.import_id = b.import_id and i.line = s.line and i.code = 'CHANGED_SINCE') x on true
                        where b.import_id = :id order by s.line""");
        return new JobBuilder(ReimportOptions.REVERT_JOB, jobRepository)
                .listener(jobLiveness)
                .start(reimportUndo)
                .next(resultStep("reimportUndoResult", jobRepository, transactionManager, result))
                .build();
    }

    private static Step resultStep(String name, JobRepository jobRepository,
            PlatformTransactionManager transactionManager, ResultReport result) {
        return new StepBuilder(name, jobRepository)
                .tasklet(new FinalStepTasklet(result::write), transactionManager)
                .build();
    }

    @Bean
    public Step reimportApply(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ReimportApplyTasklet reimportApplyTasklet, JdbcClient jdbcClient, Progress progress) {
        return new StepBuilder("reimportApply", jobRepository)
                .tasklet(reimportApplyTasklet, transactionManager)
                .listener(progress.forStep("Applying", step -> jdbcClient
                        .sql("select count(*) from staged_contact where import_id = :id and action = "
                                + RowAction.UPDATE.sql())
                        .param("id", importId(step)).query(Long.class).single(), StepExecution::getWriteCount))
                .build();
    }

    @Bean
    public Step reimportUndo(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ReimportRevertTasklet reimportRevertTasklet) {
        return new StepBuilder("reimportUndo", jobRepository)
                .tasklet(reimportRevertTasklet, transactionManager)
                .build();
    }

    @Bean
    @StepScope
    ReimportApplyTasklet reimportApplyTasklet(JdbcClient jdbcClient, ContactBatchProperties properties,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        var parameters = stepExecution.getJobParameters();
        return new ReimportApplyTasklet(jdbcClient, importId(stepExecution),
                Boolean.parseBoolean(parameters.getString("skipWarnings", "false")), parameters.getString("by"),
                properties.chunkSize() * 10);
    }

    @Bean
    @StepScope
    ReimportRevertTasklet reimportRevertTasklet(JdbcClient jdbcClient, ContactBatchProperties properties,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        return new ReimportRevertTasklet(jdbcClient, importId(stepExecution), properties.chunkSize() * 10);
    }

    static long importId(StepExecution stepExecution) {
        return stepExecution.getJobParameters().getLong("importId");
    }

    /**
     * Writes {@code result.csv}, one line per row of the sheet and what became of it, and sets the
     * import's status; the job's last step.
     */
    static final class ResultReport {

        private final JdbcClient jdbc;
        private final ImportReports reports;
        private final Path reportsDir;
        private final ImportStatus status;
        private final String query;

        ResultReport(JdbcClient jdbc, ImportReports reports, Path reportsDir, ImportStatus status, String query) {
            this.jdbc = jdbc;
            this.reports = reports;
            this.reportsDir = reportsDir;
            this.status = status;
            this.query = RowAction.inline(query);
        }

        void write(JobExecution execution) {
            long importId = execution.getJobParameters().getLong("importId");
            jdbc.sql("update import_batch set status = :status where id = :id")
                    .param("status", status.value()).param("id", importId).update();
            Path file = reportsDir.resolve("reimport").resolve(Long.toString(importId))
                    .resolve(execution.getJobInstance().getJobName() + "-" + RESULT + ".csv");
            reports.query(execution.getId(), RESULT, file, List.of("line", "id", "outcome", "message"), query,
                    importId);
        }
    }
}
