package org.contactbatch.constantcontact.push;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.contactbatch.constantcontact.ConstantContactProperties;
import org.contactbatch.constantcontact.client.ConstantContactClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Waits for a bulk activity to end, polling with a growing pause (every poll counts against the daily
 * budget). A run that gives up fails; its restart polls the same activity again.
 */
@Component
public class ActivityPoller {

    static final Set<String> TERMINAL = Set.of("completed", "cancelled", "failed", "timed_out");

    private final ConstantContactClient client;
    private final ConstantContactProperties.ActivityPoll settings;

    public ActivityPoller(ConstantContactClient client, ConstantContactProperties properties) {
        this.client = client;
        this.settings = properties.activityPoll();
    }

    public JsonNode awaitEnd(String activityId) {
        Instant deadline = Instant.now().plus(settings.maxWait());
        Duration pause = settings.initialDelay();
        while (true) {
            sleep(pause);
            JsonNode activity = client.activity(activityId);
            if (TERMINAL.contains(activity.path("state").asString())) {
                return activity;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the Constant Contact activity " + activityId + " is still "
                        + activity.path("state").asString() + " after " + settings.maxWait().toMinutes()
                        + " min; restart the job to keep waiting for it");
            }
            pause = pause.multipliedBy(2).compareTo(settings.maxDelay()) > 0 ? settings.maxDelay() : pause.multipliedBy(2);
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a Constant Contact activity", e);
        }
    }
}
