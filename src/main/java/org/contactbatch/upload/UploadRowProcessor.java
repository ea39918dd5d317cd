package org.contactbatch.upload;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import org.apache.commons.validator.routines.EmailValidator;
import org.contactbatch.contacts.ColumnMapping;
import org.contactbatch.contacts.ColumnTarget;
import org.contactbatch.contacts.ConsentState;
import org.contactbatch.contacts.ContactField;
import org.contactbatch.contacts.LifecycleStage;
import org.contactbatch.files.RawRow;
import org.contactbatch.reports.RowIssue;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * The row rules of an upload: turns a raw row into a typed contact, or rejects it with every
 * problem it has. Rules that need other rows (duplicates, existing emails) run later in SQL.
 */
public class UploadRowProcessor implements ItemProcessor<RawRow, StagedContact> {

    private static final EmailValidator EMAILS = EmailValidator.getInstance(false, false);
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final ContactField[] FIELDS = ContactField.values();

    private final ColumnMapping mapping;
    private final ConsentState defaultConsent;
    private final String phoneRegion;
    private final int width;

    public UploadRowProcessor(ColumnMapping mapping, ConsentState defaultConsent, String phoneRegion) {
        this.mapping = mapping;
        this.defaultConsent = defaultConsent;
        this.phoneRegion = phoneRegion;
        this.width = mapping.header().size();
    }

    @Override
    public StagedContact process(RawRow row) {
        long line = row.line();
        List<RowIssue> errors = new ArrayList<>(2);
        String[] values = new String[FIELDS.length];
        Map<String, String> custom = Collections.emptyMap();
        List<String> cells = row.cells();

        for (int i = 0; i < width; i++) {
            String value = i < cells.size() ? cells.get(i).strip() : "";
            if (value.isEmpty()) {
                continue;
            }
            ColumnTarget target = mapping.targets().get(i);
            if (target instanceof ColumnTarget.Field field) {
                values[field.field().ordinal()] = value;
                if (value.length() > field.field().maxLength()) {
                    errors.add(RowIssue.error(line, mapping.header().get(i), "TOO_LONG", field.field().key()
                            + " is " + value.length() + " characters long; at most " + field.field().maxLength()
                            + " fit"));
                }
            }
            else if (target instanceof ColumnTarget.Custom customField) {
                if (custom.isEmpty()) {
                    custom = new LinkedHashMap<>();
                }
                custom.put(customField.name(), value);
            }
        }
        for (int i = width; i < cells.size(); i++) {
            if (!cells.get(i).isBlank()) {
                errors.add(RowIssue.error(line, null, "RAGGED_ROW", "the row has a value in column " + (i + 1)
                        + " but the header has only " + width + " columns; a delimiter or quote is probably misplaced"));
                break;
            }
        }

        String email = values[ContactField.EMAIL.ordinal()];
        String phone = values[ContactField.PHONE.ordinal()];
        if (email != null && email.length() <= ContactField.EMAIL.maxLength() && !EMAILS.isValid(email)) {
            errors.add(RowIssue.error(line, column(ContactField.EMAIL), "INVALID_EMAIL",
                    "'" + email + "' is not a valid email address"));
        }
        String phoneE164 = null;
        if (phone != null) {
            if (phone.chars().noneMatch(Character::isDigit)) {
                errors.add(RowIssue.error(line, column(ContactField.PHONE), "INVALID_PHONE",
                        "'" + phone + "' has no digits; it is not a phone number"));
            }
            else {
                phoneE164 = e164(phone);
            }
        }
        if (email == null && phone == null) {
            errors.add(RowIssue.error(line, null, "MISSING_CONTACT",
                    "the row has neither an email nor a phone number"));
        }
        String stage = values[ContactField.LIFECYCLE_STAGE.ordinal()];
        if (stage != null) {
            var parsed = LifecycleStage.parse(stage);
            if (parsed.isEmpty()) {
                errors.add(RowIssue.error(line, column(ContactField.LIFECYCLE_STAGE), "INVALID_VALUE",
                        "lifecycle stage '" + stage + "' is not one of " + String.join(", ", LifecycleStage.allowedValues())));
            }
            else {
                stage = parsed.get().value();
            }
        }
        Boolean legal = null;
        String legalText = values[ContactField.LEGAL.ordinal()];
        if (legalText != null) {
            legal = yesNo(legalText);
            if (legal == null) {
                errors.add(RowIssue.error(line, column(ContactField.LEGAL), "INVALID_VALUE",
                        "legal '" + legalText + "' is not yes or no"));
            }
        }
        String consent = defaultConsent == null ? null : defaultConsent.value();
        String consentText = values[ContactField.CONSENT.ordinal()];
        if (consentText != null) {
            var parsed = ConsentState.parse(consentText);
            if (parsed.isEmpty()) {
                errors.add(RowIssue.error(line, column(ContactField.CONSENT), "INVALID_VALUE",
                        "consent '" + consentText + "' is not one of confirmed, unconfirmed, pending"));
            }
            else {
                consent = parsed.get().value();
            }
        }
        if (!errors.isEmpty()) {
            throw new RowRejectedException(row, errors);
        }

        List<RowIssue> warnings = List.of();
        if (email == null) {
            warnings = List.of(RowIssue.warning(line, column(ContactField.EMAIL), "NO_EMAIL",
                    "no email: the contact is kept but will not be sent to Constant Contact"));
        }
        return new StagedContact(line, email, phone, phoneE164, values[ContactField.FIRST_NAME.ordinal()],
                values[ContactField.LAST_NAME.ordinal()], values[ContactField.COMPANY.ordinal()],
                values[ContactField.JOB_TITLE.ordinal()], values[ContactField.STREET.ordinal()],
                values[ContactField.CITY.ordinal()], values[ContactField.REGION.ordinal()],
                values[ContactField.POSTAL_CODE.ordinal()], values[ContactField.COUNTRY.ordinal()], stage,
                values[ContactField.OWNER.ordinal()], legal, splitList(values[ContactField.GROUPS.ordinal()]),
                splitList(values[ContactField.TAGS.ordinal()]), custom, consent, warnings);
    }

    private String column(ContactField field) {
        return mapping.columnOf(field);
    }

    /** The number in E.164 when it can be recognised; what the person typed is kept either way. */
    private String e164(String phone) {
        try {
            Phonenumber.PhoneNumber number = PHONES.parse(phone, phoneRegion);
            return PHONES.isPossibleNumber(number) ? PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164)
                    : null;
        }
        catch (NumberParseException e) {
            return null;
        }
    }

    static Boolean yesNo(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "yes", "y", "true", "1", "x" -> Boolean.TRUE;
            case "no", "n", "false", "0" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** "vip; events, newsletter" → [vip, events, newsletter]: people separate with either. */
    static List<String> splitList(String text) {
        if (text == null) {
            return List.of();
        }
        LinkedHashSet<String> items = new LinkedHashSet<>();
        for (String item : text.split("[;,]")) {
            String trimmed = item.strip();
            if (!trimmed.isEmpty()) {
                items.add(trimmed);
            }
        }
        return List.copyOf(items);
    }
}
