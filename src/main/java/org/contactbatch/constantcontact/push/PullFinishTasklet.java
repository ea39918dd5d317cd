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

    /**
     * After the push of a two-way sync: the push's imports moved the {@code updated_at} of every contact they sent,
     * so the next pull would read them all back (the push's own writes, a page for each 500). When every contact the
     * push saw changed in the account after the pull's mark is one this push sent, nobody else changed anything in
     * that stretch, and the mark moves past it. Anyone else's change seen there (a form, an edit in the website)
     * leaves the mark where it is, and the next pull reads the stretch.
     */
    static void passOwnWrites(JdbcClient jdbc, PullOptions options, long pushRunId) {
        jdbc.sql("""
                with mark as (select cast(value as timestamptz) as at from cc_sync_state where key = :key),
                     seen as (select s.email, s.updated_at,
                                     exists (select 1 from cc_push_item i where i.run_id = :run and i.activity_id is not null
                                                and lower(trim(i.email)) = s.email) as sent
                              from cc_push_seen s, mark
                              where s.run_id = :run and s.phase in ('C', 'R') and s.updated_at > mark.at)
                update cc_sync_state set value = (select max(updated_at) from seen)::text, updated_at = now()
                where key = :key and exists (select 1 from seen) and not exists (select 1 from seen where not sent)""")
                .param("key", options.watermarkKey()).param("run", pushRunId).update();
    }
}
