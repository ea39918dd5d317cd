package org.contactbatch.constantcontact.push;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
 * Step 6 of a push, in an exact run only: the managed list holds exactly the selected contacts, and each
 * of them is on exactly the group lists its groups say. This application records every list it put a
 * contact on ({@code cc_managed_member}); of the contacts it put on the managed list, whoever is no longer
 * selected (or is now skipped: deactivated, consent withdrawn) is taken off every list it put them on, and
 * whoever left a group is taken off that group's list. With {@code remove_list_memberships} activities of
 * 500 contacts each that name just those lists: no one is taken off a list this application did not put
 * them on, and no one is unsubscribed. One thing per transaction, as in {@link PushSendTasklet}: plan the
 * removals, find the Constant Contact ids that are not known yet, send a batch, wait for one.
 */
public class PushRemoveTasklet implements Tasklet {

    static final String PLANNED = "removalsPlanned";
    static final String IDS_RESOLVED = "removalIdsResolved";
    /** Up to this many unknown ids are looked up one by one; more, by reading the managed list's members. */
    static final int LOOKUP_ONE_BY_ONE = 20;

    private final ConstantContactClient client;
    private final ActivityPoller poller;
    private final JdbcClient jdbc;
    private final PushOptions options;
    private final String managedListId;
    private final long runId;

    public PushRemoveTasklet(ConstantContactClient client, ActivityPoller poller, JdbcClient jdbc, PushOptions options,
            String managedListId, long runId) {
        this.client = client;
        this.poller = poller;
        this.jdbc = jdbc;
        this.options = options;
        this.managedListId = managedListId;
        this.runId = runId;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        if (!options.exact() || managedListId.startsWith(AccountSetup.NEW)) {
            return RepeatStatus.FINISHED; // a list a dry run would create has no one to take off
        }
        ExecutionContext step = chunkContext.getStepContext().getStepExecution().getExecutionContext();
        if (!step.containsKey(PLANNED)) {
            plan();
            step.putString(PLANNED, "yes");
            return options.dryRun() ? RepeatStatus.FINISHED : RepeatStatus.CONTINUABLE;
        }
        if (options.dryRun()) {
            return RepeatStatus.FINISHED;
        }
        try {
            if (!step.containsKey(IDS_RESOLVED)) {
                resolveIds();
                step.putString(IDS_RESOLVED, "yes");
                return RepeatStatus.CONTINUABLE;
            }
            if (sendNext(contribution) || finishNext()) {
                return RepeatStatus.CONTINUABLE;
            }
            return RepeatStatus.FINISHED;
        }
        catch (QuotaExceededException e) {
            return PushStops.quotaExceeded(chunkContext, e);
        }
    }

    private void plan() {
        jdbc.sql("delete from cc_push_removal where run_id = :run").param("run", runId).update();
        // an unchanged contact is on the lists it was last sent with (what was sent, lists included, is confirmed)
        jdbc.sql("""
                insert into cc_managed_member (cc_list_id, contact_id)
                select distinct cast(unnest(string_to_array(list_key, ',')) as uuid), contact_id from cc_push_item
                where run_id = :run and action = 'N' and list_key is not null
                on conflict do nothing""")
                .param("run", runId).update();
        jdbc.sql("""
                insert into cc_push_removal (run_id, contact_id, email, cc_contact_id, lists)
                select :run, m.contact_id, c.email, c.cc_contact_id, string_agg(m.cc_list_id::text, ',' order by m.cc_list_id::text)
                from cc_managed_member m
                left join contact c on c.id = m.contact_id
                left join cc_push_item i on i.run_id = :run and i.contact_id = m.contact_id and i.action in ('C', 'U', 'N')
                where m.contact_id in (select contact_id from cc_managed_member where cc_list_id = cast(:list as uuid))
                  and (i.contact_id is null or not m.cc_list_id::text = any(string_to_array(coalesce(i.list_key, ''), ',')))
                group by m.contact_id, c.email, c.cc_contact_id""")
                .param("run", runId).param("list", managedListId).update();
    }

