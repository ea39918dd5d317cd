package org.contactbatch.constantcontact.push;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import org.contactbatch.config.ContactBatchProperties;
import org.contactbatch.constantcontact.ConstantContactProperties;
import org.contactbatch.constantcontact.auth.DisconnectService;
import org.contactbatch.constantcontact.client.ConstantContactClient;
import org.contactbatch.constantcontact.client.RequestLog;
import org.contactbatch.reports.JobReports;
import org.contactbatch.jobs.JobLiveness;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Constant Contact push, {@code ccPush}, which keeps the account's managed list what this database selects: prepare (lists and custom fields exist, duplicates
 * set aside) → pull unsubscribes → the account's changes since the last read → unsubscribe there who opted
 * out here → plan (chunked: each selected
 * contact skipped, unchanged, created or updated) → send (bulk imports, waited for, read back) → remove (an
 * exact run: the managed list holds exactly the selection). The pull is {@link PullJobConfiguration}'s. Bean, step
 * and builder names agree: restart state is keyed by them.
 */
@Configuration(proxyBeanMethods = false)
public class PushJobConfiguration {

    /** What a dry run does in the steps that would change something here or there. */
    private static final Tasklet NOTHING = (contribution, chunkContext) -> RepeatStatus.FINISHED;

    public static final String PULL_JOB = PullJobConfiguration.PULL_JOB;
    public static final String AUDIT_JOB = "ccAudit";

    @Bean
    public Job ccPush(JobRepository jobRepository, Step ccPushPrepare, Step ccPushPull, Step ccPushChanges,
            Step ccPushOptOuts, Step ccPushPlan, Step ccPushSend, Step ccPushRemove, JobLiveness jobLiveness, SyncLog syncLog,
            PushReports pushReports,
            ContactBatchProperties properties, RequestLog requestLog, JobReports jobReports, DisconnectService disconnects) {
        return new JobBuilder(PushOptions.JOB_NAME, jobRepository)
                .validator(new RequiresConnection(disconnects))
                .listener(jobLiveness)
                .listener(new DebugLogListener(requestLog, jobReports, properties.reportsDir().resolve("cc-push")))
                .listener(new SyncLogListener(syncLog, pushReports, properties.reportsDir(), PushOptions.JOB_NAME))
                .start(ccPushPrepare)
                .next(ccPushPull)
                .next(ccPushChanges)
                .next(ccPushOptOuts)
                .next(ccPushPlan)
                .next(ccPushSend)
                .next(ccPushRemove)
                .build();
    }

    /**
     * {@code ccAudit}: the push's own prepare and plan, as a dry run (nothing is created or sent), then the
     * whole account read and compared with that plan ({@link AuditTasklet}).
     */
    @Bean
    public Job ccAudit(JobRepository jobRepository, Step ccPushPrepare, Step ccPushPlan, Step ccAuditCompare,
            JobLiveness jobLiveness, SyncLog syncLog, PushReports pushReports, ContactBatchProperties properties,
            RequestLog requestLog, JobReports jobReports, DisconnectService disconnects) {
        return new JobBuilder(AUDIT_JOB, jobRepository)
                .validator(new RequiresConnection(disconnects))
                .listener(jobLiveness)
                .listener(new DebugLogListener(requestLog, jobReports, properties.reportsDir().resolve("cc-audit")))
                .listener(new SyncLogListener(syncLog, pushReports, properties.reportsDir(), AUDIT_JOB))
                .start(ccPushPrepare)
                .next(ccPushPlan)
                .next(ccAuditCompare)
                .build();
    }

    @Bean
    public Step ccAuditCompare(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            AuditTasklet ccAuditTasklet) {
        return new StepBuilder("ccAuditCompare", jobRepository).tasklet(ccAuditTasklet, transactionManager).build();
    }

