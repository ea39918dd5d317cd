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

    private static final String COPY = "copy cc_push_seen (run_id, phase, email, cc_contact_id, permission, deleted,"
            + " list_ids, updated_at) from stdin";

    private final ConstantContactClient client;
    private final DataSource dataSource;
    private final long runId;

    AccountReader(ConstantContactClient client, DataSource dataSource, long runId) {
        this.client = client;
        this.dataSource = dataSource;
        this.runId = runId;
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
                    .endRow();
        }
        rows.copyInto(dataSource, COPY);
        return ConstantContactClient.nextLink(page);
    }

    private static String timestamp(String value) {
        return value == null || value.isBlank() ? null : OffsetDateTime.parse(value).toInstant().toString();
    }
}
