package org.contactbatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.contactbatch.constantcontact.ConstantContactProperties;
import org.contactbatch.web.WebProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The environment variables as the README writes them bind to the settings they name. */
class EnvironmentVariableAliasesTests {

    private static Binder binderFor(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        // the test JVM's own -D settings (its data home) are not what this test is about
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        new EnvironmentVariableAliases().postProcessEnvironment(environment, null);
        ConfigurationPropertySources.attach(environment);
        return Binder.get(environment);
    }

    @Test
    void theReadmeFormBindsTheConstantContactSettings() {
        Binder binder = binderFor(Map.of(
                "CONTACT_BATCH_CONSTANTCONTACT_TOKENKEY", "the-key",
                "CONTACT_BATCH_CONSTANTCONTACT_APIBASEURL", "http://127.0.0.1:9090/v3",
                "CONTACT_BATCH_CONSTANTCONTACT_RATE_REQUESTSPERSECOND", "2"));

        ConstantContactProperties cc = binder.bind("contact-batch.constant-contact", ConstantContactProperties.class).get();

        assertThat(cc.tokenKey()).isEqualTo("the-key");
        assertThat(cc.apiBaseUrl().toString()).isEqualTo("http://127.0.0.1:9090/v3");
        assertThat(binder.bind("contact-batch.constant-contact.rate.requests-per-second", Integer.class).get()).isEqualTo(2);
    }

    @Test
    void listsBindByIndexAndTheHomeByItsName() {
        Binder binder = binderFor(Map.of(
                "CONTACT_BATCH_HOME", "/srv/contact-batch",
                "CONTACT_BATCH_WEB_PORT", "9090",
                "CONTACT_BATCH_WEB_USERS_0_NAME", "ann",
                "CONTACT_BATCH_WEB_USERS_0_PASSWORD", "{noop}secret",
                "CONTACT_BATCH_WEB_USERS_0_ROLE", "ADMIN"));

        assertThat(binder.bind("contact-batch.home", String.class).get()).isEqualTo("/srv/contact-batch");
        WebProperties web = binder.bind("contact-batch.web", WebProperties.class).get();
        assertThat(web.port()).isEqualTo(9090);
        assertThat(web.users()).singleElement().satisfies(user -> {
            assertThat(user.name()).isEqualTo("ann");
            assertThat(user.role()).isEqualTo(WebProperties.Role.ADMIN);
        });
    }

    @Test
    void springsOwnFormStillWinsOverTheAlias() {
        Map<String, Object> variables = new HashMap<>();
        variables.put("CONTACT_BATCH_CONSTANTCONTACT_TOKENKEY", "alias");
        variables.put("CONTACTBATCH_CONSTANTCONTACT_TOKENKEY", "spring");

        assertThat(binderFor(variables).bind("contact-batch.constant-contact.token-key", String.class).get()).isEqualTo("spring");
    }
}
