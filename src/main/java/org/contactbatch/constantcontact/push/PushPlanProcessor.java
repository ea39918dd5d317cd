package org.contactbatch.constantcontact.push;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import org.springframework.batch.infrastructure.item.ItemProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decides for each selected contact what the push does: skip it (no email, no consent, unsubscribed in
 * Constant Contact, a value Constant Contact would refuse), leave it (what would be sent is what was
 * sent last time: the hash is the same), or send it, creating or updating. What is sent is the
 * {@code contacts_json_import} element with the chosen custom fields; the hash covers it and the lists.
 */
public class PushPlanProcessor implements ItemProcessor<ContactRow, PushItem> {

    private static final JsonMapper JSON = JsonMapper.shared();
    /** A phone number in a Constant Contact contact: at most 25 characters. */
    static final int MAX_PHONE = 25;
    static final String EMAIL_CHANGED = "EMAIL_CHANGED";
    /** What a PUT of the contact can clear, as an import names it: top-level fields, the phone, the address's parts. */
    static final java.util.Set<String> CLEARABLE = java.util.Set.of("first_name", "last_name", "job_title", "company_name",
            "phone", "street", "city", "state", "zip", "country");

    private final PushOptions options;
    private final FieldMap mapping;
    private java.util.Set<String> pushedKeys;
    private final Map<String, String> listIds;
    private final Map<String, String> fieldNames;
    private final int maxEmailLength;

    /**
     * @param listIds    Constant Contact list id by list name, lowercased
     * @param fieldNames Constant Contact custom field name (for {@code cf:}) by label, lowercased
     */
    public PushPlanProcessor(PushOptions options, Map<String, String> listIds, Map<String, String> fieldNames,
            int maxEmailLength) {
        this.options = options;
        this.mapping = options.mapping();
        this.listIds = listIds;
        this.fieldNames = fieldNames;
        this.maxEmailLength = maxEmailLength;
    }

    @Override
    public PushItem process(ContactRow contact) {
        String email = contact.email() == null ? null : contact.email().trim();
        if (email == null || email.isEmpty()) {
            return PushItem.skip(contact, "NO_EMAIL", "no email: the contact stays here and is not synced to Constant Contact");
        }
        String consent = contact.consentState() == null ? null : contact.consentState().toLowerCase(Locale.ROOT);
        if ("opted_out".equals(consent)) {
            return PushItem.skip(contact, "OPTED_OUT", "asked not to be emailed: never sent, and unsubscribed in "
                    + "Constant Contact if it is there");
        }
        if ("pending".equals(consent)) {
            // whatever the consent rule says: a person asked by email who has not said yes is never sent as subscribed
            return PushItem.skip(contact, "CONSENT_PENDING", "consent is pending: the person has not confirmed the "
                    + "consent request email; never sent until they do");
        }
        if (contact.ccUnsubscribed()) {
            return PushItem.skip(contact, "UNSUBSCRIBED",
                    "unsubscribed in Constant Contact: never sent again");
        }
        if (consent == null || !options.consent().contains(consent)) {
            return PushItem.skip(contact, "NO_CONSENT", "consent is " + (consent == null ? "not recorded" : consent)
                    + "; only " + String.join(" or ", options.consent()) + " contacts are sent");
        }
        ObjectNode row = JSON.createObjectNode();
        String tooLong = put(row, "email", email, maxEmailLength);
        JsonNode custom = contact.customFields() == null ? null : JSON.readTree(contact.customFields());
        // only the fields mapped push or both: a field mapped pull is the account's, and an import leaves it alone
        for (FieldMap.Field field : mapping.pushed()) {
            String value = sourceValue(contact, custom, field.here());
            if (field.custom()) {
                String name = fieldNames.get(field.label().toLowerCase(Locale.ROOT));
                tooLong = first(tooLong, put(row, "cf:" + name, value, 255));
            }
            else if (field.there().equals("phone")) {
                // the number as E.164 where it was recognised; as typed when that fits the account's 25 characters;
                // else left out
                String phone = field.here().equals("phone") && contact.phoneE164() != null ? contact.phoneE164() : value;
                if (phone != null && phone.strip().length() <= MAX_PHONE) {
                    put(row, "phone", phone.strip(), MAX_PHONE);
                }
            }
            else {
                tooLong = first(tooLong, put(row, field.there(), value, field.there().equals("street") ? 255 : 50));
            }
        }
        if (tooLong != null) {
            return PushItem.skip(contact, "TOO_LONG", tooLong);
        }
        TreeSet<String> lists = new TreeSet<>();
        lists.add(listIds.get(options.managedList().toLowerCase(Locale.ROOT)));
        for (String group : contact.groups()) {
            String listId = options.groupBecomesList(group) ? listIds.get(group.trim().toLowerCase(Locale.ROOT)) : null;
            if (listId != null) { // null: a list the account refused to create (the summary says which)
                lists.add(listId);
            }
        }
        if (lists.size() > 50) {
            return PushItem.skip(contact, "TOO_MANY_LISTS", "the contact would be on " + lists.size()
                    + " lists; Constant Contact allows 50");
        }
        String payload = JSON.writeValueAsString(row);
        String listKey = String.join(",", lists);
        String hash = sha256(payload + "\n" + listKey);
        // a contact the account holds (its id was read back) is updated, even when its hash was forgotten
        PushItem.Action action = hash.equals(contact.ccHash()) ? PushItem.Action.UNCHANGED
                : contact.ccHash() == null && contact.ccContactId() == null ? PushItem.Action.CREATE
                : PushItem.Action.UPDATE;
        if (action == PushItem.Action.UPDATE && heldAlready(contact, row, listKey)) {
            action = PushItem.Action.UNCHANGED;
        }
        if (contact.ccEmail() != null && !contact.ccEmail().equals(email.toLowerCase(Locale.ROOT))) {
            // the account holds it under its old address: the new one is a contact of its own there, and the
            // old one is taken off the lists once the new one is confirmed
            return new PushItem(contact.id(), email, PushItem.Action.CREATE, listKey, payload,
                    payload.getBytes(StandardCharsets.UTF_8).length, hash, EMAIL_CHANGED,
                    "email changed here from " + contact.ccEmail(), null);
        }
        return new PushItem(contact.id(), email, action, listKey, payload,
                payload.getBytes(StandardCharsets.UTF_8).length, hash, null, null,
                action == PushItem.Action.UPDATE ? cleared(contact.ccSent(), row, pushedKeys()) : null);
    }

