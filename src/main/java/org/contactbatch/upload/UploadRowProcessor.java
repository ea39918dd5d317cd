package org.contactbatch.upload;

import java.util.ArrayList;
import java.util.List;

import org.contactbatch.contacts.ColumnMapping;
import org.contactbatch.contacts.ConsentState;
import org.contactbatch.contacts.ContactField;
import org.contactbatch.contacts.ContactRowParser;
import org.contactbatch.files.RawRow;
import org.contactbatch.imports.RowRejectedException;
import org.contactbatch.imports.StagedContact;
import org.contactbatch.reports.RowIssue;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * The row rules of an upload: the shared value rules ({@link ContactRowParser}), then what a new
 * contact needs — an email or a phone — and a warning for one that can't go to Constant Contact.
 * Rules that need other rows (duplicates, existing emails) run later in SQL.
 */
public class UploadRowProcessor implements ItemProcessor<RawRow, StagedContact> {

    private final ContactRowParser parser;
    private final ConsentState defaultConsent;

    public UploadRowProcessor(ColumnMapping mapping, ConsentState defaultConsent, String phoneRegion) {
        // a person is never rejected over a secondary value the program does not know
        this.parser = new ContactRowParser(mapping, phoneRegion, ContactRowParser.UnknownValues.LEAVE_OUT);
        this.defaultConsent = defaultConsent;
    }

    @Override
    public StagedContact process(RawRow row) {
        ContactRowParser.Parsed parsed = parser.parse(row);
        String email = parsed.get(ContactField.EMAIL);
        List<RowIssue> errors = parsed.errors();
        if (email == null && parsed.get(ContactField.PHONE) == null) {
            errors = new ArrayList<>(errors);
            errors.add(RowIssue.error(row.line(), null, "MISSING_CONTACT",
                    "the row has neither an email nor a phone number"));
        }
        if (!errors.isEmpty()) {
            throw new RowRejectedException(row, errors);
        }
        List<RowIssue> warnings = parsed.warnings();
        if (email == null) {
            warnings = new ArrayList<>(warnings);
            warnings.add(RowIssue.warning(row.line(), parser.column(ContactField.EMAIL), "NO_EMAIL",
                    "no email: the contact is kept but will not be sent to Constant Contact"));
        }
        String consent = parsed.get(ContactField.CONSENT);
        // a consent the row states in words the program does not know stays unknown: the file's default is for
        // rows that say nothing, never a reading of what a row says
        if (consent == null && defaultConsent != null && !parsed.leftOut().contains(ContactField.CONSENT)) {
            consent = defaultConsent.value();
        }
        return StagedContact.of(parsed, consent, null, null, warnings);
    }
}
