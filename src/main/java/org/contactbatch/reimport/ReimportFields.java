package org.contactbatch.reimport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.contactbatch.contacts.ColumnMapping;

/**
 * The SQL for the fields an edited sheet has columns for. Only names from this class and the
 * contact field list reach SQL text; custom-field names travel as bound parameters.
 */
final class ReimportFields {

    /** field key → how its value reads as text in the change report, for contact (c) or staged (s). */
    private static final Map<String, String> TEXT = Map.ofEntries(
            Map.entry("email", "%s.email"),
            Map.entry("phone", "%s.phone"),
            Map.entry("first_name", "%s.first_name"),
            Map.entry("last_name", "%s.last_name"),
            Map.entry("company", "%s.company"),
            Map.entry("job_title", "%s.job_title"),
            Map.entry("street", "%s.street"),
            Map.entry("city", "%s.city"),
            Map.entry("region", "%s.region"),
            Map.entry("postal_code", "%s.postal_code"),
            Map.entry("country", "%s.country"),
            Map.entry("lifecycle_stage", "%s.lifecycle_stage"),
            Map.entry("owner", "%s.owner"),
            Map.entry("legal", "case when %1$s.legal then 'yes' when not %1$s.legal then 'no' end"),
            Map.entry("groups", "nullif(array_to_string(%s.groups, ';'), '')"),
            Map.entry("tags", "nullif(array_to_string(%s.tags, ';'), '')"),
            Map.entry("consent", "%s.consent_state"));

    /** The fields whose clearing a person should confirm: a warning, not an error. */
    static final List<String> RELIED_ON = List.of("first_name", "last_name", "lifecycle_stage", "owner", "legal");

    private final List<String> fields;
    private final List<String> customNames = new ArrayList<>();

    ReimportFields(List<String> fields) {
        this.fields = List.copyOf(fields);
        for (String field : fields) {
            if (field.startsWith(ColumnMapping.CUSTOM_PREFIX)) {
                customNames.add(field.substring(ColumnMapping.CUSTOM_PREFIX.length()));
            }
        }
    }

    boolean has(String field) {
        return fields.contains(field);
    }

    /** Bound parameters the SQL of this class refers to: {@code :custom0}, … and {@code :customKeys}. */
    Map<String, Object> parameters() {
        Map<String, Object> parameters = new TreeMap<>();
        for (int i = 0; i < customNames.size(); i++) {
            parameters.put("custom" + i, customNames.get(i));
        }
        parameters.put("customKeys", customNames.toArray(String[]::new));
        return parameters;
    }

    /** A VALUES list of (field, old text, new text) for a lateral unpivot of contact c against staged row s. */
    String changeValues() {
        List<String> rows = new ArrayList<>();
        for (String field : fields) {
            String text = TEXT.get(field);
            if (text != null) {
                rows.add("('" + field + "', " + text.formatted("c") + ", " + text.formatted("s") + ")");
            }
        }
        for (int i = 0; i < customNames.size(); i++) {
            rows.add("('" + ColumnMapping.CUSTOM_PREFIX + "' || cast(:custom" + i + " as text), c.custom_fields ->> cast(:custom"
                    + i + " as text), s.custom_fields ->> cast(:custom" + i + " as text))");
        }
        return rows.isEmpty() ? "(null, null, null)" : String.join(",\n", rows);
    }

    /**
     * The before-image of contact c: a {@code jsonb} object of the columns {@link #setClause()} may change,
     * and no others; writing the whole contact cost as much as the update itself.
     */
    String beforeImage() {
        List<String> columns = new ArrayList<>();
        for (String field : fields) {
            switch (field) {
                case "phone" -> columns.addAll(List.of("phone", "phone_e164"));
                case "consent" -> columns.addAll(List.of("consent_state", "consent_source", "consent_at", "consent_by"));
                case "tags" -> { /* always, below */ }
                default -> {
                    if (TEXT.containsKey(field)) {
                        columns.add(field);
                    }
                }
            }
        }
        if (!customNames.isEmpty()) {
            columns.add("custom_fields");
        }
        columns.add("tags");
        List<String> pairs = new ArrayList<>();
        for (String column : columns) {
            pairs.add("'" + column + "', c." + column);
        }
        return "jsonb_build_object(" + String.join(", ", pairs) + ")";
    }

    /** The SET list that puts staged row s into contact c; the tag and bookkeeping are the caller's. */
    String setClause() {
        List<String> sets = new ArrayList<>();
        for (String field : fields) {
            switch (field) {
                case "phone" -> {
                    sets.add("phone = s.phone");
                    sets.add("phone_e164 = s.phone_e164");
                }
                case "groups" -> sets.add("groups = coalesce(s.groups, '{}')");
                case "tags" -> { /* with the tag, by the caller */ }
                case "consent" -> {
                    sets.add("consent_state = s.consent_state");
                    sets.add("consent_source = case when s.consent_state is distinct from c.consent_state then :source"
                            + " else c.consent_source end");
                    sets.add("consent_at = case when s.consent_state is distinct from c.consent_state then now()"
                            + " else c.consent_at end");
                    sets.add("consent_by = case when s.consent_state is distinct from c.consent_state then :by"
                            + " else c.consent_by end");
                }
                default -> {
                    if (TEXT.containsKey(field)) {
                        sets.add(field + " = s." + field);
                    }
                }
            }
        }
        if (!customNames.isEmpty()) {
            sets.add("custom_fields = (c.custom_fields - cast(:customKeys as text[])) || coalesce(s.custom_fields, '{}')");
        }
        String tags = has("tags") ? "coalesce(s.tags, '{}')" : "c.tags";
        sets.add("tags = case when cast(:tag as text) is null or cast(:tag as text) = any(" + tags + ") then " + tags
                + " else " + tags + " || cast(:tag as text) end");
        return String.join(",\n    ", sets);
    }
}
