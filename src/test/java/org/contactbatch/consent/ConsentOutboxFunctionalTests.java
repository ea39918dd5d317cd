package org.contactbatch.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.contactbatch.support.Cli;
import org.contactbatch.support.ContactBatchTest;
import org.contactbatch.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Without a mail server configured (a fresh machine), the command line writes each message as an {@code .eml}
 * file to the outbox in the data home, with no token key set either; its link works.
 */
@ContactBatchTest
class ConsentOutboxFunctionalTests {

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Environment environment;

    @Autowired
    ConsentAnswers answers;

    @TempDir
    Path dir;

    @BeforeEach
    void clean() {
        TestDatabase.clean(jdbc);
    }

    @Test
    void withoutAMailServerTheMessagesAreFilesInTheOutboxOfTheDataHome() throws Exception {
        assertThat(environment.getProperty("spring.mail.host")).isNull();
        assertThat(environment.getProperty("contact-batch.consent.token-key")).isNull();
        Path file = dir.resolve("members.csv");
        Files.writeString(file, "email,first_name\nmia@example.org,Mia\nleo@example.org,Leo\n");

        Cli.Result result = new Cli(context).run("upload", file.toString(), "--consent", "request", "--json",
                "--no-progress", "--by", "tester");

        assertThat(result.err()).isEmpty();
        JsonNode request = JsonMapper.shared().readTree(result.out()).get("consentRequest");
        Path outbox = Path.of(environment.getProperty("contact-batch.home")).resolve("outbox");
        assertThat(request.get("message").asString()).contains(outbox.toString());
        assertThat(request.get("counts").get("sent").asLong()).isEqualTo(2);
        List<Long> ids = jdbc.sql("select id from consent_message order by id").query(Long.class).list();
        assertThat(ids).hasSize(2);
        Path mia = outbox.resolve(String.format("%08d-mia@example.org.eml", ids.get(0)));
        assertThat(mia).exists();
        assertThat(outbox.resolve(String.format("%08d-leo@example.org.eml", ids.get(1)))).exists();
        assertThat(outbox.resolve(ConsentTokens.KEY_FILE)).doesNotExist();
        assertThat(Path.of(environment.getProperty("contact-batch.home")).resolve(ConsentTokens.KEY_FILE)).exists();

        ConsentMail mail;
        try (InputStream in = Files.newInputStream(mia)) {
            mail = ConsentMail.read(in);
        }
        assertThat(mail.to()).isEqualTo("mia@example.org");
        assertThat(mail.confirm()).startsWith("http://localhost:8080/consent/confirm?t=");

        // the link's token, as the console's page takes it
        assertThat(answers.answer(ConsentMail.tokenOf(mail.confirm()), true)).isEqualTo(ConsentAnswers.Outcome.CONFIRMED);
        assertThat(jdbc.sql("select consent_state from contact where email = 'mia@example.org'").query(String.class).single())
                .isEqualTo("confirmed");
        assertThat(answers.answer(ConsentMail.tokenOf(mail.confirm()), true)).isEqualTo(ConsentAnswers.Outcome.USED);
    }
}