    /**
     * The account holds this payload already, though it is not what the last push sent: a pull brought the account's
     * edit here after that push (the contact's values here are the account's, read after the push confirmed it), and
     * the lists are those of the last push (what it sent, hashed with these lists, is its hash). Sending it would
     * only echo the account's edit back to it.
     */
    private boolean heldAlready(ContactRow contact, ObjectNode row, String listKey) {
        if (!contact.ccPulledFresh() || contact.ccHash() == null || contact.ccSent() == null || contact.ccPulled() == null) {
            return false;
        }
        JsonNode sent = JSON.readTree(contact.ccSent());
        JsonNode account = JSON.readTree(contact.ccPulled());
        java.util.Set<String> pushed = pushedKeys();
        for (String key : sent.propertyNames()) {
            if (!key.equals("email") && !pushed.contains(key)) {
                return false; // sent under another mapping
            }
        }
        // what the last push sent, in the order a payload is built (jsonb keeps its keys in an order of its own)
        ObjectNode last = JSON.createObjectNode();
        last.set("email", sent.get("email"));
        for (String key : pushed) {
            if (sent.has(key)) {
                last.set(key, sent.get(key));
            }
        }
        if (!sha256(JSON.writeValueAsString(last) + "\n" + listKey).equals(contact.ccHash())) {
            return false;
        }
        for (String key : pushed) {
            JsonNode value = account.get(key);
            if (!java.util.Objects.equals(row.has(key) ? row.get(key).asString() : null, value == null ? null : value.asString())) {
                return false;
            }
        }
        return true;
    }

    /** The top-level fields and custom fields sent last time and empty now: an import would leave them there. */
    static String cleared(String sent, ObjectNode now, java.util.Set<String> pushed) {
        if (sent == null) {
            return null;
        }
        java.util.List<String> cleared = new java.util.ArrayList<>();
        for (String key : JSON.readTree(sent).propertyNames()) {
            // a field no longer pushed (mapped pull now) is the account's to keep
            if ((CLEARABLE.contains(key) || key.startsWith("cf:")) && !now.has(key) && pushed.contains(key)) {
                cleared.add(key);
            }
        }
        return cleared.isEmpty() ? null : String.join(",", cleared);
    }

    /** The import keys this push sends, in the order it writes them: the standard fields mapped push or both, then the custom fields. */
    private java.util.Set<String> pushedKeys() {
        if (pushedKeys == null) {
            java.util.Set<String> keys = new java.util.LinkedHashSet<>();
            for (FieldMap.Field field : mapping.pushed()) {
                keys.add(field.custom() ? "cf:" + fieldNames.get(field.label().toLowerCase(Locale.ROOT)) : field.there());
            }
            pushedKeys = keys;
        }
        return pushedKeys;
    }

    /** A contact field, or a key of the contact's custom fields here. */
    static String sourceValue(ContactRow contact, JsonNode custom, String source) {
        return switch (source.toLowerCase(Locale.ROOT)) {
            case "first_name" -> contact.firstName();
            case "last_name" -> contact.lastName();
            case "company" -> contact.company();
            case "job_title" -> contact.jobTitle();
            case "phone" -> contact.phone();
            case "street" -> contact.street();
            case "city" -> contact.city();
            case "region" -> contact.region();
            case "postal_code" -> contact.postalCode();
            case "country" -> contact.country();
            case "lifecycle_stage" -> contact.lifecycleStage();
            case "owner" -> contact.owner();
            case "legal" -> contact.legal() == null ? null : contact.legal() ? "yes" : "no";
            case "groups" -> joined(contact.groups());
            case "tags" -> joined(contact.tags());
            case "consent" -> contact.consentState();
            default -> {
                JsonNode value = custom == null ? null : custom.get(source);
                yield value == null || value.isNull() ? null : value.isValueNode() ? value.asString() : value.toString();
            }
        };
    }

    private static String joined(List<String> values) {
        return values.isEmpty() ? null : String.join(", ", values);
    }

    /** Puts a non-empty value; says what is wrong when it is longer than Constant Contact takes. */
    private static String put(ObjectNode row, String key, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > max) {
            return key + " has " + value.length() + " characters; Constant Contact takes at most " + max;
        }
        row.put(key, value);
        return null;
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
