package org.contactbatch.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.contactbatch.support.ContactBatchTest;
import org.contactbatch.support.JarProcess;
import org.contactbatch.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real jar, as people run it (its context prepared at build time, when no mail server was configured):
 * with the README's environment variables it sends through the SMTP server they name and signs with their key;
 * without a mail server it writes the outbox of the data home.
 */
@ContactBatchTest
class ConsentEmailIT {

    static final String KEY = "jar-test-key-0123456789abcdef";
    static GreenMail smtp;

    @BeforeAll
    static void mailServer() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    @AfterAll
    static void stop() {
        smtp.stop();
    }

    @Autowired
    Environment environment;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path temp;

    Path file;

    @BeforeEach
    void clean() throws Exception {
        TestDatabase.clean(jdbc);
        file = temp.resolve("members.csv");
        Files.writeString(file, "email,first_name\nrita@example.org,Rita\nsam@example.org,Sam\n");
    }

    private Map<String, String> sameDatabaseAndJobs() {
        Map<String, String> variables = JarProcess.sameDatabase(environment);
        // the jar runs in a folder of its own: the template is the project's
        variables.put("CONTACT_BATCH_JOBSDIR", Path.of("jobs").toAbsolutePath().toString());
        return variables;
    }

    @Test
    void theMailServerAndTheKeyComeFromTheEnvironment() throws Exception {
        JarProcess.Result upload = new JarProcess(temp).env(sameDatabaseAndJobs())
                .env("SPRING_MAIL_HOST", "127.0.0.1")
                .env("SPRING_MAIL_PORT", Integer.toString(smtp.getSmtp().getPort()))
                .env("CONTACT_BATCH_CONSENT_TOKENKEY", KEY)
                .env("CONTACT_BATCH_CONSENT_CONSOLEURL", "https://contacts.example.org")
                .env("CONTACT_BATCH_CONSENT_ORGANISATION", "Harbour Choir")
                .run(Duration.ofMinutes(2), "upload", file.toString(), "--consent", "request", "--json", "--no-progress");

        assertThat(upload.exitCode()).as(upload.out() + upload.err()).isZero();
        JsonNode request = JsonMapper.shared().readTree(upload.out()).get("consentRequest");
        assertThat(request.get("counts").get("sent").asLong()).isEqualTo(2);
        assertThat(smtp.waitForIncomingEmail(5000, 2)).isTrue();
        List<ConsentMail> mails = ConsentMail.of(smtp.getReceivedMessages());
        assertThat(mails).extracting(ConsentMail::to).containsExactlyInAnyOrder("rita@example.org", "sam@example.org");
        ConsentMail rita = mails.stream().filter(m -> m.to().equals("rita@example.org")).findFirst().orElseThrow();
        assertThat(rita.html()).contains("Harbour Choir");
        assertThat(rita.confirm()).startsWith("https://contacts.example.org/consent/confirm?t=");
        ConsentTokens signedWithTheKey = new ConsentTokens(new ConsentProperties(KEY, URI.create("http://x"), "a@b", "o",
                "r", "s", "consent-request", Duration.ofDays(30), Duration.ofDays(7), Duration.ofDays(30), 1, temp, "-"), temp);
        ConsentTokens.Claims claims = signedWithTheKey.verify(ConsentMail.tokenOf(rita.confirm())).orElseThrow();
        assertThat(claims.contactId()).isEqualTo(jdbc.sql("select id from contact where email = 'rita@example.org'")
                .query(Long.class).single());
    }

    @Test
    void withoutAMailServerTheJarWritesTheOutboxOfTheDataHome() throws Exception {
        JarProcess.Result upload = new JarProcess(temp).env(sameDatabaseAndJobs())
                .run(Duration.ofMinutes(2), "upload", file.toString(), "--consent", "request", "--no-progress");

        assertThat(upload.exitCode()).as(upload.out() + upload.err()).isZero();
        Path outbox = Path.of(environment.getProperty("contact-batch.home")).resolve("outbox");
        assertThat(upload.out()).contains("Consent request COMPLETED").contains("messages went to the outbox " + outbox);
        long first = jdbc.sql("select min(id) from consent_message").query(Long.class).single();
        Path eml = outbox.resolve(String.format("%08d-rita@example.org.eml", first));
        try (InputStream in = Files.newInputStream(eml)) {
            assertThat(ConsentMail.read(in).confirm()).startsWith("http://localhost:8080/consent/confirm?t=");
        }
    }
}
