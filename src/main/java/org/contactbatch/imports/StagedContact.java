package org.contactbatch.imports;

import java.util.List;
import java.util.Map;

import org.contactbatch.contacts.ContactField;
import org.contactbatch.contacts.ContactRowParser;
import org.contactbatch.reports.RowIssue;

/**
 * A row that passed the row rules, typed and trimmed, on its way into the staging table.
 * Empty cells are null. {@code warnings} go to the warnings report; the row still loads.
 * A re-import also carries the contact's id and the version the sheet was exported at.
 */
public record StagedContact(long line, Long contactId, Integer fileVersion, String email, String phone,
        String phoneE164, String firstName, String lastName, String company, String jobTitle, String street,
        String city, String region, String postalCode, String country, String lifecycleStage, String owner,
        Boolean legal, List<String> groups, List<String> tags, Map<String, String> customFields, String consentState,
        List<RowIssue> warnings) {

    public static StagedContact of(ContactRowParser.Parsed p, String consent, Long contactId, Integer fileVersion,
            List<RowIssue> warnings) {
        return new StagedContact(p.line(), contactId, fileVersion, p.get(ContactField.EMAIL),
                p.get(ContactField.PHONE), p.phoneE164(), p.get(ContactField.FIRST_NAME), p.get(ContactField.LAST_NAME),
                p.get(ContactField.COMPANY), p.get(ContactField.JOB_TITLE), p.get(ContactField.STREET),
                p.get(ContactField.CITY), p.get(ContactField.REGION), p.get(ContactField.POSTAL_CODE),
                p.get(ContactField.COUNTRY), p.get(ContactField.LIFECYCLE_STAGE), p.get(ContactField.OWNER), p.legal(),
                p.groups(), p.tags(), p.custom(), consent, warnings);
    }

    /** The contact as it would be stored, for previews: the fields that have a value, lists joined. */
    public Map<String, Object> asFields() {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        put(fields, "email", email);
        put(fields, "phone", phone);
        put(fields, "phone_e164", phoneE164);
        put(fields, "first_name", firstName);
        put(fields, "last_name", lastName);
        put(fields, "company", company);
        put(fields, "job_title", jobTitle);
        put(fields, "street", street);
        put(fields, "city", city);
        put(fields, "region", region);
        put(fields, "postal_code", postalCode);
        put(fields, "country", country);
        put(fields, "lifecycle_stage", lifecycleStage);
        put(fields, "owner", owner);
        put(fields, "legal", legal);
        put(fields, "groups", groups.isEmpty() ? null : String.join(", ", groups));
        put(fields, "tags", tags.isEmpty() ? null : String.join(", ", tags));
        customFields.forEach((name, value) -> put(fields, org.contactbatch.contacts.ColumnMapping.CUSTOM_PREFIX + name, value));
        put(fields, "consent", consentState);
        return fields;
    }

    private static void put(Map<String, Object> fields, String key, Object value) {
        if (value != null) {
            fields.put(key, value);
        }
    }
}
