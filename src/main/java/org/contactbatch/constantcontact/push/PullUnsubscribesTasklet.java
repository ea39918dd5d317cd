package org.contactbatch.constantcontact.push;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import org.contactbatch.constantcontact.client.ConstantContactClient;
import org.contactbatch.constantcontact.client.QuotaExceededException;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Pulls the unsubscribes made in Constant Contact since the last pull and marks those contacts here
 * ({@code cc_unsubscribed}): they are never sent again. Asks {@code GET /contacts?status=unsubscribed} with
 * {@code optout_after}, because {@code updated_after} does not move when someone opts out. One page per
 * transaction, the next page's link kept in the step's context; the time pulled up to is saved when the
 * last page is done, a little before the pull started, so an opt-out recorded late is not missed (pulling
 * one twice changes nothing).
 */
public class PullUnsubscribesTasklet implements Tasklet {

    public static final String WATERMARK = "unsubscribes.pulled-until";
    static final String NEXT = "nextPage";
    static final String STARTED = "pullStartedAt";
    static final Duration OVERLAP = Duration.ofMinutes(10);

    private final ConstantContactClient client;
    private final JdbcClient jdbc;
    private final long runId;

    public PullUnsubscribesTasklet(ConstantContactClient client, JdbcClient jdbc, long runId) {
        this.client = client;
        this.jdbc = jdbc;
        this.runId = runId;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ExecutionContext step = chunkContext.getStepContext().getStepExecution().getExecutionContext();
        if (!step.containsKey(NEXT)) {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("status", "unsubscribed");
            jdbc.sql("select value from cc_sync_state where key = :key").param("key", WATERMARK).query(String.class)
                    .optional().ifPresent(since -> query.put("optout_after", since));
            query.put("limit", "500");
            step.putString(NEXT, ConstantContactClient.contactsQuery(query));
            step.putString(STARTED, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        }
        String next = step.getString(NEXT);
        if (next.isEmpty()) {
            return RepeatStatus.FINISHED;
        }
        JsonNode page;
        try {
            page = client.contacts(next);
        }
        catch (QuotaExceededException e) {
            return PushStops.quotaExceeded(chunkContext, e);
        }
        for (JsonNode contact : page.path("contacts")) {
            JsonNode email = contact.path("email_address");
            String address = email.path("address").asString(null);
            if (address == null) {
                continue;
            }
            String optOut = email.path("opt_out_date").asString(null);
            int marked = jdbc.sql("""
                    with marked as (
                        update contact set cc_unsubscribed = true, cc_contact_id = coalesce(cc_contact_id, cast(:ccId as uuid))
                        where lower(trim(email)) = lower(:email) and not cc_unsubscribed
                        returning id)
                    insert into cc_unsubscribe_pulled (run_id, email, contact_id, cc_contact_id, opted_out_at)
                    select :run, :email, id, cast(:ccId as uuid), :at from marked
                    on conflict do nothing""")
                    .param("ccId", contact.path("contact_id").asString()).param("email", address).param("run", runId)
                    .param("at", optOut == null ? null : Timestamp.from(OffsetDateTime.parse(optOut).toInstant()))
                    .update();
            // Constant Contact takes an unsubscribed contact off every list: so does our bookkeeping
            jdbc.sql("delete from cc_managed_member where contact_id in (select id from contact where lower(trim(email)) = lower(:email))")
                    .param("email", address).update();
            contribution.incrementWriteCount(marked);
            contribution.incrementReadCount();
        }
        String following = ConstantContactClient.nextLink(page);
        step.putString(NEXT, following == null ? "" : following);
        if (following == null) {
            Instant until = Instant.parse(step.getString(STARTED)).minus(OVERLAP);
            jdbc.sql("""
                    insert into cc_sync_state (key, value) values (:key, :value)
                    on conflict (key) do update set value = excluded.value, updated_at = now()""")
                    .param("key", WATERMARK).param("value", until.toString()).update();
            return RepeatStatus.FINISHED;
        }
        return RepeatStatus.CONTINUABLE;
    }
}
