package org.contactbatch.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** What the warm-up loads, and which command lines start it. */
class JobLaunchWarmUpTests {

    @Test
    void theClassItLoadsIsTheFlightRecorderEventSpringBatchMakesFirst() throws Exception {
        // should Spring Batch rename it, the warm-up would silently warm nothing
        Class<?> event = Class.forName(JobLaunchWarmUp.FIRST_EVENT);
        assertThat(jdk.jfr.Event.class).isAssignableFrom(event);
        Thread warmUp = JobLaunchWarmUp.start();
        warmUp.join(10_000);
        assertThat(warmUp.isAlive()).isFalse();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "upload contacts.csv|true",
            "export --out contacts.xlsx|true",
            "reimport prepare sheet.csv|true",
            "reimport start 7|true",
            "reimport revert 7|true",
            "cc push|true",
            "cc pull|true",
            "cc sync --profile nightly|true",
            "cc audit|true",
            "consent send 3|true",
            "consent remind|true",
            "jobs restart 12|true",
            "jobs list|false",
            "jobs show 12|false",
            "reimport show 7|false",
            "cc status|false",
            "db status|false",
            "serve|false",
            "upload contacts.csv --help|false",
            "export --help|false",
            "--version|false"})
    void onlyACommandThatRunsAJobStartsIt(String line, boolean starts) {
        String[] args = line.split(" ");
        CliContext context = new CliContext(() -> {
            throw new AssertionError("parsing starts nothing");
        }, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        assertThat(ContactBatchCommandLine.launchesJob(ContactBatchCommandLine.commandLine(context, args).parseArgs(args)))
                .isEqualTo(starts);
    }
}