    @Bean
    @StepScope
    public AuditTasklet ccAuditTasklet(ConstantContactClient client, JdbcClient jdbc, DataSource dataSource,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        PushOptions options = options(stepExecution);
        long run = runId(stepExecution);
        var job = stepExecution.getJobExecution().getExecutionContext();
        Map<String, String> listIds = map(job.getString(PushPrepareTasklet.LIST_IDS));
        String managed = managedListId(stepExecution, options);
        java.util.List<String> groups = listIds.values().stream().filter(id -> !id.equals(managed)).toList();
        Map<String, String> customFieldNames = new HashMap<>();
        jdbc.sql("select cc_custom_field_id::text, cc_name from cc_custom_field")
                .query(rs -> { customFieldNames.put(rs.getString(1), rs.getString(2)); });
        // only what the push sends: a field mapped pull is the account's, and differs from this database by design
        Map<String, String> fieldNames = map(job.getString(PushPrepareTasklet.FIELD_NAMES));
        java.util.List<String> compared = new java.util.ArrayList<>();
        for (FieldMap.Field field : options.mapping().pushed()) {
            if (field.custom() && fieldNames.containsKey(field.label().toLowerCase(java.util.Locale.ROOT))) {
                compared.add("cf:" + fieldNames.get(field.label().toLowerCase(java.util.Locale.ROOT)));
            }
            else if (AccountReader.FIELDS.contains(field.there())) {
                compared.add(field.there());
            }
        }
        return new AuditTasklet(jdbc, new AccountReader(client, dataSource, run, customFieldNames), run, managed, groups,
                compared);
    }

    @Bean
    public Step ccPushPrepare(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            PushPrepareTasklet ccPushPrepareTasklet) {
        return new StepBuilder("ccPushPrepare", jobRepository).tasklet(ccPushPrepareTasklet, transactionManager).build();
    }

    @Bean
    @StepScope
    public PushPrepareTasklet ccPushPrepareTasklet(AccountSetup setup, JdbcClient jdbc, DataSource dataSource,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        return new PushPrepareTasklet(setup, jdbc, dataSource, options(stepExecution), runId(stepExecution));
    }

    @Bean
    public Step ccPushPull(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            Tasklet ccPushPullTasklet) {
        return new StepBuilder("ccPushPull", jobRepository).tasklet(ccPushPullTasklet, transactionManager).build();
    }

    @Bean
    @StepScope
    public Tasklet ccPushPullTasklet(ConstantContactClient client, JdbcClient jdbc,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        if (options(stepExecution).dryRun()) {
            // a dry run changes nothing here either: the unsubscribes are pulled by the next real run
            return NOTHING;
        }
        return new PullUnsubscribesTasklet(client, jdbc, runId(stepExecution));
    }

    @Bean
    public Step ccPushChanges(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            Tasklet ccPushChangesTasklet) {
        return new StepBuilder("ccPushChanges", jobRepository).tasklet(ccPushChangesTasklet, transactionManager).build();
    }

    @Bean
    @StepScope
    public Tasklet ccPushChangesTasklet(ConstantContactClient client, JdbcClient jdbc, DataSource dataSource,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        long run = runId(stepExecution);
        if (options(stepExecution).dryRun()) {
            // a dry run forgets no hash: the next real run reads the same changes
            return NOTHING;
        }
        return new AccountChangesTasklet(jdbc, new AccountReader(client, dataSource, run), run);
    }

    @Bean
    public Step ccPushOptOuts(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            OptOutTasklet ccPushOptOutsTasklet) {
        return new StepBuilder("ccPushOptOuts", jobRepository).tasklet(ccPushOptOutsTasklet, transactionManager).build();
    }

    @Bean
    @StepScope
    public OptOutTasklet ccPushOptOutsTasklet(ConstantContactClient client, JdbcClient jdbc,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        return new OptOutTasklet(client, jdbc, runId(stepExecution), options(stepExecution).dryRun());
    }

    @Bean
    public Step ccPushPlan(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ContactBatchProperties properties, JdbcPagingItemReader<ContactRow> ccPushReader,
            PushPlanProcessor ccPushProcessor, PushItemWriter ccPushWriter) {
        return new StepBuilder("ccPushPlan", jobRepository)
                .<ContactRow, PushItem>chunk(properties.chunkSize())
                .transactionManager(transactionManager)
                .reader(ccPushReader)
                .processor(ccPushProcessor)
                .writer(ccPushWriter)
                .build();
    }

