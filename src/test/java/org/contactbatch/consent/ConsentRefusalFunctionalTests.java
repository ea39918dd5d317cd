package org.contactbatch.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.contactbatch.support.Cli;
import org.contactbatch.support.ContactBatchTest;
import org.contactbatch.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A mail server that refuses one address: that message is a failed row with the server's answer; the run
 * completes. A server that defers, or stops answering, stops the run instead; one that only fails to say
 * goodbye took the message.
 */
@ContactBatchTest
class ConsentRefusalFunctionalTests {

    static final RefusingSmtpServer SMTP = new RefusingSmtpServer(Set.of("gone@example.org"));

    @DynamicPropertySource
    static void mailServer(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", SMTP::port);
        registry.add("contact-batch.consent.token-key", () -> "refusal-test-key-0123456789");
        registry.add("spring.mail.properties.mail.smtp.timeout", () -> "1500");
    }

    @AfterAll
    static void stop() throws Exception {
        SMTP.close();
    }

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ConsentTokens tokens;

    @Autowired
    ConsentAnswers answers;

    @TempDir
    Path dir;

    @BeforeEach
    void clean() {
        TestDatabase.clean(jdbc);
        SMTP.delivered().clear();
        SMTP.deferred.clear();
        SMTP.silentAfterData.clear();
        SMTP.silentOnQuit = false;
        SMTP.refusesSender = false;
    }

