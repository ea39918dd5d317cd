package org.contactbatch.web;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.MultipartConfigElement;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.contactbatch.consent.ConsentRequests;
import org.contactbatch.jobs.ExecutionControl;
import org.contactbatch.jobs.ExecutionQueries;
import org.contactbatch.jobs.JobRunner;
import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.servlet.MultipartConfigFactory;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.servlet.ConfigurableServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.util.unit.DataSize;

/** The console's machinery: its job threads and the job metrics. Only when the app runs as a web app ({@code serve}). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class WebConsoleConfiguration {

    /** Jobs started from the console run here, so the request that started them answers at once. */
    @Bean(destroyMethod = "shutdown")
    ThreadPoolTaskExecutor consoleJobThreads(WebProperties properties) {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(properties.jobThreads());
        executor.setMaxPoolSize(properties.jobThreads());
        executor.setThreadNamePrefix("console-job-");
        executor.initialize();
        return executor;
    }

    /** Uploads stream to disk as they arrive; the size limit is the console's setting. */
    @Bean
    MultipartConfigElement consoleMultipartConfig(WebProperties properties) {
        MultipartConfigFactory factory = new MultipartConfigFactory();
        factory.setMaxFileSize(properties.maxUploadSize());
        // the form's other fields come with the file
        factory.setMaxRequestSize(DataSize.ofBytes(properties.maxUploadSize().toBytes() + DataSize.ofMegabytes(1).toBytes()));
        factory.setFileSizeThreshold(DataSize.ofKilobytes(64));
        return factory.createMultipartConfig();
    }

    /**
     * Tomcat answers an encoded slash in a path ({@code /reports/1%2F..%2Fx}) with its own 400 page;
     * let it through to Spring Security's firewall instead, which refuses it with the bare 404 every
     * other forged download address gets.
     */
    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> consoleEncodedSlashes() {
        return factory -> factory.addConnectorCustomizers(
                connector -> connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue()));
    }

    /** The console's port, unless {@code server.port} itself is set (as tests do, for a random port). */
    @Bean
    WebServerFactoryCustomizer<ConfigurableServletWebServerFactory> consolePort(WebProperties properties,
            Environment environment) {
        return factory -> {
            if (!environment.containsProperty("server.port")) {
                factory.setPort(properties.port());
            }
        };
    }

    @Bean
    ConsoleJobs consoleJobs(ThreadPoolTaskExecutor consoleJobThreads, JobRunner jobRunner, JobRepository jobRepository,
            ExecutionQueries executionQueries, ConsentRequests consentRequests, ExecutionControl executionControl,
            WebProperties properties) {
        return new ConsoleJobs(consoleJobThreads, jobRunner, jobRepository, executionQueries, consentRequests,
                executionControl, properties.startWait().toMillis());
    }

    @Bean
    JobMetrics jobMetrics(MeterRegistry meterRegistry, ExecutionSummaries executionSummaries) {
        return new JobMetrics(meterRegistry, executionSummaries);
    }

    /**
     * Adds the metrics listener to every job of the application, whichever feature defines it; looked
     * up when a job ends, so the registry is not created early by this post-processor.
     */
    @Bean
    static BeanPostProcessor jobMetricsListenerRegistrar(ObjectProvider<JobMetrics> jobMetrics) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof AbstractJob) {
                    ((AbstractJob) bean).registerJobExecutionListener(new JobExecutionListener() {
                        @Override
                        public void afterJob(JobExecution execution) {
                            jobMetrics.getObject().afterJob(execution);
                        }
                    });
                }
                return bean;
            }
        };
    }
}
