package org.contactbatch.constantcontact.push;

import org.contactbatch.constantcontact.client.QuotaExceededException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * How a step stops cleanly when the day's request budget is used up: what it did so far is committed,
 * the step and the job end STOPPED with the reason in the job's context, and the next run (or
 * {@code jobs restart}) continues from there.
 */
final class PushStops {

    static final String STOP_REASON = "ccStopReason";
    private static final Logger log = LoggerFactory.getLogger(PushStops.class);

    private PushStops() {
    }

    static RepeatStatus quotaExceeded(ChunkContext chunkContext, QuotaExceededException e) {
        var step = chunkContext.getStepContext().getStepExecution();
        log.warn("Stopping {}: {}", step.getStepName(), e.getMessage());
        step.getJobExecution().getExecutionContext().putString(STOP_REASON, e.getMessage());
        step.setTerminateOnly();
        return RepeatStatus.FINISHED;
    }
}
