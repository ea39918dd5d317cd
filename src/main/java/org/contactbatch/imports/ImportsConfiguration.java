package org.contactbatch.imports;

import org.contactbatch.config.ContactBatchProperties;
import org.contactbatch.jobs.Progress;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/** What every import job runs on. */
@Configuration(proxyBeanMethods = false)
public class ImportsConfiguration {

    /** The threads an import's partitions run on; as many as there are cores. */
    @Bean(destroyMethod = "shutdown")
    // declared as the interface: a ThreadPoolTaskExecutor is a SmartLifecycle and a context-closed
    // listener, which a lazy command-line context would create at start-up and at close only to
    // start and stop it; created when a job needs it, it is still stopped with the context
    public AsyncTaskExecutor importWorkers(ContactBatchProperties properties) {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(properties.parallelism());
        executor.setThreadNamePrefix("import-");
        executor.setDaemon(true);
        executor.initialize();
        return executor;
    }

    /** How upload and re-import stage a file's rows: in partitions, on {@link #importWorkers}. */
    @Bean
    public StagingSteps stagingSteps(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ContactBatchProperties properties, AsyncTaskExecutor importWorkers, Progress progress) {
        return new StagingSteps(jobRepository, transactionManager, properties, importWorkers, progress);
    }
}
