package org.contactbatch.imports;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Works through an import in slices of ordered keys (lines, contact ids), one slice per
 * transaction. The last key done is saved in the step's context in the same transaction as the
 * slice, so a restart continues after it and nothing is applied twice.
 */
public abstract class SliceTasklet implements Tasklet {

    private final String savedKey;
    private final long before;

    /**
     * @param savedKey where the step's context keeps the last key done: part of the restart state,
     *                 so it never changes
     * @param before   the key before the first one to do
     */
    protected SliceTasklet(String savedKey, long before) {
        this.savedKey = savedKey;
        this.before = before;
    }

    // not final: step-scoped tasklets are class proxies, which must be able to hand this call on
    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ExecutionContext context = chunkContext.getStepContext().getStepExecution().getExecutionContext();
        long after = context.getLong(savedKey, before);
        long through = sliceEnd(after);
        if (through < 0) {
            return RepeatStatus.FINISHED;
        }
        contribution.incrementWriteCount(apply(after, through));
        context.putLong(savedKey, through);
        return RepeatStatus.CONTINUABLE;
    }

    /** The last key of the slice after this one, or -1 when there is nothing left. */
    protected abstract long sliceEnd(long after);

    /** Does the slice (after, through]; how many contacts it wrote. */
    protected abstract int apply(long after, long through);
}
