package org.contactbatch.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which process a {@code postmaster.pid} names: real processes, told apart by where they work. */
class PostmasterProcessTest {

    @TempDir
    Path folder;

    @Test
    void aProcessWorkingInTheDataDirectoryIsItsPostmasterHoweverLateItNotedItsStart() throws Exception {
        Path data = Files.createDirectories(folder.resolve("pg"));
        Path elsewhere = Files.createDirectories(folder.resolve("elsewhere"));
        Process process = new ProcessBuilder("sleep", "60").directory(data.toFile()).start();
        try {
            Instant forked = process.info().startInstant().orElseThrow();
            // PostgreSQL writes its start after reading its settings: seconds after the fork on a busy machine
            assertThat(PostmasterProcess.verdict(process.pid(), forked.plusSeconds(10), data))
                    .isEqualTo(PostmasterProcess.Verdict.THAT);
            // the same pid and start, but another directory: a process that got the number afterwards
            assertThat(PostmasterProcess.verdict(process.pid(), forked, elsewhere))
                    .isEqualTo(PostmasterProcess.Verdict.GONE);
        }
        finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(PostmasterProcess.verdict(process.pid(), Instant.now(), data)).isEqualTo(PostmasterProcess.Verdict.GONE);
    }

    @Test
    void withoutItsDirectoryOnlyAProcessStartedAfterTheFileSaysIsAnother() {
        Instant noted = Instant.parse("2026-12-03T13:35:00Z");
        assertThat(PostmasterProcess.byStartTimes(noted.minusSeconds(30), noted)).isEqualTo(PostmasterProcess.Verdict.THAT);
        assertThat(PostmasterProcess.byStartTimes(noted.plusSeconds(1), noted)).isEqualTo(PostmasterProcess.Verdict.THAT);
        assertThat(PostmasterProcess.byStartTimes(noted.plusSeconds(5), noted)).isEqualTo(PostmasterProcess.Verdict.GONE);
    }
}
