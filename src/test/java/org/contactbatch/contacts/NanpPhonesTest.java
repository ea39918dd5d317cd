package org.contactbatch.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The shortcut for North American numbers gives libphonenumber's answer, or none. */
class NanpPhonesTest {

    /** What ContactRowParser stored before the shortcut: libphonenumber alone, region US. */
    private static String libphonenumber(String phone) {
        return ContactRowParser.byLibphonenumber(phone, "US");
    }

    @Test
    void takesTheCommonShapesAsLibphonenumberDoes() {
        for (String phone : List.of("(720) 555-0180", "720-555-0180", "720.555.0180", "+1 720-555-0180",
                "1-720-555-0180", "+1 (720) 555-0180", "+17205550180", "(720) 555-0180 x968", "+1 212.555.0100 x1")) {
            assertThat(NanpPhones.e164(phone)).as(phone).isNotNull().isEqualTo(libphonenumber(phone));
        }
    }

    @Test
    void leavesEverythingItIsNotSureOfToLibphonenumber() {
        for (String phone : List.of("(120) 555-0180", "020-555-0180", "011-555-0180", "+44 20 7946 0958",
                "+442079460958", "1-(720) 555-0180", "720 555 0180", "720-555.0180", "(720)555-0180",
                "720-555-0180 ext. 5", "720-555-0180 x", "720-555-0180 x1234567", "+1 720-555-018",
                "720-555-01800", "７２０-555-0180", "1.720.555.0180", "+2 720-555-0180", "")) {
            assertThat(NanpPhones.e164(phone)).as(phone).isNull();
        }
    }

    /** Every digit in every place of every shape it takes, and the same texts a character off. */
    @Test
    void neverDisagreesWithLibphonenumber() {
        Random random = new Random(11);
        String[] shapes = {"(DDD) DDD-DDDD", "DDD-DDD-DDDD", "DDD.DDD.DDDD", "+1 DDD-DDD-DDDD", "1-DDD-DDD-DDDD",
                "+1 (DDD) DDD-DDDD", "+1DDDDDDDDDD", "(DDD) DDD-DDDD xD", "(DDD) DDD-DDDD xDDD", "DDD-DDD-DDDD xDDDDDD",
                "+1 DDD.DDD.DDDD", "+1DDD-DDD-DDDD", "1-DDD.DDD.DDDD", "+DDDDDDDDDDD", "D-DDD-DDD-DDDD"};
        int taken = 0;
        for (String shape : shapes) {
            for (int k = 0; k < 4000; k++) {
                StringBuilder phone = new StringBuilder();
                for (char c : shape.toCharArray()) {
                    phone.append(c == 'D' ? (char) ('0' + random.nextInt(10)) : c);
                }
                List<String> variants = new ArrayList<>(List.of(phone.toString()));
                int at = random.nextInt(phone.length());
                variants.add(new StringBuilder(phone).deleteCharAt(at).toString());
                variants.add(new StringBuilder(phone).insert(at, " -.()x+1".charAt(random.nextInt(8))).toString());
                for (String variant : variants) {
                    String quick = NanpPhones.e164(variant);
                    if (quick != null) {
                        taken++;
                        assertThat(quick).as(variant).isEqualTo(libphonenumber(variant));
                    }
                }
            }
        }
        assertThat(taken).isGreaterThan(30_000);
    }
}
