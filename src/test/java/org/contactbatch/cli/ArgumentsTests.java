package org.contactbatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Spring Boot's --name=value settings are told apart from the command's own options. */
class ArgumentsTests {

    @Test
    void dottedSettingsGoToSpringTheRestStaysTheCommands() {
        Arguments arguments = Arguments.split("serve", "--server.port=9090", "--jobs-dir", "jobs",
                "--contact-batch.web.users[0].name=ann", "--max-errors=5", "--spring.config.location=/etc/cb/");

        assertThat(arguments.spring()).containsExactly("--server.port=9090", "--contact-batch.web.users[0].name=ann",
                "--spring.config.location=/etc/cb/");
        assertThat(arguments.command()).containsExactly("serve", "--jobs-dir", "jobs", "--max-errors=5");
    }

    @Test
    void afterTheEndOfOptionsEverythingIsTheCommands() {
        Arguments arguments = Arguments.split("upload", "--", "--odd.name=file.csv");

        assertThat(arguments.spring()).isEmpty();
        assertThat(arguments.command()).containsExactly("upload", "--", "--odd.name=file.csv");
    }

    @Test
    void describesTheCommandAndItsFirstOperand() {
        assertThat(Arguments.split("upload", "/tmp/in/contacts.csv", "--json").describe()).isEqualTo("upload contacts.csv");
        assertThat(Arguments.split("jobs", "list", "--limit", "5").describe()).isEqualTo("jobs list");
    }
}
