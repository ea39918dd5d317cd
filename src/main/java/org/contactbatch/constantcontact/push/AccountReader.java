package org.contactbatch.constantcontact.push;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.contactbatch.constantcontact.client.ConstantContactClient;
import org.contactbatch.db.CopyRows;
import tools.jackson.databind.JsonNode;

/**
 * Reads what the account holds, a page at a time: {@code GET /contacts?updated_after=…} of every status
 * (deleted ones too) with their list memberships, 500 a page. Each page goes into {@code cc_push_seen} of
 * the run, in the transaction of the step that asked for it, so a restarted step reads on from the page
 * after the last one committed.
 */
final class AccountReader {

    /** The account's changes since the last read (before planning). */
    static final char CHANGES = 'C';
    /** The read-back after the imports. */
    static final char READ_BACK = 'R';
    /** The audit's read of the whole account, with the fields. */
    static final char AUDIT = 'A';
    /** The top-level fields an import sets, compared by the audit. */
    static final java.util.List<String> FIELDS = java.util.List.of("first_name", "last_name", "job_title", "company_name");

    private static final String COPY = "copy cc_push_seen (run_id, phase, email, cc_contact_id, permission, deleted,"
            + " list_ids, updated_at, fields) from stdin";

    private final ConstantContactClient client;
    private final DataSource dataSource;
    private final long runId;
    private final Map<String, String> customFieldNames;

    AccountReader(ConstantContactClient client, DataSource dataSource, long runId) {
        this(client, dataSource, runId, null);
    }

    /** @param customFieldNames custom field id → name: the fields are kept too (the audit's read) */
    AccountReader(ConstantContactClient client, DataSource dataSource, long runId, Map<String, String> customFieldNames) {
        this.client = client;
        this.dataSource = dataSource;
        this.runId = runId;
        this.customFieldNames = customFieldNames;
    }

    /** The first page of every contact of the account, deleted ones too, with lists and custom fields. */
    static String everyContact() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("status", "all");
        query.put("include", "list_memberships,custom_fields");
        query.put("limit", "500");
        return ConstantContactClient.contactsQuery(query);
    }

    /** The first page of the contacts the account changed after {@code after}. */
    static String firstPage(Instant after) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("updated_after", after.toString());
        query.put("status", "all");
        query.put("include", "list_memberships");
        query.put("limit", "500");
        return ConstantContactClient.contactsQuery(query);
    }

    /**
     * Reads one page into the run's {@code phase} rows.
     *
     * @return the next page's href, null after the last
     */
    String readPage(String href, char phase) {
        JsonNode page = client.contacts(href);
        CopyRows rows = new CopyRows();
        for (JsonNode contact : page.path("contacts")) {
            String email = contact.path("email_address").path("address").asString(null);
            if (email == null) {
                continue; // an SMS-only contact: nothing this application sends
            }
            TreeSet<String> lists = new TreeSet<>();
            contact.path("list_memberships").forEach(id -> lists.add(id.asString()));
            String deletedAt = contact.path("deleted_at").asString(null);
            rows.number(runId).text(String.valueOf(phase)).text(email.trim().toLowerCase(Locale.ROOT))
                    .text(contact.path("contact_id").asString())
                    .text(contact.path("email_address").path("permission_to_send").asString(null))
                    .bool(deletedAt != null && !deletedAt.isBlank())
                    .text(String.join(",", lists))
                    .text(timestamp(contact.path("updated_at").asString(null)))
                    .text(customFieldNames == null ? null : fields(contact))
                    .endRow();
        }
        rows.copyInto(dataSource, COPY);
        return ConstantContactClient.nextLink(page);
    }

    /** The contact's fields as an import names them: first_name…, and cf:&lt;name&gt; for custom fields. */
    private String fields(JsonNode contact) {
        var object = tools.jackson.databind.json.JsonMapper.shared().createObjectNode();
        for (String field : FIELDS) {
            if (contact.hasNonNull(field) && !contact.get(field).asString().isEmpty()) {
                object.put(field, contact.get(field).asString());
            }
        }
        for (JsonNode custom : contact.path("custom_fields")) {
            String name = customFieldNames.get(custom.path("custom_field_id").asString());
            String value = custom.path("value").asString(null);
            if (name != null && value != null && !value.isEmpty()) {
                object.put("cf:" + name, value);
            }
        }
        return object.toString();
    }

    private static String timestamp(String value) {
        return value == null || value.isBlank() ? null : OffsetDateTime.parse(value).toInstant().toString();
    }
}
