package org.contactbatch.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.contactbatch.ContactBatchApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;

/** One application: the command line (no server, no users, no console beans) or, through {@link WebConsole}, the console. */
class WebConsoleStartTests {

    @Test
    void theCommandLineStartsNoServerAndNoSecurity() {
        try (ConfigurableApplicationContext cli = new SpringApplicationBuilder(ContactBatchApplication.class).run()) {
            assertThat(cli).isNotInstanceOf(WebServerApplicationContext.class);
            assertThat(cli.getBeansOfType(SecurityFilterChain.class)).isEmpty();
            // no user, so Spring Boot prints no generated password either
            assertThat(cli.getBeansOfType(UserDetailsService.class)).isEmpty();
            assertThat(cli.getBeansOfType(ConsoleJobs.class)).isEmpty();
            assertThat(cli.getBeansOfType(ExecutionsController.class)).isEmpty();
        }
    }

    @Test
    void webConsoleStartsTheAppAsAServletWebAppOnTheConsolePort() {
        try (ConfigurableApplicationContext console = WebConsole.start(ContactBatchApplication.class, 0,
                "--contact-batch.web.users[0].name=ann", "--contact-batch.web.users[0].password={noop}secret",
                "--contact-batch.web.users[0].role=ADMIN")) {
            assertThat(console).isInstanceOf(WebServerApplicationContext.class);
            int port = ((WebServerApplicationContext) console).getWebServer().getPort();
            assertThat(port).isPositive();
            ConsoleClient client = new ConsoleClient(port);
            assertThat(client.get("/actuator/health").body()).contains("UP");
            assertThat(client.login("ann", "secret").headers().firstValue("Location"))
                    .hasValueSatisfying(l -> assertThat(l).endsWith("/executions"));
            assertThat(client.get("/executions").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aConsoleWithoutUsersRefusesToStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebConsole.start(ContactBatchApplication.class, 0)
                .close()).hasStackTraceContaining("The web console has no users: configure contact-batch.web.users");
    }

    @Test
    void aPasswordWithoutItsEncodingIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebConsole.start(ContactBatchApplication.class, 0,
                "--contact-batch.web.users[0].name=ann", "--contact-batch.web.users[0].password=plain",
                "--contact-batch.web.users[0].role=ADMIN").close())
                .hasStackTraceContaining("must start with {bcrypt} or {noop}");
    }
}
