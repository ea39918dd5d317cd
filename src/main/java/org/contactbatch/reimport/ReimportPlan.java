package org.contactbatch.reimport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.contactbatch.contacts.ColumnMapping;
import org.contactbatch.contacts.ColumnTarget;
import org.contactbatch.contacts.ContactField;
import org.contactbatch.files.RowSource;
import org.contactbatch.files.TabularFiles;

/**
 * How an edited export maps: the {@code id} column says which contact a row changes, the
 * {@code version} column which version of it was exported, every other column a field. Columns
 * that match no field are ignored, with a warning: a re-import never invents custom fields; those
 * come back in columns headed {@code custom:NAME}, as exports write them.
 *
 * @param idColumn      index of the id column
 * @param versionColumn index of the version column, -1 when the sheet has none
 * @param fields        what the file has columns for, the only fields it changes: field keys and
 *                      {@code custom:NAME}
 */
public record ReimportPlan(ColumnMapping mapping, int idColumn, int versionColumn, List<String> fields) {

    /** A sheet a re-import can't start from, said for people: nothing is staged. */
    public static class NotReimportable extends IllegalArgumentException {
        NotReimportable(String message) {
            super(message);
        }
    }

    public static ReimportPlan of(ReimportOptions options) {
        try (RowSource source = TabularFiles.open(options.file(), options.readOptions())) {
            return of(source.header(), options.file().getFileName().toString());
        }
    }

    static ReimportPlan of(List<String> header, String fileName) {
        int id = find(header, "id", "contactid", "contact id");
        if (id < 0) {
            throw new NotReimportable(fileName + ": no 'id' column; a re-import changes contacts by their id, "
                    + "so start from an export (columns: " + String.join(", ", header) + ")");
        }
        int version = find(header, "version");
        Map<String, ColumnTarget> explicit = new LinkedHashMap<>();
        explicit.put(header.get(id), new ColumnTarget.Ignored("the contact's id"));
        if (version >= 0) {
            explicit.put(header.get(version), new ColumnTarget.Ignored("the exported version"));
        }
        ColumnMapping mapping = ColumnMapping.of(header, explicit, ColumnMapping.Unmapped.IGNORE);
        List<String> fields = new ArrayList<>();
        for (ColumnTarget target : mapping.targets()) {
            if (target instanceof ColumnTarget.Field field) {
                fields.add(field.field().key());
            }
            else if (target instanceof ColumnTarget.Custom custom) {
                fields.add(ColumnMapping.CUSTOM_PREFIX + custom.name());
            }
        }
        return new ReimportPlan(mapping, id, version, List.copyOf(fields));
    }

    private static int find(List<String> header, String... names) {
        for (int i = 0; i < header.size(); i++) {
            String key = ContactField.headerKey(header.get(i));
            for (String name : names) {
                if (key.equals(ContactField.headerKey(name))) {
                    return i;
                }
            }
        }
        return -1;
    }
}
