package org.contactbatch.export;

import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/** The steps of an export and what they keep, read across the executions of a restarted export. */
final class ExportSteps {

    static final String PREPARE = "exportPrepare";
    static final String ROWS = "exportRows";
    static final String ROWS_PART = "exportRowsPart";
    static final String FINISH = "exportFinish";

    private ExportSteps() {
    }

    /** The rows in the spools, as last committed (a restart may have finished what an earlier execution began). */
    static long rowsExported(JobRepository jobRepository, JobInstance instance, int parts) {
        long rows = 0;
        for (int i = 0; i < parts; i++) {
            rows += context(jobRepository, instance, partStep(i)).getLong(ExportRowsTasklet.ROWS, 0L);
        }
        return rows;
    }

    /** The name of the step execution of part {@code i}, as Spring Batch's partitioning names it. */
    static String partStep(int part) {
        return ROWS_PART + ":ids" + part;
    }

    static ExecutionContext context(JobRepository jobRepository, JobInstance instance, String step) {
        StepExecution last = jobRepository.getLastStepExecution(instance, step);
        return last == null ? new ExecutionContext() : last.getExecutionContext();
    }
}
