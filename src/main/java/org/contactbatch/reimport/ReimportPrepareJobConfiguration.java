package org.contactbatch.reimport;

import java.nio.file.Path;

import javax.sql.DataSource;

import org.contactbatch.config.ContactBatchProperties;
import org.contactbatch.files.RowSourceItemReader;
import org.contactbatch.imports.ImportReports;
import org.contactbatch.imports.StagingSteps;
import org.contactbatch.imports.StagingWriter;
import org.contactbatch.jobs.FinalStepTasklet;
import org.contactbatch.jobs.JobLiveness;
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
 * Re-import by ID, step 1: prepare. The import pipeline in its second mode: the edited sheet is
 * staged and checked, its changes worked out, and the job stops there with the errors, warnings
 * and changes reports, because a mass change by id should be seen by a person before
 * {@code reimport start} makes it.
 */
@Configuration(proxyBeanMethods = false)
public class ReimportPrepareJobConfiguration {

    @Bean
    public Job reimportPrepare(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            Step reimportRegister, Step reimportStage, Step reimportCheck, JobLiveness jobLiveness,
            ImportReports importReports, ContactBatchProperties properties) {
        return new JobBuilder(ReimportOptions.PREPARE_JOB, jobRepository)
                .listener(jobLiveness)
                .start(reimportRegister)
                .next(reimportStage)
                .next(reimportCheck)
                .next(new StepBuilder("reimportReport", jobRepository)
                        .tasklet(new FinalStepTasklet(new PrepareReports(importReports,
                                properties.reportsDir())::write), transactionManager)
                        .build())
                .build();
    }

    @Bean
    public Step reimportRegister(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ReimportRegisterTasklet reimportRegisterTasklet) {
        return new StepBuilder("reimportRegister", jobRepository)
                .tasklet(reimportRegisterTasklet, transactionManager)
                .build();
    }

    /**
     * Stages the sheet's rows, split in partitions that run side by side as an upload's do (see
     * {@link StagingSteps}), each continued where it stopped when the prepare is given again.
     */
    @Bean
    public Step reimportStage(StagingSteps stagingSteps, RowSourceItemReader reimportReader,
            ReimportRowProcessor reimportProcessor, StagingWriter reimportStagingWriter) {
        return stagingSteps.partitioned("reimportStage", "reimportStageRows", ReimportPrepareJobConfiguration::options,
                reimportReader, reimportProcessor, reimportStagingWriter);
    }

    @Bean
    public Step reimportCheck(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ReimportCheckTasklet reimportCheckTasklet) {
        return new StepBuilder("reimportCheck", jobRepository)
                .tasklet(reimportCheckTasklet, transactionManager)
                .build();
    }

    @Bean
    @StepScope
    ReimportRegisterTasklet reimportRegisterTasklet(DataSource dataSource,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        return new ReimportRegisterTasklet(dataSource, options(stepExecution), importId(stepExecution));
    }

    /** The rows of one partition of {@code reimportStage}. */
    @Bean
    @StepScope
    public RowSourceItemReader reimportReader(@Value("#{stepExecution}") StepExecution stepExecution) {
        return StagingSteps.reader("reimportReader", options(stepExecution), stepExecution);
    }

    @Bean
    @StepScope
    public ReimportRowProcessor reimportProcessor(ContactBatchProperties properties,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        return new ReimportRowProcessor(ReimportPlan.of(options(stepExecution)), properties.defaultPhoneRegion());
    }

    @Bean
    @StepScope
    public StagingWriter reimportStagingWriter(DataSource dataSource,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        return new StagingWriter(dataSource, importId(stepExecution));
    }

    @Bean
    @StepScope
    ReimportCheckTasklet reimportCheckTasklet(JdbcClient jdbcClient,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        return new ReimportCheckTasklet(jdbcClient, options(stepExecution), importId(stepExecution));
    }

    static ReimportOptions options(StepExecution stepExecution) {
        return ReimportOptions.from(stepExecution.getJobParameters());
    }

    /** A re-import's id is its prepare job's instance id. */
    static long importId(StepExecution stepExecution) {
        return stepExecution.getJobExecution().getJobInstanceId();
    }

    /** Errors, warnings and changes, written as the prepare's last step, from what the database holds. */
    record PrepareReports(ImportReports reports, Path reportsDir) {

        void write(JobExecution execution) {
            ReimportOptions options = ReimportOptions.from(execution.getJobParameters());
            long importId = execution.getJobInstanceId();
            Path directory = reportsDir.resolve("reimport").resolve(Long.toString(importId));
            reports.issues(execution.getId(), importId, options.file(), options.readOptions(), directory);
            reports.changes(execution.getId(), importId, directory);
        }
    }
}
