package org.contactbatch.constantcontact.push;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.contactbatch.constantcontact.ConstantContactProperties;
import org.contactbatch.constantcontact.client.ApiError;
import org.contactbatch.constantcontact.client.ConstantContactClient;
import org.contactbatch.constantcontact.client.QuotaExceededException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Step 4 of a push: sends the contacts to create or update through {@code contacts_json_import}
 * activities, then waits for each to end and reads its outcome. Each call of {@link #execute} is one
 * transaction doing one thing:
 * <ol>
 * <li>send the next import: the pending contacts of one set of lists, in contact order, as many as fit in
 * one request (at most 40,000 and under 4 MB, both settings); the activity is recorded and its contacts
 * marked in the same transaction, so a restart never sends them again (were the process killed between
 * the request and the commit, they are sent once more: an import is an upsert by email, so the account
 * ends the same);</li>
 * <li>when nothing is left to send, wait for the oldest unfinished activity and apply its outcome: the
 * contacts it applied get their hash and join the managed-list bookkeeping; those Constant Contact
 * reported errors for keep their old hash (they are tried again next time) and go to the report.</li>
 * </ol>
 */
public class PushSendTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(PushSendTasklet.class);
    private static final Pattern EMAIL = Pattern.compile("[^\\s'\"<>(),;:]+@[^\\s'\"<>(),;:]+");

    private final ConstantContactClient client;
    private final ActivityPoller poller;
    private final JdbcClient jdbc;
    private final ConstantContactProperties.ImportLimits limits;
    private final String managedListId;
    private final long runId;

    public PushSendTasklet(ConstantContactClient client, ActivityPoller poller, JdbcClient jdbc,
            ConstantContactProperties.ImportLimits limits, String managedListId, long runId) {
        this.client = client;
        this.poller = poller;
        this.jdbc = jdbc;
        this.limits = limits;
        this.managedListId = managedListId;
        this.runId = runId;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        try {
            if (sendNext(contribution)) {
                return RepeatStatus.CONTINUABLE;
            }
            if (finishNext()) {
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
        JsonNode activity = client.importContacts(body.toByteArray());
        String activityId = activity.path("activity_id").asString();
        long first = batch.get(0).contactId();
        long last = batch.get(batch.size() - 1).contactId();
        jdbc.sql("""
                insert into cc_push_activity (activity_id, run_id, kind, contacts, bytes, state)
                values (cast(:id as uuid), :run, 'import', :contacts, :bytes, :state)""")
                .param("id", activityId).param("run", runId).param("contacts", batch.size()).param("bytes", body.size())
                .param("state", activity.path("state").asString("initialized")).update();
        int marked = jdbc.sql("""
                update cc_push_item set activity_id = cast(:id as uuid)
                where run_id = :run and action in ('C', 'U') and activity_id is null and list_key = :key
                  and contact_id between :first and :last""")
                .param("id", activityId).param("run", runId).param("key", listKey).param("first", first).param("last", last)
                .update();
        if (marked != batch.size()) {
            throw new IllegalStateException("marked " + marked + " contacts for activity " + activityId + ", sent " + batch.size());
        }
        contribution.incrementWriteCount(batch.size());
        log.info("Import activity {}: {} contacts, {} bytes", activityId, batch.size(), body.size());
        return true;
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
                    errors = cast(:errors as jsonb), finished_at = now()
                where activity_id = cast(:id as uuid)""")
                .param("state", state).param("counters", activity.path("status").toString())
                .param("errors", JsonMapper.shared().writeValueAsString(errors)).param("id", activityId).update();
        if (!state.equals("completed")) {
            jdbc.sql("""
                    update cc_push_item set outcome = 'E', code = 'CC_ACTIVITY_' || upper(:state),
                        message = 'Constant Contact''s import activity ' || :id || ' ended ' || :state || '; sent again next run'
                    where activity_id = cast(:id as uuid)""")
                    .param("state", state).param("id", activityId).update();
            return true;
        }
        Set<String> rejected = new LinkedHashSet<>();
        for (String error : errors) {
            Matcher m = EMAIL.matcher(error);
            while (m.find()) {
                String email = m.group().toLowerCase(Locale.ROOT);
                int updated = jdbc.sql("""
                        update cc_push_item set outcome = 'E', code = 'CC_REJECTED', message = :message
                        where activity_id = cast(:id as uuid) and lower(email) = :email and outcome is null""")
                        .param("message", error).param("id", activityId).param("email", email).update();
                if (updated > 0) {
                    rejected.add(email);
                }
            }
        }
        jdbc.sql("update cc_push_item set outcome = 'O' where activity_id = cast(:id as uuid) and outcome is null")
                .param("id", activityId).update();
        jdbc.sql("""
                update contact c set cc_hash = i.hash, cc_pushed_at = now()
                from cc_push_item i
                where i.activity_id = cast(:id as uuid) and i.outcome = 'O' and c.id = i.contact_id""")
                .param("id", activityId).update();
        jdbc.sql("""
                insert into cc_managed_member (cc_list_id, contact_id)
                select cast(:list as uuid), contact_id from cc_push_item where activity_id = cast(:id as uuid) and outcome = 'O'
                on conflict do nothing""")
                .param("list", managedListId).param("id", activityId).update();
        JsonNode status = activity.path("status");
        long reported = status.path("error_count").asLong(0) + status.path("correctable_count").asLong(0);
        if (reported > rejected.size()) {
            log.warn("Import activity {} reported {} errors, {} of them could be matched to a contact: {}", activityId,
                    reported, rejected.size(), errors);
        }
        return true;
    }
}
