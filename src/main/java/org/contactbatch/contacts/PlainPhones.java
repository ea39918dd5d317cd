package org.contactbatch.contacts;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.ValidationResult;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonenumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.metadata.source.MetadataSource;

/**
 * Numbers written as digits and punctuation only — {@code +44 20 7946 0958}, {@code +49 (0)30 901820},
 * {@code 020 7946 0958}, {@code 06 39 98 12 34} — in E.164 as libphonenumber gives them, without its
 * parse, which costs a dozen regular expressions a number: once {@link NanpPhones} has taken the North
 * American shapes, the biggest part of an upload's row rules.
 *
 * <p>For such a text libphonenumber's parse comes down to a few steps on its own metadata, and these
 * are they. With a plus, the country code is the first one, two or three digits that one has (one
 * without a region, +800 and the like, is left to it); without one, the number is national to the
 * default region, unless it starts with that region's international call prefix or its country code,
 * which the parse weighs by the region's patterns (so it is left to it). Then a national number that
 * starts with the region's national prefix loses it, unless the number fitted the region's pattern and
 * would not without it, and unless what is left is too short; a region that rewrites its national
 * prefix instead (Argentina's and the like) is left to it. Whether the number is possible, and how
 * E.164 writes it, are libphonenumber's own calls. {@code PlainPhonesTest} holds the two to the same
 * answers for every country code.
 */
final class PlainPhones {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final MetadataSource METADATA = DefaultMetadataDependenciesProvider.getInstance()
            .getPhoneNumberMetadataSource();
    private static final int MIN_NATIONAL = 2;
    private static final int MAX_NATIONAL = 17;

    /** What a region's numbers need here. */
    private record Region(int countryCode, Pattern nationalPrefix, boolean rewritesPrefix, Pattern general,
            Pattern internationalPrefix, boolean own) {

        static final Region NONE = new Region(0, null, false, null, null, false);

        boolean known() {
            return countryCode != 0;
        }
    }

    /** By country code: its region's (the main one), or none for a code that has no region. */
    private static final AtomicReferenceArray<Region> BY_CODE = new AtomicReferenceArray<>(1000);
    /** By default region: its own, for national numbers. */
    private static final ConcurrentHashMap<String, Region> BY_REGION = new ConcurrentHashMap<>();
    /** A country code that a region has, but not one libphonenumber's parse ends at here (see {@link #byCode}). */
    private static final Region NOT_HERE = new Region(-1, null, false, null, null, false);

    private PlainPhones() {
    }

    /** What {@link #e164} gives for a number libphonenumber would find impossible (or would not parse). */
    static final String NOT_POSSIBLE = "";

    /**
     * The number in E.164, {@link #NOT_POSSIBLE}, or null for a text this does not take (then libphonenumber
     * decides).
     */
    static String e164(String phone, String defaultRegion) {
        int n = phone.length();
        boolean plus = n > 0 && phone.charAt(0) == '+';
        char[] digits = new char[n];
        int count = 0;
        for (int i = plus ? 1 : 0; i < n; i++) {
            char c = phone.charAt(i);
            if (c >= '0' && c <= '9') {
                digits[count++] = c;
            }
            else if (!separator(c)) {
                return null;
            }
        }
        if (count < 3) {
            return null;
        }
        return plus ? international(digits, count) : national(digits, count, defaultRegion);
    }

    private static String international(char[] digits, int count) {
        if (digits[0] == '0') {
            return null;
        }
        int code = 0;
        int codeLength = 0;
        Region region = Region.NONE;
        while (codeLength < 3 && !region.known()) {
            code = code * 10 + (digits[codeLength++] - '0');
            region = byCode(code);
        }
        if (region.countryCode() != code) {
            return null; // no such code, or one without a region of its own
        }
        return e164(region, new String(digits, codeLength, count - codeLength));
    }

    private static String national(char[] digits, int count, String defaultRegion) {
        Region region = defaultRegion == null ? NOT_HERE : BY_REGION.computeIfAbsent(defaultRegion, PlainPhones::ofRegion);
        if (!region.own()) {
            return null;
        }
        String number = new String(digits, 0, count);
        if (number.startsWith(Integer.toString(region.countryCode()))
                || region.internationalPrefix().matcher(number).lookingAt()) {
            return null;
        }
        return e164(region, number);
    }