    @Bean
    @StepScope
    public JdbcPagingItemReader<ContactRow> ccPushReader(DataSource dataSource, ContactBatchProperties properties,
            @Value("#{stepExecution}") StepExecution stepExecution) throws Exception {
        PushOptions options = options(stepExecution);
        PushSelection selection = PushSelection.of(options, runId(stepExecution));
        Map<String, Object> parameters = new HashMap<>(selection.parameters());
        parameters.put("run", runId(stepExecution));
        return new JdbcPagingItemReaderBuilder<ContactRow>()
                .name("ccPushReader")
                .dataSource(dataSource)
                .selectClause(ContactRow.COLUMNS)
                .fromClause("contact c")
                // the duplicates set aside by the prepare step are not planned again
                .whereClause(selection.where()
                        + " and not exists (select 1 from cc_push_item i where i.run_id = :run and i.contact_id = c.id)")
                .sortKeys(Map.of("id", Order.ASCENDING))
                .parameterValues(parameters)
                .pageSize(properties.chunkSize())
                .rowMapper(ContactRow.MAPPER)
                .build();
    }

    @Bean
    @StepScope
    public PushPlanProcessor ccPushProcessor(ConstantContactProperties properties,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        var job = stepExecution.getJobExecution().getExecutionContext();
        return new PushPlanProcessor(options(stepExecution), map(job.getString(PushPrepareTasklet.LIST_IDS)),
                map(job.getString(PushPrepareTasklet.FIELD_NAMES)), properties.importLimits().maxEmailLength());
    }

    @Bean
    @StepScope
    public PushItemWriter ccPushWriter(DataSource dataSource, @Value("#{stepExecution}") StepExecution stepExecution) {
        return new PushItemWriter(dataSource, runId(stepExecution));
    }

    @Bean
    public Step ccPushSend(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            Tasklet ccPushSendTasklet) {
        return new StepBuilder("ccPushSend", jobRepository).tasklet(ccPushSendTasklet, transactionManager).build();
    }

    @Bean
    @StepScope
    public Tasklet ccPushSendTasklet(ConstantContactClient client, ActivityPoller poller, JdbcClient jdbc,
            DataSource dataSource, ConstantContactProperties properties,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        PushOptions options = options(stepExecution);
        if (options.dryRun()) {
            return NOTHING;
        }
        AccountReader reader = new AccountReader(client, dataSource, runId(stepExecution));
        return new PushSendTasklet(client, poller, jdbc, reader, properties.importLimits(),
                managedListId(stepExecution, options), runId(stepExecution), properties.responseTimeout().multipliedBy(2));
    }

    @Bean
    public Step ccPushRemove(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            PushRemoveTasklet ccPushRemoveTasklet) {
        return new StepBuilder("ccPushRemove", jobRepository).tasklet(ccPushRemoveTasklet, transactionManager).build();
    }

    @Bean
    @StepScope
    public PushRemoveTasklet ccPushRemoveTasklet(ConstantContactClient client, ActivityPoller poller, JdbcClient jdbc,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        PushOptions options = options(stepExecution);
        return new PushRemoveTasklet(client, poller, jdbc, options, managedListId(stepExecution, options),
                runId(stepExecution));
    }

    private static String managedListId(StepExecution stepExecution, PushOptions options) {
        Map<String, String> listIds = map(stepExecution.getJobExecution().getExecutionContext()
                .getString(PushPrepareTasklet.LIST_IDS));
        return listIds.get(options.managedList().toLowerCase(Locale.ROOT));
    }

    private static Map<String, String> map(String json) {
        return JsonMapper.shared().readValue(json, new TypeReference<Map<String, String>>() {
        });
    }

    private static PushOptions options(StepExecution stepExecution) {
        return PushOptions.from(stepExecution.getJobParameters());
    }

    /** A push's id is its job instance's: the same across restarts. */
    static long runId(StepExecution stepExecution) {
        return stepExecution.getJobExecution().getJobInstanceId();
    }
}
