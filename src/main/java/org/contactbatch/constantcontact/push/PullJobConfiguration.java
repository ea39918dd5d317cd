package org.contactbatch.constantcontact.push;

import java.util.Map;

import javax.sql.DataSource;

import org.contactbatch.config.ContactBatchProperties;
import org.contactbatch.constantcontact.auth.DisconnectService;
import org.contactbatch.constantcontact.client.ConstantContactClient;
import org.contactbatch.constantcontact.client.RequestLog;
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
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The Constant Contact pull, {@code ccPull}: unsubscribes made there (the push's own first step, the same tasklet)
 * → the contacts the account created, changed or deleted since the profile's last pull, read a page per transaction
 * → each applied here (chunked: created, updated, unchanged, deactivated or skipped) → the profile's mark moved on.
 * Without a profile it pulls the unsubscribes alone, as it always has. Bean, step and builder names agree: restart
 * state is keyed by them.
 */
@Configuration(proxyBeanMethods = false)
public class PullJobConfiguration {

    public static final String PULL_JOB = "ccPull";

    @Bean
    public Job ccPull(JobRepository jobRepository, Step ccPullUnsubscribes, Step ccPullRead, Step ccPullApply,
            Step ccPullFinish, JobLiveness jobLiveness, SyncLog syncLog, PushReports pushReports,
            ContactBatchProperties properties, RequestLog requestLog, JobReports jobReports,
            DisconnectService disconnects) {
        return new JobBuilder(PULL_JOB, jobRepository)
                .validator(new RequiresConnection(disconnects))
                .listener(jobLiveness)
                .listener(new SyncLogListener(syncLog, pushReports, properties.reportsDir(), PULL_JOB))
                .listener(new DebugLogListener(requestLog, jobReports, properties.reportsDir().resolve("cc-pull")))
                .start(ccPullUnsubscribes)
                .next(ccPullRead)
                .next(ccPullApply)
                .next(ccPullFinish)
                .build();
    }

    @Bean
    public Step ccPullUnsubscribes(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            PullUnsubscribesTasklet ccPullTasklet) {
        return new StepBuilder("ccPullUnsubscribes", jobRepository).tasklet(ccPullTasklet, transactionManager).build();
    }

    @Bean
    @StepScope
    public PullUnsubscribesTasklet ccPullTasklet(ConstantContactClient client, JdbcClient jdbc,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        return new PullUnsubscribesTasklet(client, jdbc, PushJobConfiguration.runId(stepExecution));
    }

    @Bean
    public Step ccPullRead(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            PullReadTasklet ccPullReadTasklet, Progress progress) {
        return new StepBuilder("ccPullRead", jobRepository)
                .tasklet(ccPullReadTasklet, transactionManager)
                .listener(progress.forStep("Reading Constant Contact", step -> -1, StepExecution::getReadCount))
                .build();
    }

    @Bean
    @StepScope
    public PullReadTasklet ccPullReadTasklet(ConstantContactClient client, AccountSetup setup, JdbcClient jdbc,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        return new PullReadTasklet(client, setup, jdbc, options(stepExecution), PushJobConfiguration.runId(stepExecution));
    }

    @Bean
    public Step ccPullApply(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ContactBatchProperties properties, JdbcPagingItemReader<PullPlanProcessor.Seen> ccPullReader,
            PullPlanProcessor ccPullProcessor, PullItemWriter ccPullWriter, JdbcClient jdbc, Progress progress) {
        return new StepBuilder("ccPullApply", jobRepository)
                .<PullPlanProcessor.Seen, PullItem>chunk(Math.min(properties.chunkSize(), 500))
                .transactionManager(transactionManager)
                .reader(ccPullReader)
                .processor(ccPullProcessor)
                .writer(ccPullWriter)
                .listener(progress.forStep("Applying", step -> jdbc
                        .sql("select count(*) from cc_pull_seen where run_id = :run")
                        .param("run", PushJobConfiguration.runId(step)).query(Long.class).single(),
                        StepExecution::getReadCount))
                .build();
    }

    @Bean
    @StepScope
    public JdbcPagingItemReader<PullPlanProcessor.Seen> ccPullReader(DataSource dataSource,
            @Value("#{stepExecution}") StepExecution stepExecution) throws Exception {
        return new JdbcPagingItemReaderBuilder<PullPlanProcessor.Seen>()
                .name("ccPullReader")
                .dataSource(dataSource)
                .selectClause("cc_contact_id, deleted, contact::text as contact")
                .fromClause("cc_pull_seen")
                .whereClause("run_id = :run")
                .sortKeys(Map.of("cc_contact_id", Order.ASCENDING))
                .parameterValues(Map.of("run", PushJobConfiguration.runId(stepExecution)))
                .pageSize(500)
                .rowMapper((rs, n) -> new PullPlanProcessor.Seen(rs.getString("cc_contact_id"), rs.getBoolean("deleted"),
                        rs.getString("contact")))
                .build();
    }

    @Bean
    @StepScope
    public PullPlanProcessor ccPullProcessor(JdbcClient jdbc, ContactBatchProperties properties,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        return new PullPlanProcessor(jdbc, options(stepExecution), properties.defaultPhoneRegion());
    }

    @Bean
    @StepScope
    public PullItemWriter ccPullWriter(JdbcClient jdbc, @Value("#{stepExecution}") StepExecution stepExecution) {
        return new PullItemWriter(jdbc, PushJobConfiguration.runId(stepExecution));
    }

    @Bean
    public Step ccPullFinish(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            PullFinishTasklet ccPullFinishTasklet) {
        return new StepBuilder("ccPullFinish", jobRepository).tasklet(ccPullFinishTasklet, transactionManager).build();
    }

    @Bean
    @StepScope
    public PullFinishTasklet ccPullFinishTasklet(JdbcClient jdbc, @Value("#{stepExecution}") StepExecution stepExecution) {
        return new PullFinishTasklet(jdbc, options(stepExecution), PushJobConfiguration.runId(stepExecution));
    }

    private static PullOptions options(StepExecution stepExecution) {
        return PullOptions.from(stepExecution.getJobParameters());
    }
}
