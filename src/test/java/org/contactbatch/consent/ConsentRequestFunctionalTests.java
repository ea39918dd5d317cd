package org.contactbatch.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.contactbatch.support.ChildJvm;
import org.contactbatch.support.Cli;
import org.contactbatch.support.TestDatabase;
import org.contactbatch.web.WebConsoleTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 14: an upload with {@code --consent request} emails each pending contact once, through a real SMTP
 * server (GreenMail, in this JVM); the links, followed over HTTP to the running console, confirm or decline,
 * once; forged, expired and used links change nothing; the reminder goes once; a run killed with
 * {@code kill -9} while sending and started again sends nobody a second message.
 */
@WebConsoleTest
class ConsentRequestFunctionalTests {

    static final String KEY = "consent-test-key-0123456789abcdef";
    static final GreenMail SMTP = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

    static {
        SMTP.start();
    }

    @DynamicPropertySource
    static void mailServer(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
        registry.add("contact-batch.consent.token-key", () -> KEY);
        registry.add("contact-batch.consent.organisation", () -> "Harbour Choir");
        registry.add("contact-batch.consent.rate", () -> "500");
    }

    @AfterAll
    static void stopMailServer() {
        SMTP.stop();
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Environment environment;

    @Autowired
    ConsentTokens tokens;

    @TempDir
    Path dir;

    Path file;

    @BeforeEach
    void knownContactsAndAFile() throws Exception {
        TestDatabase.clean(jdbc);
        SMTP.purgeEmailFromAllMailboxes();
        // one who agreed before and one who said no: neither is asked
        Path known = dir.resolve("known.csv");
        Files.writeString(known, "email,first_name,consent\nknown@example.org,Known,confirmed\nnope@example.org,Nope,opted_out\n");
        assertThat(cli("upload", known.toString(), "--json", "--no-progress").exitCode()).isZero();
        file = dir.resolve("choir-members.csv");
        Files.writeString(file, """
                email,first_name,last_name
                ada@example.org,Ada,Lovelace
                grace@example.org,Grace,Hopper
                alan@example.org,Alan,Turing
                known@example.org,Known,Again
                nope@example.org,Nope,Again
                """);
    }

    @Test
    void eachPendingContactGetsOneMessageAndItsLinksAnswerOnce() throws Exception {
        JsonNode summary = upload(file);

        // stored pending, with the file, who and when; those who had answered keep their answer
        assertThat(consent("ada@example.org")).containsEntry("consent_state", "pending")
                .containsEntry("consent_source", "choir-members.csv").containsEntry("consent_by", "tester");
        assertThat(consent("ada@example.org").get("consent_at")).isNotNull();
        assertThat(consent("known@example.org")).containsEntry("consent_state", "confirmed");
        assertThat(consent("nope@example.org")).containsEntry("consent_state", "opted_out");
        JsonNode request = summary.get("consentRequest");
        assertThat(request.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(request.get("counts").get("requested").asLong()).isEqualTo(3);
        assertThat(request.get("counts").get("sent").asLong()).isEqualTo(3);
        assertThat(request.get("counts").get("failed").asLong()).isZero();

        // exactly one message to each pending contact, from the mail server's side
        SMTP.waitForIncomingEmail(5000, 3);
        List<ConsentMail> mails = ConsentMail.of(SMTP.getReceivedMessages());
        assertThat(mails).extracting(ConsentMail::to)
                .containsExactlyInAnyOrder("ada@example.org", "grace@example.org", "alan@example.org");
        ConsentMail ada = mail(mails, "ada@example.org");
        assertThat(ada.subject()).isEqualTo("Please confirm that we may email you");
        assertThat(ada.html()).contains("Hello Ada,").contains("Harbour Choir").contains("/consent/confirm?t=")
                .doesNotContain("Edit the words freely");
        assertThat(ada.confirm()).doesNotContain("ada").doesNotContain("example.org");
        assertThat(report(request, "sent")).hasSize(4).anyMatch(line -> line.contains("ada@example.org"));

        // opening the link (as a mail scanner does) only asks: nothing changes
        HttpResponse<String> asked = get(ConsentMail.pathOf(ada.confirm()));
        assertThat(asked.statusCode()).isEqualTo(200);
        assertThat(asked.body()).contains("May we email you?").contains("method=\"post\"");
        assertThat(get(ConsentMail.pathOf(ada.decline())).statusCode()).isEqualTo(200);
        assertThat(consent("ada@example.org")).containsEntry("consent_state", "pending");
        // a POST elsewhere still wants a login and a CSRF token
        assertThat(post("/upload", "t=x").statusCode()).isNotEqualTo(200);

        // confirm, by the link's button, over HTTP to the running console, without a login
        HttpResponse<String> confirmed = answer(ConsentMail.pathOf(ada.confirm()));
        assertThat(confirmed.statusCode()).isEqualTo(200);
        assertThat(confirmed.body()).contains("Thank you").contains("Harbour Choir");
        Map<String, Object> adaNow = consent("ada@example.org");
        assertThat(adaNow).containsEntry("consent_state", "confirmed").containsEntry("consent_source", "email confirmation")
                .containsEntry("consent_by", "ada@example.org")
                .containsEntry("consent_request_id", requestId());

        // used: the same link again, and the decline link of the same message, change nothing
        assertThat(get(ConsentMail.pathOf(ada.confirm())).statusCode()).isEqualTo(410);
        assertThat(post("/consent/confirm", "t=" + ConsentMail.tokenOf(ada.confirm())).statusCode()).isEqualTo(410);
        HttpResponse<String> lateDecline = answer(ConsentMail.pathOf(ada.decline()));
        assertThat(lateDecline.statusCode()).isEqualTo(410);
        assertThat(lateDecline.body()).contains("already used");
        assertThat(consent("ada@example.org")).isEqualTo(adaNow);

        // decline: opted out, never to be emailed
        ConsentMail grace = mail(mails, "grace@example.org");
        HttpResponse<String> declined = answer(ConsentMail.pathOf(grace.decline()));
        assertThat(declined.statusCode()).isEqualTo(200);
        assertThat(consent("grace@example.org")).containsEntry("consent_state", "opted_out")
                .containsEntry("consent_source", "email decline");

        // forged: a changed signature, a payload naming another contact, another key, garbage: nothing changes
        ConsentMail alan = mail(mails, "alan@example.org");
        Map<String, Object> alanBefore = consent("alan@example.org");
        String token = ConsentMail.tokenOf(alan.confirm());
        String payload = token.substring(0, token.indexOf('.'));
        String signature = token.substring(token.indexOf('.') + 1);
        String otherPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                (requestId() + "." + contactId("grace@example.org") + "." + (Instant.now().getEpochSecond() + 3600)).getBytes());
        String otherKey = new ConsentTokens(new ConsentProperties("another-key-0123456789abcdef", URI.create("http://x"), "a@b",
                "o", "r", "s", "consent-request", java.time.Duration.ofDays(30), java.time.Duration.ofDays(7),
                java.time.Duration.ofDays(30), 1, dir, "-"), dir)
                .sign(new ConsentTokens.Claims(requestId(), contactId("alan@example.org"), Instant.now().plusSeconds(3600)));
        for (String forged : List.of(payload + "." + flip(signature), otherPayload + "." + signature, otherKey, "nonsense", "")) {
            HttpResponse<String> answer = get("/consent/confirm?t=" + java.net.URLEncoder.encode(forged, "UTF-8"));
            assertThat(answer.statusCode()).as(forged).isEqualTo(400);
            assertThat(answer.body()).contains("not valid");
            assertThat(post("/consent/confirm", "t=" + java.net.URLEncoder.encode(forged, "UTF-8")).statusCode())
                    .isEqualTo(400);
        }
        // expired: signed with the right key, but its time is up
        String expired = tokens.sign(new ConsentTokens.Claims(requestId(), contactId("alan@example.org"),
                Instant.now().minusSeconds(60)));
        HttpResponse<String> late = get("/consent/confirm?t=" + expired);
        assertThat(late.statusCode()).isEqualTo(410);
        assertThat(late.body()).contains("expired");
        assertThat(consent("alan@example.org")).isEqualTo(alanBefore);
        assertThat(consent("grace@example.org")).containsEntry("consent_state", "opted_out");

        // the counts, as jobs show tells them, and the reports of the request
        Cli.Result show = cli("jobs", "show", Long.toString(request.get("executionId").asLong()));
        assertThat(show.out()).contains("requested 3, sent 3, failed 0, confirmed 1, declined 1, expired 0");

        // the same file again: the one still pending was asked lately, so is not emailed again; the others answered
        SMTP.purgeEmailFromAllMailboxes();
        JsonNode again = upload(file, "--again");
        assertThat(again.get("consentRequest").get("counts").get("requested").asLong()).isZero();
        assertThat(again.get("consentRequest").get("counts").get("already_pending").asLong()).isEqualTo(1);
        assertThat(consent("ada@example.org")).containsEntry("consent_state", "confirmed");
        assertThat(consent("grace@example.org")).containsEntry("consent_state", "opted_out");
        Thread.sleep(300);
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void theReminderGoesOnceAndAnUnansweredRequestExpires() throws Exception {
        upload(file);
        SMTP.waitForIncomingEmail(5000, 3);
        ConsentMail ada = mail(ConsentMail.of(SMTP.getReceivedMessages()), "ada@example.org");
        answer(ConsentMail.pathOf(ada.confirm()));
        SMTP.purgeEmailFromAllMailboxes();

        assertThat(remind().get("counts").get("requested").asLong()).as("not due yet").isZero();
        jdbc.sql("update consent_request_contact set first_sent_at = first_sent_at - interval '8 days'").update();

        JsonNode reminded = remind();

        assertThat(reminded.get("counts").get("sent").asLong()).isEqualTo(2);
        SMTP.waitForIncomingEmail(5000, 2);
        List<ConsentMail> reminders = ConsentMail.of(SMTP.getReceivedMessages());
        assertThat(reminders).extracting(ConsentMail::to).containsExactlyInAnyOrder("grace@example.org", "alan@example.org");
        assertThat(reminders).allSatisfy(m -> assertThat(m.subject()).startsWith("Reminder: "));
        // the reminder's links end with the request (30 days after the first message), not 30 days from now
        ConsentMail graceReminder = mail(reminders, "grace@example.org");
        Instant requestEnds = jdbc.sql("select first_sent_at + interval '30 days' from consent_request_contact "
                + "where email = 'grace@example.org'").query(java.sql.Timestamp.class).single().toInstant();
        Instant linkEnds = tokens.verify(ConsentMail.tokenOf(graceReminder.confirm())).orElseThrow().expires();
        assertThat(java.time.Duration.between(linkEnds, requestEnds).abs()).isLessThan(java.time.Duration.ofMinutes(1));
        assertThat(graceReminder.text()).contains("The links work until " + java.time.format.DateTimeFormatter
                .ofPattern("d MMMM uuuu", java.util.Locale.ENGLISH).format(linkEnds.atZone(java.time.ZoneOffset.UTC)));
        SMTP.purgeEmailFromAllMailboxes();
        jdbc.sql("update consent_request_contact set reminded_at = reminded_at - interval '8 days'").update();
        assertThat(remind().get("counts").get("requested").asLong()).as("at most one reminder").isZero();
        Thread.sleep(300);
        assertThat(SMTP.getReceivedMessages()).isEmpty();

        // nobody answered in 30 days: expired; the links say so and change nothing; the contacts stay pending
        jdbc.sql("update consent_request_contact set first_sent_at = first_sent_at - interval '30 days'").update();
        JsonNode expiry = remind();
        assertThat(expiry.get("counts").get("expired").asLong()).isEqualTo(2);
        assertThat(report(expiry, "expired")).hasSize(3);
        ConsentMail alan = mail(reminders, "alan@example.org");
        assertThat(get(ConsentMail.pathOf(alan.confirm())).statusCode()).isEqualTo(410);
        assertThat(consent("alan@example.org")).containsEntry("consent_state", "pending");
    }

    @Test
    void aRunKilledWhileSendingAndStartedAgainSendsNobodyTwice() throws Exception {
        Path many = dir.resolve("many.csv");
        StringBuilder rows = new StringBuilder("email,first_name\n");
        for (int i = 1; i <= 120; i++) {
            rows.append("person").append(i).append("@example.org,Person ").append(i).append('\n');
        }
        Files.writeString(many, rows);
        Path out = dir.resolve("child.out");
        Process child = ChildJvm.start(environment, Map.of(
                "spring.mail.host", "127.0.0.1",
                "spring.mail.port", Integer.toString(SMTP.getSmtp().getPort()),
                "contact-batch.consent.token-key", KEY,
                "contact-batch.consent.rate", "20",
                "contact-batch.log-file", dir.resolve("child.log").toString(),
                "contact-batch.reports-dir", dir.resolve("child-reports").toString()),
                out, "upload", many.toString(), "--consent", "request", "--json", "--no-progress", "--by", "tester");
        ChildJvm.killWhen(child, () -> SMTP.getReceivedMessages().length >= 30, out);
        assertThat(jdbc.sql("select status from batch_job_execution e join batch_job_instance i using (job_instance_id) "
                + "where i.job_name = 'consentRequest'").query(String.class).single()).as("killed mid-way").isEqualTo("STARTED");
        int beforeRestart = SMTP.getReceivedMessages().length;
        assertThat(beforeRestart).isLessThan(120);

        // the same command again
        Cli.Result again = cli("upload", many.toString(), "--consent", "request", "--json", "--no-progress", "--by", "tester");
        assertThat(again.err()).isEmpty();
        JsonNode restarted = JsonMapper.shared().readTree(again.out());

        JsonNode request = restarted.get("consentRequest");
        assertThat(request.get("outcome").asString()).isEqualTo("RESTARTED");
        assertThat(request.get("status").asString()).isEqualTo("COMPLETED");
        Thread.sleep(300);
        Map<String, Long> received = ConsentMail.of(SMTP.getReceivedMessages()).stream()
                .collect(Collectors.groupingBy(ConsentMail::to, TreeMap::new, Collectors.counting()));
        assertThat(received.values()).as("nobody got two").allMatch(n -> n == 1);
        long interrupted = jdbc.sql("select count(*) from consent_message where code = 'INTERRUPTED'").query(Long.class).single();
        assertThat(interrupted).as("at most the one message the kill cut off").isLessThanOrEqualTo(1);
        // the one cut off may have arrived: it counts as sent when tried, so its reminder and expiry follow
        assertThat(jdbc.sql("select count(*) from consent_request_contact where first_sent_at is null")
                .query(Long.class).single()).isZero();
        // everyone else got theirs; the one cut off may or may not have arrived, and was not sent again
        List<String> sent = jdbc.sql("select email from consent_message where status = 'sent'").query(String.class).list();
        assertThat(sent).hasSize((int) (120 - interrupted));
        assertThat(received.keySet()).containsAll(sent).hasSizeBetween(sent.size(), 120);
        assertThat(request.get("counts").get("sent").asLong()).isEqualTo(120 - interrupted);
    }

    private JsonNode upload(Path csv, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("upload", csv.toString(), "--consent", "request",
                "--on-existing", "update", "--json", "--no-progress", "--by", "tester"));
        args.addAll(List.of(more));
        Cli.Result result = cli(args.toArray(String[]::new));
        assertThat(result.err()).isEmpty();
        return JsonMapper.shared().readTree(result.out());
    }

    private JsonNode remind() {
        Cli.Result result = cli("consent", "remind", "--json");
        assertThat(result.err()).isEmpty();
        return JsonMapper.shared().readTree(result.out());
    }

    private Cli.Result cli(String... args) {
        return new Cli(context).run(args);
    }

    private Map<String, Object> consent(String email) {
        return jdbc.sql("select consent_state, consent_source, consent_by, consent_at, consent_request_id, version "
                + "from contact where email = :email").param("email", email).query().singleRow();
    }

    private long contactId(String email) {
        return jdbc.sql("select id from contact where email = :email").param("email", email).query(Long.class).single();
    }

    private long requestId() {
        return jdbc.sql("select max(id) from consent_request").query(Long.class).single();
    }

    private static ConsentMail mail(List<ConsentMail> mails, String to) {
        return mails.stream().filter(m -> m.to().equals(to)).findFirst().orElseThrow();
    }

    private static List<String> report(JsonNode summary, String kind) throws IOException {
        return Files.readAllLines(Path.of(summary.get("reports").get(kind).asString()));
    }

    /** The signature with its first character changed (every bit of it counts). */
    private static String flip(String signature) {
        return (signature.charAt(0) == 'A' ? 'B' : 'A') + signature.substring(1);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Opens a link as a browser does and, when its page asks the question, presses the page's first button. */
    private HttpResponse<String> answer(String path) throws Exception {
        HttpResponse<String> page = get(path);
        java.util.regex.Matcher form = java.util.regex.Pattern.compile(
                "<form method=\"post\" action=\"([^\"]+)\"[^>]*>.*?name=\"t\" value=\"([^\"]+)\"",
                java.util.regex.Pattern.DOTALL).matcher(page.body());
        if (page.statusCode() != 200 || !form.find()) {
            return page;
        }
        return post(form.group(1), "t=" + java.net.URLEncoder.encode(form.group(2), "UTF-8"));
    }

    private HttpResponse<String> post(String path, String form) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
