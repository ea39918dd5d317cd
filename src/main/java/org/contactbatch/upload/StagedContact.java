package org.contactbatch.upload;

import java.util.List;
import java.util.Map;

import org.contactbatch.reports.RowIssue;

/**
 * A row that passed the row rules, typed and trimmed, on its way into the staging table.
 * Empty cells are null. {@code warnings} go to the warnings report; the row still loads.
 */
public record StagedContact(long line, String email, String phone, String phoneE164, String firstName,
        String lastName, String company, String jobTitle, String street, String city, String region,
        String postalCode, String country, String lifecycleStage, String owner, Boolean legal, List<String> groups,
        List<String> tags, Map<String, String> customFields, String consentState, List<RowIssue> warnings) {
}
