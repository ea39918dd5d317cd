package org.contactbatch.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.contactbatch.support.ChildJvm;
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

    @Autowired
    org.springframework.transaction.PlatformTransactionManager transactions;

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

    @Test
    void askingByEmailAndPushingAtOnceIsRefusedUpFront() throws Exception {
        Path file = dir.resolve("members.csv");
        Files.writeString(file, "email\nmia@example.org\n");

        Cli.Result result = new Cli(context).run("upload", file.toString(), "--consent", "request",
                "--sync-constant-contact", "--no-progress");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("no push sends a pending contact");
        assertThat(jdbc.sql("select count(*) from contact").query(Long.class).single()).isZero();
        assertThat(new Cli(context).run("upload", file.toString(), "--consent", "maybe").err())
                .contains("--consent must be one of confirmed, unconfirmed, pending, opted_out, request (got 'maybe')");
    }

    @Test
    void aFullDryRunAsksNobodyAndItsApplyAsksTheImportsContactsOnce() throws Exception {
        // pending too, but not in the import: never asked by its request
        Path other = dir.resolve("other.csv");
        Files.writeString(other, "email\nother@example.org\n");
        assertThat(new Cli(context).run("upload", other.toString(), "--consent", "pending", "--no-progress").exitCode())
                .isZero();
        Path file = dir.resolve("members.csv");
        Files.writeString(file, "email\nmia@example.org\nleo@example.org\n");
        Cli.Result dryRun = new Cli(context).run("upload", file.toString(), "--consent", "request", "--dry-run",
                "--full", "--json", "--no-progress");
        long importId = JsonMapper.shared().readTree(dryRun.out()).get("importId").asLong();
        assertThat(consentRuns()).as("a dry run asks nobody").isZero();

        // asking for it before it is applied is refused, and leaves nothing that the apply would find done
        Cli.Result early = new Cli(context).run("consent", "send", Long.toString(importId), "--no-progress");
        assertThat(early.exitCode()).isEqualTo(2);
        assertThat(early.err()).contains("is a full dry run").contains("upload --apply " + importId);
        assertThat(consentRuns()).isZero();

        // an apply with a push is refused up front: the contacts stay pending until they confirm
        Cli.Result withPush = new Cli(context).run("upload", "--apply", Long.toString(importId),
                "--sync-constant-contact", "--no-progress");
        assertThat(withPush.exitCode()).isEqualTo(2);
        assertThat(withPush.err()).contains("no push sends a pending contact");
        assertThat(jdbc.sql("select count(*) from contact").query(Long.class).single()).isEqualTo(1);

        Cli.Result applied = new Cli(context).run("upload", "--apply", Long.toString(importId), "--json", "--no-progress");
        JsonNode request = JsonMapper.shared().readTree(applied.out()).get("consentRequest");
        assertThat(request.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(request.get("counts").get("sent").asLong()).isEqualTo(2);

        // asking again sends nothing
        Cli.Result again = new Cli(context).run("consent", "send", Long.toString(importId), "--json", "--no-progress");
        assertThat(JsonMapper.shared().readTree(again.out()).get("outcome").asString()).isEqualTo("ALREADY_COMPLETED");
        assertThat(jdbc.sql("select email from consent_message order by email").query(String.class).list())
                .containsExactly("leo@example.org", "mia@example.org");
    }

    @Test
    void anUploadThatDidNotCompleteIsNotAsked() throws Exception {
        Path file = dir.resolve("members.csv");
        Files.writeString(file, "email\nmia@example.org\nnot-an-email\n");
        Cli.Result failed = new Cli(context).run("upload", file.toString(), "--consent", "request", "--max-errors", "0",
                "--json", "--no-progress");
        long importId = JsonMapper.shared().readTree(failed.out()).get("importId").asLong();
        assertThat(JsonMapper.shared().readTree(failed.out()).get("status").asString()).isEqualTo("FAILED");

        Cli.Result early = new Cli(context).run("consent", "send", Long.toString(importId), "--no-progress");

        assertThat(early.exitCode()).isEqualTo(2);
        assertThat(early.err()).contains("did not complete");
        assertThat(consentRuns()).isZero();
        assertThat(new Cli(context).run("consent", "send", "999999", "--no-progress").err())
                .contains("there is no upload with import id 999999");
    }

    @Test
    void aFailedUploadRestartedByJobsRestartAsksItsContactsWhenItCompletes() throws Exception {
        Path file = dir.resolve("members.csv");
        Files.writeString(file, "email\nmia@example.org\nleo@example.org\n");
        JsonNode failed = TestDatabase.refusingNewContacts(jdbc, () -> JsonMapper.shared().readTree(new Cli(context)
                .run("upload", file.toString(), "--consent", "request", "--json", "--no-progress").out()));
        assertThat(failed.get("status").asString()).isEqualTo("FAILED");
        assertThat(consentRuns()).isZero();

        Cli.Result restarted = new Cli(context).run("jobs", "restart", failed.get("executionId").asString(), "--json");

        JsonNode both = JsonMapper.shared().readTree(restarted.out());
        assertThat(both.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(both.get("consentRequest").get("counts").get("sent").asLong()).isEqualTo(2);
        assertThat(restarted.exitCode()).isZero();
    }

    @Test
    void aRowsOwnOptOutWinsAndADefaultConsentNeverUndoesAnOptOut() throws Exception {
        Path known = dir.resolve("known.csv");
        Files.writeString(known, "email,consent\nyes@example.org,confirmed\nno@example.org,opted_out\n");
        assertThat(new Cli(context).run("upload", known.toString(), "--no-progress").exitCode()).isZero();

        // the one who confirmed says no in the file's own consent cell: that is the newest answer
        Path saysNo = dir.resolve("says-no.csv");
        Files.writeString(saysNo, "email,consent\nyes@example.org,opted_out\n");
        assertThat(new Cli(context).run("upload", saysNo.toString(), "--consent", "request", "--on-existing", "update",
                "--no-progress").exitCode()).isZero();
        assertThat(consentOf("yes@example.org")).isEqualTo("opted_out");

        // a file's default consent is not an answer of the person's: it never undoes an opt-out
        Path members = dir.resolve("members.csv");
        Files.writeString(members, "email,first_name\nno@example.org,No\nnew@example.org,New\n");
        assertThat(new Cli(context).run("upload", members.toString(), "--consent", "confirmed", "--on-existing",
                "update", "--no-progress").exitCode()).isZero();
        assertThat(consentOf("no@example.org")).isEqualTo("opted_out");
        assertThat(consentOf("new@example.org")).isEqualTo("confirmed");
        assertThat(jdbc.sql("select first_name from contact where email = 'no@example.org'").query(String.class)
                .single()).as("the rest of the row is applied").isEqualTo("No");
    }

    /** Two runs asking the same person at once: the unique open-request index lets one ask, the other counts them. */
    @Test
    void twoRunsAskingOnePersonAtOnceAskThemOnce() throws Exception {
        Path first = dir.resolve("first.csv");
        Files.writeString(first, "email\nboth@example.org\n");
        Path second = dir.resolve("second.csv");
        Files.writeString(second, "email\nboth@example.org\nonly@example.org\n");
        long firstImport = JsonMapper.shared().readTree(new Cli(context).run("upload", first.toString(), "--consent",
                "pending", "--json", "--no-progress").out()).get("importId").asLong();
        long secondImport = JsonMapper.shared().readTree(new Cli(context).run("upload", second.toString(), "--consent",
                "pending", "--on-existing", "update", "--json", "--no-progress").out()).get("importId").asLong();
        long both = jdbc.sql("select id from contact where email = 'both@example.org'").query(Long.class).single();

        // another run's prepare has queued its message to the person and not committed yet
        java.util.concurrent.CountDownLatch queued = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch commit = new java.util.concurrent.CountDownLatch(1);
        Thread other = new Thread(() -> new org.springframework.transaction.support.TransactionTemplate(transactions)
                .executeWithoutResult(tx -> {
                    jdbc.sql("insert into consent_request (id, import_id, file_name, created_by) "
                            + "values (999999, :upload, 'first.csv', 'other')").param("upload", firstImport).update();
                    jdbc.sql("insert into consent_request_contact (request_id, contact_id, email) "
                            + "values (999999, :contact, 'both@example.org')").param("contact", both).update();
                    jdbc.sql("insert into consent_message (run_id, request_id, contact_id, kind, email) "
                            + "values (999999, 999999, :contact, 'request', 'both@example.org')").param("contact", both)
                            .update();
                    queued.countDown();
                    try {
                        commit.await();
                    }
                    catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
        other.start();
        queued.await();
        java.util.concurrent.CompletableFuture<Cli.Result> asking = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> new Cli(context).run("consent", "send", Long.toString(secondImport), "--json", "--no-progress"));
        Thread.sleep(1500); // the run waits on the other's row for the person
        commit.countDown();
        other.join();

        JsonNode request = JsonMapper.shared().readTree(asking.get().out());
        assertThat(request.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(request.get("counts").get("requested").asLong()).isEqualTo(1);
        assertThat(request.get("counts").get("already_pending").asLong()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from consent_request_contact where contact_id = :c and state = 'pending'")
                .param("c", both).query(Long.class).single()).isEqualTo(1);
    }

    private String consentOf(String email) {
        return jdbc.sql("select consent_state from contact where email = :email").param("email", email)
                .query(String.class).single();
    }

    private long consentRuns() {
        return jdbc.sql("select count(*) from batch_job_instance where job_name = 'consentRequest'").query(Long.class)
                .single();
    }

    /** From the outbox a restart knows whether the message it cut off was written: nobody lost, nobody twice. */
    @Test
    void aRunKilledWhileWritingTheOutboxAndStartedAgainWritesEachMessageOnce() throws Exception {
        Path file = dir.resolve("many.csv");
        StringBuilder rows = new StringBuilder("email\n");
        for (int i = 1; i <= 80; i++) {
            rows.append("reader").append(i).append("@example.org\n");
        }
        Files.writeString(file, rows);
        // the same data home, so the same outbox and the same kept key
        Path outbox = Path.of(environment.getProperty("contact-batch.home")).resolve("outbox");
        Path out = dir.resolve("child.out");
        Process child = ChildJvm.start(environment, java.util.Map.of(
                "contact-batch.home", environment.getProperty("contact-batch.home"),
                "contact-batch.consent.rate", "20",
                "contact-batch.log-file", dir.resolve("child.log").toString(),
                "contact-batch.reports-dir", dir.resolve("child-reports").toString()),
                out, "upload", file.toString(), "--consent", "request", "--json", "--no-progress", "--by", "tester");
        ChildJvm.killWhen(child, () -> emls(outbox) >= 20, out);
        assertThat(emls(outbox)).isLessThan(80);

        Cli.Result again = new Cli(context).run("upload", file.toString(), "--consent", "request", "--json",
                "--no-progress", "--by", "tester");

        assertThat(again.err()).isEmpty();
        JsonNode request = JsonMapper.shared().readTree(again.out()).get("consentRequest");
        assertThat(request.get("outcome").asString()).isEqualTo("RESTARTED");
        assertThat(request.get("counts").get("sent").asLong()).isEqualTo(80);
        assertThat(request.get("counts").get("failed").asLong()).isZero();
        try (var files = Files.list(outbox)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(name -> name.contains("-reader"))
                    .map(name -> name.substring(9))).hasSize(80).doesNotHaveDuplicates()
                    .allMatch(name -> name.matches("reader\\d+@example\\.org\\.eml"));
        }
    }

    private static long emls(Path outbox) {
        if (!Files.isDirectory(outbox)) {
            return 0;
        }
        try (var files = Files.list(outbox)) {
            return files.filter(f -> f.getFileName().toString().contains("-reader")).count();
        }
        catch (java.io.IOException e) {
            return 0;
        }
    }
}
