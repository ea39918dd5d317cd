package org.contactbatch.config;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The command line starts its context for one command and closes it at the end, so it creates the
 * beans that command asks for and no others: lazy initialisation. Without it every command paid
 * for every feature's beans (about 400): the Constant Contact client with its Netty connector and
 * Jackson codecs, every job with its steps and workers, though {@code jobs list} needs a
 * {@code JdbcClient} and nothing else.
 *
 * <p>Only without a web application: the console ({@code serve}) creates every singleton at
 * start-up, so a mistake in its configuration shows when it starts, not at the first request.
 * {@code -Dspring.main.lazy-initialization=false} turns it off on the command line too.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnNotWebApplication
public class CommandLineConfiguration {

    @Bean
    @ConditionalOnBooleanProperty(name = "spring.main.lazy-initialization", matchIfMissing = true)
    static LazyInitializationBeanFactoryPostProcessor commandLineLazyInitialization() {
        return new LazyInitializationBeanFactoryPostProcessor();
    }

    /** Flyway only when the schema lacks a migration of this build: see {@link CurrentSchemaShortcut}. */
    @Bean
    @ConditionalOnBooleanProperty(name = "spring.main.lazy-initialization", matchIfMissing = true)
    static CurrentSchemaShortcut commandLineSchemaShortcut() {
        return new CurrentSchemaShortcut();
    }
}
