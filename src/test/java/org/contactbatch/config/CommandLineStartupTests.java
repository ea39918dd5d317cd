package org.contactbatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.contactbatch.support.ContactBatchTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.env.MockEnvironment;

/** The command line's context: lazy, without the console's auto-configurations, Flyway only when needed. */
@ContactBatchTest
class CommandLineStartupTests {

    @Autowired
    ConfigurableApplicationContext context;

    @Test
    void beansAreCreatedWhenACommandAsksForThem() {
        var beanFactory = context.getBeanFactory();
        assertThat(beanFactory.getBeanDefinition("connectionStatus").isLazyInit()).isTrue();
        assertThat(beanFactory.getBeanDefinition("jobRunner").isLazyInit()).isTrue();
        // the Constant Contact client is not created for a command that does not use it
        assertThat(beanFactory.containsSingleton("constantContactWebClient")).isFalse();
    }

    @Test
    void theConsolesAutoConfigurationsAreLeftOut() {
        var report = ConditionEvaluationReport.get(context.getBeanFactory());
        assertThat(report.getConditionAndOutcomesBySource().entrySet().stream()
                .filter(source -> source.getValue().isFullMatch()).map(java.util.Map.Entry::getKey))
                .isNotEmpty()
                .noneMatch(source -> source.startsWith("org.springframework.boot.actuate.")
                        || source.startsWith("org.springframework.boot.micrometer.")
                        || source.startsWith("org.springframework.boot.security.")
                        || source.startsWith("org.springframework.boot.thymeleaf."));
        assertThat(context.getBeanNamesForType(io.micrometer.core.instrument.MeterRegistry.class)).isEmpty();
    }

    @Test
    void databaseUsersWaitForTheSchemaCheckInsteadOfFlyway() {
        var beanFactory = context.getBeanFactory();
        assertThat(beanFactory.containsBeanDefinition(CurrentSchemaShortcut.BEAN_NAME)).isTrue();
        for (String user : new String[] {"jdbcTemplate", "jdbcClient", "jobRepository"}) {
            assertThat(beanFactory.getBeanDefinition(user).getDependsOn()).as(user)
                    .contains(CurrentSchemaShortcut.BEAN_NAME)
                    .doesNotContain("flyway", "flywayInitializer");
        }
    }

    @Test
    void theConstantContactClientCanBeCreated() {
        // its WebClient builder, without the observations the command line leaves out
        assertThat(context.getBean("constantContactWebClient")).isNotNull();
    }

    @Test
    void theFilterKeepsWhatTheCommandsUse() {
        var filter = new CommandLineAutoConfigurationFilter();
        filter.setEnvironment(new MockEnvironment().withProperty("spring.main.web-application-type", "none"));
        String[] candidates = {
                "org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration",
                "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
                "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration",
                "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
                "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
                "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration",
                "org.springframework.boot.netty.autoconfigure.NettyAutoConfiguration",
                null,
                "org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration"};
        assertThat(filter.match(candidates, null))
                .containsExactly(true, true, true, true, false, false, false, true, false);

        filter.setEnvironment(new MockEnvironment().withProperty("spring.main.web-application-type", "none")
                .withProperty("spring.netty.leak-detection", "paranoid"));
        assertThat(filter.match(new String[] {candidates[6]}, null)).containsExactly(true);

        filter.setEnvironment(new MockEnvironment().withProperty("spring.main.web-application-type", "servlet"));
        boolean[] all = filter.match(candidates, null);
        assertThat(Arrays.toString(all)).doesNotContain("false");
    }
}
