package org.contactbatch.export;

import java.nio.file.Path;

import javax.sql.DataSource;

import org.contactbatch.config.ContactBatchProperties;
import org.contactbatch.jobs.JobLiveness;
import org.contactbatch.jobs.Progress;
import org.contactbatch.reports.JobReports;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The export: prepare (decide the plan) → rows (spool the selected contacts, in parts side by side, a slice per
 * transaction) → finish (join the parts or make the workbook, move the file into place). Every step's name matches its bean, because restart
 * state is keyed by names.
 */
@Configuration(proxyBeanMethods = false)
public class ExportJobConfiguration {

    /**
     * Contacts per slice of the rows step, in chunks: a row costs the export far less than an upload (PostgreSQL
     * formats it, the app only copies it), so a slice is many chunks, 100,000 contacts by default. Each slice is a
     * query and a commit of the step's context: with 20,000 a slice, the 1M-contact export's rows took 2.1-2.7 s
     * against 1.9-2.2 s with 100,000 (PostgreSQL 15, same hour). A restart writes at most one slice a part again.
     */
    static final int SLICE_CHUNKS = 20;

    @Bean
    public Job export(JobRepository jobRepository, Step exportPrepare, Step exportRows, Step exportFinish,
            JobLiveness jobLiveness) {
        return new JobBuilder(ExportOptions.JOB_NAME, jobRepository)
                .listener(jobLiveness)
                .start(exportPrepare)
                .next(exportRows)
                .next(exportFinish)
                .build();
    }

    @Bean
    public Step exportPrepare(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ExportPrepareTasklet exportPrepareTasklet) {
        return new StepBuilder(ExportSteps.PREPARE, jobRepository)
                .tasklet(exportPrepareTasklet, transactionManager)
                .build();
    }

    /** Spools the selected contacts, in ranges of ids that run side by side (see {@link ExportPartitions}). */
    @Bean
    public Step exportRows(JobRepository jobRepository, Step exportRowsPart, Partitioner exportIdPartitions,
            AsyncTaskExecutor exportWorkers, ContactBatchProperties properties, JdbcClient jdbcClient,
            Progress progress) {
        return new StepBuilder(ExportSteps.ROWS, jobRepository)
                .partitioner(ExportSteps.ROWS_PART, exportIdPartitions)
                .step(exportRowsPart)
                .gridSize(properties.parallelism())
                .taskExecutor(exportWorkers)
                .listener(progress.forStep("Exporting",
                        step -> jdbcClient.sql(new ExportQuery(plan(jdbcClient, step)).count()).query(Long.class).single(),
                        ExportJobConfiguration::partitionsRows))
                .build();
    }

    @Bean
    public Step exportRowsPart(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ExportRowsTasklet exportRowsTasklet) {
        return new StepBuilder(ExportSteps.ROWS_PART, jobRepository)
                .tasklet(exportRowsTasklet, transactionManager)
                .stream(exportRowsTasklet)
                .build();
    }

    @Bean
    @StepScope
    public Partitioner exportIdPartitions(JdbcClient jdbcClient, ContactBatchProperties properties,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        return ExportPartitions.ids(jdbcClient, plan(jdbcClient, stepExecution), properties.partitionMinRows());
    }

    /** The threads the parts run on. */
    @Bean(destroyMethod = "shutdown")
    // declared as the interface: a ThreadPoolTaskExecutor is a SmartLifecycle and a context-closed
    // listener, which a lazy command-line context would create at start-up and at close only to
    // start and stop it; created when a job needs it, it is still stopped with the context
    public AsyncTaskExecutor exportWorkers(ContactBatchProperties properties) {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(properties.parallelism());
        executor.setThreadNamePrefix("export-");
        executor.setDaemon(true);
        executor.initialize();
        return executor;
    }

    /** The rows the parts have written so far, as they run. */
    private static long partitionsRows(StepExecution manager) {
        return manager.getJobExecution().getStepExecutions().stream()
                .filter(step -> step.getStepName().startsWith(ExportSteps.ROWS_PART + ":"))
                .mapToLong(step -> step.getExecutionContext().getLong(ExportRowsTasklet.ROWS, 0L)).sum();
    }

    @Bean
    public Step exportFinish(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ExportFinishTasklet exportFinishTasklet, JdbcClient jdbcClient, Progress progress) {
        return new StepBuilder(ExportSteps.FINISH, jobRepository)
                .tasklet(exportFinishTasklet, transactionManager)
                .listener(onlyForWorkbooks(jdbcClient, progress.forStep("Writing XLSX",
                        step -> ExportSteps.rowsExported(jobRepository, step.getJobExecution().getJobInstance(),
                                plan(jdbcClient, step).parts()),
                        step -> step.getExecutionContext().getLong(ExportFinishTasklet.XLSX_ROWS, 0L))))
                .build();
    }

    /** A CSV is only renamed at the end: no progress to show. */
    private static StepExecutionListener onlyForWorkbooks(JdbcClient jdbc, StepExecutionListener listener) {
        return new StepExecutionListener() {
            private boolean workbook;

            @Override
            public void beforeStep(StepExecution stepExecution) {
                workbook = plan(jdbc, stepExecution).format() == ExportFormat.XLSX;
                if (workbook) {
                    listener.beforeStep(stepExecution);
                }
            }

            @Override
            public ExitStatus afterStep(StepExecution stepExecution) {
                return workbook ? listener.afterStep(stepExecution) : null;
            }
        };
    }

    @Bean
    @StepScope
    public ExportPrepareTasklet exportPrepareTasklet(JdbcClient jdbcClient, DataSource dataSource,
            @Value("${contact-batch.exports-dir:exports}") Path exportsDir,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        return new ExportPrepareTasklet(jdbcClient, dataSource, ExportOptions.from(stepExecution.getJobParameters()),
                exportId(stepExecution), stepExecution.getJobExecutionId(), exportsDir);
    }

    @Bean
    @StepScope
    public ExportRowsTasklet exportRowsTasklet(DataSource dataSource, JdbcClient jdbcClient,
            ContactBatchProperties properties, @Value("#{stepExecution}") StepExecution stepExecution) {
        ExecutionContext partition = stepExecution.getExecutionContext();
        return new ExportRowsTasklet(dataSource, plan(jdbcClient, stepExecution),
                partition.getInt(ExportPartitions.PART), partition.getLong(ExportPartitions.AFTER_ID),
                partition.getLong(ExportPartitions.LAST_ID), Math.multiplyExact(SLICE_CHUNKS, properties.chunkSize()));
    }

    @Bean
    @StepScope
    public ExportFinishTasklet exportFinishTasklet(JdbcClient jdbcClient, JobRepository jobRepository,
            JobReports jobReports, @Value("#{stepExecution}") StepExecution stepExecution) {
        return new ExportFinishTasklet(jdbcClient, jobRepository, jobReports, plan(jdbcClient, stepExecution),
                new XlsxTableWriter());
    }

    private static ExportPlan plan(JdbcClient jdbc, StepExecution stepExecution) {
        long id = exportId(stepExecution);
        return ExportPlan.load(jdbc, id)
                .orElseThrow(() -> new IllegalStateException("export " + id + " has no plan; its first step did not run"));
    }

    /** An export's id is its job instance's: the same across every restart of that export. */
    static long exportId(StepExecution stepExecution) {
        return stepExecution.getJobExecution().getJobInstanceId();
    }
}
