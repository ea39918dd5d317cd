package org.contactbatch.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.contactbatch.jobs.JobRunner;
import org.junit.jupiter.api.Test;

class ConsentReminderScheduleTest {

    private static ConsentProperties schedule(String cron) {
        return new ConsentProperties(null, URI.create("http://localhost:8080"), "a@example.org", "o", "r", "s",
                "consent-request", Duration.ofDays(30), Duration.ofDays(7), Duration.ofDays(30), 5, Path.of("outbox"), cron);
    }

    @Test
    void serveRunsTheRemindersOnTheirScheduleAndNotWhenItIsOff() throws Exception {
        CountDownLatch runs = new CountDownLatch(2);
        ConsentRequests requests = new ConsentRequests(null, null, null) {
            @Override
            public JobRunner.Launch remind(String by) {
                assertThat(by).isEqualTo("serve");
                runs.countDown();
                throw new IllegalStateException("the database is away"); // logged; the next run comes anyway
            }
        };
        ConsentReminderSchedule everySecond = new ConsentReminderSchedule(requests, schedule("* * * * * *"));
        everySecond.start();
        try {
            assertThat(runs.await(5, TimeUnit.SECONDS)).isTrue();
        }
        finally {
            everySecond.stop();
        }
        assertThat(everySecond.isRunning()).isFalse();

        ConsentReminderSchedule never = new ConsentReminderSchedule(requests, schedule("-"));
        never.start();
        assertThat(never.isRunning()).isFalse();
    }

    @Test
    void aScheduleThatIsNotCronIsRefusedByName() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> schedule("daily"))
                .hasMessageContaining("remind-schedule").hasMessageContaining("cron");
    }
}
