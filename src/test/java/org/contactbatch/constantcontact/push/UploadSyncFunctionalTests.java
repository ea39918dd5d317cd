package org.contactbatch.constantcontact.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;

import org.contactbatch.constantcontact.CcTestSupport;
import org.contactbatch.constantcontact.CliAccess;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** upload --sync-constant-contact: the contacts just uploaded go to Constant Contact; those without an email stay here. */
class UploadSyncFunctionalTests extends CcTestSupport {

    @Test
    void pushesTheUploadedContactsAndReportsThoseWithoutAnEmail() throws Exception {
        connect();
        jdbc.sql("insert into contact (email, first_name, consent_state) values ('earlier@example.com', 'Earlier', 'confirmed')").update();
        CliAccess.run(context, "cc", "push", "--managed-list", "Active Members");
        assertThat(FAKE.listMembers("Active Members")).containsExactly("earlier@example.com");
        FAKE.clearRecorded();

        var result = CliAccess.run(context, "upload", PushFixtures.SAMPLES.resolve("contacts-with-errors.csv").toString(),
                "--sync-constant-contact", "--json", "--no-progress", "--by", "tester");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode summary = JsonMapper.shared().readTree(result.out());
        assertThat(summary.get("job").asString()).isEqualTo("upload");
        JsonNode sync = summary.get("constantContact");
        assertThat(sync.get("status").asString()).isEqualTo("COMPLETED");
        Set<String> uploaded = new TreeSet<>(jdbc.sql("""
                select lower(email) from contact where source_import_id is not null and email is not null
                  and length(email) <= 50 and consent_state in ('confirmed', 'unconfirmed')""").query(String.class).list());
        assertThat(uploaded).isNotEmpty();
        assertThat(PushFixtures.lower(FAKE.importedEmails())).isEqualTo(uploaded);
        // the upload's contacts join the managed list; nobody else is taken off it
        assertThat(FAKE.listMembers("Active Members")).contains("earlier@example.com").containsAll(uploaded);
        assertThat(FAKE.apiRequests("POST", "/activities/remove_list_memberships")).isEmpty();
        assertThat(PushFixtures.report(sync, "failed-rows")).filteredOn(r -> r.get("code").equals("NO_EMAIL"))
                .extracting(r -> r.get("first_name")).containsExactly("Kenji");
        assertThat(PushFixtures.report(sync, "failed-rows")).filteredOn(r -> r.get("code").equals("NO_CONSENT")).isNotEmpty();
    }
}
