package org.contactbatch.constantcontact.fake;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The state of one Constant Contact account in {@link FakeConstantContact}: contacts (one per email,
 * soft-deleted ones keep theirs), lists, custom fields and bulk activities, with the behaviours of the
 * real service (see {@link FakeConstantContact}). Not thread-safe: the server calls it under its lock.
 */
final class FakeAccount {

    static final JsonMapper JSON = JsonMapper.shared();
    static final int MAX_LISTS = 1000;
    static final int MAX_CUSTOM_FIELDS = 100;
    static final int MAX_PENDING_ACTIVITIES = 1000;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    /** The account's own id, as {@code GET /account/summary} gives it: 14 lowercase letters and digits. */
    final String encodedId = "a" + UUID.randomUUID().toString().replace("-", "").substring(0, 13);

    /** A phone's kind, and the import key that writes a phone of that kind. */
    static final Map<String, String> PHONE_KINDS = new LinkedHashMap<>(Map.of("other", "phone", "home", "home_phone",
            "work", "work_phone", "mobile", "mobile_phone"));

    /** The home address's parts: the import's key, and the street address resource's property. */
    static final String[][] ADDRESS_PARTS = {{"street", "street"}, {"city", "city"}, {"state", "state"},
            {"zip", "postal_code"}, {"country", "country"}};

    /** A contact as the account holds it. */
    static final class Contact {
        final String id = UUID.randomUUID().toString();
        String email;
        String permission = "implicit";
        String optInSource = "Account";
        Instant optInDate;
        String optOutSource;
        Instant optOutDate;
        String optOutReason;
        final Map<String, String> fields = new LinkedHashMap<>();   // first_name, last_name, job_title, company_name, …
        final Map<String, String> customFields = new LinkedHashMap<>(); // custom_field_id → value
        final Set<String> lists = new LinkedHashSet<>();
        String createSource = "Account";
        String updateSource = "Account";
        final Instant createdAt = now();
        Instant updatedAt = createdAt;
        Instant deletedAt;
        int writes;
    }

    record ListRecord(String id, String name, String description, boolean favorite, Instant createdAt) {
    }

    record CustomField(String id, String label, String name, String type, Instant createdAt) {
    }

    static final class Activity {
        final String id = UUID.randomUUID().toString();
        final String type;
        final Instant createdAt = Instant.now();
        int polls;
        final ObjectNode status = JSON.createObjectNode();
        final List<String> errors = new ArrayList<>();
        boolean errorsAsObjects;

        Activity(String type) {
            this.type = type;
        }
    }

    final Map<String, Contact> byEmail = new LinkedHashMap<>();
    final Map<String, Contact> byId = new LinkedHashMap<>(); // in the order they were made, email or not
    final Map<String, ListRecord> lists = new LinkedHashMap<>();
    final Map<String, CustomField> customFields = new LinkedHashMap<>();
    final Map<String, Activity> activities = new LinkedHashMap<>();

    /** Polls of an activity before it reports completed (the first one says processing). */
    int pollsToComplete = 2;
    /** Import bodies past 4 MB or 40,000 contacts are cut silently, as Constant Contact does. */
    boolean truncateOversize = true;
    /** Report activity errors as {"message": …} objects instead of strings. */
    boolean activityErrorsAsObjects;
    /** Emails imports refuse, as Constant Contact does for addresses on its do-not-mail list. */
    final Set<String> refused = new java.util.HashSet<>();
    /** Emails imports count but never apply, with no error: what the account does past its limits. */
    final Set<String> droppedSilently = new java.util.HashSet<>();
    /** Contacts dropped because a body was past the limits. */
    int truncatedContacts;

    /** The flat keys of an import_data element, as the bulk import takes them, besides {@code cf:<name>}. */
    static final Set<String> IMPORT_FIELDS = importFields();

    private static Set<String> importFields() {
        Set<String> fields = new java.util.HashSet<>(List.of("email", "sms_number", "first_name", "last_name", "job_title",
                "company_name", "birthday_month", "birthday_day", "anniversary", "phone", "home_phone", "work_phone",
                "mobile_phone", "other_phone"));
        for (String prefix : List.of("", "home_", "work_", "other_")) {
            for (String part : List.of("street", "street2", "city", "state", "zip", "country")) {
                fields.add(prefix + part);
            }
        }
        return Set.copyOf(fields);
    }

    /** What GET /contacts takes in status and include (the contract's enums); anything else is refused. */
    static final Set<String> STATUSES = new LinkedHashSet<>(List.of("all", "active", "deleted", "not_set",
            "pending_confirmation", "temp_hold", "unsubscribed"));
    static final Set<String> INCLUDES = new LinkedHashSet<>(List.of("custom_fields", "list_memberships", "phone_numbers",
            "street_addresses", "taggings", "notes"));

