package org.contactbatch.export;

import java.util.LinkedHashMap;
import java.util.Map;

import org.contactbatch.files.FileProblemException;
import org.contactbatch.jobs.Failures;
import org.contactbatch.jobs.JobRunner;
import org.contactbatch.jobs.JobSummarizer;
import org.contactbatch.jobs.JobSummary;
import org.contactbatch.reports.JobReports;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The counts and the file of an export. */
@Component
public class ExportSummary implements JobSummarizer {

    private final JdbcClient jdbc;
    private final JobRepository jobRepository;
    private final JobReports reports;

    public ExportSummary(JdbcClient jdbc, JobRepository jobRepository, JobReports reports) {
        this.jdbc = jdbc;
        this.jobRepository = jobRepository;
        this.reports = reports;
    }

    @Override
    public String jobName() {
        return ExportOptions.JOB_NAME;
    }

    @Override
    public JobSummary summarize(JobRunner.Launch launch) {
        JobExecution execution = launch.execution();
        int parts = ExportPlan.load(jdbc, execution.getJobInstanceId()).map(ExportPlan::parts).orElse(0);
        long rows = ExportSteps.rowsExported(jobRepository, execution.getJobInstance(), parts);
        ExecutionContext finish = ExportSteps.context(jobRepository, execution.getJobInstance(), ExportSteps.FINISH);
        long cut = finish.getLong(ExportFinishTasklet.CUT_CELLS, 0L);
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("read", rows);
        counts.put("written", execution.getStatus() == BatchStatus.COMPLETED ? rows : 0);
        counts.put("skipped", 0L);
        counts.put("warnings", cut);
        int sheets = finish.getInt(ExportFinishTasklet.SHEETS, 0);
        if (sheets > 1) {
            counts.put("sheets", (long) sheets);
        }
        Map<String, String> files = new LinkedHashMap<>();
        reports.forExecution(execution.getId()).forEach((kind, path) -> files.put(kind, path.toString()));
        String message = null;
        if (execution.getStatus().isUnsuccessful()) {
            message = Failures.message(execution, FileProblemException.class, IllegalArgumentException.class)
                    .orElse(null);
        }
        else if (cut > 0) {
            message = cut + (cut == 1 ? " cell was" : " cells were") + " longer than the 32,767 characters Excel "
                    + "holds and cut to that; export to CSV to keep them whole";
        }
        return new JobSummary(ExportOptions.JOB_NAME, execution.getId(), execution.getStatus().name(),
                launch.outcome().name(), counts, files, message);
    }
}
