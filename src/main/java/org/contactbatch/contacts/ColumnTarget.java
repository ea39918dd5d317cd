package org.contactbatch.contacts;

/** Where one file column goes. */
public sealed interface ColumnTarget {

    /** A contact field. */
    record Field(ContactField field) implements ColumnTarget {
        @Override
        public String describe() {
            return field.key();
        }
    }

    /** A custom field, by its name. */
    record Custom(String name) implements ColumnTarget {
        @Override
        public String describe() {
            return "custom field '" + name + "'";
        }
    }

    /** Not stored. */
    record Ignored(String reason) implements ColumnTarget {
        @Override
        public String describe() {
            return "ignored (" + reason + ")";
        }
    }

    String describe();
}
