package org.contactbatch.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.contactbatch.constantcontact.push.PullJobConfiguration;
import org.contactbatch.constantcontact.push.PushOptions;
import org.contactbatch.constantcontact.push.PushReports;
import org.contactbatch.constantcontact.push.SyncLog;
import org.contactbatch.support.Cli;
import org.contactbatch.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import tools.jackson.databind.json.JsonMapper;

/** What admins do in the console, over HTTP: upload, restart, start and revert; the other pages answer. */
@WebConsoleTest
class WebConsoleFunctionalTests {

    private static final Pattern EXECUTION = Pattern.compile("/executions/(\\d+)$");
    private static final Pattern TOKEN = Pattern.compile("name=\"token\" value=\"([^\"]+)\"");

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    /** Where the console runs the jobs it starts. */
    @Autowired
    @Qualifier("consoleJobThreads")
    ThreadPoolTaskExecutor consoleJobThreads;

    @TempDir
    Path temp;

    Cli cli;
    ConsoleClient admin;

    @BeforeEach
    void setUp() {
        TestDatabase.clean(jdbc);
        cli = new Cli(context);
        admin = new ConsoleClient(port);
        admin.login(WebConsoleTest.ADMIN, WebConsoleTest.ADMIN_PASSWORD);
    }

    @Test
    void anUploadRunsInTheBackgroundLandsOnItsExecutionAndIsNotRunTwice() throws IOException {
        byte[] file = Files.readAllBytes(Path.of("sample-data/contacts.csv"));
        admin.get("/upload");

        HttpResponse<String> preview = admin.postFile("/upload", "file", "../../etc/My Contacts.csv", file,
                Map.of("consent", "confirmed", "list", "Web"));

        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.body()).contains("Dry run of").contains("My_Contacts.csv").contains("first_name")
                .contains("Nothing has been written");
        assertThat(jdbc.sql("select count(*) from contact").query(Long.class).single()).isZero();
        HttpResponse<String> run = admin.post("/upload/run", Map.of("token", token(preview)));
        long execution = executionOf(run);
        assertThat(awaitEnd(execution)).isEqualTo("COMPLETED");
        assertThat(jdbc.sql("select count(*) from contact where consent_state = 'confirmed' and consent_by = :by")
                .param("by", WebConsoleTest.ADMIN).query(Long.class).single()).isEqualTo(1000);
        Path stored = Path.of(jdbc.sql("select file_path from import_batch").query(String.class).single());
        assertThat(stored.getFileName().toString()).isEqualTo("My_Contacts.csv");
        assertThat(stored.getParent().getParent()).isEqualTo(uploads());
        HttpResponse<String> page = admin.get("/executions/" + execution);
        assertThat(page.body()).contains("COMPLETED").contains("1,000").contains("failed-rows");

        // the same file with the same options again: recognised, nothing done, its execution shown
        HttpResponse<String> again = admin.postFile("/upload", "file", "My Contacts.csv", file,
                Map.of("consent", "confirmed", "list", "Web"));
        HttpResponse<String> rerun = admin.post("/upload/run", Map.of("token", token(again)));
        assertThat(executionOf(rerun)).isEqualTo(execution);
        assertThat(admin.get("/executions/" + execution).body()).contains("uploaded before");
        // a token the session does not know starts nothing
        assertThat(admin.post("/upload/run", Map.of("token", "forged")).headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/upload"));
    }

    /** Issue 14: the upload page's choice to ask each person by email; the request's counts on its page. */
    @Test
    void anUploadThatAsksForConsentSendsTheRequestAndItsPageCountsTheAnswers() throws Exception {
        byte[] file = "email,first_name\numa@example.org,Uma\nivo@example.org,Ivo\n".getBytes(StandardCharsets.UTF_8);
        assertThat(admin.get("/upload").body()).contains("value=\"request\"");

        HttpResponse<String> preview = admin.postFile("/upload", "file", "asked.csv", file, Map.of("consent", "request"));

        assertThat(preview.body()).contains("each contact is asked by email");
        long execution = executionOf(admin.post("/upload/run", Map.of("token", token(preview))));
        assertThat(awaitEnd(execution)).isEqualTo("COMPLETED");
        assertThat(jdbc.sql("select count(*) from contact where consent_state = 'pending'").query(Long.class).single())
                .isEqualTo(2);
        long request = awaitConsentRequest();
        assertThat(awaitEnd(request)).isEqualTo("COMPLETED");
        assertThat(jdbc.sql("select count(*) from consent_message where status = 'sent'").query(Long.class).single())
                .isEqualTo(2);
        // an answer after the run ended shows on its page
        jdbc.sql("update consent_request_contact set state = 'declined' where email = 'ivo@example.org'").update();
        String page = admin.get("/executions/" + request).body().replaceAll("\\s+", " ");
        assertThat(page).contains("requested.csv").contains("<th>declined</th><td class=\"n\">1</td>")
                .contains("<th>sent</th><td class=\"n\">2</td>");
    }

