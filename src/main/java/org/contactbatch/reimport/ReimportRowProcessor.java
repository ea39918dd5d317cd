package org.contactbatch.reimport;

import java.util.ArrayList;
import java.util.List;

import org.contactbatch.contacts.ContactField;
import org.contactbatch.contacts.ContactRowParser;
import org.contactbatch.files.RawRow;
import org.contactbatch.imports.RowRejectedException;
import org.contactbatch.imports.StagedContact;
import org.contactbatch.reports.RowIssue;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * The row rules of a re-import: the shared value rules, plus an id that is a number and a
 * version that is one when present. A blank cell means "clear this field": the sheet is the
 * truth for the columns it has. A value stored in another form than typed (case) is a warning.
 */
public class ReimportRowProcessor implements ItemProcessor<RawRow, StagedContact> {

    private final ReimportPlan plan;
    private final ContactRowParser parser;

    public ReimportRowProcessor(ReimportPlan plan, String phoneRegion) {
        this.plan = plan;
        // a blank cell clears its field here, so a value left out would clear what is stored: such a row is rejected
        this.parser = new ContactRowParser(plan.mapping(), phoneRegion, ContactRowParser.UnknownValues.REJECT_ROW);
    }

    @Override
    public StagedContact process(RawRow row) {
        ContactRowParser.Parsed parsed = parser.parse(row);
        List<RowIssue> errors = new ArrayList<>(parsed.errors());
        String idColumn = plan.mapping().header().get(plan.idColumn());
        String idText = row.cell(plan.idColumn()).strip();
        Long id = null;
        if (idText.isEmpty()) {
            errors.add(RowIssue.error(row.line(), idColumn, "ID_MISSING",
                    "the row has no id; a re-import only changes existing contacts (add new ones with upload)"));
        }
        else {
            id = wholeNumber(idText);
            if (id == null) {
                errors.add(RowIssue.error(row.line(), idColumn, "ID_INVALID", "id '" + idText + "' is not a number"));
            }
        }
        Integer version = null;
        if (plan.versionColumn() >= 0) {
            String versionText = row.cell(plan.versionColumn()).strip();
            Long parsedVersion = wholeNumber(versionText);
            if (!versionText.isEmpty() && (parsedVersion == null || parsedVersion > Integer.MAX_VALUE)) {
                errors.add(RowIssue.error(row.line(), plan.mapping().header().get(plan.versionColumn()),
                        "VERSION_INVALID", "version '" + versionText + "' is not a number"));
            }
            else if (parsedVersion != null) {
                version = parsedVersion.intValue();
            }
        }
        if (!errors.isEmpty()) {
            throw new RowRejectedException(row, errors);
        }
        List<RowIssue> warnings = new ArrayList<>();
        for (ContactField field : parsed.normalised()) {
            warnings.add(RowIssue.warning(row.line(), parser.column(field), "NORMALISED",
                    field.key() + " is stored as '" + parsed.get(field) + "'"));
        }
        return StagedContact.of(parsed, parsed.get(ContactField.CONSENT), id, version, warnings);
    }

    /** Whole numbers as people and spreadsheets write them: "42", "42.0". */
    static Long wholeNumber(String text) {
        try {
            return Long.parseLong(text);
        }
        catch (NumberFormatException e) {
            try {
                java.math.BigDecimal decimal = new java.math.BigDecimal(text);
                return decimal.stripTrailingZeros().scale() <= 0 ? decimal.longValueExact() : null;
            }
            catch (NumberFormatException | ArithmeticException notANumber) {
                return null;
            }
        }
    }
}
