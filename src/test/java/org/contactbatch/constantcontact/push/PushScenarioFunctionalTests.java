package org.contactbatch.constantcontact.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.contactbatch.constantcontact.push.PushFixtures.count;
import static org.contactbatch.constantcontact.push.PushFixtures.push;
import static org.contactbatch.constantcontact.push.PushFixtures.report;
import static org.contactbatch.constantcontact.push.PushFixtures.sendable;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.apache.commons.csv.CSVRecord;
import org.contactbatch.constantcontact.CcTestSupport;
import org.contactbatch.constantcontact.CliAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 9's scenario, end to end against the fake: a full push, then what happens in a month — two added and
 * pushed by hand, one removed in the website, one changing email, one withdrawing consent, one clearing a field,
 * a {@code +} address, three the account refuses — then the next scheduled push, then {@code cc audit}: no
 * difference, and each case in the report it belongs in.
 */
class PushScenarioFunctionalTests extends CcTestSupport {

    @TempDir
    Path dir;

    @Test
    void aMonthOfChangesThenTheNightlyPushThenTheAuditFindsNothing() throws Exception {
        PushFixtures.loadSampleData(context, jdbc);
        connect();
        Path profile = PushFixtures.profile(dir, "nightly", "");
        JsonNode first = push(context, "--profile", profile.toString());
        Set<String> everyone = sendable(jdbc);
        assertThat(count(first, "created")).isEqualTo(everyone.size()).isGreaterThan(300);
        assertThat(FAKE.listMembers("Active Members")).isEqualTo(everyone);

        // two new reps, pushed by hand: a manual run takes nobody off
        jdbc.sql("""
                insert into contact (email, first_name, consent_state, tags) values
                  ('new.rep1@example.org', 'New', 'confirmed', '{newrep}'),
                  ('new.rep2@example.org', 'Newer', 'confirmed', '{newrep}')""").update();
        JsonNode manual = push(context, "--managed-list", "Active Members", "--tag", "newrep");
        assertThat(count(manual, "created")).isEqualTo(2);
        assertThat(count(manual, "removed")).isZero();
        assertThat(FAKE.listMembers("Active Members")).hasSize(everyone.size() + 2);

        // four different people, chosen before anything changes
        String takenOff = pick("email like '%@example.com' and job_title is not null");
        String oldAddress = pick("email like '%.net' and email not like '%mail.example.net'");
        String optedOut = pick("email like '%.org'");
        String cleared = pick("job_title is not null and email like '%mail.example.net'");
        assertThat(Set.of(takenOff, oldAddress, optedOut, cleared)).hasSize(4);
        // someone takes one off the list in the website
        FAKE.removeFromList(takenOff, "Active Members");
        // one changes email here
        jdbc.sql("update contact set email = 'moved.on@example.org' where lower(email) = :e").param("e", oldAddress).update();
        // one withdraws consent here
        jdbc.sql("update contact set consent_state = 'opted_out' where lower(email) = :e").param("e", optedOut).update();
        // one's job title is cleared
        jdbc.sql("update contact set job_title = null where lower(email) = :e").param("e", cleared).update();
        // a + address, and three the account refuses
        jdbc.sql("""
                insert into contact (email, first_name, consent_state) values
                  ('ann+newsletter@example.org', 'Ann', 'confirmed'),
                  ('refused.one@example.org', 'One', 'confirmed'), ('refused.two@example.org', 'Two', 'confirmed'),
                  ('refused.three@example.org', 'Three', 'confirmed')""").update();
        FAKE.refuseEmails("refused.one@example.org", "refused.two@example.org", "refused.three@example.org");

        JsonNode nightly = push(context, "--profile", profile.toString());

        assertThat(nightly.get("message").asString()).startsWith("Exact run");
        // the + address and the new address are created; the refused three are failed rows, by the account's line
        assertThat(emails(report(nightly, "created"))).contains("ann+newsletter@example.org")
                .doesNotContain("refused.one@example.org", "refused.two@example.org", "refused.three@example.org");
        List<CSVRecord> failed = report(nightly, "failed-rows");
        assertThat(failed).filteredOn(r -> r.get("code").equals("CC_REJECTED")).extracting(r -> r.get("email"))
                .containsExactlyInAnyOrder("refused.one@example.org", "refused.two@example.org", "refused.three@example.org");
        assertThat(failed).filteredOn(r -> r.get("code").equals("CC_REJECTED"))
                .allSatisfy(r -> assertThat(r.get("message")).startsWith("Line "));
        assertThat(emails(report(nightly, "email-changed"))).containsExactly("moved.on@example.org");
        assertThat(emails(report(nightly, "unsubscribed-there"))).containsExactly(optedOut);
        assertThat(count(nightly, "fields_cleared")).isEqualTo(1);
        assertThat(FAKE.contactFields(cleared)).doesNotContainKey("job_title");
        // what the account holds now
        Set<String> members = FAKE.listMembers("Active Members");
        assertThat(members).contains(takenOff, "moved.on@example.org", "ann+newsletter@example.org",
                "new.rep1@example.org", "new.rep2@example.org").doesNotContain(oldAddress, optedOut);
        assertThat(FAKE.contactFields(optedOut)).containsEntry("permission_to_send", "unsubscribed");
        assertThat(members).isEqualTo(sendable(jdbc).stream().filter(e -> !e.startsWith("refused.")).collect(
                java.util.stream.Collectors.toSet()));

        var audit = CliAccess.run(context, "cc", "audit", "--profile", profile.toString(), "--json");
        assertThat(audit.exitCode()).as(audit.err()).isZero();
        JsonNode drift = JsonMapper.shared().readTree(audit.out());
        assertThat(report(drift, "drift")).as("the audit's differences").isEmpty();
        assertThat(count(drift, "differences")).isZero();
        assertThat(count(drift, "refused_by_account")).isEqualTo(3);
    }

    private String pick(String condition) {
        return jdbc.sql("select lower(email) from contact where consent_state = 'confirmed' and active and cc_hash is not null and "
                + condition + " order by id limit 1").query(String.class).single();
    }

    private static List<String> emails(List<CSVRecord> rows) {
        return rows.stream().map(r -> r.get("email").toLowerCase()).toList();
    }
}
