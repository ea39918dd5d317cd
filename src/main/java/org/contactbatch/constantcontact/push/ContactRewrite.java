package org.contactbatch.constantcontact.push;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.contactbatch.constantcontact.client.ConstantContactClient;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A read-modify-write of one contact, the documented way to change what an import can't: {@code PUT
 * /contacts/{id}} replaces every top-level field, so the body carries back all of them but the ones to clear;
 * sub-resources not in the body stay, and a {@code custom_fields} array sent is the new full set. The account's
 * new {@code updated_at} is recorded, so the next read of the account's changes does not take this program's
 * own change for someone else's.
 */
final class ContactRewrite {

    /** The top-level fields of a contact that a PUT replaces. */
    static final List<String> TOP_LEVEL = List.of("first_name", "last_name", "job_title", "company_name",
            "birthday_month", "birthday_day", "anniversary");

    private ContactRewrite() {
    }

    /**
     * @param contact             the contact as read (with {@code include=custom_fields} when custom fields go)
     * @param clearFields         top-level fields to leave out (cleared)
     * @param permission          the {@code permission_to_send} to send; null to send the current one back
     * @param clearCustomFieldIds custom fields to clear; empty to leave the custom fields alone
     */
    static ObjectNode body(JsonNode contact, Set<String> clearFields, String permission, String updateSource,
            Set<String> clearCustomFieldIds) {
        ObjectNode body = JsonMapper.shared().createObjectNode();
        for (String field : TOP_LEVEL) {
            if (contact.hasNonNull(field) && !clearFields.contains(field)) {
                body.set(field, contact.get(field));
            }
        }
        JsonNode current = contact.path("email_address");
        ObjectNode address = body.putObject("email_address");
        address.put("address", current.path("address").asString());
        address.put("permission_to_send", permission != null ? permission : current.path("permission_to_send").asString());
        if (!clearCustomFieldIds.isEmpty()) {
            ArrayNode fields = body.putArray("custom_fields");
            for (JsonNode field : contact.path("custom_fields")) {
                if (!clearCustomFieldIds.contains(field.path("custom_field_id").asString())) {
                    fields.add(field);
                }
            }
        }
        body.put("update_source", updateSource);
        return body;
    }

    /** Sends the body and records the account's new updated_at for the contact with that id. */
    static void put(ConstantContactClient client, JdbcClient jdbc, String contactId, ObjectNode body) {
        JsonNode updated = client.updateContact(contactId, body);
        String at = updated.path("updated_at").asString(null);
        if (at != null) {
            jdbc.sql("update contact set cc_seen_updated_at = cast(:at as timestamptz) where cc_contact_id = cast(:id as uuid)")
                    .param("at", at).param("id", contactId).update();
        }
    }

    /** The account's id of the contact with this email (deleted ones too), if it has one. */
    static Optional<String> idByEmail(ConstantContactClient client, String email) {
        JsonNode page = client.contacts(ConstantContactClient.contactsQuery(java.util.Map.of("email", email.trim(), "status", "all")));
        for (JsonNode contact : page.path("contacts")) {
            if (contact.path("email_address").path("address").asString().equalsIgnoreCase(email.trim())) {
                return Optional.of(contact.path("contact_id").asString());
            }
        }
        return Optional.empty();
    }
}
