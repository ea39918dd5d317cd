package org.contactbatch.contacts;

/** Where one file column goes. */
public sealed interface ColumnTarget {

    /** A contact field. */
    record Field(ContactField field) implements ColumnTarget {
        @Override
        public String describe() {
            return field.key();
        }

        @Override
        public String mappingText() {
            return field.key();
        }
    }

    /** A custom field, by its name. */
    record Custom(String name) implements ColumnTarget {
        @Override
        public String describe() {
            return "custom field '" + name + "'";
        }

        @Override
        public String mappingText() {
            return ColumnMapping.CUSTOM_PREFIX + name;
        }
    }

    /** Not stored. */
    record Ignored(String reason) implements ColumnTarget {
        @Override
        public String describe() {
            return "ignored (" + reason + ")";
        }

        @Override
        public String mappingText() {
            return "ignore";
        }
    }

    String describe();

    /** The target as a mapping file writes it: a field's key, {@code custom:NAME} or {@code ignore}. */
    String mappingText();
}
