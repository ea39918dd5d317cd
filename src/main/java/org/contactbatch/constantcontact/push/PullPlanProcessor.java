package org.contactbatch.constantcontact.push;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.contactbatch.contacts.ContactRowParser;
import org.contactbatch.contacts.LifecycleStage;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decides for each contact read from the account what the pull does here. It is matched by the Constant Contact id
 * stored here, then by email; a contact nobody here has is created (consent source "Constant Contact", the time it
 * was given there), one that is here is updated in the fields the push maps (and the profile's custom fields, the
 * other way round), one deleted there is deactivated here. A contact that cannot be a contact here (neither an
 * email nor a phone, an email another contact here holds, a value this database refuses) is skipped with the
 * reason, never half-written. A field empty there is cleared here only when the account had it before (the last
 * push sent it, or the last pull read it): a value the push never sent is not "cleared there".
 */
public class PullPlanProcessor implements ItemProcessor<PullPlanProcessor.Seen, PullItem> {

    private static final JsonMapper JSON = JsonMapper.shared();

    /** A contact the read kept. */
    public record Seen(String ccContactId, boolean deleted, String contact) {
    }

    /** The account's fields as an import names them → the column here, the way the push maps them. */
    static final Map<String, String> STANDARD = standard();

    private static Map<String, String> standard() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("first_name", "first_name");
        columns.put("last_name", "last_name");
        columns.put("job_title", "job_title");
        columns.put("company_name", "company");
        columns.put("phone", "phone");
        columns.put("street", "street");
        columns.put("city", "city");
        columns.put("state", "region");
        columns.put("zip", "postal_code");
        columns.put("country", "country");
        return java.util.Collections.unmodifiableMap(columns);
    }

    /** Columns a custom field there may write here; any other source is a custom field key here. */
    private static final Set<String> COLUMNS = Set.of("first_name", "last_name", "company", "job_title", "phone", "street",
            "city", "region", "postal_code", "country", "lifecycle_stage", "owner");
    /** Sources the push sends that do not come back: they are lists, flags or consent, not values. */
    private static final Set<String> ONE_WAY = Set.of("groups", "tags", "legal", "consent");

    private final JdbcClient jdbc;
    private final String phoneRegion;
    /** Import key ({@code cf:<name>}) → the column here ({@code custom_fields.<key>} for a custom field here). */
    private final Map<String, String> customTargets;
    /** Custom field id there → import key. */
    private final Map<String, String> customKeys;

    public PullPlanProcessor(JdbcClient jdbc, PullOptions options, String phoneRegion) {
        this.jdbc = jdbc;
        this.phoneRegion = phoneRegion;
        this.customTargets = new LinkedHashMap<>();
        this.customKeys = new LinkedHashMap<>();
        for (Map.Entry<String, String> field : options.customFields().entrySet()) {
            String source = field.getKey().trim().toLowerCase(Locale.ROOT);
            if (ONE_WAY.contains(source)) {
                continue;
            }
            jdbc.sql("select cc_custom_field_id::text, cc_name from cc_custom_field where lower(label) = lower(:label)")
                    .param("label", field.getValue().trim()).query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2)))
                    .optional().ifPresent(idAndName -> {
                        customKeys.put(idAndName.getKey(), "cf:" + idAndName.getValue());
                        customTargets.put("cf:" + idAndName.getValue(),
                                COLUMNS.contains(source) ? source : "custom_fields." + field.getKey());
                    });
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
        if (email == null && there.get("phone") == null) {
            return PullItem.skip(seen.ccContactId(), here == null ? null : here.id(), null, name, "NOT_MAPPABLE",
                    "neither an email nor a phone number in Constant Contact: a contact here needs one");
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
        String invalid = invalid(there);
        if (invalid != null) {
            return PullItem.skip(seen.ccContactId(), here == null ? null : here.id(), email, name, "NOT_MAPPABLE", invalid);
        }
        String pulled = JSON.writeValueAsString(there);
        String permission = contact.path("email_address").path("permission_to_send").asString(null);
        if (here == null) {
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("email", email);
            there.forEach((key, value) -> set.put(target(key), value));
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
                                    : "; consent " + consent + " (" + permission + " there)"));
        }
        Map<String, Object> set = new LinkedHashMap<>();
        if (email != null && !email.equalsIgnoreCase(Objects.toString(here.email(), "").trim())) {
            set.put("email", email);
        }
        Map<String, String> before = before(here);
        Map<String, String> targets = new LinkedHashMap<>();
        STANDARD.forEach((key, column) -> targets.put(key, column));
        targets.putAll(customTargets);
        targets.forEach((key, column) -> {
            String value = there.get(key);
            Object current = value(here, column);
            if (value != null && !value.equals(current)) {
                set.put(column, value);
            }
            else if (value == null && current != null && before.containsKey(key)) {
                set.put(column, null); // cleared in the account
            }
        });
        if (set.containsKey("phone") && set.get("phone") != null && here.row().get("phone") != null
                && Objects.equals(ContactRowParser.e164(set.get("phone").toString(), phoneRegion), here.row().get("phone_e164"))) {
            set.remove("phone"); // the same number (the push sends it as E.164): what the person typed here stays
        }
        withE164(set);
        boolean resubscribed = here.unsubscribed() && ("explicit".equals(permission) || "implicit".equals(permission));
        if (set.isEmpty() && !resubscribed) {
            return new PullItem(seen.ccContactId(), here.id(), email, name, PullItem.Action.UNCHANGED, set, pulled, false,
                    null, "the same here and in Constant Contact");
        }
        String reason = set.isEmpty() ? "" : "changed in Constant Contact: " + String.join(", ", set.keySet().stream()
                .filter(c -> !c.equals("phone_e164")).map(c -> c.replace("custom_fields.", "")).toList());
        if (resubscribed) {
            reason = (reason.isEmpty() ? "" : reason + "; ") + "subscribed again (" + permission + " there)";
        }
        return new PullItem(seen.ccContactId(), here.id(), email, name,
                set.isEmpty() ? PullItem.Action.UNCHANGED : PullItem.Action.UPDATE, set, pulled, resubscribed, null, reason);
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
        return STANDARD.containsKey(key) ? STANDARD.get(key) : customTargets.get(key);
    }

    private Here find(String ccContactId, String email) {
        List<Map<String, Object>> rows = jdbc.sql("""
                select c.*, c.cc_contact_id::text as cc_id, c.custom_fields::text as custom_json,
                       c.cc_sent::text as sent_json, c.cc_pulled::text as pulled_json
                from contact c
                where c.cc_contact_id = cast(:id as uuid)
                   or (c.cc_contact_id is null and cast(:email as text) is not null and lower(c.email) = lower(:email))
                order by (c.cc_contact_id is not null) desc, c.id limit 1""")
                .param("id", ccContactId).param("email", email).query().listOfRows();
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

    private static Object value(Here here, String column) {
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
