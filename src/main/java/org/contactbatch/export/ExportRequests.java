package org.contactbatch.export;

import java.time.Instant;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/**
 * Makes "give the same command again" do the right thing for exports: continue the export that command began
 * when it was interrupted (killed, failed, stopped), and otherwise start a new one — an export is a snapshot, so
 * asking again tomorrow must write a new file, not answer that it was done before.
 */
@Component
public class ExportRequests {

    /** How far back an interrupted export of the same request is looked for. */
    private static final int RECENT = 200;

    private final JobRepository jobRepository;

    public ExportRequests(JobRepository jobRepository) {
        this.jobRepository = jobRepository;
    }

    /** The parameters of the newest export of this request when it did not complete, else those of a new run. */
    public JobParameters parametersFor(ExportOptions options) {
        for (JobInstance instance : jobRepository.getJobInstances(ExportOptions.JOB_NAME, 0, RECENT)) {
            JobExecution last = jobRepository.getLastJobExecution(instance);
            if (last == null || !options.sameRequest(last.getJobParameters())) {
                continue;
            }
            if (last.getStatus() == BatchStatus.COMPLETED || last.getStatus() == BatchStatus.ABANDONED) {
                break;
            }
            return options.withRun(last.getJobParameters().getString(ExportOptions.RUN)).toJobParameters();
        }
        return options.withRun(Instant.now().toString()).toJobParameters();
    }
}
