package org.contactbatch.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The usage and the usage errors, which answer without starting the application. */
class CommandLineUsageTests {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void theUsageListsEveryCommandInOrder() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).containsSubsequence("upload", "export", "reimport", "jobs", "cc", "serve", "db");
        assertThat(out.toString()).contains("Exit codes:");
    }

    @Test
    void theUsageIsTheOneTheWholeCommandLineWouldPrint() {
        assertThat(run("--help")).isZero();
        StringWriter whole = new StringWriter();
        RootCommand.whole(context()).usage(new PrintWriter(whole, true));
        assertThat(out.toString()).isEqualTo(whole.toString());
    }

    @Test
    void noArgumentsPrintTheUsage() {
        assertThat(run()).isZero();
        assertThat(out.toString()).containsSubsequence("Usage: contact-batch", "upload", "db");
    }

    @Test
    void aCommandsOwnHelpIsItsOwn() {
        assertThat(run("upload", "--help")).isZero();
        assertThat(out.toString()).startsWith("Usage: contact-batch upload").contains("--dry-run");
        out.getBuffer().setLength(0);
        assertThat(run("jobs", "list", "--help")).isZero();
        assertThat(out.toString()).startsWith("Usage: contact-batch jobs list");
    }

    @Test
    void aMistypedCommandIsAUsageErrorThatSuggestsTheRightOne() {
        assertThat(run("uplaod", "contacts.csv")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("uplaod").contains("upload");
    }

    @Test
    void anUnknownOptionOfACommandNamesThatCommandsHelp() {
        assertThat(run("upload", "contacts.csv", "--no-such-option")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--no-such-option").contains("Try 'contact-batch upload --help'.");
    }

    private int run(String... args) {
        return ContactBatchCommandLine.execute(context(), args);
    }

    private CliContext context() {
        return new CliContext(() -> {
            throw new AssertionError("the usage needs no application");
        }, new PrintWriter(out, true), new PrintWriter(err, true));
    }
}