    static final long MAX_IMPORT_BYTES = 4L * 1024 * 1024;
    static final int MAX_IMPORT_CONTACTS = 40_000;

    // ---- answers

    /** What a handler answers: a status and a JSON body (or none). */
    record Reply(int status, JsonNode body, Map<String, String> headers) {
        static Reply of(int status, JsonNode body) {
            return new Reply(status, body, Map.of());
        }
    }

    static Reply errors(int status, String key, String message) {
        ArrayNode array = JSON.createArrayNode();
        ObjectNode error = array.addObject();
        error.put("error_key", key);
        error.put("error_message", message);
        return Reply.of(status, array);
    }

    static Reply notFound(String what) {
        return errors(404, "contacts.api.not_found", what + " not found");
    }

    // ---- lists

    Reply getLists(Map<String, String> query) {
        int limit = intParam(query, "limit", 50);
        if (limit < 1 || limit > 500) { // the documented range (the contract's schema says 1000)
            return errors(400, "contacts.api.validation.error", "limit must be between 1 and 500");
        }
        String name = query.get("name");
        List<ListRecord> matching = lists.values().stream()
                .filter(l -> name == null || l.name().equals(name)).toList();
        int offset = intParam(query, "offset", 0);
        ObjectNode body = JSON.createObjectNode();
        ArrayNode array = body.putArray("lists");
        for (ListRecord list : matching.subList(Math.min(offset, matching.size()), Math.min(offset + limit, matching.size()))) {
            ObjectNode node = array.addObject();
            node.put("list_id", list.id());
            node.put("name", list.name());
            node.put("description", list.description());
            node.put("favorite", list.favorite());
            node.put("created_at", list.createdAt().toString());
            node.put("updated_at", list.createdAt().toString());
            if (query.containsKey("include_membership_count")) {
                node.put("membership_count", members(list.id()).size());
            }
        }
        if ("true".equals(query.get("include_count"))) {
            body.put("lists_count", matching.size());
        }
        if (offset + limit < matching.size()) {
            body.putObject("_links").putObject("next").put("href",
                    "/v3/contact_lists?limit=" + limit + "&offset=" + (offset + limit));
        }
        return Reply.of(200, body);
    }

    Reply createList(JsonNode body) {
        String name = body.path("name").asString(null);
        if (name == null || name.isBlank() || name.length() > 255) {
            return errors(400, "contacts.api.validation.error", "name is required and at most 255 characters");
        }
        if (lists.values().stream().anyMatch(l -> l.name().equalsIgnoreCase(name))) {
            return errors(409, "contacts.api.conflict", "The list name '" + name + "' is already in use");
        }
        if (lists.size() >= MAX_LISTS) {
            return errors(400, "contacts.api.validation.error", "an account has at most 1,000 lists");
        }
        ListRecord list = new ListRecord(UUID.randomUUID().toString(), name, body.path("description").asString(null),
                body.path("favorite").asBoolean(false), Instant.now());
        lists.put(list.id(), list);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("list_id", list.id());
        answer.put("name", list.name());
        answer.put("description", list.description());
        answer.put("favorite", list.favorite());
        answer.put("created_at", list.createdAt().toString());
        answer.put("updated_at", list.createdAt().toString());
        return Reply.of(201, answer);
    }

    Reply deleteList(String id) {
        if (lists.remove(id) == null) {
            return notFound("list " + id);
        }
        byId.values().forEach(c -> c.lists.remove(id));
        Activity activity = new Activity("list_delete");
        activity.status.put("list_count", 1);
        activities.put(activity.id, activity);
        return new Reply(202, activityJson(activity, false), Map.of("Location", "/v3/activities/" + activity.id));
    }

    Set<String> members(String listId) {
        Set<String> emails = new LinkedHashSet<>();
        byEmail.values().stream().filter(c -> c.deletedAt == null && c.lists.contains(listId)).forEach(c -> emails.add(c.email));
        return emails;
    }

    Optional<ListRecord> listNamed(String name) {
        return lists.values().stream().filter(l -> l.name().equalsIgnoreCase(name)).findFirst();
    }

    // ---- custom fields

