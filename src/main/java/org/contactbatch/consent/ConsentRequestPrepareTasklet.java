package org.contactbatch.consent;

import java.sql.Timestamp;
import java.time.Instant;

import org.contactbatch.imports.RowAction;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A run's first step: decides, in one transaction, whom the run emails, by queueing one message per person in
 * {@code consent_message}. Asking an upload: its contacts that are {@code pending} with an email, except those
 * asked by another request lately (their reminder is not due yet: they are counted, not emailed); a
 * {@code confirmed} or opted-out contact is never pending, so never asked. Reminding: first the requests
 * nobody answered in time expire, then each request still open whose first message is older than the
 * reminder delay gets its one reminder.
 */
public class ConsentRequestPrepareTasklet implements Tasklet {

    static final String ALREADY_PENDING = "alreadyPending";

    private final JdbcClient jdbc;
    private final ConsentProperties properties;
    private final ConsentRequestOptions options;
    private final long runId;

    public ConsentRequestPrepareTasklet(JdbcClient jdbc, ConsentProperties properties, ConsentRequestOptions options,
            long runId) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.options = options;
        this.runId = runId;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        long queued;
        if (options.kind() == ConsentRequestOptions.Kind.REQUEST) {
            queued = ask(Instant.now());
            chunkContext.getStepContext().getStepExecution().getExecutionContext()
                    .putLong(ALREADY_PENDING, alreadyPending(Instant.now()));
        }
        else {
            expire(options.at());
            queued = remind(options.at());
        }
        contribution.incrementWriteCount(queued);
        return RepeatStatus.FINISHED;
    }

    /** The upload's contacts, as the push selects an upload's: those it created and those it updated. */
    private static final String UPLOADED = RowAction.inline("""
            (c.source_import_id = :upload
             or c.id in (select s.contact_id from staged_contact s where s.import_id = :upload and s.action = {UPDATE}))""");

    /** Asked by another request, and its last message is too recent for a reminder to be due. */
    private static final String ASKED_LATELY = """
            exists (select 1 from consent_request_contact o
                    where o.contact_id = c.id and o.state = 'pending' and o.request_id <> :run
                      and (coalesce(o.reminded_at, o.first_sent_at) > :remindBefore
                           or o.first_sent_at is null
                              and exists (select 1 from consent_message m
                                          where m.request_id = o.request_id and m.contact_id = o.contact_id
                                            and m.status in ('queued', 'sending'))))""";

    private long ask(Instant now) {
        int request = jdbc.sql("""
                insert into consent_request (id, import_id, file_name, created_by)
                select :run, b.id, b.file_name, coalesce(nullif(:by, ''), b.created_by) from import_batch b where b.id = :upload
                on conflict (id) do nothing""")
                .param("run", runId).param("upload", options.uploadId()).param("by", options.by()).update();
        if (request == 0 && jdbc.sql("select count(*) from consent_request where id = :run").param("run", runId)
                .query(Long.class).single() == 0) {
            throw new IllegalArgumentException("there is no upload " + options.uploadId());
        }
        Timestamp at = Timestamp.from(now);
        Timestamp remindBefore = Timestamp.from(now.minus(properties.reminderAfter()));
        // an older request of a contact asked again now is over: one open request per person
        jdbc.sql("""
                update consent_request_contact o set state = 'expired', answered_at = :now, expired_by = :run
                from contact c
                where o.contact_id = c.id and o.state = 'pending' and o.request_id <> :run
                  and c.consent_state = 'pending' and c.email is not null and %s and not %s"""
                .formatted(UPLOADED, ASKED_LATELY))
                .param("run", runId).param("upload", options.uploadId()).param("now", at)
                .param("remindBefore", remindBefore).update();
        return jdbc.sql("""
                with asked as (
                    insert into consent_request_contact (request_id, contact_id, email)
                    select :run, c.id, c.email from contact c
                    where %s and c.consent_state = 'pending' and c.email is not null and not %s
                    on conflict do nothing
                    returning request_id, contact_id, email
                )
                insert into consent_message (run_id, request_id, contact_id, kind, email)
                select :run, request_id, contact_id, 'request', email from asked order by contact_id
                on conflict do nothing"""
                .formatted(UPLOADED, ASKED_LATELY))
                .param("run", runId).param("upload", options.uploadId()).param("now", at)
                .param("remindBefore", remindBefore).update();
    }

    private long alreadyPending(Instant now) {
        return jdbc.sql("""
                select count(*) from contact c
                where %s and c.consent_state = 'pending' and c.email is not null and %s"""
                .formatted(UPLOADED, ASKED_LATELY))
                .param("run", runId).param("upload", options.uploadId()).param("now", Timestamp.from(now))
                .param("remindBefore", Timestamp.from(now.minus(properties.reminderAfter())))
                .query(Long.class).single();
    }

    private void expire(Instant at) {
        jdbc.sql("""
                update consent_request_contact set state = 'expired', answered_at = :at, expired_by = :run
                where state = 'pending' and first_sent_at <= :expiredBefore""")
                .param("at", Timestamp.from(at)).param("run", runId)
                .param("expiredBefore", Timestamp.from(at.minus(properties.expireAfter())))
                .update();
    }

    private long remind(Instant at) {
        return jdbc.sql("""
                insert into consent_message (run_id, request_id, contact_id, kind, email)
                select :run, i.request_id, i.contact_id, 'reminder', c.email
                from consent_request_contact i join contact c on c.id = i.contact_id
                where i.state = 'pending' and i.reminded_at is null and i.first_sent_at <= :remindBefore
                  and c.consent_state = 'pending' and c.email is not null
                  and not exists (select 1 from consent_message m where m.request_id = i.request_id
                                  and m.contact_id = i.contact_id and m.kind = 'reminder')
                order by i.request_id, i.contact_id
                on conflict do nothing""")
                .param("run", runId).param("remindBefore", Timestamp.from(at.minus(properties.reminderAfter())))
                .update();
    }
}
