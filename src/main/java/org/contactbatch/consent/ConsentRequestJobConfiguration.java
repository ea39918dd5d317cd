package org.contactbatch.consent;

import java.util.Map;

import javax.sql.DataSource;

import org.contactbatch.config.ContactBatchProperties;
import org.contactbatch.jobs.FinalStepTasklet;
import org.contactbatch.jobs.JobLiveness;
import org.contactbatch.jobs.Progress;
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
 * The consent request job: prepare (queue one message per person to ask or remind) → send (chunked, each
 * message claimed and settled in transactions of its own, at the configured rate) → reports. Every step's
 * name matches its bean, because restart state is keyed by names.
 */
@Configuration(proxyBeanMethods = false)
public class ConsentRequestJobConfiguration {

    static final String PREPARE = "consentRequestPrepare";
    static final String SEND = "consentRequestSend";
    static final String REPORTS = "consentRequestReports";
    /** Messages per chunk: sending is slow and rate-limited, so a chunk is short and the step's counts stay current. */
    static final int CHUNK = 20;

    @Bean
    public Job consentRequest(JobRepository jobRepository, Step consentRequestPrepare, Step consentRequestSend,
            Step consentRequestReports, JobLiveness jobLiveness) {
        return new JobBuilder(ConsentRequestOptions.JOB_NAME, jobRepository)
                .listener(jobLiveness)
                .start(consentRequestPrepare)
                .next(consentRequestSend)
                .next(consentRequestReports)
                .build();
    }

    @Bean
    public Step consentRequestPrepare(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ConsentRequestPrepareTasklet consentRequestPrepareTasklet) {
        return new StepBuilder(PREPARE, jobRepository)
                .tasklet(consentRequestPrepareTasklet, transactionManager)
                .build();
    }

    @Bean
    @StepScope
    public ConsentRequestPrepareTasklet consentRequestPrepareTasklet(JdbcClient jdbcClient, ConsentProperties properties,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        return new ConsentRequestPrepareTasklet(jdbcClient, properties,
                ConsentRequestOptions.from(stepExecution.getJobParameters()), runId(stepExecution));
    }

    @Bean
    public Step consentRequestSend(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            JdbcPagingItemReader<ConsentMessage> consentRequestReader, ConsentMessageWriter consentRequestWriter,
            JdbcClient jdbcClient, Progress progress) {
        return new StepBuilder(SEND, jobRepository)
                .<ConsentMessage, ConsentMessage>chunk(CHUNK)
                .transactionManager(transactionManager)
                .reader(consentRequestReader)
                .writer(consentRequestWriter)
                .listener(consentRequestWriter)
                .listener(progress.forStep("Sending consent requests",
                        step -> messages(jdbcClient, step, "true"), step -> messages(jdbcClient, step, "status <> 'queued'")))
                .build();
    }

    private static long messages(JdbcClient jdbc, StepExecution step, String condition) {
        return jdbc.sql("select count(*) from consent_message where run_id = :run and " + condition)
                .param("run", runId(step)).query(Long.class).single();
    }

    /** The run's messages still queued, by id: a restart reads only what is left, whatever it read before. */
    @Bean
    @StepScope
    public JdbcPagingItemReader<ConsentMessage> consentRequestReader(DataSource dataSource,
            @Value("#{stepExecution}") StepExecution stepExecution) throws Exception {
        return new JdbcPagingItemReaderBuilder<ConsentMessage>()
                .name("consentRequestReader")
                .dataSource(dataSource)
                .selectClause("*")
                .fromClause(ConsentMessage.FROM)
                .whereClause("run_id = :run and status = 'queued'")
                .sortKeys(Map.of("id", Order.ASCENDING))
                .parameterValues(Map.of("run", runId(stepExecution)))
                .pageSize(CHUNK)
                .saveState(false)
                .rowMapper(ConsentMessage.MAPPER)
                .build();
    }

    @Bean
    @StepScope
    public ConsentMessageWriter consentRequestWriter(JdbcClient jdbcClient, PlatformTransactionManager transactionManager,
            ConsentMailer consentMailer, ConsentEmails consentEmails, ConsentTokens consentTokens,
            ConsentProperties properties, @Value("#{stepExecution}") StepExecution stepExecution) {
        return new ConsentMessageWriter(jdbcClient, transactionManager, consentMailer, consentEmails, consentTokens,
                properties, runId(stepExecution));
    }

    @Bean
    public Step consentRequestReports(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ConsentReports consentReports, ContactBatchProperties properties) {
        return new StepBuilder(REPORTS, jobRepository)
                .tasklet(new FinalStepTasklet(execution -> consentReports.write(execution.getId(),
                        execution.getJobInstanceId(),
                        properties.reportsDir().resolve("consent-request").resolve(Long.toString(execution.getId())))),
                        transactionManager)
                .build();
    }

    /** A run's id is its job instance's: the same across every restart of that run. */
    static long runId(StepExecution stepExecution) {
        return stepExecution.getJobExecution().getJobInstanceId();
    }
}
