package org.contactbatch.contacts;

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
import org.contactbatch.files.RawRow;
import org.contactbatch.reports.RowIssue;

/**
 * The rules for the values of one row, shared by upload and re-import: lengths, email syntax,
 * phones, the closed sets (lifecycle stage, legal, consent), lists of tags and groups. It turns
 * the mapped cells into typed values and collects every problem, so a person can fix them all in
 * one pass. Rules about the row as a whole (what an upload needs, what a re-import needs) are the
 * callers'.
 */
public final class ContactRowParser {

    private static final EmailValidator EMAILS = new Emails();
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final ContactField[] FIELDS = ContactField.values();

    /**
     * commons-validator's email rules as {@code EmailValidator.getInstance(false, false)} has them, at
     * a fraction of the cost for the addresses most files hold (its regular expressions were a third of
     * an upload's row checks): a plain address — one {@code @}, before it dot-separated runs of
     * letters, digits, {@code _ + -}, at most 64 characters, after it letters, digits, dots and hyphens,
     * not ending in a dot — is one its expressions take whole, so only its domain is checked; and the
     * verdict on each domain is remembered, as it depends on the domain alone and a file has far fewer
     * domains than rows. Any other address goes through the validator's own checks.
     * {@code ContactRowParserEmailTest} holds the two to the same answers.
     *
     * <p>The verdicts are kept in a fixed table where a domain has one place by its hash and takes it from
     * whichever was there: no growing and no clearing. (A map cleared when full did that once in a while,
     * well after the JIT had compiled the row rules as if it never would, and their compiled code was thrown
     * away and made again in the middle of a large upload.)
     */
    static final class Emails extends EmailValidator {

        private static final long serialVersionUID = 1L;
        private static final int PLACES = 1 << 15;

        /** One domain's verdict; immutable, so a thread reading a place sees a whole one. */
        private record Verdict(String domain, boolean valid) {
        }

        private final transient Verdict[] domains = new Verdict[PLACES];

        Emails() {
            super(false, false);
        }

        @Override
        public boolean isValid(String email) {
            int at = email == null ? -1 : plainAt(email);
            return at < 0 ? super.isValid(email) : isValidDomain(email.substring(at + 1));
        }

        @Override
        protected boolean isValidDomain(String domain) {
            int hash = domain.hashCode();
            int place = (hash ^ (hash >>> 16)) & (PLACES - 1);
            Verdict known = domains[place];
            if (known == null || !known.domain().equals(domain)) {
                known = new Verdict(domain, super.isValidDomain(domain));
                domains[place] = known;
            }
            return known.valid();
        }

        /** Where the {@code @} of a plain address is, or -1 when the address is not one. */
        private static int plainAt(String email) {
            int n = email.length();
            int at = email.indexOf('@');
            if (at < 1 || at > 64 || at == n - 1 || email.charAt(n - 1) == '.') {
                return -1;
            }
            char previous = '.';
            for (int i = 0; i < at; i++) {
                char c = email.charAt(i);
                if (c == '.' ? previous == '.' : !(letterOrDigit(c) || c == '_' || c == '+' || c == '-')) {
                    return -1;
                }
                previous = c;
            }
            if (previous == '.') {
                return -1;
            }
            for (int i = at + 1; i < n; i++) {
                char c = email.charAt(i);
                if (!(letterOrDigit(c) || c == '.' || c == '-')) {
                    return -1;
                }
            }
            return at;
        }

        private static boolean letterOrDigit(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        }
    }

    /** What a value outside a closed set (a lifecycle stage, legal, consent) does to its row. */
    public enum UnknownValues {
        /** the row loads without that value, and a warning names it and what is accepted */
        LEAVE_OUT,
        /** the row is rejected: where a blank cell means "clear the field", leaving the value out would clear it */
        REJECT_ROW
    }

    private final ColumnMapping mapping;
    private final String phoneRegion;
    private final UnknownValues unknownValues;
    private final int width;

    public ContactRowParser(ColumnMapping mapping, String phoneRegion, UnknownValues unknownValues) {
        this.mapping = mapping;
        this.phoneRegion = phoneRegion;
        this.unknownValues = unknownValues;
        this.width = mapping.header().size();
    }

    /**
     * One parsed row.
     *
     * @param values  by {@link ContactField#ordinal()}: the stored form of each mapped field, null when blank
     * @param custom  custom field name → value, blank ones left out
     * @param errors  the row's problems; when there are any, the row must not be stored
     * @param warnings problems that let the row in: values left out ({@link UnknownValues#LEAVE_OUT})
     * @param leftOut the fields whose cell had a value that was left out
     * @param normalised the fields whose stored form differs from the cell other than by surrounding
     *                   spaces (a lifecycle stage in capitals, for instance)
     */
    public record Parsed(long line, String[] values, String phoneE164, Boolean legal, List<String> groups,
            List<String> tags, Map<String, String> custom, List<RowIssue> errors, List<RowIssue> warnings,
            List<ContactField> leftOut, List<ContactField> normalised) {

        public String get(ContactField field) {
            return values[field.ordinal()];
        }
    }

