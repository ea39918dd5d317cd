package org.contactbatch.constantcontact.push;

import org.contactbatch.constantcontact.client.QuotaExceededException;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Step 3 of a push: what changed in the account since this application last read it — someone took a
 * contact off a list in Constant Contact's website, deleted it, edited a field. Reads, a page per
 * transaction, the contacts the account changed after the cursor ({@link #CURSOR}, the latest
 * {@code updated_at} any read has seen), and forgets the hash of each one whose {@code updated_at} is later
 * than the one the last read-back recorded for it: the plan then sends it again, so the account holds again
 * what this database says. A read-back's own imports are not changes: their {@code updated_at} was recorded.
 * The first push of an account has no cursor and reads nothing here. Opt-outs do not move {@code updated_at};
 * the pull step before this one reads those.
 */
public class AccountChangesTasklet implements Tasklet {

    /** The {@code cc_sync_state} key of the latest {@code updated_at} read from the account. */
    static final String CURSOR = "account_changes_after";
    static final String NEXT = "changesNext";
    static final String DONE = "changesRead";

    private final JdbcClient jdbc;
    private final AccountReader reader;
    private final long runId;

    public AccountChangesTasklet(JdbcClient jdbc, AccountReader reader, long runId) {
        this.jdbc = jdbc;
        this.reader = reader;
        this.runId = runId;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ExecutionContext step = chunkContext.getStepContext().getStepExecution().getExecutionContext();
        if (step.containsKey(DONE)) {
            return RepeatStatus.FINISHED;
        }
        try {
            String page = step.containsKey(NEXT) ? step.getString(NEXT) : jdbc.sql(
                    "select cast(value as timestamptz) from cc_sync_state where key = :key").param("key", CURSOR)
                    .query(java.sql.Timestamp.class).optional().map(t -> AccountReader.firstPage(t.toInstant())).orElse(null);
            String next = page == null ? null : reader.readPage(page, AccountReader.CHANGES);
            if (next != null) {
                step.putString(NEXT, next);
                return RepeatStatus.CONTINUABLE;
            }
        }
        catch (QuotaExceededException e) {
            return PushStops.quotaExceeded(chunkContext, e);
        }
        contribution.incrementReadCount();
        jdbc.sql("""
                update contact c set cc_hash = null
                from (select email, updated_at from cc_push_seen where run_id = :run and phase = 'C') s
                where lower(trim(c.email)) = s.email and c.cc_hash is not null
                  and (c.cc_seen_updated_at is null or s.updated_at > c.cc_seen_updated_at)""")
                .param("run", runId).update();
        advanceCursor(jdbc, runId, AccountReader.CHANGES);
        step.putString(DONE, "yes");
        return RepeatStatus.FINISHED;
    }

    /** Moves the cursor to the latest {@code updated_at} the run's {@code phase} read saw, never back. */
    static void advanceCursor(JdbcClient jdbc, long runId, char phase) {
        jdbc.sql("""
                insert into cc_sync_state (key, value, updated_at)
                select :key, max(updated_at)::text, now() from cc_push_seen
                where run_id = :run and phase = :phase and updated_at is not null having count(*) > 0
                on conflict (key) do update set value = greatest(cast(cc_sync_state.value as timestamptz),
                                                                 cast(excluded.value as timestamptz))::text,
                                                updated_at = now()""")
                .param("key", CURSOR).param("run", runId).param("phase", String.valueOf(phase)).update();
    }
}
