package org.contactbatch.constantcontact.push;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The pull's last step: every contact read was applied, so the profile's mark moves to the latest {@code updated_at}
 * the account gave (never back; to the start when nothing was read). Only here: a pull stopped or killed before
 * this leaves the mark where it was, and the next pull reads that stretch again.
 */
public class PullFinishTasklet implements Tasklet {

    private final JdbcClient jdbc;
    private final PullOptions options;
    private final long runId;

    public PullFinishTasklet(JdbcClient jdbc, PullOptions options, long runId) {
        this.jdbc = jdbc;
        this.options = options;
        this.runId = runId;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        if (options.profile() == null) {
            return RepeatStatus.FINISHED;
        }
        String start = chunkContext.getStepContext().getStepExecution().getJobExecution().getExecutionContext()
                .getString(PullReadTasklet.START);
        jdbc.sql("""
                insert into cc_sync_state (key, value, updated_at)
                select :key, coalesce((select max(updated_at) from cc_pull_seen where run_id = :run),
                                      cast(:start as timestamptz))::text, now()
                on conflict (key) do update set value = greatest(cast(cc_sync_state.value as timestamptz),
                                                                 cast(excluded.value as timestamptz))::text,
                                                updated_at = now()""")
                .param("key", options.watermarkKey()).param("run", runId).param("start", start).update();
        return RepeatStatus.FINISHED;
    }
}
