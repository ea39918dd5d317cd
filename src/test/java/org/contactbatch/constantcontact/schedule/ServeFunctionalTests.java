package org.contactbatch.constantcontact.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;

import javax.sql.DataSource;

import org.contactbatch.constantcontact.CcTestSupport;
import org.contactbatch.constantcontact.CliAccess;
import org.contactbatch.constantcontact.ConstantContactProperties;
import org.contactbatch.constantcontact.push.PushLauncher;
import org.contactbatch.constantcontact.push.RunLocks;
import org.contactbatch.constantcontact.push.SyncProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/** serve runs profiles on their schedule; instances on one database never run one profile at the same time. */
class ServeFunctionalTests extends CcTestSupport {

    @TempDir
    Path jobs;

    @Autowired
    DataSource dataSource;

    @Autowired
    PushLauncher launcher;

    @Autowired
    ConstantContactProperties properties;

    @Autowired
    RunLocks runLocks;

    @BeforeEach
    void contactsAndAProfileThatRunsEverySecond() throws Exception {
        jdbc.sql("""
                insert into contact (email, first_name, consent_state, groups)
                select 'person' || n || '@example.com', 'Person ' || n, 'confirmed', case when n % 3 = 0 then '{Board}'::text[] else '{}' end
                from generate_series(1, 600) n""").update();
        connect();
        Files.writeString(jobs.resolve("every-second.yml"), """
                managed-list: Active Members
                schedule: "* * * * * *"
                """);
        Files.writeString(jobs.resolve("not-scheduled.yml"), "managed-list: Someone Else\n");
    }

    @Test
    void twoInstancesOnOneDatabaseNeverRunTheSameProfileAtOnce() throws Exception {
        FAKE.pollsToComplete(4); // runs long enough for the next second's turn to find the first one still going
        ProfileScheduler first = new ProfileScheduler(dataSource, launcher, properties, "instance-1");
        ProfileScheduler second = new ProfileScheduler(dataSource, launcher, properties, "instance-2");
        assertThat(first.start(jobs)).extracting(p -> p.name()).containsExactly("every-second");
        second.start(jobs);
        Thread.sleep(4500);
        first.stop();
        second.stop();
        Thread.sleep(200);

        assertThat(first.runs() + second.runs()).isGreaterThanOrEqualTo(2);
        assertThat(first.skipped() + second.skipped()).as("turns left to the instance running it").isPositive();
        List<Timestamp[]> runs = jdbc.sql("""
                select started_at, ended_at from cc_sync_log where profile = 'every-second' order by started_at""")
                .query((rs, n) -> new Timestamp[] {rs.getTimestamp(1), rs.getTimestamp(2)}).list();
        assertThat(runs).hasSizeGreaterThanOrEqualTo(2);
        for (int i = 1; i < runs.size(); i++) {
            assertThat(runs.get(i)[0]).as("run %d starts after run %d ended", i + 1, i).isAfterOrEqualTo(runs.get(i - 1)[1]);
        }
        assertThat(jdbc.sql("select distinct status from cc_sync_log").query(String.class).list()).containsExactly("COMPLETED");
        assertThat(jdbc.sql("select count(*) from shedlock where name = 'cc-profile:every-second'").query(Integer.class).single())
                .isEqualTo(1);
        assertThat(FAKE.listMembers("Active Members")).hasSize(600);
        assertThat(FAKE.listNames()).doesNotContain("Someone Else");
    }

    /** Issue 10: after cc disconnect the scheduler runs no profile, turn after turn, until cc connect. */
    @Test
    void aDisconnectedAccountRunsNoScheduledProfileUntilConnectedAgain() throws Exception {
        ProfileScheduler scheduler = new ProfileScheduler(dataSource, launcher, properties, "instance-1");
        SyncProfile profile = SyncProfile.load(jobs.resolve("every-second.yml"));
        assertThat(CliAccess.run(context, "cc", "disconnect").exitCode()).isZero();
        FAKE.clearRecorded();
        try {
            scheduler.runLocked(profile);
            scheduler.runLocked(profile);

            assertThat(scheduler.disconnectedTurns()).isEqualTo(2);
            assertThat(scheduler.runs()).as("serve says: Stopped after 0 run(s)").isZero();
            assertThat(jdbc.sql("select count(*) from batch_job_execution").query(Long.class).single())
                    .as("no run recorded, not even a failed one").isZero();
            assertThat(FAKE.requests()).isEmpty();

            connect();
            scheduler.runLocked(profile);

            assertThat(scheduler.disconnectedTurns()).isEqualTo(2);
            assertThat(scheduler.runs()).isEqualTo(1);
            assertThat(jdbc.sql("select status from cc_sync_log where profile = 'every-second'").query(String.class).list())
                    .containsExactly("COMPLETED");
            assertThat(FAKE.listMembers("Active Members")).hasSize(600);
        }
        finally {
            scheduler.stop();
        }
    }

    @Test
    void serveRunsTheScheduledProfilesUntilStopped() {
        var run = CliAccess.run(context, "serve", "--jobs-dir", jobs.toString(), "--for", "PT2.5S");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Serving 1 scheduled profile", "every-second", "next:", "Stopped after");
        assertThat(jdbc.sql("select count(*) from cc_sync_log where profile = 'every-second' and status = 'COMPLETED'")
                .query(Integer.class).single()).isPositive();
        assertThat(FAKE.listMembers("Active Members")).hasSize(600);
    }

    @Test
    void serveWithoutScheduledProfilesSaysSo() throws Exception {
        Files.delete(jobs.resolve("every-second.yml"));
        var run = CliAccess.run(context, "serve", "--jobs-dir", jobs.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no profile", "has a schedule");
    }

    @Test
    void aManualPushWaitsForNoOneAndSaysWhenTheProfileIsRunningElsewhere() {
        try (RunLocks.Held held = runLocks.acquire("profile:every-second")) {
            var run = CliAccess.run(context, "cc", "push", "--profile", jobs.resolve("every-second.yml").toString());
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).contains("in progress");
        }
        assertThat(CliAccess.run(context, "cc", "push", "--profile", jobs.resolve("every-second.yml").toString()).exitCode())
                .isZero();
    }
}
