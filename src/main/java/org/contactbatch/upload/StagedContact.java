package org.contactbatch.upload;

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
}
