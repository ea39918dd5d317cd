package org.contactbatch.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.contactbatch.support.Cli;
import org.contactbatch.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Who may do what in the console, over real HTTP: logins, roles, CSRF, and downloads by report id only. */
@WebConsoleTest
class WebSecurityTests {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    long executionId;
    long failedRowsId;
    Path failedRows;

    @BeforeEach
    void anUploadWithRejectedRows() {
        TestDatabase.clean(jdbc);
        Cli.Result upload = new Cli(context).run("upload", "sample-data/contacts-with-errors.csv", "--json", "--again");
        assertThat(upload.exitCode()).as(upload.err()).isZero();
        JsonNode summary = JsonMapper.shared().readTree(upload.out());
        executionId = summary.get("executionId").asLong();
        failedRows = Path.of(summary.get("reports").get("failed-rows").asString());
        failedRowsId = jdbc.sql("select id from job_report where job_execution_id = :e and kind = 'failed-rows'")
                .param("e", executionId).query(Long.class).single();
    }

    @Test
    void everyPageNeedsALogin() {
        ConsoleClient anonymous = new ConsoleClient(port);
        for (String page : List.of("/", "/executions", "/executions/" + executionId, "/reports/" + failedRowsId,
                "/reimports", "/upload", "/profiles", "/constant-contact", "/actuator/metrics")) {
            HttpResponse<String> response = anonymous.get(page);
            assertThat(response.statusCode()).as(page).isEqualTo(302);
            assertThat(response.headers().firstValue("Location")).as(page).hasValueSatisfying(
                    location -> assertThat(location).endsWith("/login"));
        }
        assertThat(anonymous.get("/login").statusCode()).isEqualTo(200);
    }

