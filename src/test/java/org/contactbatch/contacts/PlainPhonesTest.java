package org.contactbatch.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import org.junit.jupiter.api.Test;

/** The shortcut for numbers of digits and punctuation gives libphonenumber's answer, or none. */
class PlainPhonesTest {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final List<String> DEFAULT_REGIONS = List.of("US", "GB", "DE", "FR", "IT", "CA");

    /** What ContactRowParser stored without the shortcut: libphonenumber alone. */
    private static String libphonenumber(String phone, String region) {
        return ContactRowParser.byLibphonenumber(phone, region);
    }

    /** The shortcut's answer as ContactRowParser stores it: null for none, and for a number it finds impossible. */
    private static String stored(String quick) {
        return PlainPhones.NOT_POSSIBLE.equals(quick) ? null : quick;
    }

    @Test
    void takesTheCommonShapesAsLibphonenumberDoes() {
        for (String phone : List.of("+44 20 7946 0958", "+442079460958", "+44 (0)20 7946 0958", "+44 7700 900123",
                "+49 30 901820", "+49 (0)30 901820", "+49-1512-3456789", "+33 1 23 45 67 89", "+33.6.39.98.12.34",
                "+39 06 6982 1234", "+61 2 9374 4000", "+81 3-1234-5678", "+353 1 234 5678", "+1 416 555 0100",
                "+1 1416 555 0100", "720 555 0180", "(720)555-0180", "06 39 98 12 34", "+ 44 20 7946 0958",
                "+(44) 20 7946 0958", "+44 20 7946 0958 ", "+44-20-7946-0958-", "+44  20..7946 0958")) {
            assertThat(PlainPhones.e164(phone, "US")).as(phone).isNotNull().isEqualTo(libphonenumber(phone, "US"));
        }
        for (String phone : List.of("020 7946 0958", "07700 900123", "(020) 7946-0958", "20 7946 0958")) {
            assertThat(PlainPhones.e164(phone, "GB")).as(phone).isNotNull().isEqualTo(libphonenumber(phone, "GB"));
        }
        // numbers libphonenumber parses but finds impossible (a British one read as American, too long, too short)
        for (String phone : List.of("020 7946 0958", "+44 20 7946 0958 1234 5678 9", "+44 1", "+1 720 555 01")) {
            assertThat(libphonenumber(phone, "US")).as(phone).isNull();
            assertThat(PlainPhones.e164(phone, "US")).as(phone).isEqualTo(PlainPhones.NOT_POSSIBLE);
        }
    }

    @Test
    void leavesEverythingItIsNotSureOfToLibphonenumber() {
        for (String phone : List.of("+800 1234 5678", "+882 1234 5678", "+44 20 7946 0958 x12", "+44/20/7946/0958",
                "+0 20 7946 0958", "(+44) 20 7946 0958", "+１ 416 555 0100", "+44 20 7946 0958#", "011 44 20 7946 0958",
                "1 720 555 0180", "tel 720 555 0180")) {
            assertThat(PlainPhones.e164(phone, "US")).as(phone).isNull();
        }
        // the parse weighs a national number of a region that shares its country code by two regions' metadata
        assertThat(PlainPhones.e164("416 555 0100", "CA")).isNull();
        assertThat(PlainPhones.e164("416 555 0100", "XX")).isNull();
    }

    /**
     * Every country code: numbers with it, and national numbers of its main region (half of them after its
     * national prefix), of every length from 2 to 18 digits, whose first digits are often those of a prefix, in
     * groups apart by punctuation; and the same texts a character off.
     */
    @Test
    void neverDisagreesWithLibphonenumber() {
        Random random = new Random(17);
        int taken = 0;
        int possible = 0;
        int possibleTaken = 0;
        for (int code = 1; code <= 999; code++) {
            String main = PHONES.getRegionCodeForCountryCode(code);
            if ("ZZ".equals(main)) {
                continue;
            }
            Phonenumber.PhoneNumber example = PHONES.getExampleNumber(main);
            String like = example == null ? "" : PHONES.getNationalSignificantNumber(example);
            String nationalPrefix = PHONES.getNddPrefixForRegion(main, true);
            for (int k = 0; k < 80; k++) {
                boolean national = !"001".equals(main) && random.nextBoolean();
                StringBuilder phone = new StringBuilder();
                if (!national) {
                    phone.append('+').append(code);
                }
                else if (nationalPrefix != null && random.nextBoolean()) {
                    phone.append(nationalPrefix);
                }
                // half of them as long as the region's example and starting as it does: possible numbers
                boolean alike = !like.isEmpty() && random.nextBoolean();
                int length = alike ? like.length() : 2 + random.nextInt(17);
                int kept = alike ? random.nextInt(Math.min(4, like.length())) : 0;
                for (int d = 0; d < length; d++) {
                    if (random.nextInt(4) == 0) {
                        phone.append(" -.()".charAt(random.nextInt(5)));
                    }
                    // a first digit of 0, 1 or 8 is many a national prefix
                    int digit = d < kept ? like.charAt(d) - '0'
                            : d == 0 && random.nextBoolean() ? "018".charAt(random.nextInt(3)) - '0' : random.nextInt(10);
                    phone.append((char) ('0' + digit));
                }
                String region = national ? main : DEFAULT_REGIONS.get(random.nextInt(DEFAULT_REGIONS.size()));
                List<String> variants = new ArrayList<>(List.of(phone.toString()));
                int at = random.nextInt(phone.length());
                variants.add(new StringBuilder(phone).deleteCharAt(at).toString());
                variants.add(new StringBuilder(phone).insert(at, " -.()x+0/#,".charAt(random.nextInt(11))).toString());
                for (int v = 0; v < variants.size(); v++) {
                    String variant = variants.get(v);
                    String quick = PlainPhones.e164(variant, region);
                    String expected = libphonenumber(variant, region);
                    if (quick != null) {
                        taken++;
                        assertThat(stored(quick)).as(variant + " (default region " + region + ")").isEqualTo(expected);
                    }
                    if (v == 0 && expected != null) {
                        possible++;
                        possibleTaken += stored(quick) != null ? 1 : 0;
                    }
                }
            }
        }
        // (with this seed: 39,571 texts taken; 9,705 of the 9,958 possible numbers)
        assertThat(taken).isGreaterThan(30_000);
        assertThat(possible).as("numbers libphonenumber finds possible").isGreaterThan(5_000);
        // and most of them are taken: the shortcut is not one that leaves everything to libphonenumber
        assertThat(possibleTaken).isGreaterThan(possible * 3 / 4);
    }
}