    Reply getCustomFields(Map<String, String> query) {
        int limit = intParam(query, "limit", 50);
        if (limit < 1 || limit > 100) {
            return errors(400, "contacts.api.validation.error", "limit must be between 1 and 100");
        }
        int offset = intParam(query, "offset", 0);
        List<CustomField> all = new ArrayList<>(customFields.values());
        ObjectNode body = JSON.createObjectNode();
        ArrayNode array = body.putArray("custom_fields");
        for (CustomField field : all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size()))) {
            array.add(customFieldJson(field));
        }
        if (offset + limit < all.size()) {
            body.putObject("_links").putObject("next").put("href",
                    "/v3/contact_custom_fields?limit=" + limit + "&offset=" + (offset + limit));
        }
        return Reply.of(200, body);
    }

    Reply createCustomField(JsonNode body) {
        String label = body.path("label").asString(null);
        String type = body.path("type").asString(null);
        if (label == null || label.isBlank() || label.length() > 50 || type == null) {
            return errors(400, "contacts.api.validation.error", "label (at most 50 characters) and type are required");
        }
        if (!List.of("string", "date", "datetime", "single_select", "multi_select", "currency", "text_area", "number",
                "boolean").contains(type)) {
            return errors(400, "contacts.api.validation.error", "type '" + type + "' is not supported");
        }
        String name = label.trim().replace(' ', '_');
        if (customFields.values().stream().anyMatch(f -> f.label().equalsIgnoreCase(label) || f.name().equalsIgnoreCase(name))) {
            return errors(409, "contacts.api.conflict", "A custom field with the label '" + label + "' already exists");
        }
        if (customFields.size() >= MAX_CUSTOM_FIELDS) {
            return errors(400, "contacts.api.validation.error", "an account has at most 100 custom fields");
        }
        CustomField field = new CustomField(UUID.randomUUID().toString(), label, name, type, Instant.now());
        customFields.put(field.id(), field);
        return Reply.of(201, customFieldJson(field));
    }

    private static ObjectNode customFieldJson(CustomField field) {
        ObjectNode node = JSON.createObjectNode();
        node.put("custom_field_id", field.id());
        node.put("label", field.label());
        node.put("name", field.name());
        node.put("type", field.type());
        node.put("created_at", field.createdAt().toString());
        node.put("updated_at", field.createdAt().toString());
        return node;
    }

    Optional<CustomField> fieldNamed(String name) {
        return customFields.values().stream().filter(f -> f.name().equals(name)).findFirst();
    }

    // ---- contacts

    Reply getContacts(Map<String, String> rawQuery) {
        Map<String, String> query = new LinkedHashMap<>(rawQuery);
        int offset = 0;
        if (query.containsKey("cursor")) {
            // the next link is the whole request: a cursor carries the first page's filters, and is used verbatim
            if (query.size() > 1) {
                return errors(400, "contacts.api.validation.error", "cursor cannot be combined with other parameters");
            }
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(query.get("cursor")), StandardCharsets.UTF_8);
                query = new LinkedHashMap<>(FakeConstantContact.parseQuery(decoded));
                offset = Integer.parseInt(query.remove("offset"));
            }
            catch (RuntimeException e) {
                return errors(400, "contacts.api.validation.error", "cursor is not valid");
            }
        }
        int limit = intParam(query, "limit", 50);
        if (limit < 1 || limit > 500) {
            return errors(400, "contacts.api.validation.error", "limit must be between 1 and 500");
        }
        Set<String> statuses = new LinkedHashSet<>(List.of(query.getOrDefault("status", "").split(",")));
        statuses.remove("");
        if (!STATUSES.containsAll(statuses)) {
            return errors(400, "contacts.api.validation.error", "status must be among " + String.join(", ", STATUSES));
        }
        Set<String> include = new LinkedHashSet<>(List.of(query.getOrDefault("include", "").split(",")));
        include.remove("");
        if (!INCLUDES.containsAll(include)) {
            return errors(400, "contacts.api.validation.error", "include must be among " + String.join(", ", INCLUDES));
        }
        if (query.containsKey("include_count") && !List.of("true", "false").contains(query.get("include_count"))) {
            return errors(400, "contacts.api.validation.error", "include_count must be true or false");
        }
        String email = query.get("email");
        Set<String> inLists = new LinkedHashSet<>(List.of(query.getOrDefault("lists", "").split(",")));
        inLists.remove("");
        if (inLists.size() > 25) {
            return errors(400, "contacts.api.validation.error", "at most 25 lists");
        }
        Instant updatedAfter;
        Instant optoutAfter;
        try {
            updatedAfter = instantParam(query.get("updated_after"));
            optoutAfter = instantParam(query.get("optout_after"));
        }
        catch (DateTimeParseException e) {
            return errors(400, "contacts.api.validation.error", "dates must be ISO-8601: " + e.getParsedString());
        }
        List<Contact> matching = new ArrayList<>();
        for (Contact contact : byId.values()) {
            if (!statusMatches(contact, statuses)) {
                continue;
            }
            if (email != null && (contact.email == null || !contact.email.equalsIgnoreCase(email))) {
                continue;
            }
            if (!inLists.isEmpty() && contact.lists.stream().noneMatch(inLists::contains)) {
                continue;
            }
            if (updatedAfter != null && !contact.updatedAt.isAfter(updatedAfter)) {
                continue;
            }
            if (optoutAfter != null && (contact.optOutDate == null || !contact.optOutDate.isAfter(optoutAfter))) {
                continue;
            }
            matching.add(contact);
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode array = body.putArray("contacts");
        for (Contact contact : matching.subList(Math.min(offset, matching.size()), Math.min(offset + limit, matching.size()))) {
            array.add(contactJson(contact, include));
        }
        if ("true".equals(query.get("include_count"))) {
            body.put("contacts_count", matching.size());
        }
        if (offset + limit < matching.size()) {
            StringBuilder cursor = new StringBuilder();
            query.forEach((k, v) -> cursor.append(k).append('=').append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
            cursor.append("offset=").append(offset + limit);
            body.putObject("_links").putObject("next").put("href", "/v3/contacts?cursor="
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(cursor.toString().getBytes(StandardCharsets.UTF_8)));
        }
        return Reply.of(200, body);
    }

    private static boolean statusMatches(Contact contact, Set<String> statuses) {
        boolean deleted = contact.deletedAt != null;
        if (statuses.isEmpty()) {
            return !deleted;
        }
        if (statuses.contains("all")) {
            return true;
        }
        if (deleted) {
            return statuses.contains("deleted");
        }
        if (statuses.contains("active") && (contact.permission.equals("explicit") || contact.permission.equals("implicit"))) {
            return true;
        }
        return statuses.contains(contact.permission);
    }

    Reply getContact(String id, Map<String, String> query) {
        Contact contact = byId.get(id);
        if (contact == null) {
            return notFound("contact " + id);
        }
        return Reply.of(200, contactJson(contact, new LinkedHashSet<>(List.of(query.getOrDefault("include", "").split(",")))));
    }

    Reply createContact(JsonNode body) {
        if (!body.has("create_source")) {
            return errors(400, "contacts.api.validation.error", "create_source is required");
        }
        String address = body.path("email_address").path("address").asString(null);
        if (address == null && !body.has("first_name") && !body.has("last_name")) {
            return errors(400, "contacts.api.validation.error", "an email address or a name is required");
        }
        if (address != null) {
            Reply invalid = validateEmail(address, 80);
            if (invalid != null) {
                return invalid;
            }
            Contact existing = byEmail.get(address.toLowerCase(Locale.ROOT));
            if (existing != null) {
                return errors(409, "contacts.api.conflict", "Validation failed: Email already exists for contact " + existing.id);
            }
        }
        Contact contact = new Contact();
        contact.email = address;
        contact.createSource = body.path("create_source").asString();
        contact.permission = body.path("email_address").path("permission_to_send").asString("implicit");
        contact.optInDate = now();
        Reply invalid = applyContactFields(contact, body);
        if (invalid != null) {
            return invalid;
        }
        store(contact);
        return Reply.of(201, contactJson(contact, Set.of("custom_fields", "list_memberships")));
    }

    Reply putContact(String id, JsonNode body) {
        Contact contact = byId.get(id);
        if (contact == null) {
            return notFound("contact " + id);
        }
        if (!body.has("update_source")) {
            return errors(400, "contacts.api.validation.error", "update_source is required");
        }
        String address = body.path("email_address").path("address").asString(contact.email);
        Contact other = byEmail.get(address.toLowerCase(Locale.ROOT));
        if (other != null && other != contact) {
            return errors(409, "contacts.api.conflict", "Validation failed: Email already exists for contact " + other.id);
        }
        // top-level properties are replaced: those not sent become null; sub-resources not sent stay
        for (String field : List.of("first_name", "last_name", "job_title", "company_name")) {
            contact.fields.remove(field);
        }
        Reply invalid = applyContactFields(contact, body);
        if (invalid != null) {
            return invalid;
        }
        String permission = body.path("email_address").path("permission_to_send").asString(null);
        if ("unsubscribed".equals(permission)) {
            unsubscribe(contact, body.path("update_source").asString(), body.path("email_address").path("opt_out_reason").asString(null));
        }
        contact.updateSource = body.path("update_source").asString();
        contact.deletedAt = null; // a PUT revives a deleted contact
        byEmail.remove(contact.email.toLowerCase(Locale.ROOT));
        contact.email = address;
        byEmail.put(address.toLowerCase(Locale.ROOT), contact);
        touch(contact);
        return Reply.of(200, contactJson(contact, Set.of("custom_fields", "list_memberships")));
    }

    Reply signUpForm(JsonNode body) {
        JsonNode listIds = body.path("list_memberships");
        if (!listIds.isArray() || listIds.isEmpty() || listIds.size() > 50) {
            return errors(400, "contacts.api.validation.error", "list_memberships needs 1 to 50 list ids");
        }
        String address = body.path("email_address").asString(null);
        if (address == null) {
            return errors(400, "contacts.api.validation.error", "email_address is required");
        }
        Reply invalid = validateEmail(address, 50);
        if (invalid != null) {
            return invalid;
        }
        Contact contact = byEmail.get(address.toLowerCase(Locale.ROOT));
        boolean created = contact == null;
        if (created) {
            contact = new Contact();
            contact.email = address;
            contact.createSource = "Contact";
            store(contact);
        }
        contact.deletedAt = null;
        // the sign-up form's side effect: it makes the contact explicitly subscribed, even one who had unsubscribed
        contact.permission = "explicit";
        contact.optInSource = "Contact";
        contact.optInDate = now();
        contact.optOutDate = null;
        for (String field : List.of("first_name", "last_name", "job_title", "company_name")) {
            if (body.hasNonNull(field)) {
                contact.fields.put(field, body.get(field).asString());
            }
        }
        for (JsonNode listId : listIds) {
            contact.lists.add(listId.asString());
        }
        touch(contact);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("contact_id", contact.id);
        answer.put("action", created ? "created" : "updated");
        return Reply.of(created ? 201 : 200, answer);
    }

    Reply deleteContact(String id) {
        Contact contact = byId.get(id);
        if (contact == null || contact.deletedAt != null) {
            return notFound("contact " + id);
        }
        contact.deletedAt = Instant.now();
        contact.lists.clear();
        touch(contact);
        return Reply.of(204, null);
    }

    private Reply applyContactFields(Contact contact, JsonNode body) {
        for (String field : List.of("first_name", "last_name", "job_title", "company_name")) {
            if (body.hasNonNull(field)) {
                String value = body.get(field).asString();
                if (value.length() > 50) {
                    return errors(400, "contacts.api.validation.error", field + " is longer than 50 characters");
                }
                contact.fields.put(field, value);
            }
        }
        if (body.has("custom_fields")) {
            if (body.get("custom_fields").size() > 25) {
                return errors(400, "contacts.api.validation.error", "at most 25 custom fields");
            }
            contact.customFields.clear();
            for (JsonNode cf : body.get("custom_fields")) {
                contact.customFields.put(cf.path("custom_field_id").asString(), cf.path("value").asString(""));
            }
        }
        // sub-resources sent are the new full set: an entry left out is gone
        if (body.has("phone_numbers")) {
            JsonNode phones = body.get("phone_numbers");
            if (phones.size() > 2) {
                return errors(400, "contacts.api.validation.error", "phone_numbers: at most 2");
            }
            for (JsonNode phone : phones) {
                if (!PHONE_KINDS.containsKey(phone.path("kind").asString(""))) {
                    return errors(400, "contacts.api.validation.error", "phone_numbers.kind must be home, work, mobile or other");
                }
                if (phone.path("phone_number").asString("").length() > 25) {
                    return errors(400, "contacts.api.validation.error", "phone_numbers.phone_number is longer than 25 characters");
                }
            }
            PHONE_KINDS.values().forEach(contact.fields::remove);
            phones.forEach(phone -> contact.fields.put(PHONE_KINDS.get(phone.path("kind").asString()),
                    phone.path("phone_number").asString()));
        }
        if (body.has("street_addresses")) {
            for (JsonNode address : body.get("street_addresses")) {
                if (!address.path("kind").asString("").equals("home")) {
                    // this fake keeps only the home address, which is the one an import's street… columns write
                    return errors(400, "contacts.api.validation.error", "street_addresses.kind: only home is modelled here");
                }
                for (String[] pair : ADDRESS_PARTS) {
                    if (address.path(pair[1]).asString("").length() > (pair[0].equals("street") ? 255 : 50)) {
                        return errors(400, "contacts.api.validation.error", "street_addresses." + pair[1] + " is too long");
                    }
                }
            }
            for (String[] pair : ADDRESS_PARTS) {
                contact.fields.remove(pair[0]);
            }
            for (JsonNode address : body.get("street_addresses")) {
                for (String[] pair : ADDRESS_PARTS) {
                    if (address.hasNonNull(pair[1])) {
                        contact.fields.put(pair[0], address.get(pair[1]).asString());
                    }
                }
            }
        }
        if (body.has("list_memberships")) {
            if (body.get("list_memberships").size() > 50) {
                return errors(400, "contacts.api.validation.error", "at most 50 lists");
            }
            contact.lists.clear();
            body.get("list_memberships").forEach(id -> contact.lists.add(id.asString()));
        }
        return null;
    }

    private static Reply validateEmail(String address, int max) {
        if (address.length() > max || !EMAIL.matcher(address).matches()) {
            return errors(400, "contacts.api.validation.error", "email_address.address is not a valid email address");
        }
        return null;
    }

    private void store(Contact contact) {
        if (contact.email != null) {
            byEmail.put(contact.email.toLowerCase(Locale.ROOT), contact);
        }
        byId.put(contact.id, contact);
    }

    /** A contact made in the website (email null for one without). */
    Contact newContact(String email) {
        if (email != null && byEmail.containsKey(email.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(email + " is in the account already");
        }
        Contact contact = new Contact();
        contact.email = email;
        store(contact);
        return contact;
    }

    /** Sets (null: clears) one field as an import names it, or a custom field as {@code cf:<label>}. */
    void setField(Contact contact, String key, String value) {
        if (key.startsWith("cf:")) {
            String id = customFields.values().stream().filter(f -> f.label().equalsIgnoreCase(key.substring(3)))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("no custom field " + key)).id();
            if (value == null) {
                contact.customFields.remove(id);
            }
            else {
                contact.customFields.put(id, value);
            }
        }
        else if (value == null) {
            contact.fields.remove(key);
        }
        else {
            contact.fields.put(key, value);
        }
    }

    /** A change made in the website: updated_at moves, as for any change of the contact's details. */
    void touched(Contact contact) {
        touch(contact);
    }

    /** The account's clock, to the microsecond a database keeps: a time read back compares equal to itself. */
    static Instant now() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    private static void touch(Contact contact) {
        contact.updatedAt = now();
        contact.writes++;
    }

    void unsubscribe(Contact contact, String source, String reason) {
        contact.permission = "unsubscribed";
        contact.optOutSource = source;
        contact.optOutDate = now();
        contact.optOutReason = reason;
        contact.lists.clear();
        // an opt-out is not a change of the contact's details: updated_at stays, so a client that reads changes by
        // updated_at alone never sees it, and must read opt-outs on their own
    }

    ObjectNode contactJson(Contact contact, Set<String> include) {
        ObjectNode node = JSON.createObjectNode();
        node.put("contact_id", contact.id);
        if (contact.email != null) {
            ObjectNode email = node.putObject("email_address");
            email.put("address", contact.email);
            email.put("permission_to_send", contact.permission);
            email.put("created_at", contact.createdAt.toString());
            email.put("updated_at", contact.updatedAt.toString());
            email.put("opt_in_source", contact.optInSource);
            if (contact.optInDate != null) {
                email.put("opt_in_date", contact.optInDate.toString());
            }
            if (contact.optOutDate != null) {
                email.put("opt_out_source", contact.optOutSource);
                email.put("opt_out_date", contact.optOutDate.toString());
                if (contact.optOutReason != null) {
                    email.put("opt_out_reason", contact.optOutReason);
                }
            }
            email.put("confirm_status", "off");
        }
        contact.fields.forEach((key, value) -> {
            if (List.of("first_name", "last_name", "job_title", "company_name").contains(key)) {
                node.put(key, value);
            }
        });
        node.put("create_source", contact.createSource);
        node.put("update_source", contact.updateSource);
        node.put("created_at", contact.createdAt.toString());
        node.put("updated_at", contact.updatedAt.toString());
        if (contact.deletedAt != null) {
            node.put("deleted_at", LocalDate.ofInstant(contact.deletedAt, ZoneOffset.UTC).toString());
        }
        if (include.contains("custom_fields")) {
            ArrayNode array = node.putArray("custom_fields");
            contact.customFields.forEach((id, value) -> {
                ObjectNode cf = array.addObject();
                cf.put("custom_field_id", id);
                cf.put("value", value);
            });
        }
        if (include.contains("list_memberships")) {
            ArrayNode array = node.putArray("list_memberships");
            contact.lists.forEach(array::add);
        }
        if (include.contains("phone_numbers")) {
            ArrayNode array = node.putArray("phone_numbers");
            PHONE_KINDS.forEach((kind, field) -> {
                if (contact.fields.containsKey(field)) {
                    ObjectNode phone = array.addObject();
                    phone.put("phone_number", contact.fields.get(field));
                    phone.put("kind", kind);
                }
            });
        }
        if (include.contains("street_addresses")) {
            ArrayNode array = node.putArray("street_addresses");
            if (contact.fields.keySet().stream().anyMatch(k -> List.of("street", "city", "state", "zip", "country").contains(k))) {
                ObjectNode address = array.addObject();
                address.put("kind", "home");
                for (String[] pair : ADDRESS_PARTS) {
                    if (contact.fields.containsKey(pair[0])) {
                        address.put(pair[1], contact.fields.get(pair[0]));
                    }
                }
            }
        }
        return node;
    }

    // ---- bulk activities

    long pendingActivities() {
        return activities.values().stream().filter(a -> a.polls < pollsToComplete).count();
    }

    Reply jsonImport(JsonNode body, int bodyBytes, byte[] raw) {
        JsonNode importData = body.path("import_data");
        JsonNode listIds = body.path("list_ids");
        if (!importData.isArray() || !listIds.isArray() || listIds.isEmpty() || listIds.size() > 50) {
            return errors(400, "contacts.api.validation.error", "import_data and list_ids (1 to 50) are required");
        }
        for (JsonNode listId : listIds) {
            if (!lists.containsKey(listId.asString())) {
                return errors(400, "contacts.api.validation.error", "list " + listId.asString() + " does not exist");
            }
        }
        int take = importData.size();
        if (truncateOversize) {
            take = Math.min(take, MAX_IMPORT_CONTACTS);
            if (bodyBytes > MAX_IMPORT_BYTES) {
                take = Math.min(take, contactsWithin(raw, MAX_IMPORT_BYTES));
            }
            truncatedContacts += importData.size() - take;
        }
        Activity activity = new Activity("add_contacts");
        activity.errorsAsObjects = activityErrorsAsObjects;
        int persons = 0;
        int errorCount = 0;
        int correctable = 0;
        int cannotAdd = 0;
        for (int i = 0; i < take; i++) {
            JsonNode row = importData.get(i);
            int line = i + 1;
            // the account names the line of import_data (1 = its first element), never the email
            String email = row.path("email").asString(null);
            if (email == null || email.length() > 50 || !EMAIL.matcher(email).matches()) {
                correctable++;
                activity.errors.add("Line " + line + ": Email address is not valid.");
                continue;
            }
            String problem = refused.contains(email.toLowerCase(Locale.ROOT))
                    ? "This email address cannot be imported (it is on the do-not-mail list)." : rowProblem(row);
            if (problem != null) {
                errorCount++;
                activity.errors.add("Line " + line + ": " + problem);
                continue;
            }
            if (droppedSilently.contains(email.toLowerCase(Locale.ROOT))) {
                continue;
            }
            Contact contact = byEmail.get(email.toLowerCase(Locale.ROOT));
            if (contact == null) {
                contact = new Contact();
                contact.email = email;
                contact.optInDate = now();
                store(contact);
            }
            contact.deletedAt = null;
            for (Map.Entry<String, JsonNode> property : row.properties()) {
                String key = property.getKey();
                if (key.startsWith("cf:")) {
                    contact.customFields.put(fieldNamed(key.substring(3)).orElseThrow().id(), property.getValue().asString());
                }
                else if (!key.equals("email")) {
                    contact.fields.put(key, property.getValue().asString());
                }
            }
            if (contact.permission.equals("unsubscribed")) {
                cannotAdd++;
            }
            else {
                for (JsonNode listId : listIds) {
                    if (contact.lists.size() < 50) {
                        contact.lists.add(listId.asString());
                    }
                }
            }
            touch(contact);
            persons++;
        }
        activity.status.put("items_total_count", take);
        activity.status.put("person_count", persons);
        activity.status.put("error_count", errorCount);
        activity.status.put("correctable_count", correctable);
        activity.status.put("cannot_add_to_list_count", cannotAdd);
        activities.put(activity.id, activity);
        return Reply.of(201, activityJson(activity, false));
    }

    /** What keeps a row out of an import, other than its email; null when it is fine. */
    private String rowProblem(JsonNode row) {
        int customFieldCount = 0;
        for (Map.Entry<String, JsonNode> property : row.properties()) {
            String key = property.getKey();
            if (!key.startsWith("cf:") && !IMPORT_FIELDS.contains(key)) {
                return "Unknown field '" + key + "'.";
            }
            String value = property.getValue().isValueNode() ? property.getValue().asString() : null;
            if (value == null) {
                return key + " must be a string";
            }
            if (key.startsWith("cf:")) {
                customFieldCount++;
                if (fieldNamed(key.substring(3)).isEmpty()) {
                    return "the custom field '" + key.substring(3) + "' does not exist";
                }
                if (value.length() > 255) {
                    return key + " is longer than 255 characters";
                }
            }
            else if ((key.endsWith("street") || key.endsWith("street2")) && value.length() > 255) {
                return key + " is longer than 255 characters";
            }
            else if (key.endsWith("phone") && value.length() > 25) {
                return key + " is longer than 25 characters";
            }
            else if (!key.endsWith("phone") && !key.endsWith("street") && !key.endsWith("street2") && value.length() > 50) {
                return key + " is longer than 50 characters";
            }
        }
        return customFieldCount > 25 ? "more than 25 custom fields" : null;
    }

    /** How many elements of import_data end within the first {@code limit} bytes of the raw body. */
    private static int contactsWithin(byte[] raw, long limit) {
        String text = new String(raw, 0, (int) Math.min(raw.length, limit), StandardCharsets.UTF_8);
        int start = text.indexOf("\"import_data\"");
        int count = 0;
        int depth = 0;
        boolean inString = false;
        for (int i = text.indexOf('[', start) + 1; i > 0 && i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                }
                else if (c == '"') {
                    inString = false;
                }
            }
            else if (c == '"') {
                inString = true;
            }
            else if (c == '{') {
                depth++;
            }
            else if (c == '}') {
                depth--;
                if (depth == 0) {
                    count++;
                }
            }
            else if (c == ']' && depth == 0) {
                break;
            }
        }
        return count;
    }

    Reply listMembership(JsonNode body, boolean add) {
        JsonNode source = body.path("source");
        JsonNode targets = body.path("list_ids");
        if (!targets.isArray() || targets.isEmpty() || targets.size() > 50) {
            return errors(400, "contacts.api.validation.error", "list_ids (1 to 50) is required");
        }
        List<Contact> contacts = new ArrayList<>();
        int sources = 0;
        if (source.has("contact_ids")) {
            sources++;
            if (source.get("contact_ids").size() > 500) {
                return errors(400, "contacts.api.validation.error", "at most 500 contact_ids");
            }
            for (JsonNode id : source.get("contact_ids")) {
                Contact contact = byId.get(id.asString());
                if (contact != null) {
                    contacts.add(contact);
                }
            }
        }
        if (source.has("list_ids")) {
            sources++;
            Set<String> from = new LinkedHashSet<>();
            source.get("list_ids").forEach(id -> from.add(id.asString()));
            byId.values().stream().filter(c -> c.lists.stream().anyMatch(from::contains)).forEach(contacts::add);
        }
        if (source.path("all_active_contacts").asBoolean(false)) {
            sources++;
            byId.values().stream().filter(c -> c.deletedAt == null && !c.permission.equals("unsubscribed")).forEach(contacts::add);
        }
        if (sources != 1) {
            return errors(400, "contacts.api.validation.error", "source needs exactly one of contact_ids, list_ids, all_active_contacts");
        }
        Activity activity = new Activity(add ? "add_list_memberships" : "remove_list_memberships");
        int done = 0;
        for (Contact contact : contacts) {
            for (JsonNode listId : targets) {
                if (add && !contact.permission.equals("unsubscribed") && contact.lists.size() < 50) {
                    contact.lists.add(listId.asString());
                }
                else if (!add) {
                    contact.lists.remove(listId.asString());
                }
            }
            done++;
        }
        activity.status.put("items_total_count", contacts.size());
        activity.status.put("items_completed_count", done);
        activity.status.put("list_count", targets.size());
        activities.put(activity.id, activity);
        return Reply.of(201, activityJson(activity, false));
    }

    /** {@code GET /account/summary}: the Customer object, without the extra fields nobody asked for. */
    Reply summary() {
        ObjectNode customer = JSON.createObjectNode();
        customer.put("contact_email", FakeConstantContact.ACCOUNT);
        customer.put("contact_phone", "+1 720 555 0100");
        customer.put("country_code", "US");
        customer.put("encoded_account_id", encodedId);
        customer.put("first_name", "Owner");
        customer.put("last_name", "Of " + encodedId);
        customer.put("organization_name", "Fake Org " + encodedId);
        customer.put("state_code", "CO");
        customer.put("time_zone_id", "US/Mountain");
        return Reply.of(200, customer);
    }

    Reply getActivity(String id) {
        Activity activity = activities.get(id);
        if (activity == null) {
            return notFound("activity " + id);
        }
        activity.polls++;
        return Reply.of(200, activityJson(activity, true));
    }

    Reply getActivities() {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode array = body.putArray("activities");
        activities.values().forEach(a -> array.add(activityJson(a, false)));
        return Reply.of(200, body);
    }

    private ObjectNode activityJson(Activity activity, boolean polled) {
        String state = activity.polls >= pollsToComplete ? "completed" : activity.polls > 0 ? "processing" : "initialized";
        ObjectNode node = JSON.createObjectNode();
        node.put("activity_id", activity.id);
        node.put("state", state);
        node.put("created_at", activity.createdAt.toString());
        node.put("updated_at", Instant.now().toString());
        if (!state.equals("initialized")) {
            node.put("started_at", activity.createdAt.toString());
        }
        if (state.equals("completed")) {
            node.put("completed_at", Instant.now().toString());
        }
        node.put("percent_done", state.equals("completed") ? 100 : state.equals("processing") ? 50 : 0);
        ArrayNode errors = node.putArray("activity_errors");
        if (state.equals("completed")) {
            for (String error : activity.errors) {
                if (activity.errorsAsObjects) {
                    errors.addObject().put("message", error);
                }
                else {
                    errors.add(error);
                }
            }
        }
        node.set("status", activity.status.deepCopy());
        node.putObject("_links").putObject("self").put("href", "/v3/activities/" + activity.id);
        return node;
    }

    // ---- helpers

    private static int intParam(Map<String, String> query, String name, int otherwise) {
        String value = query.get(name);
        if (value == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(value);
        }
        catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Instant instantParam(String value) {
        if (value == null) {
            return null;
        }
        if (value.length() == 10) {
            return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        return java.time.OffsetDateTime.parse(value).toInstant();
    }

    static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    static Matcher match(String regex, String path) {
        return Pattern.compile(regex).matcher(path);
    }

    Collection<Contact> contacts() {
        return byEmail.values();
    }
}