    @Test
    void aFullDryRunFromTheUploadPageChangesNothingUntilItIsAppliedFromItsExecution() throws IOException {
        byte[] file = Files.readAllBytes(Path.of("sample-data/contacts-with-errors.csv"));
        admin.get("/upload");
        HttpResponse<String> preview = admin.postFile("/upload", "file", "contacts-with-errors.csv", file,
                Map.of("list", "Web"));
        assertThat(preview.body()).contains("id=\"full-dry-run\"");

        long dryRun = executionOf(admin.post("/upload/run", Map.of("token", token(preview), "full", "true")));

        assertThat(awaitEnd(dryRun)).isEqualTo("COMPLETED");
        assertThat(jdbc.sql("select count(*) from contact").query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from contact_list").query(Long.class).single()).isZero();
        HttpResponse<String> page = admin.get("/executions/" + dryRun);
        long importId = jdbc.sql("select job_instance_id from batch_job_execution where job_execution_id = :e")
                .param("e", dryRun).query(Long.class).single();
        assertThat(page.body()).contains("id=\"dry-run\"").contains("/upload/" + importId + "/apply")
                .contains("report-failed-rows");

        long applied = executionOf(admin.post("/upload/" + importId + "/apply", Map.of()));

        assertThat(awaitEnd(applied)).isEqualTo("COMPLETED");
        assertThat(jdbc.sql("select count(*) from contact_list_member").query(Long.class).single()).isEqualTo(16);
        assertThat(admin.get("/executions/" + dryRun).body()).doesNotContain("/apply\"");
        // applying it again is refused with the command line's words
        admin.post("/upload/" + importId + "/apply", Map.of());
        assertThat(admin.get("/executions").body()).contains("was applied already");
    }

    /** Issue 14 with the full dry run: the dry run asks nobody; its apply from the console asks its contacts once. */
    @Test
    void aFullDryRunThatAsksForConsentAsksNobodyUntilItIsAppliedFromTheConsole() throws Exception {
        byte[] file = "email\numa@example.org\nivo@example.org\n".getBytes(StandardCharsets.UTF_8);
        admin.get("/upload");
        HttpResponse<String> preview = admin.postFile("/upload", "file", "asked.csv", file, Map.of("consent", "request"));
        long dryRun = executionOf(admin.post("/upload/run", Map.of("token", token(preview), "full", "true")));
        assertThat(awaitEnd(dryRun)).isEqualTo("COMPLETED");
        assertThat(jdbc.sql("select count(*) from batch_job_instance where job_name = 'consentRequest'")
                .query(Long.class).single()).isZero();
        long importId = jdbc.sql("select job_instance_id from batch_job_execution where job_execution_id = :e")
                .param("e", dryRun).query(Long.class).single();

        long applied = executionOf(admin.post("/upload/" + importId + "/apply", Map.of()));

        assertThat(awaitEnd(applied)).isEqualTo("COMPLETED");
        assertThat(awaitEnd(awaitConsentRequest())).isEqualTo("COMPLETED");
        assertThat(jdbc.sql("select email from consent_message where status = 'sent' order by email")
                .query(String.class).list()).containsExactly("ivo@example.org", "uma@example.org");
    }

    /** A failed upload that asks for consent, restarted from its page, asks its contacts once it completes. */
    @Test
    void aRestartedUploadThatAsksForConsentSendsTheRequest() throws Exception {
        Path csv = temp.resolve("asked.csv");
        Files.writeString(csv, "email\numa@example.org\nivo@example.org\n");
        long execution = TestDatabase.refusingNewContacts(jdbc, () -> JsonMapper.shared().readTree(cli.run("upload",
                csv.toString(), "--consent", "request", "--json", "--no-progress").out()).get("executionId").asLong());
        assertThat(admin.get("/executions/" + execution).body()).contains("FAILED");

        long restarted = executionOf(admin.post("/executions/" + execution + "/restart", Map.of()));

        assertThat(awaitEnd(restarted)).isEqualTo("COMPLETED");
        assertThat(awaitEnd(awaitConsentRequest())).isEqualTo("COMPLETED");
        assertThat(jdbc.sql("select count(*) from consent_message where status = 'sent'").query(Long.class).single())
                .isEqualTo(2);
    }

    @Test
    void columnsChosenOnThePreviewAreWhatRunsAndSavedTheyAreAMappingTheCommandLineUses() throws IOException {
        byte[] file = Files.readAllBytes(Path.of("sample-data/crm-export.csv"));
        admin.get("/upload");
        HttpResponse<String> preview = admin.postFile("/upload", "file", "crm-export.csv", file, Map.of());
        // the automatic mapping does not know "Member E-mail": it would be a custom field, chosen as such
        assertThat(preview.body()).contains("id=\"choose-3\"")
                .contains("<option value=\"custom:member_e_mail\" selected=\"selected\">");
        String targets = "custom:member_number,first_name,last_name,email,phone,company,custom:member_since,ignore,ignore";
        String name = "web-crm-" + System.nanoTime();
        Path saved = Path.of("jobs", "mappings", name + ".yml");
        try {
            HttpResponse<String> remapped = admin.post("/upload/mapping", Map.of("token", token(preview),
                    "target", targets, "saveAs", name, "save", "true"));

            assertThat(remapped.statusCode()).isEqualTo(200);
            assertThat(remapped.body()).contains("<td id=\"target-3\">email</td>")
                    .contains("<td id=\"target-7\">ignored (mapping says ignore)</td>")
                    .contains("Saved as the mapping &#39;" + name + "&#39;").contains("ines.duarte@example.org");
            long execution = executionOf(admin.post("/upload/run", Map.of("token", token(remapped))));
            assertThat(awaitEnd(execution)).isEqualTo("COMPLETED");
            assertThat(jdbc.sql("select first_name || ' ' || last_name || ' ' || company || ' ' || (custom_fields::text)"
                    + " from contact where email = 'ines.duarte@example.org'").query(String.class).single())
                    .isEqualTo("Ines Duarte Atlântico Imports Lda {\"member_since\": \"2019-04-02\", \"member_number\": \"M-0001\"}");

            // the saved mapping is a mapping file like any other
            TestDatabase.clean(jdbc);
            Cli.Result cliUpload = cli.run("upload", "sample-data/crm-export.csv", "--mapping", name, "--json");
            assertThat(cliUpload.exitCode()).as(cliUpload.err()).isZero();
            assertThat(jdbc.sql("select count(*) from contact where email = 'ines.duarte@example.org' and "
                    + "custom_fields ->> 'member_number' = 'M-0001'").query(Long.class).single()).isEqualTo(1);
            assertThat(Files.readString(saved)).contains("Member E-mail: email").contains("unmapped: custom");
        }
        finally {
            Files.deleteIfExists(saved);
        }
    }

    @Test
    void aFileThatCannotBeReadIsExplainedAndNothingRuns() {
        admin.get("/upload");
        HttpResponse<String> preview = admin.postFile("/upload", "file", "broken.csv",
                "email,name\n\"ann@example.com,Ann\n".getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.body()).contains("class=\"problem\"").contains("not closed");
        assertThat(jdbc.sql("select count(*) from batch_job_execution").query(Long.class).single()).isZero();
    }

    @Test
    void anAdminRestartsAFailedUploadFromItsPage() {
        Cli.Result failed = cli.run("upload", "sample-data/contacts-with-errors.csv", "--max-errors", "3", "--json");
        long execution = JsonMapper.shared().readTree(failed.out()).get("executionId").asLong();
        HttpResponse<String> page = admin.get("/executions/" + execution);
        assertThat(page.body()).contains("FAILED").contains("/executions/" + execution + "/restart")
                .contains("<p id=\"error\">9 rows were rejected, more than --max-errors 3 allows");

        long restarted = executionOf(admin.post("/executions/" + execution + "/restart", Map.of()));

        assertThat(restarted).isGreaterThan(execution);
        awaitEnd(restarted);
        assertThat(jdbc.sql("select job_instance_id from batch_job_execution where job_execution_id = :e")
                .param("e", restarted).query(Long.class).single())
                .isEqualTo(jdbc.sql("select job_instance_id from batch_job_execution where job_execution_id = :e")
                        .param("e", execution).query(Long.class).single());
        // an execution that was followed by another is not offered a restart
        assertThat(admin.get("/executions/" + execution).body()).doesNotContain("/restart");
        // stopping an execution that does not run says so
        admin.get("/executions/" + restarted);
        admin.post("/executions/" + restarted + "/stop", Map.of());
        assertThat(admin.get("/executions/" + restarted).body()).contains("is not running");
    }

    /** Issue 11: jobs restart|stop and the console's buttons follow one set of rules, and refuse in the same words. */
    @Test
    void theCommandLineAndTheConsoleRefuseTheSameRestartAndStopInTheSameWords() throws Exception {
        long execution = failedUpload();
        context.getBean(JobOperator.class).abandon(context.getBean(JobRepository.class).getJobExecution(execution));
        String notContinued = "execution " + execution + " was abandoned: an abandoned run is not continued";
        String notRunning = "execution " + execution + " is not running (ABANDONED)";

        assertThat(admin.get("/executions/" + execution).body()).contains("ABANDONED").doesNotContain("/restart")
                .doesNotContain("/stop\"");
        bothRefuse("restart", execution, notContinued);
        bothRefuse("stop", execution, notRunning);
        assertThat(jdbc.sql("select count(*) from batch_job_execution").query(Long.class).single())
                .as("nothing was started").isEqualTo(1);
    }

    /**
     * A run whose process died is continued from its latest execution, not from an earlier one, and is not "stopped":
     * the command line and the console alike.
     */
    @Test
    void aRunWhoseProcessDiedIsContinuedFromItsLatestExecutionAndNotStopped() {
        long first = failedUpload();
        // still too many errors: the restart fails in turn
        assertThat(cli.run("jobs", "restart", Long.toString(first), "--no-progress").exitCode()).isEqualTo(1);
        long second = jdbc.sql("select max(job_execution_id) from batch_job_execution").query(Long.class).single();
        assertThat(second).isGreaterThan(first);
        // as a kill -9 leaves it: the repository says it runs, and no process holds its liveness lock
        jdbc.sql("update batch_job_execution set status = 'STARTED', exit_code = 'UNKNOWN', end_time = null"
                + " where job_execution_id = :e").param("e", second).update();
        String died = "execution " + second + " is not running: the process running it has died (killed or crashed);"
                + " restart it to continue from its last committed chunk";
        String followed = "execution " + first + " was followed by execution " + second + " (STARTED); restart that one";

        assertThat(admin.get("/executions/" + second).body()).contains("The process running it has died")
                .contains("/executions/" + second + "/restart").doesNotContain("/stop\"");
        assertThat(admin.get("/executions/" + first).body()).doesNotContain("/restart");
        bothRefuse("stop", second, died);
        bothRefuse("restart", first, followed);
        assertThat(jdbc.sql("select status from batch_job_execution where job_execution_id = :e").param("e", second)
                .query(String.class).single()).as("not marked STOPPING").isEqualTo("STARTED");

        long third = executionOf(admin.post("/executions/" + second + "/restart", Map.of()));

        assertThat(third).isGreaterThan(second);
        assertThat(awaitEnd(third)).isEqualTo("FAILED");
        assertThat(jdbc.sql("select count(distinct job_instance_id) from batch_job_execution").query(Long.class)
                .single()).as("one run, continued").isEqualTo(1);
        assertThat(jdbc.sql("select status from batch_job_execution where job_execution_id = :e").param("e", second)
                .query(String.class).single()).as("recovered before it was continued").isEqualTo("FAILED");
    }

    /** jobs restart|stop ID refuses in these words (exit 2), and so does the console's button on the page. */
    private void bothRefuse(String action, long execution, String words) {
        Cli.Result result = cli.run("jobs", action, Long.toString(execution));
        assertThat(result.exitCode()).as(action).isEqualTo(2);
        assertThat(result.err().strip()).isEqualTo("error: " + words);
        admin.post("/executions/" + execution + "/" + action, Map.of());
        assertThat(admin.get("/executions/" + execution).body()).contains("id=\"problem\">" + words + "<");
    }

    private long failedUpload() {
        Cli.Result failed = cli.run("upload", "sample-data/contacts-with-errors.csv", "--max-errors", "3", "--json");
        assertThat(failed.exitCode()).as(failed.err()).isEqualTo(1);
        return JsonMapper.shared().readTree(failed.out()).get("executionId").asLong();
    }

    @Test
    void anAdminStartsAndRevertsAReimport() throws IOException {
        assertThat(cli.run("upload", "sample-data/contacts.csv", "--no-progress").exitCode()).isZero();
        long importId = prepare();
        HttpResponse<String> list = admin.get("/reimports");
        assertThat(list.body()).contains("id=\"reimport-" + importId + "\"");
        HttpResponse<String> page = admin.get("/reimports/" + importId);
        assertThat(page.body()).contains("Start: update 2 contacts (2 changed fields) and tag them &#39;console&#39;")
                .contains("Webster");

        long start = executionOf(admin.post("/reimports/" + importId + "/start", Map.of()));
        assertThat(awaitEnd(start)).isEqualTo("COMPLETED");
        assertThat(jdbc.sql("select count(*) from contact where last_name = 'Webster'").query(Long.class).single())
                .isEqualTo(2);
        assertThat(jdbc.sql("select parameter_value from batch_job_execution_params where job_execution_id = :e"
                + " and parameter_name = 'by'").param("e", start).query(String.class).single())
                .isEqualTo(WebConsoleTest.ADMIN);

        // starting it twice is refused with the command line's words
        admin.get("/reimports/" + importId);
        admin.post("/reimports/" + importId + "/start", Map.of());
        assertThat(admin.get("/reimports/" + importId).body()).contains("already ran");

        page = admin.get("/reimports/" + importId);
        assertThat(page.body()).contains("Revert: put back the old values of 2 contacts");
        long revert = executionOf(admin.post("/reimports/" + importId + "/revert", Map.of()));
        assertThat(awaitEnd(revert)).isEqualTo("COMPLETED");
        assertThat(jdbc.sql("select count(*) from contact where last_name = 'Webster'").query(Long.class).single())
                .isZero();
        assertThat(jdbc.sql("select status from import_batch where id = :id").param("id", importId)
                .query(String.class).single()).isEqualTo("reverted");
    }

    @Test
    void anEditedSheetIsPreparedInTheBrowserItsErrorsAndWarningsShownThenStarted() throws IOException {
        assertThat(cli.run("upload", "sample-data/contacts.csv", "--no-progress").exitCode()).isZero();
        StringBuilder sheet = new StringBuilder("id,version,last_name,email\r\n");
        jdbc.sql("select id, version, email from contact order by id limit 2").query(rs -> {
            sheet.append(rs.getLong(1)).append(',').append(rs.getInt(2)).append(",Browser,")
                    .append(rs.getString(3)).append("\r\n");
        });
        long firstId = jdbc.sql("select min(id) from contact").query(Long.class).single();
        jdbc.sql("update contact set version = version + 1 where id = :id").param("id", firstId).update();
        sheet.append("999999999,0,Nobody,nobody@example.com\r\n");
        admin.get("/reimports");

        long prepare = executionOf(admin.postFile("/reimports/prepare", "file", "edited.csv",
                sheet.toString().getBytes(StandardCharsets.UTF_8), Map.of("tag", "browser")));

        assertThat(awaitEnd(prepare)).isEqualTo("COMPLETED");
        long importId = jdbc.sql("select job_instance_id from batch_job_execution where job_execution_id = :e")
                .param("e", prepare).query(Long.class).single();
        assertThat(admin.get("/executions/" + prepare).body()).contains("/reimports/" + importId);
        HttpResponse<String> review = admin.get("/reimports/" + importId);
        assertThat(review.body()).contains("id=\"errors\"").contains("UNKNOWN_ID").contains("<td class=\"n\">4</td>")
                .contains("id=\"warnings\"").contains("STALE_VERSION").contains("Browser")
                .contains("Start: update 2 contacts");
        assertThat(jdbc.sql("select created_by from import_batch where id = :id").param("id", importId)
                .query(String.class).single()).isEqualTo(WebConsoleTest.ADMIN);

        long start = executionOf(admin.post("/reimports/" + importId + "/start", Map.of()));
        assertThat(awaitEnd(start)).isEqualTo("COMPLETED");
        assertThat(jdbc.sql("select count(*) from contact where last_name = 'Browser' and 'browser' = any(tags)")
                .query(Long.class).single()).isEqualTo(2);

        // a sheet without an id column is refused with the command line's words, and nothing runs
        long executions = jdbc.sql("select count(*) from batch_job_execution").query(Long.class).single();
        admin.postFile("/reimports/prepare", "file", "no-id.csv", "email\r\nann@example.com\r\n"
                .getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(admin.get("/reimports").body()).contains("no-id.csv: no &#39;id&#39; column");
        assertThat(jdbc.sql("select count(*) from batch_job_execution").query(Long.class).single()).isEqualTo(executions);
    }

    @Test
    void theContactsPageSearchesFiltersAndPagesAndActsOnWhatIsTickedOrOnAllThatMatch() throws IOException {
        assertThat(cli.run("upload", "sample-data/contacts.csv", "--no-progress").exitCode()).isZero();
        jdbc.sql("analyze contact").update();

        HttpResponse<String> first = admin.get("/contacts");
        assertThat(first.body()).contains("about 1,000").contains("id=\"next-page\"");
        List<Long> firstPage = idsShown(first);
        assertThat(firstPage).hasSize(50);
        HttpResponse<String> second = admin.get(nextPage(first));
        List<Long> secondPage = idsShown(second);
        assertThat(secondPage).hasSize(50).doesNotContainAnyElementsOf(firstPage);
        // the order is the last change's, newest first, across pages
        List<Long> expected = jdbc.sql("select id from contact order by updated_at desc, id desc limit 100")
                .query(Long.class).list();
        assertThat(Stream.concat(firstPage.stream(), secondPage.stream()).toList()).isEqualTo(expected);

        Map<String, Object> someone = jdbc.sql("select id, email, last_name, phone from contact where phone is not null"
                + " order by id limit 1").query().singleRow();
        long id = ((Number) someone.get("id")).longValue();
        String email = (String) someone.get("email");
        assertThat(idsShown(admin.get("/contacts?q=" + email.substring(0, email.indexOf('@')).toUpperCase())))
                .contains(id);
        assertThat(idsShown(admin.get("/contacts?q=" + someone.get("last_name")))).contains(id)
                .hasSize(jdbc.sql("select count(*) from contact where lower(last_name) like lower(:n) || '%'"
                        + " or lower(first_name) like lower(:n) || '%' or lower(email) like lower(:n) || '%'")
                        .param("n", someone.get("last_name")).query(Integer.class).single());
        String digits = ((String) someone.get("phone")).replaceAll("[^0-9]", "");
        assertThat(idsShown(admin.get("/contacts?q=" + digits.substring(digits.length() - 7)))).contains(id);
        List<Long> customers = jdbc.sql("select id from contact where lifecycle_stage = 'customer'"
                + " order by updated_at desc, id desc").query(Long.class).list();
        assertThat(idsShown(admin.get("/contacts?stage=customer"))).isEqualTo(customers.subList(0,
                Math.min(50, customers.size())));
        assertThat(admin.get("/contacts?stage=churned").body()).contains("is not one of");

        // tick two and add them to a list; tag all that match the stage
        List<Long> ticked = firstPage.subList(0, 2);
        admin.postForm("/contacts/selection", List.of(Map.entry("action", "add-to-list"), Map.entry("value", "Picked"),
                Map.entry("scope", "selected"), Map.entry("id", ticked.get(0).toString()),
                Map.entry("id", ticked.get(1).toString())));
        assertThat(admin.get("/contacts").body()).contains("Added 2 contacts to the list &#39;Picked&#39;");
        assertThat(jdbc.sql("select contact_id from contact_list_member m join contact_list l on l.id = m.list_id"
                + " where l.name = 'Picked' order by contact_id").query(Long.class).list())
                .containsExactlyElementsOf(ticked.stream().sorted().toList());
        admin.post("/contacts/selection", Map.of("action", "add-tag", "value", "web-vip", "scope", "matching",
                "stage", "customer"));
        assertThat(jdbc.sql("select id from contact where 'web-vip' = any(tags) order by updated_at desc, id desc")
                .query(Long.class).list()).containsExactlyInAnyOrderElementsOf(customers);
        assertThat(idsShown(admin.get("/contacts?tag=WEB-VIP"))).hasSize(Math.min(50, customers.size()));

        // a push needs a connected account: without one it says so, and nothing runs
        long executions = jdbc.sql("select count(*) from batch_job_execution").query(Long.class).single();
        admin.post("/contacts/selection", Map.of("action", "push", "scope", "selected", "id", ticked.get(0).toString()));
        assertThat(admin.get("/contacts").body()).contains("No Constant Contact account is connected");
        assertThat(jdbc.sql("select count(*) from batch_job_execution").query(Long.class).single()).isEqualTo(executions);

        // deactivate: the contact stays, marked inactive, out of every list; reactivate brings it back, to its lists
        List<String> listsBefore = jdbc.sql("select l.name || ' ' || m.added_at from contact_list_member m"
                + " join contact_list l on l.id = m.list_id where m.contact_id = :id order by l.name")
                .param("id", ticked.get(0)).query(String.class).list();
        assertThat(listsBefore).as("the contact is on a list to leave").isNotEmpty();
        admin.post("/contacts/selection", Map.of("action", "deactivate", "scope", "selected", "id",
                ticked.get(0).toString()));
        assertThat(jdbc.sql("select active from contact where id = :id").param("id", ticked.get(0))
                .query(Boolean.class).single()).isFalse();
        assertThat(jdbc.sql("select count(*) from contact_list_member where contact_id = :id").param("id", ticked.get(0))
                .query(Long.class).single()).isZero();
        assertThat(idsShown(admin.get("/contacts?active=false"))).containsExactly(ticked.get(0));
        admin.post("/contacts/selection", Map.of("action", "reactivate", "scope", "matching", "active", "false"));
        assertThat(jdbc.sql("select count(*) from contact where not active").query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select l.name || ' ' || m.added_at from contact_list_member m"
                + " join contact_list l on l.id = m.list_id where m.contact_id = :id order by l.name")
                .param("id", ticked.get(0)).query(String.class).list()).isEqualTo(listsBefore);
        assertThat(jdbc.sql("select count(*) from contact_list_left").query(Long.class).single()).isZero();

        // export what is ticked: an export job of exactly those contacts
        long export = executionOf(admin.postForm("/contacts/selection", List.of(Map.entry("action", "export-csv"),
                Map.entry("scope", "selected"), Map.entry("id", ticked.get(0).toString()),
                Map.entry("id", ticked.get(1).toString()))));
        assertThat(awaitEnd(export)).isEqualTo("COMPLETED");
        Path file = Path.of(jdbc.sql("select path from job_report where job_execution_id = :e and kind = 'export'")
                .param("e", export).query(String.class).single());
        assertThat(Files.readAllLines(file).stream().skip(1).map(line -> Long.parseLong(
                line.replace("\uFEFF", "").split(",")[0])).sorted().toList())
                .containsExactlyElementsOf(ticked.stream().sorted().toList());

        // whatever page the admin opens next says it is ready, once; the exports page lists it with its file
        assertThat(admin.get("/reimports").body()).contains("id=\"export-ready-" + export + "\"")
                .containsPattern("Your export of\\s+<span>2</span> contacts is ready");
        assertThat(admin.get("/reimports").body()).doesNotContain("export-ready-");
        HttpResponse<String> exports = admin.get("/exports");
        assertThat(exports.body()).contains("id=\"export-" + export + "\"").contains(WebConsoleTest.ADMIN)
                .contains("IDs from a file").contains("id=\"download-" + export + "\"");
        long reportId = jdbc.sql("select id from job_report where job_execution_id = :e and kind = 'export'")
                .param("e", export).query(Long.class).single();
        assertThat(admin.getBytes("/reports/" + reportId).body()).isEqualTo(Files.readAllBytes(file));
    }

    @Test
    void oneContactIsAddedEditedDeactivatedAndReactivatedByTheUploadsRules() {
        assertThat(cli.run("upload", "sample-data/contacts.csv", "--list", "Newsletter", "--no-progress").exitCode())
                .isZero();
        long newsletter = jdbc.sql("select id from contact_list where name = 'Newsletter'").query(Long.class).single();
        String taken = jdbc.sql("select email from contact order by id limit 1").query(String.class).single();
        admin.get("/contacts/new");

        // the rules of an upload row: an email or a phone, a valid email, one no one else has
        HttpResponse<String> neither = admin.post("/contacts/new", Map.of("first_name", "Nobody"));
        assertThat(neither.statusCode()).isEqualTo(200);
        assertThat(neither.body()).contains("neither an email nor a phone number (MISSING_CONTACT)")
                .contains("value=\"Nobody\"");
        assertThat(admin.post("/contacts/new", Map.of("email", "pat@", "first_name", "Pat")).body())
                .contains("not a valid email").contains("(INVALID_EMAIL)");
        assertThat(admin.post("/contacts/new", Map.of("email", taken.toUpperCase())).body())
                .contains("(ALREADY_EXISTS)");
        long before = jdbc.sql("select count(*) from contact").query(Long.class).single();

        HttpResponse<String> added = admin.postForm("/contacts/new", List.of(Map.entry("email", "pat.lee@example.com"),
                Map.entry("first_name", "Pat"), Map.entry("postal_code", "02134"), Map.entry("phone", "(212) 555-0142"),
                Map.entry("lifecycle_stage", "lead"), Map.entry("tags", "vip; web"), Map.entry("consent", "confirmed"),
                Map.entry("list", Long.toString(newsletter))));

        assertThat(added.statusCode()).isEqualTo(302);
        long id = Long.parseLong(added.headers().firstValue("Location").orElseThrow().replaceAll(".*/contacts/", ""));
        assertThat(jdbc.sql("select count(*) from contact").query(Long.class).single()).isEqualTo(before + 1);
        Map<String, Object> pat = jdbc.sql("select first_name, postal_code, phone_e164, lifecycle_stage,"
                + " array_to_string(tags, '|') as tags, consent_state, consent_source, consent_by, consent_at is not null"
                + " as consent_at, version from contact where id = :id").param("id", id).query().singleRow();
        assertThat(pat).containsEntry("first_name", "Pat").containsEntry("postal_code", "02134")
                .containsEntry("phone_e164", "+12125550142").containsEntry("lifecycle_stage", "lead")
                .containsEntry("tags", "vip|web").containsEntry("consent_state", "confirmed")
                .containsEntry("consent_source", "entered by hand").containsEntry("consent_by", WebConsoleTest.ADMIN)
                .containsEntry("consent_at", true).containsEntry("version", 0);
        assertThat(jdbc.sql("select count(*) from contact_list_member where contact_id = :id and list_id = :l")
                .param("id", id).param("l", newsletter).query(Long.class).single()).isEqualTo(1);
        assertThat(admin.get("/contacts/" + id).body()).contains("Added contact " + id).contains("value=\"Pat\"")
                .contains("Newsletter");

        // an edit saves the form over the contact, bumps its version, keeps the consent unless asked
        HttpResponse<String> edited = admin.post("/contacts/" + id, Map.of("version", "0", "email", "pat.lee@example.com",
                "first_name", "Patricia", "lifecycle_stage", "customer", "consent", ""));
        assertThat(edited.statusCode()).isEqualTo(302);
        assertThat(jdbc.sql("select first_name || ' ' || lifecycle_stage || ' ' || coalesce(postal_code, '-') || ' '"
                + " || consent_state || ' ' || version from contact where id = :id").param("id", id)
                .query(String.class).single()).isEqualTo("Patricia customer - confirmed 1");
        // a form opened before that edit is refused, and so is someone else's email
        assertThat(admin.post("/contacts/" + id, Map.of("version", "0", "email", "pat.lee@example.com")).body())
                .contains("(CHANGED_SINCE)");
        assertThat(admin.post("/contacts/" + id, Map.of("version", "1", "email", taken)).body())
                .contains("(ALREADY_EXISTS)");

        admin.post("/contacts/" + id + "/deactivate", Map.of());
        assertThat(jdbc.sql("select active::text || ' ' || version from contact where id = :id").param("id", id)
                .query(String.class).single()).isEqualTo("false 2");
        assertThat(jdbc.sql("select count(*) from contact_list_member where contact_id = :id").param("id", id)
                .query(Long.class).single()).isZero();
        assertThat(admin.get("/contacts/" + id).body()).contains("id=\"reactivate\"").contains(">inactive<");
        admin.post("/contacts/" + id + "/reactivate", Map.of());
        assertThat(jdbc.sql("select active from contact where id = :id").param("id", id).query(Boolean.class).single())
                .isTrue();
        assertThat(admin.get("/contacts/424242424").statusCode()).isEqualTo(404);
    }

    private static final Pattern CONTACT_ROW = Pattern.compile("<tr id=\"contact-(\\d+)\"");

    private static List<Long> idsShown(HttpResponse<String> page) {
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        List<Long> ids = new java.util.ArrayList<>();
        Matcher row = CONTACT_ROW.matcher(page.body());
        while (row.find()) {
            ids.add(Long.parseLong(row.group(1)));
        }
        return ids;
    }

    private static String nextPage(HttpResponse<String> page) {
        Matcher next = Pattern.compile("<a href=\"(/contacts\\?[^\"]*)\" id=\"next-page\"").matcher(page.body());
        assertThat(next.find()).as(page.body()).isTrue();
        return next.group(1).replace("&amp;", "&");
    }

    /** Issue 10: the Constant Contact page's Disconnect button asks first, then forgets the tokens, keeps the history. */
    @Test
    void anAdminDisconnectsTheAccountAfterConfirmingAndTheSyncLogStays() {
        connectedWithSyncLog(jdbc);
        try {
            assertThat(admin.get("/constant-contact").body()).contains("id=\"disconnect\"");

            HttpResponse<String> question = admin.get("/constant-contact/disconnect");

            assertThat(question.statusCode()).isEqualTo(200);
            // (tokens this console has no key for: the account is named once they can be read)
            assertThat(question.body()).contains("Disconnect <span>the connected account</span>?",
                    "Scheduled syncs stop; history is kept", "id=\"disconnect-form\"", "name=\"_csrf\"");
            assertThat(jdbc.sql("select count(*) from cc_connection").query(Long.class).single())
                    .as("asking changes nothing").isEqualTo(1);

            HttpResponse<String> done = admin.post("/constant-contact/disconnect", Map.of());

            assertThat(done.statusCode()).isEqualTo(302);
            assertThat(jdbc.sql("select count(*) from cc_connection").query(Long.class).single()).isZero();
            assertThat(jdbc.sql("select disconnected_by || ' ' || account_id from cc_disconnection").query(String.class)
                    .single()).isEqualTo(WebConsoleTest.ADMIN + " (console) acct-1");
            assertThat(jdbc.sql("select count(*) from cc_sync_log").query(Long.class).single()).isEqualTo(1);
            String page = admin.get("/constant-contact").body();
            assertThat(page).contains("<span id=\"cc-state\">disconnected</span>", "disconnectedBy",
                    "Scheduled syncs stop until cc connect").doesNotContain("id=\"disconnect\"");
            // asked again (an old tab): the question is not put, the page says when it was disconnected
            assertThat(admin.get("/constant-contact/disconnect").statusCode()).isEqualTo(302);
            assertThat(admin.get("/constant-contact").body()).contains("Already disconnected on ", "by "
                    + WebConsoleTest.ADMIN + " (console)", "nothing to disconnect");
        }
        finally {
            forgetConstantContact(jdbc);
        }
    }

    /**
     * Issue 10: the sync log in two tables, what the pushes did in Constant Contact and what the pulls did here; each
     * count downloads its run's file. The runs' rows, counts and files are made by the push's and pull's own
     * {@link SyncLog} and {@link PushReports}, as their listener makes them at the end of a run.
     */
    @Test
    void aReviewerSeesTheSyncLogOfBothSidesAndEachCountDownloadsItsRunsRecords() {
        connectedWithSyncLog(jdbc);
        try {
            long ann = contact("ann@example.com", "Ann");
            long bob = contact("bob@example.com", "Bob");
            long cy = contact("cy@example.com", "Cy");
            jdbc.sql("""
                    insert into cc_push_item (run_id, contact_id, email, action, outcome, code, message) values
                        (11, :ann, 'ann@example.com', 'C', 'O', null, null), (11, :bob, 'bob@example.com', 'U', 'O', null, null),
                        (11, :cy, 'cy@example.com', 'S', null, 'NO_CONSENT', 'no consent to email')""")
                    .param("ann", ann).param("bob", bob).param("cy", cy).update();
            ranAndLogged(424243, 11, PushOptions.JOB_NAME);
            jdbc.sql("""
                    insert into cc_pull_item (run_id, cc_contact_id, contact_id, email, name, action, reason) values
                        (12, gen_random_uuid(), :bob, 'bob@example.com', 'Bob', 'U', 'edited in Constant Contact'),
                        (13, gen_random_uuid(), :ann, 'ann@example.com', 'Ann', 'U', 'edited in Constant Contact'),
                        (13, gen_random_uuid(), null, 'dee@example.com', 'Dee', 'C', 'created in Constant Contact'),
                        (13, gen_random_uuid(), :cy, 'cy@example.com', 'Cy', 'D', 'deleted in Constant Contact')""")
                    .param("ann", ann).param("bob", bob).param("cy", cy).update();
            jdbc.sql("""
                    insert into cc_pull_conflict (run_id, cc_contact_id, contact_id, email, field, value_here, value_there, won)
                    select 13, cc_contact_id, contact_id, email, 'job_title', 'Nurse', 'Matron', 'Constant Contact'
                    from cc_pull_item where run_id = 13 and email = 'ann@example.com'""").update();
            ranAndLogged(424244, 12, PullJobConfiguration.PULL_JOB);
            ranAndLogged(424245, 13, PullJobConfiguration.PULL_JOB);
            ConsoleClient reviewer = new ConsoleClient(port);
            reviewer.login(WebConsoleTest.REVIEWER, WebConsoleTest.REVIEWER_PASSWORD);

            HttpResponse<String> page = reviewer.get("/constant-contact");

            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<h3>In Constant Contact</h3>", "<h3>Here</h3>");
            String there = table(page.body(), "in-constant-contact");
            assertThat(there).contains("Unsubscribed there", "Skipped or failed");
            // newest first; the entry with no counts and no files is plain text
            assertThat(there.indexOf("/executions/424243")).isPositive().isLessThan(there.indexOf("/executions/424242"));
            assertThat(there).contains("<span id=\"in-constant-contact-424242-created\">–</span>",
                    "<span id=\"in-constant-contact-424243-unchanged\">0</span>");
            String created = reportLink(there, "in-constant-contact-424243-created", "1");
            reportLink(there, "in-constant-contact-424243-updated", "1");
            String skipped = reportLink(there, "in-constant-contact-424243-failed-rows", "1");
            String here = table(page.body(), "here");
            assertThat(here).contains("Deleted there (deactivated)", "Re-subscribed").doesNotContain("424243");
            assertThat(here.indexOf("/executions/424245")).isPositive().isLessThan(here.indexOf("/executions/424244"));
            assertThat(here).contains("<span id=\"here-424245-resubscribed\">0</span>",
                    "<span id=\"here-424244-created\">0</span>");
            reportLink(here, "here-424245-created", "1");
            reportLink(here, "here-424245-deleted", "1");
            String updated = reportLink(here, "here-424245-updated", "1");
            String conflicts = reportLink(here, "here-424245-conflicts", "1");
            assertThat(here).contains("Conflicts", "<span id=\"here-424244-conflicts\">0</span>");
            reportLink(here, "here-424244-updated", "1");

            assertThat(csv(reviewer, created)).containsExactly("id,email,first_name,last_name", ann + ",ann@example.com,Ann,");
            assertThat(csv(reviewer, skipped)).containsExactly("id,email,first_name,last_name,company,code,message",
                    cy + ",cy@example.com,Cy,,,NO_CONSENT,no consent to email");
            assertThat(csv(reviewer, updated)).containsExactly("name,email,id,cc_contact_id,reason",
                    "Ann,ann@example.com," + ann + "," + jdbc.sql("select cc_contact_id::text from cc_pull_item where run_id = 13 and email = 'ann@example.com'")
                            .query(String.class).single() + ",edited in Constant Contact");
            assertThat(csv(reviewer, conflicts)).containsExactly("email,field,value_here,value_there,won,id,cc_contact_id",
                    "ann@example.com,job_title,Nurse,Matron,Constant Contact," + ann + "," + jdbc.sql(
                            "select cc_contact_id::text from cc_pull_conflict where run_id = 13").query(String.class).single());
        }
        finally {
            forgetConstantContact(jdbc);
        }
    }

    private long contact(String email, String firstName) {
        return jdbc.sql("insert into contact (email, first_name) values (:email, :first) returning id")
                .param("email", email).param("first", firstName).query(Long.class).single();
    }

    /** What the sync log listener does at the end of a push or a pull: the counts in the log, one file a count. */
    private void ranAndLogged(long execution, long run, String job) {
        SyncLog log = context.getBean(SyncLog.class);
        PushReports reports = context.getBean(PushReports.class);
        boolean push = job.equals(PushOptions.JOB_NAME);
        Map<String, Long> counts = push ? log.pushCounts(run, false) : log.pullCounts(run);
        if (push) {
            reports.writePush(execution, run, false, temp.resolve(Long.toString(execution)));
        }
        else {
            reports.writePull(execution, run, temp.resolve(Long.toString(execution)));
        }
        jdbc.sql("""
                insert into cc_sync_log (job_execution_id, run_id, job, profile, started_at, ended_at, status, counts)
                values (:execution, :run, :job, 'two-way', now(), now(), 'COMPLETED', cast(:counts as jsonb))""")
                .param("execution", execution).param("run", run).param("job", job)
                .param("counts", JsonMapper.shared().writeValueAsString(counts)).update();
    }

    private static String table(String page, String id) {
        int start = page.indexOf("id=\"" + id + "\"");
        assertThat(start).as(page).isPositive();
        return page.substring(start, page.indexOf("</table>", start));
    }

    /** The report a count links to, asserting the count. */
    private static String reportLink(String table, String id, String count) {
        Matcher link = Pattern.compile("<a id=\"" + id + "\" href=\"(/reports/\\d+)\"[^>]*>" + count + "</a>")
                .matcher(table);
        assertThat(link.find()).as(id + " in " + table).isTrue();
        return link.group(1);
    }

    private static List<String> csv(ConsoleClient client, String path) {
        HttpResponse<String> download = client.get(path);
        assertThat(download.statusCode()).isEqualTo(200);
        return download.body().replace("\uFEFF", "").lines().toList();
    }

    /** A connection (tokens this console can't read: it has no token key) and one sync log entry. */
    static void connectedWithSyncLog(JdbcClient jdbc) {
        forgetConstantContact(jdbc);
        jdbc.sql("""
                insert into cc_connection (id, salt, access_token, refresh_token, access_expires_at, flow, account_id,
                    organization) values (1, '00', 'x', 'y', now() + interval '1 day', 'authorization_code', 'acct-1', 'Org')""")
                .update();
        jdbc.sql("""
                insert into cc_sync_log (job_execution_id, run_id, job, started_at, status)
                values (424242, 424242, 'ccPush', now(), 'COMPLETED')""").update();
    }

    static void forgetConstantContact(JdbcClient jdbc) {
        jdbc.sql("truncate cc_connection, cc_disconnection, cc_sync_log, cc_push_item, cc_pull_item, cc_pull_conflict").update();
    }

    @Test
    void theOtherPagesAnswer() {
        assertThat(admin.get("/executions?job=upload&status=FAILED&page=2").statusCode()).isEqualTo(200);
        assertThat(admin.get("/executions?job=nonsense&status=nonsense&page=-3").statusCode()).isEqualTo(200);
        assertThat(admin.get("/executions/424242").statusCode()).isEqualTo(404);
        HttpResponse<String> template = admin.get("/upload/template.csv");
        assertThat(template.statusCode()).isEqualTo(200);
        assertThat(template.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"contacts-template.csv\"");
        assertThat(template.body()).startsWith("\uFEFFEmail,Phone,First Name,").contains("ann.lee@example.com");
        HttpResponse<String> workbook = admin.get("/upload/template.xlsx");
        assertThat(workbook.statusCode()).isEqualTo(200);
        assertThat(workbook.body()).startsWith("PK");
        assertThat(admin.get("/upload").body()).contains("/upload/template.xlsx").contains("/upload/template.csv");
        assertThat(admin.get("/reimports/424242").statusCode()).isEqualTo(404);
        HttpResponse<String> profiles = admin.get("/profiles");
        assertThat(profiles.statusCode()).isEqualTo(200);
        // the saved profile of the checkout, jobs/nightly-sync.yml: its schedule, next run, and Run now for admins
        assertThat(profiles.body()).contains("nightly-sync").contains("0 30 2 * * *").contains("Active Members")
                .contains("Run nightly-sync now").containsPattern("\\d{4}-\\d\\d-\\d\\d 02:30 UTC");
        assertThat(admin.post("/profiles/no-such-profile/run", Map.of()).statusCode()).isEqualTo(404);
        HttpResponse<String> cc = admin.get("/constant-contact");
        assertThat(cc.statusCode()).isEqualTo(200);
        assertThat(cc.body()).contains("Constant Contact");
    }

    private long prepare() throws IOException {
        StringBuilder sheet = new StringBuilder("id,version,last_name\r\n");
        jdbc.sql("select id, version from contact order by id limit 2").query(rs -> {
            sheet.append(rs.getLong(1)).append(',').append(rs.getInt(2)).append(",Webster\r\n");
        });
        Path file = Files.writeString(temp.resolve("edited.csv"), sheet);
        Cli.Result prepared = cli.run("reimport", "prepare", file.toString(), "--tag", "console", "--json");
        assertThat(prepared.exitCode()).as(prepared.err()).isZero();
        return JsonMapper.shared().readTree(prepared.out()).get("importId").asLong();
    }

    private Path uploads() {
        return Path.of(context.getEnvironment().getProperty("contact-batch.web.uploads-dir")).toAbsolutePath().normalize();
    }

    private static String token(HttpResponse<String> preview) {
        Matcher token = TOKEN.matcher(preview.body());
        assertThat(token.find()).as(preview.body()).isTrue();
        return token.group(1);
    }

    private static long executionOf(HttpResponse<String> redirect) {
        assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(302);
        String location = redirect.headers().firstValue("Location").orElseThrow();
        Matcher id = EXECUTION.matcher(location);
        assertThat(id.find()).as(location).isTrue();
        return Long.parseLong(id.group(1));
    }

    /**
     * The final status of an execution started from the console, once its thread is done too: Spring
     * Batch records the status and end time before the afterJob listeners run (a failed upload writes
     * its reports there) and before the console lets the same job be started again.
     */
    /** The consent request's execution: the console starts it after the upload's ends, in the same thread. */
    private long awaitConsentRequest() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            java.util.Optional<Long> request = jdbc.sql("select max(e.job_execution_id) from batch_job_execution e "
                    + "join batch_job_instance i using (job_instance_id) where i.job_name = 'consentRequest'")
                    .query(Long.class).optional();
            if (request.isPresent()) {
                return request.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no consent request started in a minute");
    }

    private String awaitEnd(long execution) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String status = jdbc.sql("select status from batch_job_execution where job_execution_id = :e"
                    + " and end_time is not null").param("e", execution).query(String.class).optional().orElse(null);
            if (status != null && !BatchStatus.valueOf(status).isRunning() && consoleJobThreads.getActiveCount() == 0) {
                return status;
            }
            try {
                Thread.sleep(100);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("execution " + execution + " did not end, or its console thread finish, in a minute");
    }
}
