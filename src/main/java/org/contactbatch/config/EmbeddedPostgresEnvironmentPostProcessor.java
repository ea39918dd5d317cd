package org.contactbatch.config;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.contactbatch.db.DataHome;
import org.contactbatch.db.DatabaseUnavailableException;
import org.contactbatch.db.EmbeddedServer;
import org.contactbatch.launch.WarmSpare;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * The data home and the embedded default, before the context exists, so everything else (Hikari,
 * Flyway, Spring Batch, logging) stays plain Spring Boot auto-configuration.
 *
 * <ul>
 * <li>Finds the {@link DataHome} and makes it the default of every place the program writes to:
 *     reports, exports, the console's uploads, the consent emails' outbox, the log. Settings given for them
 *     still win.</li>
 * <li>When no {@code spring.datasource.url} is configured, uses the embedded PostgreSQL of that
 *     home — the one already running for another process, or one it starts — and points the
 *     datasource at it.</li>
 * </ul>
 */
public class EmbeddedPostgresEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** Set by the command line: what this process is, as {@code db status} lists the database's users. */
    public static final String PROCESS_NAME_PROPERTY = "contact-batch.process-name";

    private static volatile boolean noticeShown;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        DataHome home = DataHome.resolve(environment::getProperty);
        boolean warming = Boolean.getBoolean(WarmSpare.WARMING_PROPERTY);
        if (home.notice() != null && !noticeShown && !warming) {
            noticeShown = true;
            System.err.println(home.notice());
        }
        Map<String, Object> defaults = new HashMap<>();
        defaults.put(DataHome.PROPERTY, home.path().toString());
        defaults.put("contact-batch.reports-dir", home.reports().toString());
        defaults.put("contact-batch.exports-dir", home.exports().toString());
        defaults.put("contact-batch.web.uploads-dir", home.uploads().toString());
        defaults.put("contact-batch.consent.outbox-dir", home.outbox().toString());
        defaults.put("contact-batch.log-file", home.log().toString());
        environment.getPropertySources().addLast(new MapPropertySource("contactBatchHome", defaults));

        if (StringUtils.hasText(environment.getProperty("spring.datasource.url"))) {
            return;
        }
        if (warming && new EmbeddedServer(home).running().filter(EmbeddedServer.Running::ready).isEmpty()) {
            // a warm process does not start the database for a command that may never come
            throw new DatabaseUnavailableException("the embedded database is not running");
        }
        Duration idleStop = EmbeddedServer.idleStop(environment::getProperty);
        EmbeddedServer.Login login;
        try {
            login = new EmbeddedServer(home).use(idleStop);
        }
        catch (RuntimeException e) {
            // logging starts only after this: keep the details in the log file by hand
            appendToLog(environment.getProperty("contact-batch.log-file", home.log().toString()), e);
            throw e instanceof DatabaseUnavailableException ? e
                    : new DatabaseUnavailableException("cannot start the embedded database in " + home.database()
                            + ": " + e.getMessage(), e);
        }
        String name = "contact-batch " + ProcessHandle.current().pid() + " "
                + environment.getProperty(PROCESS_NAME_PROPERTY, "");
        // PostgreSQL keeps at most 63 bytes of the name
        String applicationName = URLEncoder.encode(name.length() > 60 ? name.substring(0, 60) : name.trim(),
                StandardCharsets.UTF_8).replace("+", "%20");
        environment.getPropertySources().addFirst(new MapPropertySource("embeddedPostgres", Map.of(
                "spring.datasource.url", login.url() + "?ApplicationName=" + applicationName,
                "spring.datasource.username", login.user(),
                "spring.datasource.password", login.password())));
    }

    private static void appendToLog(String logFile, Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        try {
            var file = java.nio.file.Path.of(logFile);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, Instant.now() + " ERROR the embedded database could not be used\n" + trace,
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public int getOrder() {
        // after application.yml and the environment have been read, so a configured URL wins
        return Ordered.LOWEST_PRECEDENCE;
    }
}
