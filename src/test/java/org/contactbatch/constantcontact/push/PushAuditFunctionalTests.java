package org.contactbatch.constantcontact.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.contactbatch.constantcontact.push.PushFixtures.count;
import static org.contactbatch.constantcontact.push.PushFixtures.push;
import static org.contactbatch.constantcontact.push.PushFixtures.report;
import static org.contactbatch.constantcontact.push.PushFixtures.sendable;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.commons.csv.CSVRecord;
import org.contactbatch.constantcontact.CcTestSupport;
import org.contactbatch.constantcontact.CliAccess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Issue 9, the drift audit: cc audit reads the whole account and lists every difference with this database. */
class PushAuditFunctionalTests extends CcTestSupport {

    @TempDir
    Path dir;

    Path profile;

    @BeforeEach
    void aFullPush() throws Exception {
        PushFixtures.loadSampleData(context, jdbc);
        connect();
        profile = PushFixtures.profile(dir, "test-sync", "");
        push(context, "--profile", profile.toString());
    }

    private JsonNode audit() {
        var result = CliAccess.run(context, "cc", "audit", "--profile", profile.toString(), "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        return JsonMapper.shared().readTree(result.out());
    }

    @Test
    void afterAPushTheAuditFindsNoDifferenceAndChangesNothing() throws Exception {
        FAKE.clearRecorded();

        JsonNode audit = audit();

        assertThat(audit.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(count(audit, "differences")).isZero();
        assertThat(audit.get("message").asString()).startsWith("No differences");
        assertThat(count(audit, "contacts_in_account")).isEqualTo(sendable(jdbc).size());
        assertThat(report(audit, "drift")).isEmpty();
        assertThat(FAKE.apiRequests()).allSatisfy(r -> assertThat(r.method()).isEqualTo("GET"));
        // the whole account, 500 a page, plus the lists and custom fields
        assertThat(FAKE.apiRequests("GET", "/contacts")).hasSize((sendable(jdbc).size() + 499) / 500);
    }

    @Test
    void everyKindOfDifferenceIsAReportLineAndTheNextPushPutsRightWhatItOwns() throws Exception {
        FAKE.removeFromList("amelia.hart@example.com", "Active Members");
        FAKE.editField("zoe.oconnor@example.net", "job_title", "Changed in the website");
        FAKE.unsubscribe("thao.nguyen@example.com");
        FAKE.signUpThroughForm("stranger@example.org", "Active Members");
        String boardMember = jdbc.sql("""
                update contact set groups = array_append(groups, 'Board') where id = (select min(id) from contact
                  where cc_hash is not null and not 'Board' = any(groups)) returning lower(email)""").query(String.class).single();

        JsonNode audit = audit();

        Map<String, List<String>> byKind = report(audit, "drift").stream().collect(Collectors.groupingBy(
                (CSVRecord r) -> r.get("kind"), Collectors.mapping(r -> r.get("email"), Collectors.toList())));
        assertThat(byKind).containsEntry("selected_missing", List.of("amelia.hart@example.com"))
                .containsEntry("field_difference", List.of("zoe.oconnor@example.net"))
                .containsEntry("unsubscribed_not_known", List.of("thao.nguyen@example.com"))
                .containsEntry("on_list_not_selected", List.of("stranger@example.org"))
                .containsEntry("never_sent", List.of("stranger@example.org"))
                .containsEntry("wrong_group_lists", List.of(boardMember));
        assertThat(count(audit, "differences")).isEqualTo(6);
        CSVRecord field = report(audit, "drift").stream().filter(r -> r.get("kind").equals("field_difference")).findFirst()
                .orElseThrow();
        assertThat(field.get("account")).contains("job_title = Changed in the website");
        assertThat(field.get("expected")).contains("job_title = Events Coordinator");

        push(context, "--profile", profile.toString());
        JsonNode after = audit();

        // what the push owns is right again; someone added by a form is the account's, and stays a difference
        assertThat(report(after, "drift")).extracting(r -> r.get("kind") + " " + r.get("email"))
                .containsExactlyInAnyOrder("on_list_not_selected stranger@example.org", "never_sent stranger@example.org");
    }
}
