package org.contactbatch.constantcontact.push;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.contactbatch.constantcontact.SetupException;

/**
 * Which field here goes with which Constant Contact field, and which way: a profile's {@code fields:} and
 * {@code custom-fields:}. A profile that says nothing maps every contact field the push has always sent both ways
 * (first and last name, job title, company, phone, the home address) and its custom fields push only, so profiles
 * written before the mapping existed behave as they did.
 *
 * @param fields every mapped field, the standard ones in the order a push writes them, then the custom ones in the
 *               profile's order
 */
public record FieldMap(List<Field> fields) {

    /** Which way a field goes. */
    public enum Way {
        PUSH, PULL, BOTH;

        public boolean pushes() {
            return this != PULL;
        }

        public boolean pulls() {
            return this != PUSH;
        }

        static Way of(Object value, String key) {
            for (Way way : values()) {
                if (way.name().equalsIgnoreCase(String.valueOf(value).trim())) {
                    return way;
                }
            }
            throw new SetupException("direction '" + value + "' of '" + key + "' is not push, pull, both or none");
        }
    }

    /**
     * One mapped field.
     *
     * @param here  the contact column here ({@code first_name}, {@code company}, {@code region}…), or for a custom
     *              field the column or custom field key its value comes from
     * @param there the Constant Contact field as an import names it ({@code first_name}, {@code company_name},
     *              {@code state}…), or {@code cf:<label>} for a custom field
     * @param way   which way it goes
     */
    public record Field(String here, String there, Way way) {

        public boolean custom() {
            return there.startsWith("cf:");
        }

        /** The custom field's label there. */
        public String label() {
            return there.substring("cf:".length());
        }
    }

    /** The account's standard fields, as an import names them → the column here they go with by default. */
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

    /** Contact columns a field can be mapped from or to. */
    static final Set<String> COLUMNS = Set.of("first_name", "last_name", "company", "job_title", "phone", "street",
            "city", "region", "postal_code", "country", "lifecycle_stage", "owner");
    /** Sources the push can send that do not come back: they are lists, flags or consent, not values. */
    static final Set<String> ONE_WAY = Set.of("groups", "tags", "legal", "consent");

    public FieldMap {
        fields = List.copyOf(fields);
    }

    /** The mapping of a profile without {@code fields:}: every standard field both ways, the custom fields pushed. */
    public static FieldMap defaults(Map<String, String> customFields) {
        return of(Map.of(), customFields, Map.of());
    }

    /**
     * The mapping a profile's {@code fields:} and {@code custom-fields:} describe.
     *
     * @param standard     field here → its entry in {@code fields:} (a direction, {@code none}, or a mapping of
     *                     {@code field:} and {@code direction:})
     * @param customFields field here → custom field label
     * @param customWays   field here → the direction its custom field entry gave (push when absent)
     */
    static FieldMap of(Map<String, Object> standard, Map<String, String> customFields, Map<String, Way> customWays) {
        Map<String, Field> byThere = new LinkedHashMap<>();
        Set<String> left = new java.util.HashSet<>();
        for (Map.Entry<String, Object> entry : standard.entrySet()) {
            String here = entry.getKey().trim().toLowerCase(Locale.ROOT);
            if (!COLUMNS.contains(here)) {
                throw new SetupException("unknown field 'fields: " + entry.getKey() + "' (fields here: "
                        + String.join(", ", new java.util.TreeSet<>(COLUMNS)) + ")");
            }
            String there = STANDARD.entrySet().stream().filter(e -> e.getValue().equals(here)).map(Map.Entry::getKey)
                    .findFirst().orElse(null);
            Object value = entry.getValue();
            Object direction = value;
            if (value instanceof Map<?, ?> map) {
                for (Object key : map.keySet()) {
                    if (!"field".equals(key) && !"direction".equals(key)) {
                        throw new SetupException("unknown key 'fields: " + entry.getKey() + ": " + key
                                + "' (a field takes field: and direction:)");
                    }
                }
                there = map.get("field") == null ? there : String.valueOf(map.get("field")).trim().toLowerCase(Locale.ROOT);
                direction = map.get("direction") == null ? "both" : map.get("direction");
            }
            if (there == null || !STANDARD.containsKey(there)) {
                throw new SetupException("unknown Constant Contact field '" + (there == null ? "" : there) + "' for 'fields: "
                        + entry.getKey() + "' (Constant Contact's fields: " + String.join(", ", STANDARD.keySet()) + ")");
            }
            left.add(here);
            if (direction == null || "none".equalsIgnoreCase(String.valueOf(direction).trim())) {
                continue;
            }
            Way way = Way.of(direction, "fields: " + entry.getKey());
            if (byThere.containsKey(there)) {
                throw new SetupException("the Constant Contact field '" + there + "' is mapped twice in fields: ("
                        + byThere.get(there).here() + " and " + here + ")");
            }
            byThere.put(there, new Field(here, there, way));
        }
        List<Field> fields = new ArrayList<>();
        // in the order a push writes them, so a payload (and its hash) is what it was before the mapping existed
        STANDARD.forEach((there, column) -> {
            if (byThere.containsKey(there)) {
                fields.add(byThere.get(there));
            }
            else if (!left.contains(column)) {
                fields.add(new Field(column, there, Way.BOTH));
            }
        });
        customFields.forEach((here, label) -> {
            Way way = customWays.getOrDefault(here, Way.PUSH);
            if (way.pulls() && ONE_WAY.contains(here.trim().toLowerCase(Locale.ROOT))) {
                throw new SetupException("'custom-fields: " + here + "' can only be pushed: " + here
                        + " is not a value that can come back");
            }
            fields.add(new Field(here, "cf:" + label, way));
        });
        return new FieldMap(fields);
    }

    /** The fields a push sends. */
    public List<Field> pushed() {
        return fields.stream().filter(f -> f.way().pushes()).toList();
    }

    /** The fields a pull writes here. */
    public List<Field> pulled() {
        return fields.stream().filter(f -> f.way().pulls()).toList();
    }

    /** The field mapped to this Constant Contact field (import-named, or {@code cf:<label>}); null when none is. */
    public Field there(String there) {
        return fields.stream().filter(f -> f.there().equalsIgnoreCase(there)).findFirst().orElse(null);
    }
}
