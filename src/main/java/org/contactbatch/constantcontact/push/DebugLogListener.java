package org.contactbatch.constantcontact.push;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.contactbatch.constantcontact.client.RequestLog;
import org.contactbatch.reports.JobReports;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * A run whose options ask for it ({@code debug-log: true} in its profile) writes {@code debug-log.csv} beside its
 * other reports: the {@link RequestLog} records every request its steps send. The file is listed from the start,
 * so a run killed half way still has it; a restart writes its own.
 */
public class DebugLogListener implements JobExecutionListener {

    /** The report kind, as {@code jobs show} and the run's page list it. */
    public static final String KIND = "debug-log";

    private final RequestLog requests;
    private final JobReports reports;
    private final Path directory;
    /** Open recordings by job execution: one listener serves every run of its job, in any thread. */
    private final Map<Long, RequestLog.Recording> open = new ConcurrentHashMap<>();

    /** @param directory the job's reports folder ({@code reports/cc-push}): each run writes in its execution's folder */
    public DebugLogListener(RequestLog requests, JobReports reports, Path directory) {
        this.requests = requests;
        this.reports = reports;
        this.directory = directory;
    }

    /**
     * The run's parameters with the switch: a parameter that does not identify the run, so switching it on to look
     * into an interrupted run continues that run.
     */
    public static JobParameters switched(JobParameters parameters, boolean on) {
        return new JobParametersBuilder(parameters).addString(PushOptions.DEBUG_LOG, Boolean.toString(on), false)
                .toJobParameters();
    }

    public static boolean on(JobParameters parameters) {
        return "true".equals(parameters.getString(PushOptions.DEBUG_LOG));
    }

    @Override
    public void beforeJob(JobExecution execution) {
        if (!on(execution.getJobParameters())) {
            return;
        }
        Path file = directory.resolve(Long.toString(execution.getId())).resolve(KIND + ".csv");
        RequestLog.Recording recording = requests.start(file);
        open.put(execution.getId(), recording);
        reports.register(execution.getId(), KIND, file, 0);
    }

    @Override
    public void afterJob(JobExecution execution) {
        RequestLog.Recording recording = open.remove(execution.getId());
        if (recording != null) {
            recording.close();
            reports.register(execution.getId(), KIND, recording.file(), recording.rows());
        }
    }
}
