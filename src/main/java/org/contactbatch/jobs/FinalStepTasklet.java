package org.contactbatch.jobs;

import java.util.function.Consumer;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * A job's last step for work that must happen before the job counts as done, like writing its
 * reports. Spring Batch 6 records a job COMPLETED before it calls the afterJob listeners, so work
 * left there is lost when the process dies at that moment; as a step, it is simply done again on
 * restart.
 */
public final class FinalStepTasklet implements Tasklet {

    private final Consumer<JobExecution> work;

    public FinalStepTasklet(Consumer<JobExecution> work) {
        this.work = work;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        work.accept(chunkContext.getStepContext().getStepExecution().getJobExecution());
        return RepeatStatus.FINISHED;
    }
}
