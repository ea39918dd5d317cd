package org.contactbatch.upload;

import javax.sql.DataSource;

import org.contactbatch.config.ContactBatchProperties;
import org.contactbatch.files.RawRow;
import org.contactbatch.files.RowSourceItemReader;
import org.contactbatch.jobs.JobLiveness;
import org.contactbatch.jobs.Progress;
import org.contactbatch.reports.JobReports;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The bulk upload: prepare → stage → check → apply, with the reports written when the job ends
 * (design §3). Every step's name matches its bean, because restart state is keyed by names.
 */
@Configuration
public class UploadJobConfiguration {

    @Bean
    public Job upload(JobRepository jobRepository, Step uploadPrepare, Step uploadStage, Step uploadCheck,
            Step uploadApply, UploadReportsListener uploadReportsListener, JobLiveness jobLiveness) {
        return new JobBuilder(UploadOptions.JOB_NAME, jobRepository)
                .listener(jobLiveness)
                .listener(uploadReportsListener)
                .start(uploadPrepare)
                .next(uploadStage)
                .next(uploadCheck)
                .next(uploadApply)
                .build();
    }

    @Bean
    public Step uploadPrepare(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            UploadPrepareTasklet uploadPrepareTasklet) {
        return new StepBuilder("uploadPrepare", jobRepository)
                .tasklet(uploadPrepareTasklet, transactionManager)
                .build();
    }

    @Bean
    public Step uploadStage(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ContactBatchProperties properties, RowSourceItemReader uploadReader, UploadRowProcessor uploadProcessor,
            StagingWriter uploadStagingWriter, Progress progress, AsyncTaskExecutor rowCheckers) {
        return new StepBuilder("uploadStage", jobRepository)
                .<RawRow, StagedContact>chunk(properties.chunkSize())
                .transactionManager(transactionManager)
                .reader(uploadReader)
                .processor(uploadProcessor)
                .writer(uploadStagingWriter)
                .faultTolerant()
                // a bad row is never fatal; --max-errors is enforced once every row was seen,
                // so the failed-rows report is complete either way
                .skip(RowRejectedException.class)
                .skipLimit(Long.MAX_VALUE)
                // rows are checked on worker threads while the step's thread reads on: parsing
                // phones and emails is the costliest part of a row
                .taskExecutor(rowCheckers)
                .listener(progress.forStep("Reading", step -> {
                    UploadOptions options = options(step);
                    return Progress.estimateRows(options.file(), options.header());
                }, StepExecution::getReadCount))
                .build();
    }

    /** The threads that check rows; as many as there are cores, since the work is pure CPU. */
    @Bean(destroyMethod = "shutdown")
    public ThreadPoolTaskExecutor rowCheckers() {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(Runtime.getRuntime().availableProcessors());
        executor.setThreadNamePrefix("row-check-");
        executor.setDaemon(true);
        executor.initialize();
        return executor;
    }

    @Bean
    public Step uploadCheck(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            UploadCheckTasklet uploadCheckTasklet) {
        return new StepBuilder("uploadCheck", jobRepository)
                .tasklet(uploadCheckTasklet, transactionManager)
                .build();
    }

    @Bean
    public Step uploadApply(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            UploadApplyTasklet uploadApplyTasklet, JdbcClient jdbcClient, Progress progress) {
        return new StepBuilder("uploadApply", jobRepository)
                .tasklet(uploadApplyTasklet, transactionManager)
                .listener(progress.forStep("Applying", step -> jdbcClient
                        .sql("select count(*) from staged_contact where import_id = :id and action in ('I', 'U')")
                        .param("id", importId(step)).query(Long.class).single(), StepExecution::getWriteCount))
                .build();
    }

    @Bean
    @StepScope
    public UploadPrepareTasklet uploadPrepareTasklet(DataSource dataSource,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        return new UploadPrepareTasklet(dataSource, options(stepExecution), importId(stepExecution));
    }

    @Bean
    @StepScope
    public RowSourceItemReader uploadReader(@Value("#{stepExecution}") StepExecution stepExecution) {
        UploadOptions options = options(stepExecution);
        RowSourceItemReader reader = new RowSourceItemReader(options.file(), options.readOptions());
        reader.setName("uploadReader");
        return reader;
    }

    @Bean
    @StepScope
    public UploadRowProcessor uploadProcessor(@Value("#{stepExecution}") StepExecution stepExecution,
            ContactBatchProperties properties) {
        UploadOptions options = options(stepExecution);
        return new UploadRowProcessor(UploadPlan.of(options).mapping(), options.consent(),
                properties.defaultPhoneRegion());
    }

    @Bean
    @StepScope
    public StagingWriter uploadStagingWriter(DataSource dataSource,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        return new StagingWriter(dataSource, importId(stepExecution));
    }

    @Bean
    @StepScope
    public UploadCheckTasklet uploadCheckTasklet(JdbcClient jdbcClient,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        return new UploadCheckTasklet(jdbcClient, options(stepExecution), importId(stepExecution));
    }

    @Bean
    @StepScope
    public UploadApplyTasklet uploadApplyTasklet(JdbcClient jdbcClient, PlatformTransactionManager transactionManager,
            ContactBatchProperties properties, @Value("#{stepExecution}") StepExecution stepExecution) {
        return new UploadApplyTasklet(jdbcClient, transactionManager, options(stepExecution), importId(stepExecution),
                properties.chunkSize() * 10);
    }

    @Bean
    public UploadReportsListener uploadReportsListener(DataSource dataSource, JobReports jobReports,
            ContactBatchProperties properties) {
        return new UploadReportsListener(dataSource, jobReports, properties.reportsDir());
    }

    private static UploadOptions options(StepExecution stepExecution) {
        return UploadOptions.from(stepExecution.getJobParameters());
    }

    /** An upload's id is its job instance's: the same across every restart of that upload. */
    static long importId(StepExecution stepExecution) {
        return stepExecution.getJobExecution().getJobInstanceId();
    }
}