    @Test
    void aWrongPasswordGetsNoSession() {
        ConsoleClient client = new ConsoleClient(port);

        HttpResponse<String> login = client.login(WebConsoleTest.ADMIN, "not-the-password");

        assertThat(login.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login?error"));
        assertThat(client.get("/executions").statusCode()).isEqualTo(302);
    }

    @Test
    void aReviewerReadsAndDownloadsButCannotChangeAnything() throws IOException {
        ConsoleClient reviewer = new ConsoleClient(port);
        assertThat(reviewer.login(WebConsoleTest.REVIEWER, WebConsoleTest.REVIEWER_PASSWORD).headers()
                .firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/executions"));

        HttpResponse<String> list = reviewer.get("/executions");
        assertThat(list.statusCode()).isEqualTo(200);
        // the failed rows are one click from the first page
        assertThat(list.body()).contains("href=\"/reports/" + failedRowsId + "\"");
        HttpResponse<byte[]> download = reviewer.getBytes("/reports/" + failedRowsId);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(Files.readAllBytes(failedRows));
        assertThat(download.headers().firstValue("Content-Disposition"))
                .hasValueSatisfying(d -> assertThat(d).contains("attachment").contains("failed-rows.csv"));

        HttpResponse<String> page = reviewer.get("/executions/" + executionId);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("failed-rows").doesNotContain("/restart").doesNotContain("/stop");
        assertThat(reviewer.get("/upload").statusCode()).isEqualTo(403);
        HttpResponse<String> contacts = reviewer.get("/contacts");
        assertThat(contacts.statusCode()).isEqualTo(200);
        assertThat(contacts.body()).contains("id=\"contacts\"").doesNotContain("selection-form")
                .doesNotContain("class=\"tick\"");

        long executions = executions();
        for (String change : List.of("/executions/" + executionId + "/restart", "/executions/" + executionId + "/stop",
                "/reimports/1/start", "/reimports/1/revert", "/upload/run", "/upload", "/upload/" + executionId + "/apply", "/reimports/prepare",
                "/contacts/selection", "/contacts/new", "/contacts/1", "/contacts/1/deactivate",
                "/profiles/nightly-sync/run")) {
            HttpResponse<String> refused = reviewer.post(change, Map.of("token", "x"));
            assertThat(refused.statusCode()).as(change).isEqualTo(403);
        }
        assertThat(executions()).as("nothing was started").isEqualTo(executions);
    }

    @Test
    void aReviewerSeesNoDisconnectButtonAndCannotDisconnect() {
        WebConsoleFunctionalTests.connectedWithSyncLog(jdbc);
        try {
            ConsoleClient reviewer = new ConsoleClient(port);
            reviewer.login(WebConsoleTest.REVIEWER, WebConsoleTest.REVIEWER_PASSWORD);
            HttpResponse<String> page = reviewer.get("/constant-contact");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("cc-state").doesNotContain("/constant-contact/disconnect");

            assertThat(reviewer.get("/constant-contact/disconnect").statusCode()).isEqualTo(403);
            assertThat(reviewer.post("/constant-contact/disconnect", Map.of()).statusCode()).isEqualTo(403);

            assertStillConnected();
        }
        finally {
            WebConsoleFunctionalTests.forgetConstantContact(jdbc);
        }
    }

    @Test
    void anAdminsDisconnectNeedsTheCsrfTokenOfTheSession() {
        WebConsoleFunctionalTests.connectedWithSyncLog(jdbc);
        try {
            ConsoleClient admin = new ConsoleClient(port);
            admin.login(WebConsoleTest.ADMIN, WebConsoleTest.ADMIN_PASSWORD);
            assertThat(admin.get("/constant-contact/disconnect").statusCode()).as("the question only").isEqualTo(200);

            assertThat(admin.postRaw("/constant-contact/disconnect", Map.of()).statusCode()).isEqualTo(403);
            assertThat(admin.postRaw("/constant-contact/disconnect", Map.of("_csrf", "forged")).statusCode())
                    .isEqualTo(403);

            assertStillConnected();
        }
        finally {
            WebConsoleFunctionalTests.forgetConstantContact(jdbc);
        }
    }

    private void assertStillConnected() {
        assertThat(jdbc.sql("select count(*) from cc_connection").query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from cc_disconnection").query(Long.class).single()).isZero();
    }

    @Test
    void everyChangeNeedsTheCsrfTokenOfTheSession() {
        jdbc.sql("update batch_job_execution set status = 'FAILED' where job_execution_id = :e")
                .param("e", executionId).update();
        ConsoleClient admin = new ConsoleClient(port);
        admin.login(WebConsoleTest.ADMIN, WebConsoleTest.ADMIN_PASSWORD);
        admin.get("/executions/" + executionId);
        long executions = executions();

        assertThat(admin.postRaw("/executions/" + executionId + "/restart", Map.of()).statusCode()).isEqualTo(403);
        assertThat(admin.postRaw("/executions/" + executionId + "/restart", Map.of("_csrf", "forged")).statusCode())
                .isEqualTo(403);
        ConsoleClient other = new ConsoleClient(port);
        other.login(WebConsoleTest.REVIEWER, WebConsoleTest.REVIEWER_PASSWORD);
        other.get("/executions");
        assertThat(executions()).as("nothing was started").isEqualTo(executions);
    }

    @Test
    void aDownloadIsServedOnlyForAReportIdTheDatabaseKnows() throws IOException {
        ConsoleClient reviewer = new ConsoleClient(port);
        reviewer.login(WebConsoleTest.REVIEWER, WebConsoleTest.REVIEWER_PASSWORD);
        String failedRowsPath = failedRows.toAbsolutePath().toString();

        for (String forged : List.of("/reports/999999", "/reports/0", "/reports/-1", "/reports/abc",
                "/reports/" + failedRowsId + "0", "/reports/1e3", "/reports/%20" + failedRowsId,
                "/reports/" + failedRowsId + "%2F..%2F..%2Fpom.xml", "/reports/..%2F..%2Fpom.xml",
                "/reports/%2Fetc%2Fpasswd", "/reports/" + failedRowsId + ";jsessionid=x",
                "/reports/" + failedRowsId + "/..;/..;/pom.xml", "/reports?path=" + failedRowsPath,
                "/reports/download?path=/etc/passwd", "/reports/" + failedRowsId + "?path=/etc/passwd&x=1/../")) {
            HttpResponse<byte[]> response = reviewer.getBytes(forged);
            if (forged.contains("?path=/etc/passwd&")) {
                // extra parameters change nothing: the id alone says which report
                assertThat(response.statusCode()).as(forged).isEqualTo(200);
                assertThat(response.body()).isEqualTo(Files.readAllBytes(failedRows));
                continue;
            }
            assertThat(response.statusCode()).as(forged).isEqualTo(404);
            String body = new String(response.body(), StandardCharsets.UTF_8);
            assertThat(body).as(forged).doesNotContain("root:").doesNotContain("<project")
                    .doesNotContain("INVALID_EMAIL").doesNotContain("Exception");
        }

        // paths a browser would never send (it resolves the dots first): raw on the socket
        assertThat(raw("/reports/" + failedRowsId + "/../../pom.xml", reviewer)).startsWith("HTTP/1.1 404")
                .doesNotContain("<project");
        // climbing above the root is refused by Tomcat itself, before any application code: a 400, no content
        assertThat(raw("/reports/" + failedRowsId + "/../../../../etc/passwd", reviewer)).startsWith("HTTP/1.1 400")
                .doesNotContain("root:");

        // a report whose file is gone from disk
        Files.delete(failedRows);
        assertThat(reviewer.getBytes("/reports/" + failedRowsId).statusCode()).isEqualTo(404);
    }

    @Test
    void healthShowsTheDatabaseAndMetricsCountTheJobs() {
        ConsoleClient anonymous = new ConsoleClient(port);
        HttpResponse<String> health = anonymous.get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").doesNotContain("components");

        ConsoleClient reviewer = new ConsoleClient(port);
        reviewer.login(WebConsoleTest.REVIEWER, WebConsoleTest.REVIEWER_PASSWORD);
        assertThat(reviewer.get("/actuator/health").body()).contains("\"db\"").contains("PostgreSQL");
        HttpResponse<String> skips = reviewer.get("/actuator/metrics/contactbatch.job.skips?tag=job:upload");
        assertThat(skips.statusCode()).isEqualTo(200);
        assertThat(JsonMapper.shared().readTree(skips.body()).get("measurements").get(0).get("value").asDouble())
                .isGreaterThanOrEqualTo(13);
        HttpResponse<String> rate = reviewer.get("/actuator/metrics/contactbatch.job.throughput?tag=job:upload");
        assertThat(rate.statusCode()).isEqualTo(200);
        assertThat(reviewer.get("/actuator/metrics/contactbatch.step.throughput?tag=job:upload&tag=step:uploadStage")
                .statusCode()).isEqualTo(200);
        // Spring Batch's own timers: per job and step, not per item (that costs seconds a million rows)
        assertThat(reviewer.get("/actuator/metrics/spring.batch.step").statusCode())
                .isEqualTo(200);
        assertThat(reviewer.get("/actuator/metrics/spring.batch.item.read").statusCode()).isEqualTo(404);
    }

    private long executions() {
        return jdbc.sql("select count(*) from batch_job_execution").query(Long.class).single();
    }

    /** Sends the path as it is, in the client's session, without the normalising a client does; the whole answer. */
    private String raw(String path, ConsoleClient client) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nCookie: "
                    + client.cookieHeader() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
