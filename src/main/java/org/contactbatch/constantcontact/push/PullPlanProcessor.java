package org.contactbatch.constantcontact.push;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.contactbatch.contacts.ContactRowParser;
import org.contactbatch.contacts.LifecycleStage;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decides for each contact read from the account what the pull does here. It is matched by the Constant Contact id
 * stored here, then by email; a contact nobody here has is created (consent source "Constant Contact", the time it
 * was given there), one that is here is updated in the fields the profile maps pull or both ({@link FieldMap}), one
 * deleted there is deactivated here. For a two-way profile a field mapped both comes here only when it changed there
 * since the last sync; changed on both sides, the newer edit (the account's {@code updated_at} against ours) wins and
 * the other value is reported as a conflict. A contact that cannot be a contact here (neither an
 * email nor a phone, an email another contact here holds, a value this database refuses) is skipped with the
 * reason, never half-written. A field empty there is cleared here only when the account had it before (the last
 * push sent it, or the last pull read it): a value the push never sent is not "cleared there".
 */
public class PullPlanProcessor implements ItemProcessor<PullPlanProcessor.Seen, PullItem> {

    private static final JsonMapper JSON = JsonMapper.shared();

    /** A contact the read kept. */
    public record Seen(String ccContactId, boolean deleted, String contact) {
    }

    private final JdbcClient jdbc;
    private final String phoneRegion;
    private final boolean twoWay;
    /** Import key ({@code first_name}, {@code cf:<name>}) → the field the profile maps to it, every direction. */
    private final Map<String, FieldMap.Field> mapped;
    /** Import key → the column here ({@code custom_fields.<key>} for a custom field here), of the fields that pull. */
    private final Map<String, String> targets;
    /** Custom field id there → import key. */
    private final Map<String, String> customKeys;

    public PullPlanProcessor(JdbcClient jdbc, PullOptions options, String phoneRegion) {
        this.jdbc = jdbc;
        this.phoneRegion = phoneRegion;
        this.twoWay = options.twoWay();
        this.mapped = new LinkedHashMap<>();
        this.targets = new LinkedHashMap<>();
        this.customKeys = new LinkedHashMap<>();
        for (FieldMap.Field field : options.mapping().fields()) {
            if (!field.custom()) {
                put(field, field.there(), field.here());
                continue;
            }
            // read every mapped custom field (what the account holds of a pushed one tells whether it needs sending)
            String source = field.here().trim().toLowerCase(Locale.ROOT);
            jdbc.sql("select cc_custom_field_id::text, cc_name from cc_custom_field where lower(label) = lower(:label)")
                    .param("label", field.label().trim()).query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2)))
                    .optional().ifPresent(idAndName -> {
                        customKeys.put(idAndName.getKey(), "cf:" + idAndName.getValue());
                        put(field, "cf:" + idAndName.getValue(),
                                FieldMap.COLUMNS.contains(source) ? source : "custom_fields." + field.here());
                    });
        }
    }

    private void put(FieldMap.Field field, String key, String column) {
        mapped.put(key, field);
        if (field.way().pulls()) {
            targets.put(key, column);
        }
    }

    /** The contact here a pulled one is: by its Constant Contact id, else by email. */
    private record Here(long id, String email, boolean active, boolean unsubscribed, String ccContactId,
            Map<String, Object> row) {
    }

    @Override
    public PullItem process(Seen seen) {
        JsonNode contact = JSON.readTree(seen.contact());
        String email = contact.path("email_address").path("address").asString(null);
        email = email == null || email.isBlank() ? null : email.trim();
        String name = name(contact);
        Here here = find(seen.ccContactId(), email);
        if (seen.deleted()) {
            String when = contact.path("deleted_at").asString("");
            if (here == null) {
                return PullItem.skip(seen.ccContactId(), null, email, name, "NOT_HERE",
                        "deleted in Constant Contact" + on(when) + "; no contact here has its id or email");
            }
            return new PullItem(seen.ccContactId(), here.id(), email != null ? email : here.email(), name,
                    here.active() ? PullItem.Action.DEACTIVATE : PullItem.Action.UNCHANGED, Map.of(), null, false, null,
                    here.active() ? "deleted in Constant Contact" + on(when) + ": deactivated here, never deleted"
                            : "deleted in Constant Contact" + on(when) + "; already inactive here");
        }
        Map<String, String> there = fields(contact);
        there.keySet().retainAll(mapped.keySet());
        // what this pull may write here: the fields mapped pull or both
        Map<String, String> pulledThere = new LinkedHashMap<>(there);
        pulledThere.keySet().retainAll(targets.keySet());
        if (email == null && targets.entrySet().stream().noneMatch(t -> t.getValue().equals("phone")
                && pulledThere.get(t.getKey()) != null)) {
            return PullItem.skip(seen.ccContactId(), here == null ? null : here.id(), null, name, "NOT_MAPPABLE",
                    there.get("phone") != null && !targets.containsValue("phone")
                            ? "no email in Constant Contact, and the profile does not pull its phone number: a contact here "
                                    + "needs an email or a phone"
                            : "neither an email nor a phone number in Constant Contact: a contact here needs one");
        }
        if (email != null && (here == null || !email.equalsIgnoreCase(Objects.toString(here.email(), "")))) {
            Long holder = jdbc.sql("select id from contact where lower(email) = lower(:email)").param("email", email)
                    .query(Long.class).optional().orElse(null);
            if (holder != null && (here == null || holder != here.id())) {
                return PullItem.skip(seen.ccContactId(), here == null ? null : here.id(), email, name, "EMAIL_TAKEN",
                        "the email belongs to another contact here (id " + holder + "), linked to another contact in "
                                + "Constant Contact");
            }
        }
        String invalid = invalid(pulledThere);
        if (invalid != null) {
            return PullItem.skip(seen.ccContactId(), here == null ? null : here.id(), email, name, "NOT_MAPPABLE", invalid);
        }
        String pulled = JSON.writeValueAsString(there);
        String permission = contact.path("email_address").path("permission_to_send").asString(null);
        Instant seenAt = contact.hasNonNull("updated_at") ? instant(contact.path("updated_at").asString()) : null;
        if (here == null) {
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("email", email);
            pulledThere.forEach((key, value) -> set.put(targets.get(key), value));
            String consent = switch (Objects.toString(permission, "")) {
                case "explicit" -> "confirmed";
                case "implicit" -> "unconfirmed";
                default -> null; // not_set, pending_confirmation, temp_hold, unsubscribed: no consent to email here
            };
            set.put("consent_state", consent);
            set.put("consent_at", instant(contact.path("email_address").path("opt_in_date").asString(
                    contact.path("created_at").asString(null))));
            set.put("consent_by", contact.path("email_address").path("opt_in_source").asString(null));
            set.put("cc_unsubscribed", "unsubscribed".equals(permission));
            withE164(set);
            return new PullItem(seen.ccContactId(), null, email, name, PullItem.Action.CREATE, set, pulled, false, null,
                    "created in Constant Contact" + on(contact.path("created_at").asString(""))
                            + (consent == null ? "; no consent to email (" + permission + " there)"
                                    : "; consent " + consent + " (" + permission + " there)"),
                    List.of(), seenAt, false);
        }
        Map<String, Object> set = new LinkedHashMap<>();
        if (email != null && !email.equalsIgnoreCase(Objects.toString(here.email(), "").trim())) {
            set.put("email", email);
        }
        Map<String, String> before = before(here);
        Map<String, String> synced = synced(here);
        Instant hereAt = time(here.row().get("updated_at"));
        List<PullItem.Conflict> conflicts = new ArrayList<>();
        targets.forEach((key, column) -> {
            String value = there.get(key);
            String current = value(here, column);
            if (same(key, value, current)) {
                return;
            }
            if (twoWay && mapped.get(key).way() == FieldMap.Way.BOTH) {
                // both ways: only what changed there since the last sync comes here; a change made here stays for the
                // push, and a field changed on both sides goes to the newer edit
                boolean changedThere = synced == null || !same(key, synced.get(key), value);
                boolean changedHere = synced == null || !same(key, synced.get(key), current);
                if (!changedThere) {
                    return;
                }
                if (changedHere) {
                    boolean thereWon = hereAt == null || seenAt != null && seenAt.isAfter(hereAt);
                    conflicts.add(new PullItem.Conflict(key, current, value, thereWon));
                    if (!thereWon) {
                        return;
                    }
                }
                set.put(column, value);
            }
            else if (value != null) {
                set.put(column, value);
            }
            else if (before.containsKey(key)) {
                set.put(column, null); // cleared in the account
            }
        });
        if (set.containsKey("phone") && set.get("phone") != null && here.row().get("phone") != null
                && Objects.equals(ContactRowParser.e164(set.get("phone").toString(), phoneRegion), here.row().get("phone_e164"))) {
            set.remove("phone"); // the same number (the push sends it as E.164): what the person typed here stays
        }
        withE164(set);
        boolean agrees = agrees(here, there, set);
        boolean resubscribed = here.unsubscribed() && ("explicit".equals(permission) || "implicit".equals(permission));
        if (set.isEmpty() && !resubscribed) {
            return new PullItem(seen.ccContactId(), here.id(), email, name, PullItem.Action.UNCHANGED, set, pulled, false,
                    null, conflicts.isEmpty() ? "the same here and in Constant Contact"
                            : "changed here and in Constant Contact: the edit here is newer (conflicts.csv)",
                    conflicts, seenAt, agrees);
        }
        String reason = set.isEmpty() ? "" : "changed in Constant Contact: " + String.join(", ", set.keySet().stream()
                .filter(c -> !c.equals("phone_e164")).map(c -> c.replace("custom_fields.", "")).toList());
        if (!conflicts.isEmpty()) {
            reason += "; changed on both sides: " + String.join(", ", conflicts.stream().map(c -> c.field()
                    + (c.thereWon() ? " (Constant Contact's is newer)" : " (the edit here is newer)")).toList());
        }
        if (resubscribed) {
            reason = (reason.isEmpty() ? "" : reason + "; ") + "subscribed again (" + permission + " there)";
        }
        return new PullItem(seen.ccContactId(), here.id(), email, name,
                set.isEmpty() ? PullItem.Action.UNCHANGED : PullItem.Action.UPDATE, set, pulled, resubscribed, null, reason,
                conflicts, seenAt, agrees);
    }

    /**
     * What was last synced of the contact, import-named: what the last push sent or what the last pull read, the later
     * of the two; null when neither happened (then a difference counts as a change on both sides).
     */
    private static Map<String, String> synced(Here here) {
        Instant pushedAt = time(here.row().get("cc_pushed_at"));
        Instant pulledAt = time(here.row().get("cc_pulled_at"));
        Object sent = here.row().get("sent_json");
        Object read = here.row().get("pulled_json");
        Object last = read != null && pulledAt != null && (sent == null || pushedAt == null || pulledAt.isAfter(pushedAt))
                ? read : sent;
        if (last == null) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        JSON.readTree(last.toString()).properties().forEach(e -> values.put(e.getKey(), e.getValue().asString()));
        return values;
    }

    /** The account, after this pull, holds what the push would send of every field mapped push or both. */
    private boolean agrees(Here here, Map<String, String> there, Map<String, Object> set) {
        for (Map.Entry<String, FieldMap.Field> field : mapped.entrySet()) {
            if (!field.getValue().way().pushes()) {
                continue;
            }
            String key = field.getKey();
            String column = targets.containsKey(key) ? targets.get(key)
                    : field.getValue().custom() && !FieldMap.COLUMNS.contains(field.getValue().here())
                            ? "custom_fields." + field.getValue().here() : field.getValue().here();
            String now = set.containsKey(column) ? Objects.toString(set.get(column), null) : value(here, column);
            if (!same(key, there.get(key), now)) {
                return false;
            }
        }
        return true;
    }

    /** Two values of a field are the same; phone numbers by their E.164 form, as the push sends them. */
    private boolean same(String key, String a, String b) {
        a = a == null || a.isBlank() ? null : a.trim();
        b = b == null || b.isBlank() ? null : b.trim();
        if (Objects.equals(a, b)) {
            return true;
        }
        if (key.equals("phone") && a != null && b != null) {
            String e164 = ContactRowParser.e164(a, phoneRegion);
            return e164 != null && e164.equals(ContactRowParser.e164(b, phoneRegion));
        }
        return false;
    }

    private static Instant time(Object value) {
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime time) {
            return time.toInstant();
        }
        return null;
    }

    /** A phone written here is parsed as an upload parses it; what the account holds is kept as typed. */
    private void withE164(Map<String, Object> set) {
        if (set.containsKey("phone")) {
            Object phone = set.get("phone");
            set.put("phone_e164", phone == null ? null : ContactRowParser.e164(phone.toString(), phoneRegion));
        }
    }

    /** The mapped fields of the account's contact, import-named; only those with a value. */
    Map<String, String> fields(JsonNode contact) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String key : List.of("first_name", "last_name", "job_title", "company_name")) {
            put(fields, key, contact.path(key).asString(null));
        }
        // the push writes the phone of kind other ("phone") and the home address (street…): those first
        JsonNode phone = pick(contact.path("phone_numbers"), "other");
        if (phone != null) {
            put(fields, "phone", phone.path("phone_number").asString(null));
        }
        JsonNode address = pick(contact.path("street_addresses"), "home");
        if (address != null) {
            put(fields, "street", address.path("street").asString(null));
            put(fields, "city", address.path("city").asString(null));
            put(fields, "state", address.path("state").asString(null));
            put(fields, "zip", address.path("postal_code").asString(null));
            put(fields, "country", address.path("country").asString(null));
        }
        for (JsonNode custom : contact.path("custom_fields")) {
            String key = customKeys.get(custom.path("custom_field_id").asString());
            if (key != null) {
                put(fields, key, custom.path("value").asString(null));
            }
        }
        return fields;
    }

    /** Why a value cannot be written here; null when all can. */
    private String invalid(Map<String, String> there) {
        for (Map.Entry<String, String> entry : there.entrySet()) {
            String column = target(entry.getKey());
            if (column.equals("lifecycle_stage") && LifecycleStage.parse(entry.getValue()).isEmpty()) {
                return "lifecycle stage '" + entry.getValue() + "' (" + entry.getKey() + " in Constant Contact) is not one of "
                        + String.join(", ", LifecycleStage.allowedValues());
            }
        }
        return null;
    }

    String target(String key) {
        return targets.get(key);
    }

    private Here find(String ccContactId, String email) {
        // by id, then by email: two index look-ups (one query with OR between them scans the table)
        String columns = """
                select c.*, c.cc_contact_id::text as cc_id, c.custom_fields::text as custom_json,
                       c.cc_sent::text as sent_json, c.cc_pulled::text as pulled_json
                from contact c""";
        List<Map<String, Object>> rows = jdbc.sql(columns + " where c.cc_contact_id = cast(:id as uuid) order by c.id limit 1")
                .param("id", ccContactId).query().listOfRows();
        if (rows.isEmpty() && email != null) {
            rows = jdbc.sql(columns + " where lower(c.email) = lower(:email) and c.cc_contact_id is null")
                    .param("email", email).query().listOfRows();
        }
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> row = rows.get(0);
        return new Here(((Number) row.get("id")).longValue(), (String) row.get("email"), (Boolean) row.get("active"),
                (Boolean) row.get("cc_unsubscribed"), (String) row.get("cc_id"), row);
    }

    /** The import keys the account had for this contact before: what the last push sent and the last pull read. */
    private static Map<String, String> before(Here here) {
        Map<String, String> before = new LinkedHashMap<>();
        for (String column : List.of("sent_json", "pulled_json")) {
            Object json = here.row().get(column);
            if (json != null) {
                JSON.readTree(json.toString()).properties().forEach(e -> before.put(e.getKey(), e.getValue().asString()));
            }
        }
        return before;
    }

    private static String value(Here here, String column) {
        if (column.startsWith("custom_fields.")) {
            Object json = here.row().get("custom_json");
            JsonNode value = json == null ? null : JSON.readTree(json.toString()).get(column.substring("custom_fields.".length()));
            return value == null || value.isNull() ? null : value.isValueNode() ? value.asString() : value.toString();
        }
        Object value = here.row().get(column);
        return value == null || value.toString().isBlank() ? null : value.toString();
    }

    private static JsonNode pick(JsonNode array, String kind) {
        JsonNode first = null;
        for (JsonNode item : array) {
            if (kind.equals(item.path("kind").asString(null))) {
                return item;
            }
            first = first == null ? item : first;
        }
        return first;
    }

    private static void put(Map<String, String> fields, String key, String value) {
        if (value != null && !value.isBlank()) {
            fields.put(key, value.trim());
        }
    }

    private static String name(JsonNode contact) {
        String name = (contact.path("first_name").asString("") + " " + contact.path("last_name").asString("")).trim();
        return name.isEmpty() ? null : name;
    }

    private static String on(String date) {
        return date == null || date.isBlank() ? "" : " on " + date;
    }

    private static Instant instant(String text) {
        return text == null || text.isBlank() ? Instant.now() : OffsetDateTime.parse(text).toInstant();
    }
}
