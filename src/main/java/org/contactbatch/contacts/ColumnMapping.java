package org.contactbatch.contacts;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How the columns of one file map to contact fields: automatic by header (forgiving case,
 * punctuation and the synonyms people use), overridden by a mapping file, with the
 * columns a failed-rows report adds recognised and ignored so a fixed report uploads as it is.
 *
 * @param header   the column names as read
 * @param targets  where each column goes, same order as the header
 * @param notes    one line per column that maps to nothing or is kept other than expected,
 *                 for the warnings report and the dry run
 */
public record ColumnMapping(List<String> header, List<ColumnTarget> targets, List<Note> notes) {

    /**
     * The columns a report adds after the original cells: a failed-rows report is the file's own rows with the
     * reason beside them, so it can be fixed and uploaded again as it is.
     */
    public static final List<String> REPORT_COLUMNS = List.of("line", "column", "code", "message");

    /** A header "custom:NAME" names a custom field. */
    public static final String CUSTOM_PREFIX = "custom:";

    /** Something a person should know about one column. */
    public record Note(String column, String code, String message) {
    }

    /** What to do with a column that maps to no contact field. */
    public enum Unmapped { CUSTOM, IGNORE }

    public ColumnMapping {
        header = List.copyOf(header);
        targets = List.copyOf(targets);
        notes = List.copyOf(notes);
    }

    /**
     * Maps a header.
     *
     * @param explicit  column (header text, or 1-based position for files without a header) →
     *                  target, from a mapping file or the command line; wins over the automatic choice
     * @param unmapped  what becomes of columns nothing maps
     */
    public static ColumnMapping of(List<String> header, Map<String, ColumnTarget> explicit, Unmapped unmapped) {
        int width = header.size();
        int reportStart = reportColumnsStart(header);
        List<ColumnTarget> targets = new ArrayList<>(width);
        List<Note> notes = new ArrayList<>();
        Map<ContactField, String> taken = new EnumMap<>(ContactField.class);
        Map<String, ColumnTarget> explicitByKey = new LinkedHashMap<>();
        explicit.forEach((column, target) -> explicitByKey.put(ContactField.headerKey(column), target));

        for (int i = 0; i < width; i++) {
            String column = header.get(i);
            if (i >= reportStart) {
                targets.add(new ColumnTarget.Ignored("report column"));
                continue;
            }
            ColumnTarget target = explicitByKey.get(ContactField.headerKey(column));
            if (target == null) {
                target = explicitByKey.get(String.valueOf(i + 1));
            }
            if (target == null) {
                target = ContactField.forHeader(column).<ColumnTarget>map(ColumnTarget.Field::new).orElse(null);
            }
            if (target == null && column.regionMatches(true, 0, CUSTOM_PREFIX, 0, CUSTOM_PREFIX.length())) {
                // the way exports head custom-field columns, so they come back where they came from
                target = new ColumnTarget.Custom(customFieldName(column.substring(CUSTOM_PREFIX.length())));
            }
            if (target instanceof ColumnTarget.Field mapped && taken.containsKey(mapped.field())) {
                ContactField field = mapped.field();
                String first = taken.get(field);
                target = unmappedTarget(column, unmapped);
                notes.add(new Note(column, "DUPLICATE_MAPPING", "column '" + column + "' also maps to "
                        + field.key() + ", which comes from column '" + first + "'; it is "
                        + target.describe()));
            }
            else if (target == null) {
                target = unmappedTarget(column, unmapped);
                notes.add(new Note(column, "UNMAPPED_COLUMN", "column '" + column
                        + "' matches no contact field; it is " + target.describe()));
            }
            if (target instanceof ColumnTarget.Field mapped) {
                taken.put(mapped.field(), column);
            }
            targets.add(target);
        }
        return new ColumnMapping(header, targets, notes);
    }

    private static ColumnTarget unmappedTarget(String column, Unmapped unmapped) {
        return unmapped == Unmapped.CUSTOM ? new ColumnTarget.Custom(customFieldName(column))
                : new ColumnTarget.Ignored("no matching field");
    }

    /** "Member Since" → "member_since": a name that is safe in JSON, SQL and Constant Contact. */
    public static String customFieldName(String column) {
        String name = column.trim().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", "_")
                .replaceAll("^_+|_+$", "");
        return name.isEmpty() ? "column" : name;
    }

    /** Where the report columns start, or the width when the header doesn't end with them. */
    private static int reportColumnsStart(List<String> header) {
        int start = header.size() - REPORT_COLUMNS.size();
        if (start < 1) {
            return header.size();
        }
        for (int i = 0; i < REPORT_COLUMNS.size(); i++) {
            if (!REPORT_COLUMNS.get(i).equalsIgnoreCase(header.get(start + i).trim())) {
                return header.size();
            }
        }
        return start;
    }

    /** The index of the column that holds a field, if any. */
    public Optional<Integer> indexOf(ContactField field) {
        for (int i = 0; i < targets.size(); i++) {
            if (targets.get(i) instanceof ColumnTarget.Field mapped && mapped.field() == field) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** The header of the column that holds a field, or the field's key when none does. */
    public String columnOf(ContactField field) {
        return indexOf(field).map(header::get).orElse(field.key());
    }

    public boolean hasField(ContactField field) {
        return indexOf(field).isPresent();
    }
}
