package org.contactbatch.consent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.contactbatch.config.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.scheduling.support.CronExpression;

import static org.contactbatch.config.SettingChecks.atLeast;
import static org.contactbatch.config.SettingChecks.notBlank;
import static org.contactbatch.config.SettingChecks.required;

/**
 * Settings of the consent requests by email (prefix {@code contact-batch.consent}). The mail server itself is
 * Spring's {@code spring.mail.*}; without {@code spring.mail.host} the messages go to the outbox folder.
 *
 * @param tokenKey      the key the links' tokens are signed with (HMAC-SHA256), at least 16 characters. Without
 *                      it, a random key is made once and kept in the data home ({@code consent-token.key}, readable
 *                      by its owner only); set it where the console and the commands don't share a data home, in
 *                      the environment ({@code CONTACT_BATCH_CONSENT_TOKENKEY}) rather than a settings file.
 *                      Changing it makes every link sent so far invalid
 * @param consoleUrl    the address of the console ({@code serve}) as the people who get the email reach it;
 *                      the links are {@code <console-url>/consent/confirm?t=…} and {@code …/decline?t=…}
 * @param from          the sender of the emails
 * @param organisation  the organisation's name, as the email says who asks
 * @param reason        why the organisation wants to email the person, as the email says it
 * @param subject       the email's subject
 * @param template      the Thymeleaf template under {@code <jobs-dir>/templates/}, without {@code .html}
 * @param tokenValidity a link works this long after its message was sent, but never after its request expires
 *                      (so a reminder's links end with the request)
 * @param reminderAfter a person who has not answered gets one reminder this long after the first message
 * @param expireAfter   a request nobody answered this long after the first message expires: its links stop
 *                      working and the contact stays pending
 * @param rate          messages a second at most
 * @param outboxDir     where messages are written as {@code .eml} files when no mail server is configured
 * @param remindSchedule when {@code serve} sends the reminders due and expires what nobody answered: a Spring cron
 *                      expression (seconds first) in the machine's time zone, or {@code -} for never (then run
 *                      {@code consent remind} from cron)
 */
@ConfigurationProperties("contact-batch.consent")
public record ConsentProperties(
        String tokenKey,
        @DefaultValue("http://localhost:8080") URI consoleUrl,
        @DefaultValue("contacts@localhost") String from,
        @DefaultValue("Our organisation") String organisation,
        @DefaultValue("to send you news and invitations by email") String reason,
        @DefaultValue("Please confirm that we may email you") String subject,
        @DefaultValue("consent-request") String template,
        @DefaultValue("30d") Duration tokenValidity,
        @DefaultValue("7d") Duration reminderAfter,
        @DefaultValue("30d") Duration expireAfter,
        @DefaultValue("5") int rate,
        @DefaultValue("outbox") Path outboxDir,
        @DefaultValue("0 0 9 * * *") String remindSchedule) {

    /** Where the key is best set: a secret of the installation (without it, the data home keeps a made one). */
    static final String TOKEN_KEY_VARIABLE = "CONTACT_BATCH_CONSENT_TOKENKEY";
    /** A {@code remind-schedule} that never runs. */
    static final String NEVER = "-";
    /** A key shorter than this is easy to guess. */
    static final int MIN_KEY_LENGTH = 16;

    public ConsentProperties {
        required("console-url", consoleUrl);
        notBlank("from", from);
        notBlank("organisation", organisation);
        notBlank("reason", reason);
        notBlank("subject", subject);
        notBlank("template", template);
        required("token-validity", tokenValidity);
        required("reminder-after", reminderAfter);
        required("expire-after", expireAfter);
        if (reminderAfter.compareTo(expireAfter) >= 0) {
            throw new InvalidSettingException("reminder-after", "must be shorter than expire-after (" + expireAfter
                    + "), or the reminder would never go (it is " + reminderAfter + ")");
        }
        atLeast("rate", rate, 1);
        required("outbox-dir", outboxDir);
        notBlank("remind-schedule", remindSchedule);
        if (!NEVER.equals(remindSchedule.strip()) && !CronExpression.isValidExpression(remindSchedule.strip())) {
            throw new InvalidSettingException("remind-schedule", "must be a cron expression with seconds, such as "
                    + "\"0 0 9 * * *\", or - (it is \"" + remindSchedule + "\")");
        }
    }
}
