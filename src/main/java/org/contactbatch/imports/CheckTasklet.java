package org.contactbatch.imports;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The check step of an import: the mode's rules across rows and against the database, set-based
 * in SQL. One transaction, so a restart repeats it whole or finds it done.
 */
public abstract class CheckTasklet implements Tasklet {

    protected final JdbcClient jdbc;
    protected final long importId;

    protected CheckTasklet(JdbcClient jdbc, long importId) {
        this.jdbc = jdbc;
        this.importId = importId;
    }

    // not final: step-scoped tasklets are class proxies, which must be able to hand this call on
    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        // the staging table holds every earlier import too: without fresh statistics the planner takes
        // this import for a handful of rows and picks nested loops that never finish on a million
        jdbc.sql("analyze staged_contact").update();
        check();
        return RepeatStatus.FINISHED;
    }

    /** The mode's checks, on the freshly staged rows of {@link #importId}. */
    protected abstract void check();
}
