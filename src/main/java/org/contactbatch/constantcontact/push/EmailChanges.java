package org.contactbatch.constantcontact.push;

import java.util.List;

import org.contactbatch.constantcontact.client.ConstantContactClient;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A push's contacts whose email changed here ({@code EMAIL_CHANGED} in the plan): the new address is a contact of
 * its own in Constant Contact, created by the import with the lists; the contact under the old address is taken
 * off those lists once the new one is confirmed by the read-back ({@code cc_push_email_change}, listed in
 * {@code email-changed.csv}). Part of {@link PushSendTasklet}'s step, one thing per call.
 */
final class EmailChanges {

    private final ConstantContactClient client;
    private final ActivityPoller poller;
    private final JdbcClient jdbc;
    private final String managedListId;
    private final long runId;

    EmailChanges(ConstantContactClient client, ActivityPoller poller, JdbcClient jdbc, String managedListId, long runId) {
        this.client = client;
        this.poller = poller;
        this.jdbc = jdbc;
        this.managedListId = managedListId;
        this.runId = runId;
    }

    /** Before the read-back gives the contacts their new addresses' ids: the old addresses and ids, to take off. */
    void recordOldAddresses() {
        jdbc.sql("""
                insert into cc_push_email_change (run_id, contact_id, old_email, old_cc_contact_id)
                select :run, c.id, c.cc_email, c.cc_contact_id from cc_push_item i join contact c on c.id = i.contact_id
                where i.run_id = :run and i.code = :code
                on conflict do nothing""").param("run", runId).param("code", PushPlanProcessor.EMAIL_CHANGED).update();
    }

    /**
     * A contact whose email changed here, once its new address is confirmed: the contact under the old address is
     * taken off every list of this run (the managed list and the group lists; off a list it is not on is nothing),
     * 500 a request. One batch per call; false when none is left.
     */
    boolean takeOldAddressesOff() {
        // the new address not confirmed: the old one stays as it is, and the next run tries again
        jdbc.sql("""
                update cc_push_email_change e set outcome = 'E'
                from cc_push_item i where e.run_id = :run and i.run_id = :run and i.contact_id = e.contact_id
                  and i.outcome <> 'O' and e.outcome is null""").param("run", runId).update();
        for (String email : jdbc.sql("""
                select old_email from cc_push_email_change
                where run_id = :run and old_cc_contact_id is null and outcome is null""")
                .param("run", runId).query(String.class).list()) {
            String id = ContactRewrite.idByEmail(client, email).orElse(null);
            if (id == null) {
                jdbc.sql("update cc_push_email_change set outcome = 'M' where run_id = :run and old_email = :email and outcome is null")
                        .param("run", runId).param("email", email).update();
            }
            else {
                jdbc.sql("""
                        update cc_push_email_change set old_cc_contact_id = cast(:id as uuid)
                        where run_id = :run and old_email = :email and outcome is null""")
                        .param("id", id).param("run", runId).param("email", email).update();
            }
        }
        List<String> ids = jdbc.sql("""
                select old_cc_contact_id::text from cc_push_email_change
                where run_id = :run and old_cc_contact_id is not null and outcome is null order by contact_id limit 500""")
                .param("run", runId).query(String.class).list();
        if (ids.isEmpty()) {
            return false;
        }
        List<String> lists = jdbc.sql("""
                select distinct unnest(string_to_array(list_key, ',')) from cc_push_item
                where run_id = :run and list_key is not null
                union select :managed order by 1 limit 50""")
                .param("run", runId).param("managed", managedListId).query(String.class).list();
        JsonNode activity = client.removeFromLists(lists, ids);
        String activityId = activity.path("activity_id").asString();
        JsonNode ended = poller.awaitEnd(activityId);
        jdbc.sql("""
                update cc_push_email_change set activity_id = cast(:activity as uuid),
                    outcome = case when :state = 'completed' then 'O' else 'E' end
                where run_id = :run and old_cc_contact_id::text in (:ids) and outcome is null""")
                .param("activity", activityId).param("state", ended.path("state").asString()).param("run", runId)
                .param("ids", ids).update();
        return true;
    }
}
