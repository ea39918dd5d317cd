package org.contactbatch.cli;

import java.util.Map;

import org.contactbatch.config.ContactBatchProperties;
import org.contactbatch.constantcontact.ConstantContactProperties;
import org.contactbatch.web.WebProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A setting the application can't use is one line naming it as it is written, from Spring Boot's own binder. */
class StartupFailureTests {

    @Test
    void aSettingOutOfRangeIsNamedWithItsValue() {
        assertThat(failureOf(ContactBatchProperties.class, "contact-batch", Map.of("contact-batch.chunk-size", "0")))
                .isEqualTo("the setting contact-batch.chunk-size is not valid: must be at least 1 (it is 0) (details in /logs/x.log)");
    }

    @Test
    void aNestedSettingIsNamedWithItsWholePath() {
        assertThat(failureOf(ConstantContactProperties.class, "contact-batch.constant-contact",
                Map.of("contact-batch.constant-contact.import-limits.max-contacts", "50000")))
                .isEqualTo("the setting contact-batch.constant-contact.import-limits.max-contacts is not valid: "
                        + "must be between 1 and 40000 (it is 50000) (details in /logs/x.log)");
        assertThat(failureOf(ConstantContactProperties.class, "contact-batch.constant-contact",
                Map.of("contact-batch.constant-contact.scopes", " ")))
                .startsWith("the setting contact-batch.constant-contact.scopes is not valid: must not be empty");
    }

    @Test
    void aUserOfTheConsoleIsNamedByPositionAndThePasswordIsNeverPrinted() {
        String failure = failureOf(WebProperties.class, "contact-batch.web", Map.of(
                "contact-batch.web.users[0].name", "ann", "contact-batch.web.users[0].password", "{bcrypt}x",
                "contact-batch.web.users[0].role", "ADMIN",
                "contact-batch.web.users[1].name", "bob", "contact-batch.web.users[1].password", "plain-secret",
                "contact-batch.web.users[1].role", "REVIEWER"));
        assertThat(failure).startsWith("the setting contact-batch.web.users[1].password is not valid: "
                + "must start with {bcrypt} or {noop}").doesNotContain("plain-secret");
    }

    @Test
    void defaultsAreValid() {
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of()));
        assertThat(binder.bindOrCreate("contact-batch", ContactBatchProperties.class).chunkSize()).isEqualTo(5000);
        assertThat(binder.bindOrCreate("contact-batch.constant-contact", ConstantContactProperties.class)
                .importLimits().maxContacts()).isEqualTo(40_000);
        assertThat(binder.bindOrCreate("contact-batch.web", WebProperties.class).users()).isEmpty();
    }

    private static String failureOf(Class<?> type, String prefix, Map<String, String> settings) {
        Throwable thrown = catchThrowable(
                () -> new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate(prefix, type));
        assertThat(thrown).as("binding %s", settings).isNotNull();
        return StartupFailure.of(thrown, name -> name.equals("contact-batch.log-file") ? "/logs/x.log" : null).getMessage();
    }
}