    public ColumnMapping mapping() {
        return mapping;
    }

    public Parsed parse(RawRow row) {
        long line = row.line();
        List<RowIssue> errors = new ArrayList<>(2);
        List<RowIssue> warnings = new ArrayList<>(0);
        List<ContactField> leftOut = new ArrayList<>(0);
        List<ContactField> normalised = List.of();
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
        if (email != null && email.length() <= ContactField.EMAIL.maxLength() && !EMAILS.isValid(email)) {
            errors.add(RowIssue.error(line, column(ContactField.EMAIL), "INVALID_EMAIL",
                    "'" + email + "' is not a valid email address"));
        }
        String phone = values[ContactField.PHONE.ordinal()];
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
        String stage = values[ContactField.LIFECYCLE_STAGE.ordinal()];
        if (stage != null) {
            var parsed = LifecycleStage.parse(stage);
            if (parsed.isEmpty()) {
                unknown(values, ContactField.LIFECYCLE_STAGE, line, errors, warnings, leftOut,
                        "lifecycle stage '" + stage + "' is not one of " + String.join(", ", LifecycleStage.allowedValues()));
            }
            else if (!parsed.get().value().equals(stage)) {
                values[ContactField.LIFECYCLE_STAGE.ordinal()] = parsed.get().value();
                normalised = add(normalised, ContactField.LIFECYCLE_STAGE);
            }
        }
        Boolean legal = null;
        String legalText = values[ContactField.LEGAL.ordinal()];
        if (legalText != null) {
            legal = yesNo(legalText);
            if (legal == null) {
                unknown(values, ContactField.LEGAL, line, errors, warnings, leftOut, "legal '" + legalText + "' is not yes or no");
            }
        }
        String consentText = values[ContactField.CONSENT.ordinal()];
        if (consentText != null) {
            var parsed = ConsentState.parse(consentText);
            if (parsed.isEmpty()) {
                unknown(values, ContactField.CONSENT, line, errors, warnings, leftOut,
                        "consent '" + consentText + "' is not one of confirmed, unconfirmed, pending, opted_out");
            }
            else if (!parsed.get().value().equals(consentText)) {
                values[ContactField.CONSENT.ordinal()] = parsed.get().value();
                normalised = add(normalised, ContactField.CONSENT);
            }
        }
        return new Parsed(line, values, phoneE164, legal, splitList(values[ContactField.GROUPS.ordinal()]),
                splitList(values[ContactField.TAGS.ordinal()]), custom, errors, warnings, leftOut, normalised);
    }

    /** A value outside its closed set: left out with a warning, or the row's error. */
    private void unknown(String[] values, ContactField field, long line, List<RowIssue> errors, List<RowIssue> warnings,
            List<ContactField> leftOut, String problem) {
        if (unknownValues == UnknownValues.LEAVE_OUT) {
            values[field.ordinal()] = null;
            leftOut.add(field);
            warnings.add(RowIssue.warning(line, column(field), "UNKNOWN_VALUE", problem + "; left out"));
        }
        else {
            errors.add(RowIssue.error(line, column(field), "INVALID_VALUE", problem));
        }
    }

    public String column(ContactField field) {
        return mapping.columnOf(field);
    }

    private static List<ContactField> add(List<ContactField> list, ContactField field) {
        List<ContactField> copy = new ArrayList<>(list);
        copy.add(field);
        return copy;
    }

    /** The number in E.164 when it can be recognised; what the person typed is kept either way. */
    private String e164(String phone) {
        return e164(phone, phoneRegion);
    }

    /**
     * A number in E.164 when it can be recognised ({@code region} for numbers without a country code), else null:
     * libphonenumber's answer, by the shortcuts for the shapes most numbers have where they are sure of it.
     */
    public static String e164(String phone, String region) {
        String quick = "US".equals(region) ? NanpPhones.e164(phone) : null;
        if (quick == null) {
            quick = PlainPhones.e164(phone, region);
        }
        if (quick != null) {
            return quick.equals(PlainPhones.NOT_POSSIBLE) ? null : quick;
        }
        return byLibphonenumber(phone, region);
    }

    /** libphonenumber's parse alone: what the shortcuts are held to. */
    static String byLibphonenumber(String phone, String region) {
        try {
            Phonenumber.PhoneNumber number = PHONES.parse(phone, region);
            return PHONES.isPossibleNumber(number) ? PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164)
                    : null;
        }
        catch (NumberParseException e) {
            return null;
        }
    }

    public static Boolean yesNo(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "yes", "y", "true", "1", "x" -> Boolean.TRUE;
            case "no", "n", "false", "0" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** "vip; events, newsletter" → [vip, events, newsletter]: people separate with either. */
    public static List<String> splitList(String text) {
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
