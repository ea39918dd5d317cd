package org.contactbatch.upload;

import javax.sql.DataSource;

import org.contactbatch.config.ContactBatchProperties;
import org.contactbatch.files.RowSourceItemReader;
import org.contactbatch.imports.ImportReports;
import org.contactbatch.imports.RowAction;
import org.contactbatch.imports.StagingSteps;
import org.contactbatch.imports.StagingWriter;
import org.contactbatch.jobs.FinalStepTasklet;
import org.contactbatch.jobs.JobLiveness;
import org.contactbatch.jobs.Progress;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.flow.FlowExecutionStatus;
import org.springframework.batch.core.job.flow.JobExecutionDecider;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The bulk upload: prepare → stage → check → apply, with the reports written when the job ends.
 * A full dry run stops before apply, its reports written as the real run would write them; the
 * {@value UploadOptions#APPLY_JOB} job later applies that very snapshot, once it has made sure the
 * database still gives the same outcome. Every step's name matches its bean, or is named where its
 * bean builds it (staging's partitions), because restart state is keyed by names.
 */
@Configuration(proxyBeanMethods = false)
public class UploadJobConfiguration {

    /** Where the upload goes after its checks: a full dry run ends with its reports. */
    private static final String ENDS_AS_DRY_RUN = "DRY_RUN";
    private static final String GOES_ON_TO_APPLY = "APPLY";

    @Bean
    public Job upload(JobRepository jobRepository, Step uploadPrepare, Step uploadStage, Step uploadCheck,
            Step uploadErrorLimit, Step uploadApply, Step uploadReport, UploadReportsListener uploadReportsListener,
            JobLiveness jobLiveness) {
        JobExecutionDecider dryRunOrApply = (execution, lastStep) -> new FlowExecutionStatus(
                UploadOptions.from(execution.getJobParameters()).dryRun() ? ENDS_AS_DRY_RUN : GOES_ON_TO_APPLY);
        return new JobBuilder(UploadOptions.JOB_NAME, jobRepository)
                .listener(jobLiveness)
                .listener(uploadReportsListener)
                .start(uploadPrepare)
                .next(uploadStage)
                .next(uploadCheck)
                .next(uploadErrorLimit)
                .next(dryRunOrApply).on(ENDS_AS_DRY_RUN).to(uploadReport)
                .from(dryRunOrApply).on("*").to(uploadApply).next(uploadReport)
                .end()
                .build();
    }

    /** Applies a full dry run's staged upload, keyed by its import id: it applies once. */
    @Bean
    public Job applyUpload(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            UploadVerifyTasklet uploadVerifyTasklet, Step uploadApply, Step uploadReport, JobLiveness jobLiveness) {
        Step verify = new StepBuilder("uploadVerify", jobRepository)
                .tasklet(uploadVerifyTasklet, transactionManager)
                .build();
        return new JobBuilder(UploadOptions.APPLY_JOB, jobRepository)
                .listener(jobLiveness)
                .start(verify)
                .next(uploadApply)
                .next(uploadReport)
                .build();
    }

    /**
     * Refuses to go on when more rows were rejected than --max-errors allows: then no contact changes,
     * and a full dry run fails as the real run would. A step of its own, after the check has committed,
     * so the reports the failure writes hold the check's issues too.
     */
    @Bean
    public Step uploadErrorLimit(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            JdbcClient jdbcClient) {
        return new StepBuilder("uploadErrorLimit", jobRepository)
                .tasklet((contribution, chunk) -> {
                    StepExecution step = chunk.getStepContext().getStepExecution();
                    long allowed = options(step).maxErrors();
                    long rejected = jdbcClient.sql(
                            "select count(distinct line) from import_issue where import_id = :id and severity = 'E'")
                            .param("id", importId(step)).query(Long.class).single();
                    if (rejected > allowed) {
                        throw new TooManyRejectedRowsException(rejected, allowed);
                    }
                    return RepeatStatus.FINISHED;
                }, transactionManager)
                .build();
    }

    @Bean
    public Step uploadReport(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            UploadReportsListener uploadReportsListener) {
        return new StepBuilder("uploadReport", jobRepository)
                .tasklet(new FinalStepTasklet(uploadReportsListener::write), transactionManager)
                .build();
    }

    @Bean
    public Step uploadPrepare(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            UploadPrepareTasklet uploadPrepareTasklet) {
        return new StepBuilder("uploadPrepare", jobRepository)
                .tasklet(uploadPrepareTasklet, transactionManager)
                .build();
    }

    /** Stages the file's rows, split in partitions that run side by side (see {@link StagingSteps}). */
    @Bean
    public Step uploadStage(StagingSteps stagingSteps, RowSourceItemReader uploadReader,
            UploadRowProcessor uploadProcessor, StagingWriter uploadStagingWriter) {
        return stagingSteps.partitioned("uploadStage", "uploadStageRows", UploadJobConfiguration::options,
                uploadReader, uploadProcessor, uploadStagingWriter);
    }

    @Bean
    public Step uploadCheck(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            UploadCheckTasklet uploadCheckTasklet) {
        return new StepBuilder("uploadCheck", jobRepository)
                .tasklet(uploadCheckTasklet, transactionManager)
                .build();
    }

    /** Applies the staged rows, split in ranges of lines that run side by side. */
    @Bean
    public Step uploadApply(JobRepository jobRepository, Step uploadApplyLines, Partitioner uploadLinePartitions,
            AsyncTaskExecutor importWorkers, ContactBatchProperties properties, JdbcClient jdbcClient,
            Progress progress) {
        return new StepBuilder("uploadApply", jobRepository)
                .partitioner("uploadApplyLines", uploadLinePartitions)
                .step(uploadApplyLines)
                .gridSize(properties.parallelism())
                .taskExecutor(importWorkers)
                .listener(progress.forStep("Applying", step -> jdbcClient
                        .sql(RowAction.inline("select count(*) from staged_contact"
                                + " where import_id = :id and action in ({INSERT}, {UPDATE})"))
                        .param("id", importId(step)).query(Long.class).single(),
                        step -> StagingSteps.partitionsTotal(step, "uploadApplyLines", StepExecution::getWriteCount)))
                .build();
    }

    @Bean
    public Step uploadApplyLines(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            UploadApplyTasklet uploadApplyTasklet) {
        return new StepBuilder("uploadApplyLines", jobRepository)
                .tasklet(uploadApplyTasklet, transactionManager)
                .build();
    }

    @Bean
    @StepScope
    public Partitioner uploadLinePartitions(JdbcClient jdbcClient, ContactBatchProperties properties,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        return UploadPartitions.lines(jdbcClient, importId(stepExecution), properties.partitionMinRows());
    }

    @Bean
    @StepScope
    public UploadPrepareTasklet uploadPrepareTasklet(DataSource dataSource,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        return new UploadPrepareTasklet(dataSource, options(stepExecution), importId(stepExecution));
    }

    @Bean
    @StepScope
    public UploadVerifyTasklet uploadVerifyTasklet(JdbcClient jdbcClient,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        return new UploadVerifyTasklet(jdbcClient, options(stepExecution), importId(stepExecution));
    }

    /** The rows of one partition of {@code uploadStage}. */
    @Bean
    @StepScope
    public RowSourceItemReader uploadReader(@Value("#{stepExecution}") StepExecution stepExecution) {
        return StagingSteps.reader("uploadReader", options(stepExecution), stepExecution);
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
            JobRepository jobRepository, ContactBatchProperties properties,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        ExecutionContext partition = stepExecution.getExecutionContext();
        return new UploadApplyTasklet(jdbcClient, transactionManager, options(stepExecution), importId(stepExecution),
                partition.getLong(UploadPartitions.FIRST_LINE), partition.getLong(UploadPartitions.LAST_LINE),
                properties.chunkSize() * 10, appliedAs(jobRepository, stepExecution.getJobExecution()));
    }

    /**
     * For the apply of a full dry run: the file's consent is recorded as given when the apply was first asked for,
     * by whoever asked (the dry run recorded nothing). Its first execution says both, the same for every row
     * however often the apply is continued, and by whomever. Null for an upload, which records its own start.
     */
    private static UploadApplyTasklet.ConsentStamp appliedAs(JobRepository jobRepository, JobExecution execution) {
        if (!execution.getJobInstance().getJobName().equals(UploadOptions.APPLY_JOB)) {
            return null;
        }
        JobExecution first = jobRepository.getJobExecutions(execution.getJobInstance()).stream()
                .min(java.util.Comparator.comparingLong(JobExecution::getId)).orElse(execution);
        return new UploadApplyTasklet.ConsentStamp(
                first.getCreateTime().atZone(java.time.ZoneId.systemDefault()).toOffsetDateTime(),
                UploadOptions.from(first.getJobParameters()).by());
    }

    @Bean
    public UploadReportsListener uploadReportsListener(ImportReports importReports,
            ContactBatchProperties properties) {
        return new UploadReportsListener(importReports, properties.reportsDir());
    }

    private static UploadOptions options(StepExecution stepExecution) {
        return UploadOptions.from(stepExecution.getJobParameters());
    }

    /** An upload's id: see {@link UploadOptions#importId}. */
    static long importId(StepExecution stepExecution) {
        return UploadOptions.importId(stepExecution.getJobExecution());
    }
}