    /** Constant Contact ids of the contacts to take off, for those not known yet. */
    private void resolveIds() {
        List<String> unknown = jdbc.sql("""
                select email from cc_push_removal where run_id = :run and cc_contact_id is null and email is not null""")
                .param("run", runId).query(String.class).list();
        if (unknown.isEmpty()) {
            markMissing();
            return;
        }
        Map<String, String> ids = new HashMap<>();
        if (unknown.size() <= LOOKUP_ONE_BY_ONE) {
            for (String email : unknown) {
                JsonNode page = client.contacts(ConstantContactClient.contactsQuery(Map.of("email", email.trim(), "status", "all")));
                page.path("contacts").forEach(c -> ids.put(c.path("email_address").path("address").asString()
                        .toLowerCase(Locale.ROOT), c.path("contact_id").asString()));
            }
        }
        else {
            String next = ConstantContactClient.contactsQuery(Map.of("lists", managedListId, "limit", "500"));
            while (next != null) {
                JsonNode page = client.contacts(next);
                page.path("contacts").forEach(c -> ids.put(c.path("email_address").path("address").asString()
                        .toLowerCase(Locale.ROOT), c.path("contact_id").asString()));
                next = ConstantContactClient.nextLink(page);
            }
        }
        ids.forEach((email, id) -> {
            jdbc.sql("""
                    update cc_push_removal set cc_contact_id = cast(:id as uuid)
                    where run_id = :run and lower(trim(email)) = :email and cc_contact_id is null""")
                    .param("id", id).param("run", runId).param("email", email).update();
            jdbc.sql("update contact set cc_contact_id = cast(:id as uuid) where lower(trim(email)) = :email and cc_contact_id is null")
                    .param("id", id).param("email", email).update();
        });
        markMissing();
    }

    /** Not in the account (any more): nothing to take off; forget that it was put there. */
    private void markMissing() {
        jdbc.sql("""
                with missing as (
                    update cc_push_removal set outcome = 'M'
                    where run_id = :run and cc_contact_id is null and outcome is null
                    returning contact_id)
                delete from cc_managed_member m using missing
                where m.contact_id = missing.contact_id""")
                .param("run", runId).update();
    }

    private boolean sendNext(StepContribution contribution) {
        // one activity takes its contacts off the same lists: the contacts that leave the same lists go together
        String lists = jdbc.sql("""
                select min(lists) from cc_push_removal
                where run_id = :run and cc_contact_id is not null and activity_id is null and outcome is null""")
                .param("run", runId).query(String.class).optional().orElse(null);
        if (lists == null) {
            return false;
        }
        List<String> batch = jdbc.sql("""
                select cc_contact_id::text from cc_push_removal
                where run_id = :run and cc_contact_id is not null and activity_id is null and outcome is null and lists = :lists
                order by contact_id limit 500""")
                .param("run", runId).param("lists", lists).query(String.class).list();
        JsonNode activity = client.removeFromLists(List.of(lists.split(",")), batch);
        String activityId = activity.path("activity_id").asString();
        jdbc.sql("""
                insert into cc_push_activity (activity_id, run_id, kind, contacts, state)
                values (cast(:id as uuid), :run, 'remove', :contacts, :state)""")
                .param("id", activityId).param("run", runId).param("contacts", batch.size())
                .param("state", activity.path("state").asString("initialized")).update();
        jdbc.sql("""
                update cc_push_removal set activity_id = cast(:id as uuid)
                where run_id = :run and cc_contact_id::text in (:ids) and activity_id is null""")
                .param("id", activityId).param("run", runId).param("ids", batch).update();
        contribution.incrementWriteCount(batch.size());
        return true;
    }

    private boolean finishNext() {
        String activityId = jdbc.sql("""
                select activity_id::text from cc_push_activity
                where run_id = :run and kind = 'remove' and finished_at is null order by created_at, activity_id limit 1""")
                .param("run", runId).query(String.class).optional().orElse(null);
        if (activityId == null) {
            return false;
        }
        JsonNode activity = poller.awaitEnd(activityId);
        String state = activity.path("state").asString();
        jdbc.sql("""
                update cc_push_activity set state = :state, counters = cast(:counters as jsonb), finished_at = now()
                where activity_id = cast(:id as uuid)""")
                .param("state", state).param("counters", activity.path("status").toString()).param("id", activityId).update();
        if (state.equals("completed")) {
            jdbc.sql("""
                    with removed as (
                        update cc_push_removal set outcome = 'O' where activity_id = cast(:id as uuid)
                        returning contact_id, lists)
                    delete from cc_managed_member m using removed
                    where m.contact_id = removed.contact_id and m.cc_list_id::text = any(string_to_array(removed.lists, ','))""")
                    .param("id", activityId).update();
            // off the managed list now: what was sent last is no longer what the account holds, so when the contact
            // is selected again it is sent again (and put back on its lists), not found unchanged. One that only
            // left a group was sent this run with its new lists: its hash is what the account holds now.
            jdbc.sql("""
                    update contact c set cc_hash = null
                    from cc_push_removal r where r.activity_id = cast(:id as uuid) and c.id = r.contact_id
                      and :list = any(string_to_array(r.lists, ','))""")
                    .param("id", activityId).param("list", managedListId).update();
        }
        else {
            // not taken off: they stay in the bookkeeping and the next run tries again
            jdbc.sql("update cc_push_removal set outcome = 'E' where activity_id = cast(:id as uuid)")
                    .param("id", activityId).update();
        }
        return true;
    }
}
