package org.contactbatch.constantcontact.push;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.contactbatch.constantcontact.ConstantContactProperties;
import org.contactbatch.constantcontact.client.ApiError;
import org.contactbatch.constantcontact.client.ConstantContactClient;
import org.contactbatch.constantcontact.client.QuotaExceededException;
import org.contactbatch.constantcontact.client.UncertainOutcomeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Step 5 of a push: sends the contacts to create or update through {@code contacts_json_import}
 * activities, waits for each to end, then reads the account back: what is recorded as sent is what the
 * account holds, never what was sent. Each call of {@link #execute} is one transaction doing one thing:
 * <ol>
 * <li>send the next import: the pending contacts of one set of lists, in contact order, as many as fit in
 * one request (at most 40,000 and under 4 MB, both settings); the activity is recorded and its contacts
 * marked in the same transaction, so a restart never sends them again (were the process killed between
 * the request and the commit, they are sent once more: an import is an upsert by email, so the account
 * ends the same);</li>
 * <li>when nothing is left to send, wait for the oldest unfinished activity and record its errors: the
 * account names a line of the import ({@code "Line 3: Email address is not valid."}), and line N is the
 * N-th contact of that import, as sent;</li>
 * <li>when every activity has ended, read back a page of the contacts the account changed since the run's
 * first import ({@link AccountReader});</li>
 * <li>after the last page, judge each contact sent: confirmed when the account holds it, not deleted, not
 * unsubscribed, on every list of its import; only those get their hash and join the managed-list
 * bookkeeping. The others keep their old hash (they are sent again next run) and go to the report with
 * why. Contacts the account changed meanwhile that this run did not send are sent again next run.</li>
 * <li>then the follow-ups of what was confirmed: the old addresses of changed emails taken off the lists
 * ({@link EmailChanges}), and the fields cleared here cleared there ({@link FieldClearing}).</li>
 * </ol>
 */
public class PushSendTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(PushSendTasklet.class);
    private static final Pattern EMAIL = Pattern.compile("[^\\s'\"<>(),;:]+@[^\\s'\"<>(),;:]+");
    private static final Pattern LINE = Pattern.compile("^\\s*line\\s+(\\d+)\\b", Pattern.CASE_INSENSITIVE);
    static final String READ_BACK_NEXT = "readBackNext";
    static final String READ_BACK_DONE = "readBackDone";
    static final String EMAIL_CHANGES = "emailChangesRecorded";
    /** How far before its first import a run's read-back starts: the account's clock is the only one used. */
    static final java.time.Duration READ_BACK_MARGIN = java.time.Duration.ofMinutes(1);
    /** How far this machine's clock may be off the account's when looking for an import by its time. */
    static final java.time.Duration CLOCK_MARGIN = java.time.Duration.ofMinutes(5);
    /** Imports sent, each after looking for the one before, before a run gives up (and can be restarted). */
    static final int UNCERTAIN_ATTEMPTS = 4;

    private final ConstantContactClient client;
    private final ActivityPoller poller;
    private final JdbcClient jdbc;
    private final AccountReader reader;
    private final ConstantContactProperties.ImportLimits limits;
    private final String managedListId;
    private final long runId;
    private final java.time.Duration settle;
    private final EmailChanges emailChanges;
    private final FieldClearing fieldClearing;

    /** @param settle how long to let an import that got no answer settle before looking for it */
    public PushSendTasklet(ConstantContactClient client, ActivityPoller poller, JdbcClient jdbc, AccountReader reader,
            ConstantContactProperties.ImportLimits limits, String managedListId, long runId, java.time.Duration settle) {
        this.client = client;
        this.poller = poller;
        this.jdbc = jdbc;
        this.reader = reader;
        this.settle = settle;
        this.limits = limits;
        this.managedListId = managedListId;
        this.runId = runId;
        this.emailChanges = new EmailChanges(client, poller, jdbc, managedListId, runId);
        this.fieldClearing = new FieldClearing(client, jdbc, runId);
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        try {
            ExecutionContext context = chunkContext.getStepContext().getStepExecution().getExecutionContext();
            if (!context.containsKey(EMAIL_CHANGES)) {
                emailChanges.recordOldAddresses();
                context.putString(EMAIL_CHANGES, "yes");
            }
            if (sendNext(contribution)) {
                return RepeatStatus.CONTINUABLE;
            }
            if (finishNext()) {
                return RepeatStatus.CONTINUABLE;
            }
            ExecutionContext step = chunkContext.getStepContext().getStepExecution().getExecutionContext();
            if (!step.containsKey(READ_BACK_DONE)) {
                String page = step.containsKey(READ_BACK_NEXT) ? step.getString(READ_BACK_NEXT) : firstReadBack();
                String next = page == null ? null : reader.readPage(page, AccountReader.READ_BACK);
                if (next != null) {
                    step.putString(READ_BACK_NEXT, next);
                    return RepeatStatus.CONTINUABLE;
                }
                judge();
                step.putString(READ_BACK_DONE, "yes");
                return RepeatStatus.CONTINUABLE;
            }
            if (emailChanges.takeOldAddressesOff() || fieldClearing.clearNext()) {
                return RepeatStatus.CONTINUABLE;
            }
            return RepeatStatus.FINISHED;
        }
        catch (QuotaExceededException e) {
            return PushStops.quotaExceeded(chunkContext, e);
        }
    }

    private record Pending(long contactId, String payload, int bytes) {
    }

    private boolean sendNext(StepContribution contribution) {
        String listKey = jdbc.sql("""
                select min(list_key) from cc_push_item
                where run_id = :run and action in ('C', 'U') and activity_id is null""")
                .param("run", runId).query(String.class).optional().orElse(null);
        if (listKey == null) {
            return false;
        }
        byte[] prefix = "{\"import_data\":[".getBytes(StandardCharsets.UTF_8);
        StringBuilder suffixText = new StringBuilder("],\"list_ids\":[");
        String[] listIds = listKey.split(",");
        for (int i = 0; i < listIds.length; i++) {
            suffixText.append(i == 0 ? "" : ",").append('"').append(listIds[i]).append('"');
        }
        byte[] suffix = suffixText.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        List<Pending> batch = new ArrayList<>();
        long[] size = {prefix.length + suffix.length};
        boolean[] full = {false};
        jdbc.sql("""
                select contact_id, payload, bytes from cc_push_item
                where run_id = :run and action in ('C', 'U') and activity_id is null and list_key = :key
                order by contact_id limit :max""")
                .param("run", runId).param("key", listKey).param("max", limits.maxContacts())
                .query(rs -> {
                    int bytes = rs.getInt(3);
                    int separator = batch.isEmpty() ? 0 : 1;
                    // the batch is a run of consecutive contacts: the first that does not fit ends it
                    if (!full[0] && size[0] + separator + bytes < limits.maxBytes()) {
                        size[0] += separator + bytes;
                        batch.add(new Pending(rs.getLong(1), rs.getString(2), bytes));
                    }
                    else {
                        full[0] = true;
                    }
                });
        if (batch.isEmpty()) {
            throw new IllegalStateException("contact " + firstPending(listKey) + " alone is larger than "
                    + limits.maxBytes() + " bytes");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream((int) size[0]);
        body.writeBytes(prefix);
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(batch.get(i).payload().getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(suffix);
        JsonNode activity = send(body.toByteArray(), batch.size());
        String activityId = activity.path("activity_id").asString();
        long first = batch.get(0).contactId();
        long last = batch.get(batch.size() - 1).contactId();
        jdbc.sql("""
                insert into cc_push_activity (activity_id, run_id, kind, contacts, bytes, state)
                values (cast(:id as uuid), :run, 'import', :contacts, :bytes, :state)""")
                .param("id", activityId).param("run", runId).param("contacts", batch.size()).param("bytes", body.size())
                .param("state", activity.path("state").asString("initialized")).update();
        // line N of the import is its N-th contact, as the body above was written
        int marked = jdbc.sql("""
                update cc_push_item i set activity_id = cast(:id as uuid), line = n.line
                from (select contact_id, row_number() over (order by contact_id) as line from cc_push_item
                      where run_id = :run and action in ('C', 'U') and activity_id is null and list_key = :key
                        and contact_id between :first and :last) n
                where i.run_id = :run and i.contact_id = n.contact_id""")
                .param("id", activityId).param("run", runId).param("key", listKey).param("first", first).param("last", last)
                .update();
        if (marked != batch.size()) {
            throw new IllegalStateException("marked " + marked + " contacts for activity " + activityId + ", sent " + batch.size());
        }
        contribution.incrementWriteCount(batch.size());
        log.info("Import activity {}: {} contacts, {} bytes", activityId, batch.size(), body.size());
        return true;
    }

    /**
     * Sends an import. One that got no clear answer may have started anyway: after a pause, the account's recent
     * activities are looked through for an import of this many contacts, made since just before it was sent and
     * not known here; that one is taken as this batch's. Only when there is none is the batch sent again.
     */
    private JsonNode send(byte[] body, int contacts) {
        UncertainOutcomeException last = null;
        for (int attempt = 0; attempt < UNCERTAIN_ATTEMPTS; attempt++) {
            java.time.Instant sentAt = java.time.Instant.now();
            try {
                return client.importContacts(body);
            }
            catch (UncertainOutcomeException e) {
                last = e;
                log.warn("{}: looking for the import it may have started before sending it again", e.getMessage());
                pause();
                JsonNode made = startedSince(sentAt.minus(CLOCK_MARGIN), contacts);
                if (made != null) {
                    log.info("Import activity {} was started by the request that got no answer: not sent again",
                            made.path("activity_id").asString());
                    return made;
                }
            }
        }
        throw last;
    }

    private JsonNode startedSince(java.time.Instant since, int contacts) {
        java.util.Set<String> known = new java.util.HashSet<>(jdbc.sql(
                "select activity_id::text from cc_push_activity where created_at > now() - interval '11 days'")
                .query(String.class).list());
        for (JsonNode activity : client.activities()) {
            String created = activity.path("created_at").asString(null);
            JsonNode total = activity.path("status").path("items_total_count");
            if (created != null && !known.contains(activity.path("activity_id").asString())
                    && !java.time.OffsetDateTime.parse(created).toInstant().isBefore(since)
                    && (total.isMissingNode() || total.asInt() == contacts)) {
                return activity;
            }
        }
        return null;
    }

    private void pause() {
        try {
            Thread.sleep(settle.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking for an import activity", e);
        }
    }

    /** The contacts an error names, by line of the import or by email, marked refused; how many it named. */
    private int refuse(String activityId, String error) {
        Matcher line = LINE.matcher(error);
        if (line.find()) {
            return jdbc.sql("""
                    update cc_push_item set outcome = 'E', code = 'CC_REJECTED', message = :message
                    where activity_id = cast(:id as uuid) and line = :line and outcome is null""")
                    .param("message", error).param("id", activityId).param("line", Integer.parseInt(line.group(1)))
                    .update();
        }
        int named = 0;
        Matcher email = EMAIL.matcher(error);
        while (email.find()) {
            named += jdbc.sql("""
                    update cc_push_item set outcome = 'E', code = 'CC_REJECTED', message = :message
                    where activity_id = cast(:id as uuid) and lower(email) = :email and outcome is null""")
                    .param("message", error).param("id", activityId).param("email", email.group().toLowerCase(Locale.ROOT))
                    .update();
        }
        return named;
    }

    /** The first page of the read-back: from the last read of the account's changes, or just before the first import. */
    private String firstReadBack() {
        return jdbc.sql("""
                select least(min(coalesce(a.cc_created_at, a.created_at)) - cast(:margin as interval),
                             (select cast(value as timestamptz) from cc_sync_state where key = :cursor))
                from cc_push_activity a where a.run_id = :run and a.kind = 'import' having count(*) > 0""")
                .param("margin", READ_BACK_MARGIN.toSeconds() + " seconds").param("cursor", AccountChangesTasklet.CURSOR)
                .param("run", runId)
                .query(java.sql.Timestamp.class).optional().map(t -> AccountReader.firstPage(t.toInstant())).orElse(null);
    }

    /** Each contact sent, judged by what the account holds now (see the class comment). */
    private void judge() {
        // tens of thousands of rows just written: the planner's figures first, as the upload's check does
        jdbc.sql("analyze cc_push_seen").update();
        jdbc.sql("analyze cc_push_item").update();
        // a plain filter of the table (no DISTINCT): the planner joins it by its index on (run_id, phase, email);
        // a contact read twice (changed again while the pages were read) counts once for an update
        String seen = """
                (select email, cc_contact_id, permission, deleted, list_ids, updated_at
                 from cc_push_seen where run_id = :run and phase = 'R')""";
        // changed in the account while this run went on, and not sent by it: sent again next run
        jdbc.sql("""
                update contact c set cc_hash = null
                from %s s
                where lower(trim(c.email)) = s.email and c.cc_hash is not null
                  and (c.cc_seen_updated_at is null or s.updated_at > c.cc_seen_updated_at)
                  and not exists (select 1 from cc_push_item i
                                  where i.run_id = :run and i.contact_id = c.id and i.activity_id is not null)"""
                .formatted(seen)).param("run", runId).update();
        jdbc.sql("""
                with verdict as (
                    select i.contact_id,
                           case when s.email is null then 'CC_NOT_CONFIRMED'
                                when s.deleted then 'CC_DELETED'
                                when s.permission = 'unsubscribed' then 'CC_UNSUBSCRIBED'
                                when not string_to_array(i.list_key, ',') <@ string_to_array(coalesce(s.list_ids, ''), ',')
                                    then 'CC_NOT_ON_LISTS'
                           end as code
                    from cc_push_item i left join %s s on s.email = lower(trim(i.email))
                    where i.run_id = :run and i.activity_id is not null and i.outcome is null)
                update cc_push_item i
                set outcome = case when v.code is null then 'O' else 'E' end, code = coalesce(v.code, i.code),
                    message = coalesce(case v.code
                        when 'CC_NOT_CONFIRMED' then 'not in Constant Contact after the import, though no error named it; sent again next run'
                        when 'CC_DELETED' then 'deleted in Constant Contact, and the import did not restore it; sent again next run'
                        when 'CC_UNSUBSCRIBED' then 'unsubscribed in Constant Contact: it cannot be put on lists, and is never sent again'
                        when 'CC_NOT_ON_LISTS' then 'Constant Contact did not put it on every list of the import; sent again next run'
                    end, i.message)
                from verdict v
                where i.run_id = :run and i.contact_id = v.contact_id""".formatted(seen))
                .param("run", runId).update();
        // what the account says about every contact read: its id, when it last changed; who is unsubscribed there
        jdbc.sql("""
                update contact c set cc_contact_id = s.cc_contact_id, cc_seen_updated_at = s.updated_at, cc_email = s.email,
                    cc_unsubscribed = c.cc_unsubscribed or exists (select 1 from cc_push_item i
                        where i.run_id = :run and i.contact_id = c.id and i.code = 'CC_UNSUBSCRIBED')
                from %s s
                where lower(trim(c.email)) = s.email""".formatted(seen))
                .param("run", runId).update();
        jdbc.sql("""
                update contact c set cc_hash = i.hash, cc_pushed_at = now(), cc_sent = cast(i.payload as jsonb)
                from cc_push_item i
                where i.run_id = :run and i.activity_id is not null and i.outcome = 'O' and c.id = i.contact_id""")
                .param("run", runId).update();
        // every list it was put on (the managed list and its group lists), so that an exact run can take it off
        // exactly those it should no longer be on
        jdbc.sql("""
                insert into cc_managed_member (cc_list_id, contact_id)
                select distinct cast(unnest(string_to_array(list_key, ',')) as uuid), contact_id from cc_push_item
                where run_id = :run and activity_id is not null and outcome = 'O'
                on conflict do nothing""")
                .param("run", runId).update();
        AccountChangesTasklet.advanceCursor(jdbc, runId, AccountReader.READ_BACK);
    }

    private long firstPending(String listKey) {
        return jdbc.sql("select min(contact_id) from cc_push_item where run_id = :run and list_key = :key and activity_id is null")
                .param("run", runId).param("key", listKey).query(Long.class).single();
    }

    private boolean finishNext() {
        String activityId = jdbc.sql("""
                select activity_id::text from cc_push_activity
                where run_id = :run and kind = 'import' and finished_at is null order by created_at, activity_id limit 1""")
                .param("run", runId).query(String.class).optional().orElse(null);
        if (activityId == null) {
            return false;
        }
        JsonNode activity = poller.awaitEnd(activityId);
        String state = activity.path("state").asString();
        List<String> errors = new ArrayList<>();
        activity.path("activity_errors").forEach(e -> errors.add(ApiError.of(e).message()));
        jdbc.sql("""
                update cc_push_activity set state = :state, counters = cast(:counters as jsonb),
                    errors = cast(:errors as jsonb), finished_at = now(), cc_created_at = cast(:created as timestamptz)
                where activity_id = cast(:id as uuid)""")
                .param("state", state).param("counters", activity.path("status").toString())
                .param("errors", JsonMapper.shared().writeValueAsString(errors)).param("id", activityId)
                .param("created", activity.path("created_at").asString(null)).update();
        if (!state.equals("completed")) {
            jdbc.sql("""
                    update cc_push_item set outcome = 'E', code = 'CC_ACTIVITY_' || upper(:state),
                        message = 'Constant Contact''s import activity ' || :id || ' ended ' || :state || '; sent again next run'
                    where activity_id = cast(:id as uuid)""")
                    .param("state", state).param("id", activityId).update();
            return true;
        }
        int matched = 0;
        for (String error : errors) {
            matched += refuse(activityId, error);
        }
        JsonNode status = activity.path("status");
        long reported = status.path("error_count").asLong(0) + status.path("correctable_count").asLong(0);
        if (reported > matched) {
            log.warn("Import activity {} reported {} errors, {} of them name a line or an email of it: {}", activityId,
                    reported, matched, errors);
        }
        return true;
    }
}