    /** Parse's last steps: the national prefix, the lengths, the leading zeros; then whether it is possible. */
    private static String e164(Region region, String national) {
        if (national.length() < MIN_NATIONAL) {
            return NOT_POSSIBLE;
        }
        if (region.nationalPrefix() != null) {
            Matcher prefix = region.nationalPrefix().matcher(national);
            if (prefix.lookingAt()) {
                if (region.rewritesPrefix() && prefix.group(prefix.groupCount()) != null) {
                    return null;
                }
                String rest = national.substring(prefix.end());
                if (rest.length() > MAX_NATIONAL) {
                    return NOT_POSSIBLE; // too long with its prefix or without
                }
                if ((!fits(region, national) || fits(region, rest)) && !rest.isEmpty()) {
                    ValidationResult length = PHONES.isPossibleNumberWithReason(number(region, rest));
                    if (length != ValidationResult.TOO_SHORT && length != ValidationResult.IS_POSSIBLE_LOCAL_ONLY
                            && length != ValidationResult.INVALID_LENGTH) {
                        national = rest;
                    }
                }
            }
        }
        if (national.length() < MIN_NATIONAL || national.length() > MAX_NATIONAL) {
            return NOT_POSSIBLE;
        }
        Phonenumber.PhoneNumber number = number(region, national);
        return PHONES.isPossibleNumber(number) ? PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164)
                : NOT_POSSIBLE;
    }

    /** Whether the number fits the region's pattern of all its numbers (one it has not, none). */
    private static boolean fits(Region region, String national) {
        return region.general() != null && region.general().matcher(national).matches();
    }

    /** The national number as libphonenumber's parse keeps it: a long, and how many zeros led it (Italy's). */
    private static Phonenumber.PhoneNumber number(Region region, String national) {
        Phonenumber.PhoneNumber number = new Phonenumber.PhoneNumber()
                .setCountryCode(region.countryCode())
                .setNationalNumber(Long.parseLong(national));
        if (national.length() > 1 && national.charAt(0) == '0') {
            number.setItalianLeadingZero(true);
            // all but the last of an all-zero number
            int zeros = 1;
            while (zeros < national.length() - 1 && national.charAt(zeros) == '0') {
                zeros++;
            }
            if (zeros != 1) {
                number.setNumberOfLeadingZeros(zeros);
            }
        }
        return number;
    }

    /** Punctuation the parse only drops, wherever it stands (before, between or after the digits). */
    private static boolean separator(char c) {
        return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
    }

    /**
     * The main region of a country code, whose metadata libphonenumber parses a number with that code by;
     * {@link #NOT_HERE} for a code with no region (+800 and the like), {@link Region#NONE} for no such code.
     */
    private static Region byCode(int code) {
        Region region = BY_CODE.get(code);
        if (region == null) {
            String main = PHONES.getRegionCodeForCountryCode(code);
            region = "ZZ".equals(main) ? Region.NONE
                    : PhoneNumberUtil.REGION_CODE_FOR_NON_GEO_ENTITY.equals(main) ? NOT_HERE : ofRegion(main);
            BY_CODE.set(code, region);
        }
        return region;
    }

    /**
     * A region's metadata as the parse uses it. Only the main region of its country code takes national
     * numbers here: the parse weighs another one's (Canada's, say) lengths by its own metadata but the
     * number's possibility by the main region's.
     */
    private static Region ofRegion(String regionCode) {
        if (!PHONES.getSupportedRegions().contains(regionCode)) {
            return NOT_HERE;
        }
        PhoneMetadata metadata = METADATA.getMetadataForRegion(regionCode);
        int code = metadata.getCountryCode();
        String prefix = metadata.getNationalPrefixForParsing();
        String rule = metadata.getNationalPrefixTransformRule();
        String general = metadata.getGeneralDesc().getNationalNumberPattern();
        List<String> regions = PHONES.getRegionCodesForCountryCode(code);
        return new Region(code, prefix == null || prefix.isEmpty() ? null : Pattern.compile(prefix),
                rule != null && !rule.isEmpty(), general.isEmpty() ? null : Pattern.compile(general),
                Pattern.compile(metadata.getInternationalPrefix()), regions.get(0).equals(regionCode));
    }
}
