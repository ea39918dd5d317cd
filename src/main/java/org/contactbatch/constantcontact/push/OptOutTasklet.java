package org.contactbatch.constantcontact.push;

import java.util.Map;
import java.util.Set;

import org.contactbatch.constantcontact.client.ApiException;
import org.contactbatch.constantcontact.client.ConstantContactClient;
import org.contactbatch.constantcontact.client.QuotaExceededException;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Step 4 of a push: a person who asked here not to be emailed (consent {@code opted_out}) is unsubscribed in
 * Constant Contact, so no campaign to any list reaches them — in every run, whatever it selects, for every
 * such contact this application sent (or whose account id it knows) and has not unsubscribed there yet. The
 * documented way: read the contact, then {@code PUT} it back whole with {@code permission_to_send}
 * {@code unsubscribed} and {@code update_source} {@code Contact} (the person asked). One contact per
 * transaction. Nothing here ever sets anyone back to subscribed, and a contact that is only inactive, or
 * whose consent is unknown, is never unsubscribed: that cannot be undone from here.
 */
public class OptOutTasklet implements Tasklet {

    static final String PLANNED = "optOutsPlanned";
    static final String REASON = "asked not to be emailed";

    private final ConstantContactClient client;
    private final JdbcClient jdbc;
    private final long runId;
    private final boolean dryRun;

    /** @param dryRun only list who would be unsubscribed (the plan shows them) */
    public OptOutTasklet(ConstantContactClient client, JdbcClient jdbc, long runId, boolean dryRun) {
        this.client = client;
        this.jdbc = jdbc;
        this.runId = runId;
        this.dryRun = dryRun;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ExecutionContext step = chunkContext.getStepContext().getStepExecution().getExecutionContext();
        if (!step.containsKey(PLANNED)) {
            jdbc.sql("""
                    insert into cc_push_unsubscribe (run_id, contact_id, email, cc_contact_id)
                    select :run, c.id, c.email, c.cc_contact_id from contact c
                    where c.consent_state = 'opted_out' and not c.cc_unsubscribed and c.email is not null
                      and (c.cc_contact_id is not null or c.cc_pushed_at is not null)
                    on conflict do nothing""").param("run", runId).update();
            step.putString(PLANNED, "yes");
            return dryRun ? RepeatStatus.FINISHED : RepeatStatus.CONTINUABLE;
        }
        Map<String, Object> next = jdbc.sql("""
                select contact_id, email, cc_contact_id::text as cc_contact_id from cc_push_unsubscribe
                where run_id = :run and outcome is null order by contact_id limit 1""")
                .param("run", runId).query().listOfRows().stream().findFirst().orElse(null);
        if (next == null) {
            return RepeatStatus.FINISHED;
        }
        long contactId = ((Number) next.get("contact_id")).longValue();
        try {
            String id = next.get("cc_contact_id") != null ? next.get("cc_contact_id").toString()
                    : ContactRewrite.idByEmail(client, next.get("email").toString()).orElse(null);
            if (id == null) {
                outcome(contactId, 'M', "not in Constant Contact: nothing to unsubscribe there");
            }
            else {
                unsubscribe(id);
                outcome(contactId, 'O', null);
                jdbc.sql("update contact set cc_unsubscribed = true, cc_contact_id = cast(:id as uuid) where id = :contact")
                        .param("id", id).param("contact", contactId).update();
                jdbc.sql("delete from cc_managed_member where contact_id = :contact").param("contact", contactId).update();
                contribution.incrementWriteCount(1);
            }
        }
        catch (QuotaExceededException e) {
            return PushStops.quotaExceeded(chunkContext, e);
        }
        catch (ApiException e) {
            if (e.status() == 404) {
                outcome(contactId, 'M', "not in Constant Contact: nothing to unsubscribe there");
            }
            else {
                outcome(contactId, 'E', "Constant Contact refused the unsubscribe (" + e.getMessage() + "); tried again next run");
            }
        }
        return RepeatStatus.CONTINUABLE;
    }

    private void unsubscribe(String id) {
        JsonNode contact = client.contact(id);
        if ("unsubscribed".equals(contact.path("email_address").path("permission_to_send").asString())) {
            return; // already: nothing to change
        }
        ObjectNode body = ContactRewrite.body(contact, Set.of(), "unsubscribed", "Contact", Set.of());
        ((ObjectNode) body.get("email_address")).put("opt_out_reason", REASON);
        ContactRewrite.put(client, jdbc, id, body);
    }

    private void outcome(long contactId, char outcome, String message) {
        jdbc.sql("update cc_push_unsubscribe set outcome = :outcome, message = :message where run_id = :run and contact_id = :contact")
                .param("outcome", String.valueOf(outcome)).param("message", message).param("run", runId)
                .param("contact", contactId).update();
    }
}
