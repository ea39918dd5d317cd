package org.contactbatch.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.commons.validator.routines.EmailValidator;
import org.junit.jupiter.api.Test;

/** The row checks' email rules give commons-validator's answers, shortcut or not. */
class ContactRowParserEmailTest {

    private static final EmailValidator VALIDATOR = EmailValidator.getInstance(false, false);

    @Test
    void plainAndOtherAddressesAsTheValidatorJudgesThem() {
        ContactRowParser.Emails emails = new ContactRowParser.Emails();
        for (String email : List.of("ann@example.com", "ann.lee+news@mail.example.co.uk", "a@b.c", "x_y-z@ex-ample.org",
                "ann@example", "ann@localhost", "ann..lee@example.com", ".ann@example.com", "ann.@example.com",
                "ann@example.com.", "ann@@example.com", "@example.com", "ann@", "ann@exa mple.com", "an n@example.com",
                "\"ann lee\"@example.com", "o'brien@example.ie", "ann@[192.168.0.1]", "ann@example.invalidtld",
                "ann@EXAMPLE.COM", "ännä@example.com", "ann@exämple.com", "a".repeat(64) + "@example.com",
                "a".repeat(65) + "@example.com", "ann@-example.com", "ann@example-.com", "ann@example..com",
                "ann@sub.example.museum", "ann\n@example.com", "ann@example.com\n")) {
            assertThat(emails.isValid(email)).as(email).isEqualTo(VALIDATOR.isValid(email));
        }
    }

    /** Two domains with one hash share a place among the verdicts: each still gets its own. */
    @Test
    void domainsThatShareAPlaceKeepTheirOwnVerdicts() {
        ContactRowParser.Emails emails = new ContactRowParser.Emails();
        assertThat("x.Aa".hashCode()).isEqualTo("x.BB".hashCode());
        assertThat(VALIDATOR.isValid("ann@x.BB")).as(".bb is a top-level domain").isTrue();
        assertThat(VALIDATOR.isValid("ann@x.Aa")).as(".aa is none").isFalse();
        for (int k = 0; k < 3; k++) {
            assertThat(emails.isValid("ann@x.BB")).isTrue();
            assertThat(emails.isValid("bob@x.BB")).isTrue();
            assertThat(emails.isValid("ann@x.Aa")).isFalse();
        }
    }

    /** Random addresses built from the characters that matter, and the same a character off. */
    @Test
    void neverDisagreesWithTheValidator() {
        ContactRowParser.Emails emails = new ContactRowParser.Emails();
        Random random = new Random(7);
        String local = "ab9._+-";
        String domain = "ab9.-";
        String[] tlds = {"com", "org", "co.uk", "example", "c", "museum", "zz", "xn--p1ai", "123"};
        String odd = "@. \"'()[]\\,;:<>\tä";
        for (int k = 0; k < 60_000; k++) {
            StringBuilder email = new StringBuilder();
            for (int i = random.nextInt(8) + 1; i > 0; i--) {
                email.append(local.charAt(random.nextInt(local.length())));
            }
            email.append('@');
            for (int i = random.nextInt(10) + 1; i > 0; i--) {
                email.append(domain.charAt(random.nextInt(domain.length())));
            }
            email.append('.').append(tlds[random.nextInt(tlds.length)]);
            List<String> variants = new ArrayList<>(List.of(email.toString()));
            int at = random.nextInt(email.length());
            variants.add(new StringBuilder(email).insert(at, odd.charAt(random.nextInt(odd.length()))).toString());
            variants.add(new StringBuilder(email).deleteCharAt(at).toString());
            for (String variant : variants) {
                assertThat(emails.isValid(variant)).as(variant).isEqualTo(VALIDATOR.isValid(variant));
            }
        }
    }
}
