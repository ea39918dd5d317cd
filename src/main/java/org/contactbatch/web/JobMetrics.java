package org.contactbatch.web;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * Per-job metrics for {@code /actuator/metrics} (and any Micrometer registry), recorded when a job
 * run in this process ends — started from the console or by the scheduler:
 * <ul>
 * <li>{@code contactbatch.job.duration} (timer; tags job, status)</li>
 * <li>{@code contactbatch.job.rows.read}, {@code .rows.written}, {@code .skips}, {@code .warnings}
 *     (counters; tag job), counted as the job's summary counts them</li>
 * <li>{@code contactbatch.job.throughput} (rows read a second over the whole run; distribution, tag job)
 *     and {@code contactbatch.job.last.throughput} (gauge: the last run's)</li>
 * <li>{@code contactbatch.step.throughput} and {@code contactbatch.step.skips} (tags job, step)</li>
 * </ul>
 * Spring Batch's own observations add {@code spring.batch.job} and {@code spring.batch.step} timers.
 */
public class JobMetrics implements JobExecutionListener {

    private final MeterRegistry registry;
    private final ExecutionSummaries summaries;
    private final Map<String, AtomicLong> lastThroughput = new ConcurrentHashMap<>();

    public JobMetrics(MeterRegistry registry, ExecutionSummaries summaries) {
        this.registry = registry;
        this.summaries = summaries;
    }

    @Override
    public void afterJob(JobExecution execution) {
        String job = execution.getJobInstance().getJobName();
        Duration took = execution.getStartTime() == null || execution.getEndTime() == null ? Duration.ZERO
                : Duration.between(execution.getStartTime(), execution.getEndTime());
        Timer.builder("contactbatch.job.duration").description("How long job runs took")
                .tag("job", job).tag("status", execution.getStatus().name())
                .register(registry).record(took);
        Map<String, Long> counts = summaries.fresh(execution).counts();
        long read = counts.getOrDefault("read", 0L);
        count("contactbatch.job.rows.read", "Rows jobs read", job, read);
        count("contactbatch.job.rows.written", "Rows jobs wrote", job, counts.getOrDefault("written", 0L));
        count("contactbatch.job.skips", "Rows jobs left out (listed in their failed-rows reports)", job,
                counts.getOrDefault("skipped", 0L));
        count("contactbatch.job.warnings", "Rows jobs took with a warning", job, counts.getOrDefault("warnings", 0L));
        if (took.toMillis() > 0 && read > 0) {
            long rate = Math.round(read * 1000.0 / took.toMillis());
            DistributionSummary.builder("contactbatch.job.throughput").description("Rows read a second, per run")
                    .baseUnit("rows/s").tag("job", job).register(registry).record(rate);
            lastThroughput.computeIfAbsent(job, name -> {
                AtomicLong holder = new AtomicLong();
                Gauge.builder("contactbatch.job.last.throughput", holder, AtomicLong::get)
                        .description("Rows read a second in the job's last run").baseUnit("rows/s")
                        .tag("job", name).register(registry);
                return holder;
            }).set(rate);
        }
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getStepName().contains(":") || step.getStartTime() == null || step.getEndTime() == null) {
                continue; // partitions are summed in their manager step
            }
            long millis = Duration.between(step.getStartTime(), step.getEndTime()).toMillis();
            long rows = Math.max(step.getReadCount(), step.getWriteCount());
            if (millis > 0 && rows > 0) {
                DistributionSummary.builder("contactbatch.step.throughput").description("Rows a step handled a second")
                        .baseUnit("rows/s").tag("job", job).tag("step", step.getStepName()).register(registry)
                        .record(Math.round(rows * 1000.0 / millis));
            }
            Counter.builder("contactbatch.step.skips").description("Items a step skipped")
                    .tag("job", job).tag("step", step.getStepName()).register(registry)
                    .increment(step.getSkipCount());
        }
    }

    private void count(String name, String description, String job, long amount) {
        Counter.builder(name).description(description).tag("job", job).register(registry).increment(amount);
    }
}
