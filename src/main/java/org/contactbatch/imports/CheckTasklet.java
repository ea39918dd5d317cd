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
    private Boolean asciiLower;

    protected CheckTasklet(JdbcClient jdbc, long importId) {
        this.jdbc = jdbc;
        this.importId = importId;
    }

    // not final: step-scoped tasklets are class proxies, which must be able to hand this call on
    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        // the checks group a million staged rows by email: in the server's default 4 MB the hash spills to
        // disk in 21 batches (3.2-3.6 s for 1,000,000 rows); in 64 MB (twice that for a hash) it does not (2.7 s)
        jdbc.sql("set local work_mem = '64MB'").update();
        StagingPartition.index(jdbc, importId);
        check();
        return RepeatStatus.FINISHED;
    }

    /** The mode's checks, on the freshly staged rows of {@link #importId}. */
    protected abstract void check();

    /**
     * Rejects each row whose email, ignoring case as the contacts' unique key does, is on an earlier line of the
     * file, with one issue a row.
     *
     * @param skipRejected whether the earlier line counts only when its row is not rejected already
     * @param code         the code
     * @param message      the message, an SQL expression of {@code first_line} (the earlier line)
     * @param column       the file's email column, for the issue
     */
    protected final void rejectRepeatedEmails(boolean skipRejected, String code, String message, String column) {
        String key = emailKey("email");
        jdbc.sql(RowAction.inline("""
                with firsts as (
                    select %1$s as email_key, min(line) as first_line
                    from staged_contact
                    where import_id = :id and email is not null%2$s
                    group by 1
                    having count(*) > 1
                ), rejected as (
                    update staged_contact s set action = {REJECTED}
                    from firsts f
                    where s.import_id = :id and %3$s = f.email_key and s.line > f.first_line
                    returning s.line, f.first_line
                )
                insert into import_issue (import_id, line, severity, column_name, code, message)
                select :id, line, 'E', :column, :code, %4$s
                from rejected""".formatted(key, skipRejected ? " and action <> {REJECTED}" : "", emailKey("s.email"),
                        message)))
                .param("id", importId)
                .param("column", column)
                .param("code", code)
                .update();
    }

    /**
     * {@code lower(column)}, the contacts' email key, as an expression that is cheaper for the ASCII emails nearly
     * every file holds. PostgreSQL's {@code lower()} in a UTF-8 database goes through the locale's wide characters
     * for every character: grouping a million staged emails took 1.5-2.4 s of the server's CPU with it and 1.3-1.7 s
     * with this. For an email of ASCII characters alone (as many bytes as characters) the C collation's
     * {@code lower()} gives the same text by changing A-Z only; other emails still go through {@code lower()}.
     * That holds where the database's own {@code lower()} maps A-Z to a-z, which is not so in a Turkish locale
     * (I to dotless i), nor can bytes tell ASCII in a single-byte encoding: there it is {@code lower(column)}.
     */
    protected final String emailKey(String column) {
        if (asciiLower == null) {
            asciiLower = jdbc.sql("""
                    select current_setting('server_encoding') = 'UTF8'
                        and lower(cast('ABCDEFGHIJKLMNOPQRSTUVWXYZ' as text)) = 'abcdefghijklmnopqrstuvwxyz'""")
                    .query(Boolean.class).single();
        }
        return asciiLower
                ? "(case when octet_length(%1$s) = length(%1$s) then lower(%1$s collate \"C\") else lower(%1$s) end)"
                        .formatted(column)
                : "lower(" + column + ")";
    }
}
