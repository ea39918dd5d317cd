package org.contactbatch.consent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronTrigger;
import org.springframework.stereotype.Component;

/**
 * In {@code serve}: the reminders due, and the expiry of what nobody answered, on
 * {@code contact-batch.consent.remind-schedule} (daily at 9:00 by default). Several instances of serve may
 * run it at once: a person gets at most one reminder whatever runs queue it (a unique index), and each run
 * is a job execution of its own, listed in the console.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class ConsentReminderSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConsentReminderSchedule.class);

    private final ConsentRequests requests;
    private final ConsentProperties properties;
    private ThreadPoolTaskScheduler scheduler;

    ConsentReminderSchedule(ConsentRequests requests, ConsentProperties properties) {
        this.requests = requests;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        if (ConsentProperties.NEVER.equals(properties.remindSchedule().strip())) {
            return;
        }
        scheduler = new ThreadPoolTaskScheduler();
        scheduler.setThreadNamePrefix("consent-remind-");
        scheduler.setDaemon(true);
        scheduler.initialize();
        scheduler.schedule(this::remind, new CronTrigger(properties.remindSchedule().strip()));
    }

    private void remind() {
        try {
            var launch = requests.remind("serve");
            log.info("consent reminders: execution {} {}", launch.execution().getId(), launch.execution().getStatus());
        }
        catch (Exception e) {
            log.warn("the consent reminders did not run; the next scheduled run tries again", e);
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdown();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
