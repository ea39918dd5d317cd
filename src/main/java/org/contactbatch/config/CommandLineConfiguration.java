package org.contactbatch.config;

import org.springframework.aop.scope.ScopedProxyFactoryBean;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication;
import java.util.Locale;

import org.springframework.context.MessageSource;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.context.NoSuchMessageException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.AbstractApplicationContext;

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

    /**
     * The step-scoped beans' proxies tell their type without being created. Spring would otherwise
     * create every proxy (a CGLIB class each, about twenty) at start-up just to learn its type, when
     * it looks for {@code @EventListener} methods: a lazy context's only use of them.
     */
    @Bean
    static BeanFactoryPostProcessor commandLineScopedProxyTypes() {
        return beanFactory -> {
            for (String name : beanFactory.getBeanDefinitionNames()) {
                BeanDefinition definition = beanFactory.getBeanDefinition(name);
                if (!ScopedProxyFactoryBean.class.getName().equals(definition.getBeanClassName())
                        || definition.hasAttribute(FactoryBean.OBJECT_TYPE_ATTRIBUTE)) {
                    continue;
                }
                String target = ScopedProxyUtils.getTargetBeanName(name);
                if (beanFactory.containsBeanDefinition(target)) {
                    Class<?> type = beanFactory.getType(target, false);
                    if (type != null) {
                        definition.setAttribute(FactoryBean.OBJECT_TYPE_ATTRIBUTE, type);
                    }
                }
            }
        };
    }

    /**
     * The command line prints no localised messages. The message source a context gets by default reads
     * the list of every locale the JVM knows when it is created, a tenth of a second of every command's
     * start; this one has no messages and says so.
     */
    @Bean(AbstractApplicationContext.MESSAGE_SOURCE_BEAN_NAME)
    static MessageSource commandLineMessageSource() {
        return new NoMessages();
    }

    static final class NoMessages implements MessageSource {

        @Override
        public String getMessage(String code, Object[] args, String defaultMessage, Locale locale) {
            return defaultMessage;
        }

        @Override
        public String getMessage(String code, Object[] args, Locale locale) {
            throw new NoSuchMessageException(code, locale);
        }

        @Override
        public String getMessage(MessageSourceResolvable resolvable, Locale locale) {
            if (resolvable.getDefaultMessage() != null) {
                return resolvable.getDefaultMessage();
            }
            String[] codes = resolvable.getCodes();
            throw new NoSuchMessageException(codes != null && codes.length > 0 ? codes[codes.length - 1] : "", locale);
        }
    }

    /** Flyway only when the schema lacks a migration of this build: see {@link CurrentSchemaShortcut}. */
    @Bean
    @ConditionalOnBooleanProperty(name = "spring.main.lazy-initialization", matchIfMissing = true)
    static CurrentSchemaShortcut commandLineSchemaShortcut() {
        return new CurrentSchemaShortcut();
    }
}
