package org.contactbatch.constantcontact.push;

import java.util.List;
import java.util.Map;
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

    /** What an import's {@code phone} writes: the contact's phone of kind {@code other}. */
    static final String IMPORT_PHONE_KIND = "other";

    /** What an import's address columns write: the contact's address of kind {@code home}, part by part. */
    static final String IMPORT_ADDRESS_KIND = "home";

    /** The import's address columns, and the street address resource's properties they fill. */
    static final Map<String, String> ADDRESS_PARTS = Map.of("street", "street", "city", "city", "state", "state",
            "zip", "postal_code", "country", "country");

    /** What a PUT takes of a phone or an address (the rest of what a read gives is the account's own). */
    private static final List<String> PHONE_PUT = List.of("phone_number", "kind");
    private static final List<String> ADDRESS_PUT = List.of("kind", "street", "city", "state", "postal_code", "country");

    private ContactRewrite() {
    }

    /**
     * @param contact             the contact as read (with {@code include=custom_fields,phone_numbers,street_addresses}
     *                            when custom fields, the phone or the address are cleared)
     * @param clearFields         fields to clear, as an import names them: top-level ones are left out, {@code phone}
     *                            takes the phone an import writes off the phones, an address column takes that part off
     *                            the address an import writes (and the address, when nothing of it is left)
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
        if (clearFields.contains("phone")) {
            // the phones sent are the new full set: all but the one an import writes
            ArrayNode phones = body.putArray("phone_numbers");
            for (JsonNode phone : contact.path("phone_numbers")) {
                if (!IMPORT_PHONE_KIND.equals(phone.path("kind").asString())) {
                    phones.add(only(phone, PHONE_PUT));
                }
            }
        }
        List<String> addressCleared = ADDRESS_PARTS.keySet().stream().filter(clearFields::contains)
                .map(ADDRESS_PARTS::get).toList();
        if (!addressCleared.isEmpty()) {
            ArrayNode addresses = body.putArray("street_addresses");
            for (JsonNode street : contact.path("street_addresses")) {
                ObjectNode kept = only(street, ADDRESS_PUT);
                if (IMPORT_ADDRESS_KIND.equals(street.path("kind").asString())) {
                    addressCleared.forEach(kept::remove);
                    if (ADDRESS_PARTS.values().stream().noneMatch(kept::hasNonNull)) {
                        continue; // nothing of it is left here: no address of that kind there either
                    }
                }
                addresses.add(kept);
            }
        }
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

    private static ObjectNode only(JsonNode resource, List<String> properties) {
        ObjectNode copy = JsonMapper.shared().createObjectNode();
        for (String property : properties) {
            if (resource.hasNonNull(property)) {
                copy.set(property, resource.get(property));
            }
        }
        return copy;
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
