package org.contactbatch.constantcontact.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.contactbatch.constantcontact.push.PushFixtures.push;
import static org.contactbatch.constantcontact.push.PushFixtures.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.contactbatch.constantcontact.CcTestSupport;
import org.contactbatch.consent.ConsentAnswers;
import org.contactbatch.consent.ConsentTokens;
import org.contactbatch.support.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Issue 14: contacts asked for their consent by email are not sent to Constant Contact until they confirm, even
 * by a push whose consent rule lets pending contacts through; who declined is never sent. Both are in the
 * push's failed rows, with the reason.
 */
class PushConsentRequestFunctionalTests extends CcTestSupport {

    @TempDir
    Path dir;

    @Autowired
    ConsentTokens tokens;

    @Autowired
    ConsentAnswers answers;

    @Test
    void aPushLeavesPendingAndDeclinedContactsOut() throws Exception {
        Path file = dir.resolve("asked.csv");
        Files.writeString(file, "email,first_name\nyes@example.org,Yes\nno@example.org,No\nwait@example.org,Wait\n");
        Cli.Result upload = new Cli(context).run("upload", file.toString(), "--consent", "request", "--json",
                "--no-progress");
        assertThat(upload.exitCode()).isZero();
        answer("yes@example.org", true);
        answer("no@example.org", false);
        connect();

        JsonNode run = push(context, "--managed-list", "Active Members", "--consent", "confirmed,pending");

        assertThat(FAKE.importedEmails()).containsExactly("yes@example.org");
        assertThat(FAKE.listMembers("Active Members")).containsExactly("yes@example.org");
        assertThat(report(run, "failed-rows")).extracting(r -> r.get("email") + " " + r.get("code"))
                .containsExactlyInAnyOrder("no@example.org OPTED_OUT", "wait@example.org CONSENT_PENDING");
        assertThat(report(run, "failed-rows")).filteredOn(r -> r.get("code").equals("CONSENT_PENDING"))
                .extracting(r -> r.get("message")).singleElement().asString().contains("not confirmed");
    }

    private void answer(String email, boolean confirm) {
        long request = jdbc.sql("select request_id from consent_request_contact where email = :e").param("e", email)
                .query(Long.class).single();
        long contact = jdbc.sql("select id from contact where email = :e").param("e", email).query(Long.class).single();
        String token = tokens.sign(new ConsentTokens.Claims(request, contact, Instant.now().plusSeconds(600)));
        assertThat(answers.answer(token, confirm)).isEqualTo(confirm ? ConsentAnswers.Outcome.CONFIRMED
                : ConsentAnswers.Outcome.DECLINED);
    }
}
