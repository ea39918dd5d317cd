package org.contactbatch.constantcontact.push;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.contactbatch.constantcontact.SetupException;
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
 * The pull's read: the contacts the account created or changed after the start ({@code updated_after}, with their
 * custom fields, list memberships, phones and addresses), then the ones it deleted since ({@code status=deleted},
 * which the first read leaves out). One page per transaction into {@code cc_pull_seen}, the next page's link kept
 * in the step's context, so a run stopped by the daily quota or killed goes on from the page after the last one
 * committed and reads no page twice. The start is where the last completed pull of the profile read up to, or the
 * first pull's {@code since}; the apply step after this one decides what each contact means here.
 */
public class PullReadTasklet implements Tasklet {

    static final String PASS = "pullPass";
    static final String NEXT = "pullNext";
    static final String START = "pullStart";
    static final String TOTAL = "pullTotal";
    static final String CHANGES = "changes";
    static final String DELETED = "deleted";
    static final String DONE = "done";
    /** What the first read asks for besides the contact: everything the profile can map. */
    static final String INCLUDE = "custom_fields,list_memberships,phone_numbers,street_addresses";

    private final ConstantContactClient client;
    private final AccountSetup setup;
    private final JdbcClient jdbc;
    private final PullOptions options;
    private final long runId;

    public PullReadTasklet(ConstantContactClient client, AccountSetup setup, JdbcClient jdbc, PullOptions options,
            long runId) {
        this.client = client;
        this.setup = setup;
        this.jdbc = jdbc;
        this.options = options;
        this.runId = runId;
    }

    /** Where a pull of these options starts: the last completed one's mark, else {@code since}; empty for neither. */
    static java.util.Optional<Instant> start(JdbcClient jdbc, PullOptions options) {
        java.util.Optional<Instant> mark = jdbc.sql("select cast(value as timestamptz) from cc_sync_state where key = :key")
                .param("key", options.watermarkKey()).query(Timestamp.class).optional().map(Timestamp::toInstant);
        return mark.isPresent() ? mark : java.util.Optional.ofNullable(options.since()).map(Instant::parse);
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ExecutionContext step = chunkContext.getStepContext().getStepExecution().getExecutionContext();
        if (options.profile() == null) {
            return RepeatStatus.FINISHED; // the pull of unsubscribes alone
        }
        try {
            if (!step.containsKey(PASS)) {
                Instant start = start(jdbc, options).orElseThrow(() -> new SetupException("the first pull of profile '"
                        + options.profile() + "' needs a start: give since: in the profile or --since DATE"));
                // the account's custom fields the profile maps, by id: read only, a pull never creates one there
                setup.customFields(options.customFields().values(), false);
                step.putString(START, start.toString());
                chunkContext.getStepContext().getStepExecution().getJobExecution().getExecutionContext()
                        .putString(START, start.toString());
                step.putString(PASS, CHANGES);
                step.putString(NEXT, firstPage(CHANGES, start));
            }
            String pass = step.getString(PASS);
            if (pass.equals(DONE)) {
                return RepeatStatus.FINISHED;
            }
            JsonNode page = client.contacts(step.getString(NEXT));
            if (page.has("contacts_count")) { // every page of the pass says it: the pass's total
                step.putLong(TOTAL + "." + pass, page.get("contacts_count").asLong());
            }
            page.path("contacts").forEach(contact -> contribution.incrementReadCount());
            keep(page.path("contacts"), pass.equals(DELETED));
            String following = ConstantContactClient.nextLink(page);
            if (following != null) {
                step.putString(NEXT, following);
            }
            else if (pass.equals(CHANGES)) {
                step.putString(PASS, DELETED);
                step.putString(NEXT, firstPage(DELETED, Instant.parse(step.getString(START))));
            }
            else {
                step.putString(PASS, DONE);
                return RepeatStatus.FINISHED;
            }
            return RepeatStatus.CONTINUABLE;
        }
        catch (QuotaExceededException e) {
            return PushStops.quotaExceeded(chunkContext, e);
        }
    }

    static String firstPage(String pass, Instant after) {
        Map<String, String> query = new LinkedHashMap<>();
        if (pass.equals(DELETED)) {
            query.put("status", "deleted");
        }
        query.put("updated_after", after.toString());
        if (pass.equals(CHANGES)) {
            query.put("include", INCLUDE);
        }
        query.put("include_count", "true");
        query.put("limit", "500");
        return ConstantContactClient.contactsQuery(query);
    }

    private void keep(JsonNode contacts, boolean deleted) {
        List<JsonNode> page = new ArrayList<>();
        contacts.forEach(page::add);
        for (JsonNode contact : page) {
            String updated = contact.path("updated_at").asString(null);
            jdbc.sql("""
                    insert into cc_pull_seen (run_id, cc_contact_id, deleted, updated_at, contact)
                    values (:run, cast(:id as uuid), :deleted, :updated, cast(:contact as jsonb))
                    on conflict (run_id, cc_contact_id) do update set deleted = excluded.deleted,
                        updated_at = excluded.updated_at, contact = excluded.contact""")
                    .param("run", runId).param("id", contact.path("contact_id").asString())
                    .param("deleted", deleted || contact.hasNonNull("deleted_at"))
                    .param("updated", updated == null ? null : Timestamp.from(OffsetDateTime.parse(updated).toInstant()))
                    .param("contact", contact.toString())
                    .update();
        }
    }
}
