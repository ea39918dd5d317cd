package org.contactbatch.constantcontact.push;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.contactbatch.constantcontact.client.ApiException;
import org.contactbatch.constantcontact.client.ConstantContactClient;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The fields a push's contacts had when last sent and no longer have here ({@code cc_push_item.cleared}): an import
 * never blanks a field, so each such contact, once confirmed by the read-back, is read and put back without them
 * ({@link ContactRewrite}). Part of {@link PushSendTasklet}'s step, one contact per call.
 */
final class FieldClearing {

    private final ConstantContactClient client;
    private final JdbcClient jdbc;
    private final long runId;
    /** The account's custom field ids by import key ({@code cf:<name>}), read once: a push creates none after planning. */
    private Map<String, String> customFieldIds;

    FieldClearing(ConstantContactClient client, JdbcClient jdbc, long runId) {
        this.client = client;
        this.jdbc = jdbc;
        this.runId = runId;
    }

    /**
     * A field cleared here is cleared there: an import never blanks one, so the contact is read and put back
     * whole without it ({@code PUT /contacts/{id}} replaces every top-level field, and a custom_fields array
     * sent is the new full set). One contact per call, only for contacts this run confirmed; false when none
     * is left.
     */
    boolean clearNext() {
        Map<String, Object> next = jdbc.sql("""
                select i.contact_id, i.cleared, c.cc_contact_id::text as id from cc_push_item i join contact c on c.id = i.contact_id
                where i.run_id = :run and i.outcome = 'O' and i.cleared is not null and i.cleared_outcome is null
                  and c.cc_contact_id is not null
                order by i.contact_id limit 1""").param("run", runId).query().listOfRows().stream().findFirst().orElse(null);
        if (next == null) {
            return false;
        }
        long contactId = ((Number) next.get("contact_id")).longValue();
        Set<String> cleared = Set.of(next.get("cleared").toString().split(","));
        Set<String> clearedIds = cleared.stream().map(customFieldIds()::get).filter(java.util.Objects::nonNull)
                .collect(Collectors.toSet());
        String outcome = "O";
        String message = null;
        try {
            String id = next.get("id").toString();
            JsonNode contact = client.get("/contacts/" + id + "?include=custom_fields,phone_numbers,street_addresses");
            ContactRewrite.put(client, jdbc, id, ContactRewrite.body(contact, cleared, null, "Account", clearedIds));
        }
        catch (ApiException e) {
            outcome = "E";
            message = "Constant Contact refused to clear " + next.get("cleared") + ": " + e.getMessage();
        }
        jdbc.sql("""
                update cc_push_item set cleared_outcome = :outcome, message = coalesce(:message, message)
                where run_id = :run and contact_id = :contact""")
                .param("outcome", outcome).param("message", message).param("run", runId).param("contact", contactId).update();
        if (outcome.equals("E")) {
            // not what the account holds: sent again (and cleared again) next run
            jdbc.sql("update contact set cc_hash = null where id = :contact").param("contact", contactId).update();
        }
        return true;
    }

    private Map<String, String> customFieldIds() {
        if (customFieldIds == null) {
            Map<String, String> ids = new HashMap<>();
            jdbc.sql("select cc_name, cc_custom_field_id::text from cc_custom_field")
                    .query(rs -> { ids.put("cf:" + rs.getString(1), rs.getString(2)); });
            customFieldIds = ids;
        }
        return customFieldIds;
    }
}
