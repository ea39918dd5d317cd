package org.contactbatch.constantcontact.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.contactbatch.constantcontact.push.PushFixtures.count;
import static org.contactbatch.constantcontact.push.PushFixtures.push;
import static org.contactbatch.constantcontact.push.PushFixtures.report;

import java.nio.file.Path;

import org.contactbatch.constantcontact.CcTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 9, point 5: a person who opted out here is unsubscribed in Constant Contact; one who is only inactive,
 * or whose consent is unknown, is taken off the managed list and never unsubscribed.
 */
class PushConsentFunctionalTests extends CcTestSupport {

    @TempDir
    Path dir;

    Path profile;

    @BeforeEach
    void aFullPush() throws Exception {
        PushFixtures.loadSampleData(context, jdbc);
        connect();
        profile = PushFixtures.profile(dir, "test-sync", "");
        push(context, "--profile", profile.toString());
        FAKE.clearRecorded();
    }

    @Test
    void anOptOutHereUnsubscribesThereAndNothingElseDoes() throws Exception {
        String optedOut = "zoe.oconnor@example.net";
        String inactive = "amelia.hart@example.com";
        String unknown = "thao.nguyen@example.com";
        jdbc.sql("update contact set consent_state = 'opted_out' where email = :e").param("e", optedOut).update();
        jdbc.sql("update contact set active = false where email = :e").param("e", inactive).update();
        jdbc.sql("update contact set consent_state = null where email = :e").param("e", unknown).update();

        JsonNode dry = push(context, "--profile", profile.toString(), "--dry-run");
        assertThat(count(dry, "unsubscribed_there")).isEqualTo(1);
        assertThat(report(dry, "plan")).filteredOn(r -> r.get("action").equals("unsubscribe in Constant Contact"))
                .extracting(r -> r.get("email")).containsExactly(optedOut);
        assertThat(FAKE.contactFields(optedOut)).containsEntry("permission_to_send", "implicit");

        JsonNode run = push(context, "--profile", profile.toString());

        assertThat(count(run, "unsubscribed_there")).isEqualTo(1);
        assertThat(report(run, "unsubscribed-there")).extracting(r -> r.get("email")).containsExactly(optedOut);
        assertThat(FAKE.contactFields(optedOut)).containsEntry("permission_to_send", "unsubscribed")
                .containsEntry("first_name", "Zoë").containsEntry("last_name", "O'Connor");
        assertThat(FAKE.contact(optedOut).orElseThrow().get("email_address").get("opt_out_source").asString()).isEqualTo("Contact");
        var put = FAKE.apiRequests("PUT", "/contacts/");
        assertThat(put).singleElement().satisfies(r -> {
            assertThat(r.json().get("update_source").asString()).isEqualTo("Contact");
            assertThat(r.json().get("email_address").get("permission_to_send").asString()).isEqualTo("unsubscribed");
        });
        for (String email : new String[] {inactive, unknown}) {
            assertThat(FAKE.contactFields(email)).as(email).containsEntry("permission_to_send", "implicit");
            assertThat(FAKE.listMembers("Active Members")).doesNotContain(email);
        }
        assertThat(report(run, "failed-rows")).filteredOn(r -> r.get("email").equals(optedOut))
                .extracting(r -> r.get("code")).containsExactly("OPTED_OUT");

        FAKE.clearRecorded();
        JsonNode again = push(context, "--profile", profile.toString());
        assertThat(count(again, "unsubscribed_there")).isZero();
        assertThat(FAKE.apiRequests("PUT", "/contacts/")).isEmpty();
        assertThat(FAKE.apiRequests()).noneMatch(r -> r.bodyText().contains("\"permission_to_send\":\"explicit\""));
    }

    @Test
    void aManualRunUnsubscribesWhoOptedOutToo() {
        jdbc.sql("update contact set consent_state = 'opted_out' where email = 'zoe.oconnor@example.net'").update();

        JsonNode manual = push(context, "--tag", "nobody-has-this-tag");

        assertThat(count(manual, "unsubscribed_there")).isEqualTo(1);
        assertThat(FAKE.contactFields("zoe.oconnor@example.net")).containsEntry("permission_to_send", "unsubscribed");
        assertThat(count(manual, "removed")).isZero();
    }

    @Test
    void phonesAreSentAsE164WhereKnownAndNeverPastTheAccountsLimit() {
        jdbc.sql("""
                insert into contact (email, first_name, consent_state, phone, phone_e164) values
                  ('long.phone@example.org', 'Long', 'confirmed', '+1 (212) 555-0199 ext. 4455 ask for Pat', null),
                  ('e164.phone@example.org', 'Known', 'confirmed', '(212) 555-0142', '+12125550142')""").update();

        push(context, "--profile", profile.toString());

        assertThat(FAKE.contactFields("e164.phone@example.org")).containsEntry("phone", "+12125550142");
        assertThat(FAKE.contactFields("long.phone@example.org")).doesNotContainKey("phone").containsEntry("first_name", "Long");
    }
}
