package org.contactbatch.config;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Environment variables as people write them: {@code CONTACT_BATCH_CONSTANTCONTACT_TOKENKEY} for
 * {@code contact-batch.constant-contact.token-key}. Spring's own rule drops the dash of the prefix
 * ({@code CONTACTBATCH_…}), which nobody guesses; both forms work, the one with the underscore being
 * what the README and every message write.
 *
 * <p>The variables are offered a second time, renamed, in a property source whose name ends in
 * {@code -systemEnvironment}: Spring Boot reads such a source with the environment's naming rules
 * (underscores for dots, no dashes, {@code _0_} for list indexes). It sits right after the real
 * environment, so a variable in Spring's own form wins over its alias.
 */
public class EnvironmentVariableAliases implements EnvironmentPostProcessor, Ordered {

    static final String PREFIX = "CONTACT_BATCH_";
    static final String SOURCE = "contactBatchAliases-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        PropertySource<?> variables = environment.getPropertySources().get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        if (!(variables instanceof MapPropertySource map)) {
            return;
        }
        Map<String, Object> aliases = aliases(map.getSource());
        if (aliases.isEmpty()) {
            return;
        }
        environment.getPropertySources().addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(SOURCE, aliases));
    }

    /** {@code CONTACT_BATCH_X} as {@code CONTACTBATCH_X}, Spring's name for the {@code contact-batch.} prefix. */
    static Map<String, Object> aliases(Map<String, Object> variables) {
        Map<String, Object> aliases = new LinkedHashMap<>();
        variables.forEach((name, value) -> {
            if (name.startsWith(PREFIX) && name.length() > PREFIX.length()) {
                aliases.put("CONTACTBATCH_" + name.substring(PREFIX.length()), value);
            }
        });
        return aliases;
    }

    @Override
    public int getOrder() {
        // early: the embedded database and logging read contact-batch.* settings (the home, the log file)
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}