    @Test
    void aRefusedAddressIsAFailedRowWithTheServersAnswer() throws Exception {
        Path file = dir.resolve("members.csv");
        Files.writeString(file, "email\nfirst@example.org\ngone@example.org\nlast@example.org\n");

        Cli.Result result = new Cli(context).run("upload", file.toString(), "--consent", "request", "--json", "--no-progress");

        assertThat(result.exitCode()).isZero();
        JsonNode request = JsonMapper.shared().readTree(result.out()).get("consentRequest");
        assertThat(request.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(request.get("counts").get("sent").asLong()).isEqualTo(2);
        assertThat(request.get("counts").get("failed").asLong()).isEqualTo(1);
        assertThat(SMTP.delivered()).containsExactly("first@example.org", "last@example.org");
        List<String> failed = Files.readAllLines(Path.of(request.get("reports").get("failed").asString()));
        assertThat(failed).hasSize(2);
        assertThat(failed.get(1)).contains("gone@example.org").contains("SMTP_REFUSED")
                .contains("550 5.1.1 <gone@example.org>: Recipient address rejected");
        // the request is over for this person, with the reason, so a later upload asks again
        Map<String, Object> gone = jdbc.sql("select state, reason, answered_at from consent_request_contact "
                + "where email = 'gone@example.org'").query().singleRow();
        assertThat(gone).containsEntry("state", "failed");
        assertThat((String) gone.get("reason")).startsWith("SMTP_REFUSED: ").contains("Recipient address rejected");
        assertThat(gone.get("answered_at")).isNotNull();

        Path again = dir.resolve("again.csv");
        Files.writeString(again, "email\ngone@example.org\n");
        Cli.Result second = new Cli(context).run("upload", again.toString(), "--consent", "request", "--on-existing",
                "update", "--json", "--no-progress");
        JsonNode asked = JsonMapper.shared().readTree(second.out()).get("consentRequest");
        assertThat(asked.get("counts").get("requested").asLong()).as("asked again").isEqualTo(1);
        assertThat(asked.get("counts").get("already_pending").asLong()).isZero();
    }

    @Test
    void anAddressTheUploadTookButMailCantCarryIsAFailedRowAndTheRunGoesOn() throws Exception {
        Path file = dir.resolve("odd.csv");
        // a quoted local part ending in a backslash: the upload's validator takes it, a mail header can't
        Files.writeString(file, "email\nfirst@example.org\n\"\"\"odd\\\"\"@example.org\"\nlast@example.org\n");

        JsonNode request = ask(file);

        assertThat(jdbc.sql("select email from contact order by id").query(String.class).list()).hasSize(3);
        assertThat(request.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(request.get("counts").get("sent").asLong()).isEqualTo(2);
        assertThat(request.get("counts").get("failed").asLong()).isEqualTo(1);
        assertThat(SMTP.delivered()).containsExactly("first@example.org", "last@example.org");
        assertThat(jdbc.sql("select code from consent_message where status = 'failed'").query(String.class).single())
                .isEqualTo("INVALID_ADDRESS");
        assertThat(jdbc.sql("select state from consent_request_contact where email like '%odd%'").query(String.class)
                .single()).isEqualTo("failed");
    }

    @Test
    void aServerThatTookTheMessageButFailedToSayGoodbyeSentItOnce() throws Exception {
        SMTP.silentOnQuit = true;
        Path file = dir.resolve("one.csv");
        Files.writeString(file, "email\nfirst@example.org\n");

        JsonNode request = ask(file);

        assertThat(request.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(request.get("counts").get("sent").asLong()).isEqualTo(1);
        assertThat(SMTP.delivered()).containsExactly("first@example.org");
        assertThat(jdbc.sql("select status from consent_message").query(String.class).single()).isEqualTo("sent");
    }

    @Test
    void aDeferredRecipientStopsTheRunWithTheMessageQueuedForTheRestart() throws Exception {
        SMTP.deferred.add("later@example.org");
        Path file = dir.resolve("greylisted.csv");
        Files.writeString(file, "email\nlater@example.org\nfirst@example.org\n");

        JsonNode request = ask(file);

        assertThat(request.get("status").asString()).isEqualTo("FAILED");
        assertThat(request.get("message").asString()).contains("deferred");
        assertThat(SMTP.delivered()).isEmpty();
        assertThat(jdbc.sql("select status from consent_message order by id").query(String.class).list())
                .containsOnly("queued");

        SMTP.deferred.clear();
        assertThat(sendAgain(request).get("status").asString()).isEqualTo("COMPLETED");
        assertThat(SMTP.delivered()).containsExactly("later@example.org", "first@example.org");
    }

    @Test
    void aRefusedSenderStopsTheRunAndNoMessageFails() throws Exception {
        SMTP.refusesSender = true;
        Path file = dir.resolve("sender.csv");
        Files.writeString(file, "email\nfirst@example.org\nlast@example.org\n");

        JsonNode request = ask(file);

        assertThat(request.get("status").asString()).isEqualTo("FAILED");
        assertThat(request.get("message").asString()).contains("refused the sender").contains("contact-batch.consent.from");
        assertThat(jdbc.sql("select status from consent_message order by id").query(String.class).list())
                .containsOnly("queued");
        assertThat(jdbc.sql("select state from consent_request_contact").query(String.class).list()).containsOnly("pending");
    }

    @Test
    void whoAnsweredOrOptedOutBeforeTheirMessageWentGetsNothing() throws Exception {
        SMTP.deferred.add("later@example.org");
        Path file = dir.resolve("answered.csv");
        Files.writeString(file, "email\nlater@example.org\nfirst@example.org\nlast@example.org\n");
        JsonNode request = ask(file);
        assertThat(request.get("status").asString()).isEqualTo("FAILED");

        // meanwhile one declines by another message's link, another opts out some other way
        long requestId = jdbc.sql("select id from consent_request").query(Long.class).single();
        long first = jdbc.sql("select id from contact where email = 'first@example.org'").query(Long.class).single();
        String token = tokens.sign(new ConsentTokens.Claims(requestId, first, java.time.Instant.now().plusSeconds(600)));
        assertThat(answers.answer(token, false)).isEqualTo(ConsentAnswers.Outcome.DECLINED);
        jdbc.sql("update contact set consent_state = 'opted_out' where email = 'last@example.org'").update();

        SMTP.deferred.clear();
        JsonNode again = sendAgain(request);

        assertThat(again.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(SMTP.delivered()).containsExactly("later@example.org");
        assertThat(jdbc.sql("select email || ' ' || status || ' ' || coalesce(code, '') from consent_message order by id")
                .query(String.class).list()).containsExactly("later@example.org sent ",
                        "first@example.org skipped ANSWERED", "last@example.org skipped ANSWERED");
    }

    @Test
    void aServerThatStopsAnsweringAfterTheDataStopsTheRunAndThatMessageIsNeverSentAgain() throws Exception {
        SMTP.silentAfterData.add("slow@example.org");
        Path file = dir.resolve("slow.csv");
        Files.writeString(file, "email\nslow@example.org\nfirst@example.org\n");

        JsonNode request = ask(file);

        assertThat(request.get("status").asString()).isEqualTo("FAILED");
        assertThat(jdbc.sql("select code from consent_message where email = 'slow@example.org'").query(String.class)
                .single()).isEqualTo("INTERRUPTED");
        assertThat(jdbc.sql("select first_sent_at is not null from consent_request_contact where email = 'slow@example.org'")
                .query(Boolean.class).single()).as("it may have arrived").isTrue();

        SMTP.silentAfterData.clear();
        assertThat(sendAgain(request).get("status").asString()).isEqualTo("COMPLETED");
        assertThat(SMTP.delivered()).containsExactly("slow@example.org", "first@example.org");
    }

    /** {@code consent send IMPORT}: goes on with the request the upload's run started. */
    private JsonNode sendAgain(JsonNode request) {
        Cli.Result again = new Cli(context).run("consent", "send", request.get("importId").asString(), "--json",
                "--no-progress");
        return JsonMapper.shared().readTree(again.out());
    }

    private JsonNode ask(Path file) {
        Cli.Result result = new Cli(context).run("upload", file.toString(), "--consent", "request", "--json", "--no-progress");
        return JsonMapper.shared().readTree(result.out()).get("consentRequest");
    }
}
