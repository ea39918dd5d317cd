package org.contactbatch.export;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import org.contactbatch.contacts.ColumnMapping;
import org.contactbatch.contacts.ContactField;

/**
 * One column of an exported file: a contact field, or a custom field.
 *
 * @param key        the field's key ("email"), or "custom:NAME" for a custom field
 * @param header     the column's name in the file's header row, the name the upload and the re-import by ID
 *                   recognise: the field's key, or "custom:NAME" for a custom field
 * @param customName the custom field's name, null for a contact field
 */
public record ExportColumn(String key, String header, String customName) {

    public static final String CUSTOM_PREFIX = ColumnMapping.CUSTOM_PREFIX;

    /** Always the first two columns, so an edited file can come back through the re-import by ID. */
    public static final List<String> KEY_COLUMNS = List.of("id", "version");

    /**
     * The fields an export has by default, in this order after id and version: those an upload reads, so the file
     * comes back as it went out.
     */
    public static final List<String> DEFAULT_FIELDS = List.of("email", "phone", "first_name", "last_name", "company",
            "job_title", "street", "city", "region", "postal_code", "country", "lifecycle_stage", "owner", "legal",
            "groups", "tags", "consent");

    /** Fields to ask for with --columns: read-only facts that an upload would not take back. */
    public static final List<String> EXTRA_FIELDS = List.of("phone_e164", "active", "lists", "consent_source",
            "consent_at", "consent_by", "created_at", "updated_at");

    /** Field key → SQL over {@code contact c}; values as people read them (yes/no, "a; b", ISO 8601 UTC times). */
    private static final Map<String, String> SQL = sql();

    private static Map<String, String> sql() {
        Map<String, String> sql = new LinkedHashMap<>();
        sql.put("id", "c.id");
        sql.put("version", "c.version");
        for (String text : List.of("email", "phone", "first_name", "last_name", "company", "job_title", "street",
                "city", "region", "postal_code", "country", "lifecycle_stage", "owner", "phone_e164",
                "consent_source", "consent_by")) {
            sql.put(text, "c." + text);
        }
        sql.put("legal", "case c.legal when true then 'yes' when false then 'no' end");
        sql.put("groups", "nullif(array_to_string(c.groups, '; '), '')");
        sql.put("tags", "nullif(array_to_string(c.tags, '; '), '')");
        sql.put("consent", "c.consent_state");
        sql.put("active", "case when c.active then 'yes' else 'no' end");
        sql.put("lists", "(select string_agg(l.name, '; ' order by lower(l.name), l.id) from contact_list_member m"
                + " join contact_list l on l.id = m.list_id where m.contact_id = c.id)");
        for (String time : List.of("consent_at", "created_at", "updated_at")) {
            sql.put(time, "to_char(c." + time + " at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')");
        }
        return Map.copyOf(sql);
    }

    public boolean isCustom() {
        return customName != null;
    }

    /**
     * The column's value as SQL over {@code contact c}. A custom field's name is read from the export's own row in
     * {@code export_run} (by its position among the custom columns), never written into the SQL.
     */
    String sql(long exportId, int customPosition) {
        if (isCustom()) {
            return "c.custom_fields ->> (select r.custom_names[" + customPosition + "] from export_run r where r.id = "
                    + exportId + ")";
        }
        return SQL.get(key);
    }

    /** The columns of a file: id, version, then the given keys (canonical, as {@link #canonical} makes them). */
    public static List<ExportColumn> of(List<String> keys) {
        List<ExportColumn> columns = new ArrayList<>();
        for (String key : KEY_COLUMNS) {
            columns.add(new ExportColumn(key, key, null));
        }
        for (String key : keys) {
            if (KEY_COLUMNS.contains(key)) {
                continue;
            }
            if (key.startsWith(CUSTOM_PREFIX)) {
                String name = key.substring(CUSTOM_PREFIX.length());
                columns.add(new ExportColumn(key, key, name));
            }
            else if (SQL.containsKey(key)) {
                columns.add(new ExportColumn(key, key, null));
            }
            else {
                throw new IllegalArgumentException("not an export column: " + key);
            }
        }
        return List.copyOf(columns);
    }

    /** The default columns: id, version, every upload field, then the custom fields (in the order given). */
    public static List<ExportColumn> defaults(List<String> customNames) {
        List<String> keys = new ArrayList<>(DEFAULT_FIELDS);
        customNames.forEach(name -> keys.add(CUSTOM_PREFIX + name));
        return of(keys);
    }

    /**
     * The canonical keys of the columns a person asked for with --columns, in their order: field names forgiving
     * case, spaces and punctuation and the synonyms an upload knows ("First Name", "zip"); "custom:NAME" for a custom
     * field; any other name is a custom field when some contact has it (as typed, or as an upload would have named
     * it). id and version may be listed but always come first.
     *
     * @throws IllegalArgumentException for a name that is neither, or a column listed twice
     */
    public static List<String> canonical(List<String> requested, Predicate<String> customFieldExists) {
        List<String> keys = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String raw : requested) {
            String name = raw.strip();
            if (name.isEmpty()) {
                continue;
            }
            String key = canonicalKey(name, customFieldExists);
            if (!seen.add(key)) {
                throw new IllegalArgumentException("--columns lists " + describe(key) + " twice");
            }
            if (!KEY_COLUMNS.contains(key)) {
                keys.add(key);
            }
        }
        return List.copyOf(keys);
    }

    private static String canonicalKey(String name, Predicate<String> customFieldExists) {
        if (name.regionMatches(true, 0, CUSTOM_PREFIX, 0, CUSTOM_PREFIX.length())) {
            String custom = name.substring(CUSTOM_PREFIX.length()).strip();
            if (custom.isEmpty()) {
                throw new IllegalArgumentException("--columns: 'custom:' needs a custom field name, e.g. custom:member_number");
            }
            return CUSTOM_PREFIX + custom;
        }
        Optional<String> field = fieldKey(name);
        if (field.isPresent()) {
            return field.get();
        }
        if (customFieldExists.test(name)) {
            return CUSTOM_PREFIX + name;
        }
        String uploaded = ColumnMapping.customFieldName(name);
        if (!uploaded.equals(name) && customFieldExists.test(uploaded)) {
            return CUSTOM_PREFIX + uploaded;
        }
        throw new IllegalArgumentException("--columns: '" + name + "' is neither a field nor a custom field of any "
                + "contact (fields: " + String.join(", ", allFields()) + "; a custom field that no contact has yet: "
                + CUSTOM_PREFIX + name + ")");
    }

    /** The field a column name means: an export column's key, or a field an upload knows by that name. */
    static Optional<String> fieldKey(String name) {
        String wanted = ContactField.headerKey(name);
        for (String key : SQL.keySet()) {
            if (ContactField.headerKey(key).equals(wanted)) {
                return Optional.of(key);
            }
        }
        return ContactField.forHeader(name).map(ContactField::key);
    }

    /** The columns one can ask for by name, in their default order. */
    public static List<String> allFields() {
        List<String> all = new ArrayList<>(KEY_COLUMNS);
        all.addAll(DEFAULT_FIELDS);
        all.addAll(EXTRA_FIELDS);
        return all;
    }

    private static String describe(String key) {
        return key.startsWith(CUSTOM_PREFIX) ? "custom field '" + key.substring(CUSTOM_PREFIX.length()) + "'"
                : "'" + key.toLowerCase(Locale.ROOT) + "'";
    }
}
