package org.contactbatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import org.contactbatch.constantcontact.CcTestSupport;
import org.contactbatch.support.JarProcess;
import org.contactbatch.web.ConsoleClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's settings, in the very form it writes them, given to the real jar as environment
 * variables: each must take effect. The jar shares this test's embedded database (same data home).
 */
class EnvironmentSettingsIT extends CcTestSupport {

    @Autowired
    Environment environment;

    @TempDir
    Path temp;

    /** This test's database, the embedded one or the one SPRING_DATASOURCE_URL names, for the jar too. */
    private Map<String, String> sameDatabase() {
        return JarProcess.sameDatabase(environment);
    }

    /** The fake account's settings as environment variables, written as the README writes them. */
    private Map<String, String> constantContactVariables(String tokenKey) {
        Map<String, String> variables = sameDatabase();
        variables.put("CONTACT_BATCH_CONSTANTCONTACT_TOKENKEY", tokenKey);
        variables.put("CONTACT_BATCH_CONSTANTCONTACT_APIBASEURL", FAKE.baseUrl() + "/v3");
        variables.put("CONTACT_BATCH_CONSTANTCONTACT_TOKENURI", FAKE.baseUrl() + "/oauth2/default/v1/token");
        variables.put("CONTACT_BATCH_CONSTANTCONTACT_CLIENTID", FAKE.springProperties().get("contact-batch.constant-contact.client-id"));
        variables.put("CONTACT_BATCH_CONSTANTCONTACT_CLIENTSECRET", FAKE.springProperties().get("contact-batch.constant-contact.client-secret"));
        variables.put("CONTACT_BATCH_CONSTANTCONTACT_RATE_REQUESTSPERSECOND", Integer.toString(RATE));
        return variables;
    }

    @Test
    void theTokenKeyAndTheApiAddressComeFromTheEnvironment() throws Exception {
        connect();
        FAKE.clearRecorded();

        JarProcess.Result status = new JarProcess(temp).env(constantContactVariables(TOKEN_KEY)).run("cc", "status", "--check", "--json");

        assertThat(status.exitCode()).as(status.out() + status.err()).isZero();
        JsonNode report = JsonMapper.shared().readTree(status.out());
        assertThat(report.get("healthy").asBoolean()).isTrue();
        assertThat(FAKE.apiRequests()).as("the check went to the API address from the environment").isNotEmpty();

        // and it is really that variable that counts: another key cannot read the stored tokens
        JarProcess.Result otherKey = new JarProcess(temp).env(constantContactVariables("another-key-0123456789abcdef"))
                .run("cc", "status", "--check", "--json");
        assertThat(otherKey.exitCode()).isNotZero();
        assertThat(otherKey.out() + otherKey.err()).contains("cc connect");
    }

    @Test
    void connectingAnotherAccountThroughTheJarResetsTheFirstAccountsSyncState() throws Exception {
        connect();
        jdbc.sql("""
                insert into contact (email, first_name, consent_state, cc_contact_id, cc_hash)
                values ('synced@example.org', 'Sy', 'confirmed', gen_random_uuid(), 'abc')""").update();
        jdbc.sql("insert into cc_list (name, cc_list_id) values ('Active Members', gen_random_uuid())").update();
        String second = FAKE.anotherAccount();
        Map<String, String> variables = constantContactVariables(TOKEN_KEY);
        variables.put("CONTACT_BATCH_CONSTANTCONTACT_DEVICEAUTHORIZATIONURI", FAKE.baseUrl() + "/oauth2/default/v1/device/authorize");

        // the command line as people run it: the jar, its context prepared at build time
        JarProcess.Running connecting = new JarProcess(temp).env(variables).start("cc", "connect", "--device");
        connecting.awaitOutput("Waiting for the approval", Duration.ofMinutes(2));
        java.util.regex.Matcher code = java.util.regex.Pattern.compile("enter the code: (\\d{4}-\\d{4})").matcher(connecting.out());
        assertThat(code.find()).as(connecting.out()).isTrue();
        FAKE.approveDevice(code.group(1), true);

        assertThat(connecting.await(Duration.ofMinutes(1))).as(connecting.out() + connecting.err()).isZero();
        assertThat(connecting.out()).contains("to the account " + second)
                .contains("This is another Constant Contact account (" + second + ")");
        assertThat(jdbc.sql("select count(*) from contact where cc_contact_id is not null or cc_hash is not null")
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from cc_list").query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select value from cc_sync_state where key = 'account_id'").query(String.class).single())
                .isEqualTo(second);
    }

    @Test
    void theConsolePortAndUsersComeFromTheEnvironment() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path jobs = Files.createDirectories(temp.resolve("no-profiles"));
        JarProcess.Running serve = new JarProcess(temp)
                .env(sameDatabase())
                .env("CONTACT_BATCH_WEB_PORT", Integer.toString(port))
                .env("CONTACT_BATCH_WEB_USERS_0_NAME", "erin")
                .env("CONTACT_BATCH_WEB_USERS_0_PASSWORD", "{noop}her-secret")
                .env("CONTACT_BATCH_WEB_USERS_0_ROLE", "REVIEWER")
                .start("serve", "--jobs-dir", jobs.toString());
        try {
            serve.awaitOutput("Web console on http://localhost:" + port + "/", Duration.ofMinutes(3));
            ConsoleClient console = new ConsoleClient(port);
            assertThat(console.login("erin", "wrong").headers().firstValue("Location")).hasValueSatisfying(
                    location -> assertThat(location).contains("error"));
            assertThat(console.login("erin", "her-secret").headers().firstValue("Location")).hasValueSatisfying(
                    location -> assertThat(location).doesNotContain("error"));
            assertThat(console.get("/executions").statusCode()).isEqualTo(200);
        }
        finally {
            serve.kill();
        }
    }

    @Test
    void theDatasourceComesFromTheEnvironment() throws Exception {
        jdbc.sql("drop database if exists env_settings").update();
        jdbc.sql("create database env_settings").update();
        String url = environment.getProperty("spring.datasource.url").replaceFirst("/postgres(\\?.*)?$", "/env_settings");

        JarProcess.Result upload = new JarProcess(temp)
                .env("SPRING_DATASOURCE_URL", url)
                .env("SPRING_DATASOURCE_USERNAME", environment.getProperty("spring.datasource.username"))
                .env("SPRING_DATASOURCE_PASSWORD", environment.getProperty("spring.datasource.password"))
                .env("CONTACT_BATCH_HOME", temp.resolve("home").toString())
                .run("upload", Path.of("sample-data/contacts.csv").toAbsolutePath().toString(), "--json", "--no-progress");

        assertThat(upload.exitCode()).as(upload.err()).isZero();
        try (Connection connection = DriverManager.getConnection(url, environment.getProperty("spring.datasource.username"),
                environment.getProperty("spring.datasource.password"));
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select count(*) from contact")) {
            rows.next();
            assertThat(rows.getLong(1)).as("the contacts are in the database SPRING_DATASOURCE_URL names").isEqualTo(1000);
        }
        assertThat(jdbc.sql("select count(*) from contact").query(Long.class).single()).isZero();
        assertThat(Files.exists(temp.resolve("home").resolve("pg"))).as("no embedded database was started").isFalse();
    }
}
