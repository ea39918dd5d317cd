package org.contactbatch.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

/** The console keeps what the command line leaves out: every singleton at start-up, metrics, Flyway's beans. */
@WebConsoleTest
class WebConsoleContextTests {

    @Autowired
    ConfigurableApplicationContext context;

    @Test
    void theConsoleCreatesItsBeansAtStartUp() {
        var beanFactory = context.getBeanFactory();
        assertThat(beanFactory.getBeanDefinition("connectionStatus").isLazyInit()).isFalse();
        assertThat(beanFactory.containsSingleton("connectionStatus")).isTrue();
        assertThat(beanFactory.containsSingleton("flywayInitializer")).isTrue();
        assertThat(beanFactory.containsBeanDefinition("contactBatchSchemaCheck")).isFalse();
        assertThat(context.getBeanNamesForType(MeterRegistry.class)).isNotEmpty();
    }
}
