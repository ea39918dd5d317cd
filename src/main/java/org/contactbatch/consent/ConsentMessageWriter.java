package org.contactbatch.consent;

import java.nio.file.Files;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends a chunk's messages, one at a time at the configured rate. Each message is claimed ({@code sending},
 * committed) just before it goes to the mail server, and its outcome (sent, or failed with the server's
 * answer) is committed right after, together with the contact's request: so a run killed at any moment
 * never sends a message twice. A restart finds the one message it may have cut off mid-way still
 * {@code sending}: from the outbox it knows (the file is there or not); from a mail server it can't, and
 * that message is failed as {@code INTERRUPTED} rather than risk a second copy (the reminder asks again).
 * A server that can't be reached (or refuses the sender, defers the recipient) fails the run, with the message
 * back in the queue for the restart; a server that stops answering once the message's data went out fails
 * the run too, that message {@code INTERRUPTED}. Only a refused recipient (5xx) is a failed row of a run that
 * goes on; so is an address a mail message can't carry ({@code INVALID_ADDRESS}).
 */
public class ConsentMessageWriter implements ItemWriter<ConsentMessage>, StepExecutionListener {

    static final String INTERRUPTED = "INTERRUPTED";
    static final String REFUSED = "SMTP_REFUSED";
    static final String INVALID_ADDRESS = "INVALID_ADDRESS";
    static final String ANSWERED = "ANSWERED";

    private final JdbcClient jdbc;
    private final TransactionTemplate own;
    private final ConsentMailer mailer;
    private final ConsentEmails emails;
    private final ConsentTokens tokens;
    private final ConsentProperties properties;
    private final long runId;
    private final Bucket rate;

    public ConsentMessageWriter(JdbcClient jdbc, PlatformTransactionManager transactionManager, ConsentMailer mailer,
            ConsentEmails emails, ConsentTokens tokens, ConsentProperties properties, long runId) {
        this.jdbc = jdbc;
        this.own = new TransactionTemplate(transactionManager);
        this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.mailer = mailer;
        this.emails = emails;
        this.tokens = tokens;
        this.properties = properties;
        this.runId = runId;
        this.rate = Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(1)
                        .refillGreedy(1, Duration.ofNanos(1_000_000_000L / properties.rate())).build())
                .build();
    }

    /** Settles the message a killed run left mid-way, before any other is sent. */
    @Override
    public void beforeStep(StepExecution stepExecution) {
        tokens.requireKey();
        emails.requireTemplate();
        jdbc.sql("select * from " + ConsentMessage.FROM + " where run_id = :run and status = 'sending' order by id")
                .param("run", runId).query(ConsentMessage.MAPPER).list()
                .forEach(this::settleInterrupted);
    }

    private void settleInterrupted(ConsentMessage message) {
        if (mailer.toOutbox()) {
            if (Files.exists(mailer.outboxFile(message.id(), message.email()))) {
                own.executeWithoutResult(tx -> sent(message, null, Instant.now()));
            }
            else {
                own.executeWithoutResult(tx -> requeue(message));
            }
            return;
        }
        own.executeWithoutResult(tx -> failed(message, INTERRUPTED, "the run was cut off while this message was "
                + "being handed to the mail server: it may have arrived; it is not sent again, so nobody gets it twice"));
    }

    @Override
    public void write(Chunk<? extends ConsentMessage> chunk) throws Exception {
        for (ConsentMessage message : chunk) {
            rate.asBlocking().consume(1);
            Instant now = Instant.now();
            MimeMessage mime;
            try {
                mime = mime(message, now);
            }
            catch (AddressException invalid) {
                // an address the upload took that a mail message can't carry: this row fails, not the run
                own.executeWithoutResult(tx -> {
                    if (claim(message)) {
                        failed(message, INVALID_ADDRESS, "'" + message.email() + "' can't be written as a mail "
                                + "address: " + invalid.getMessage());
                    }
                });
                continue;
            }
            if (!Boolean.TRUE.equals(own.execute(tx -> claim(message)))) {
                continue; // settled by an earlier attempt, or answered meanwhile
            }
            String messageId;
            try {
                messageId = mailer.send(mime, message.id(), message.email());
            }
            catch (ConsentMailer.RefusedException refused) {
                own.executeWithoutResult(tx -> failed(message, REFUSED, refused.getMessage()));
                continue;
            }
            catch (ConsentMailer.MaybeSentException maybe) {
                // the data went out: it may have arrived, so it is never sent again
                own.executeWithoutResult(tx -> failed(message, INTERRUPTED, maybe.getMessage()));
                throw maybe;
            }
            catch (RuntimeException notSent) {
                // the server unreachable or unwilling: nothing left this process, and the restart sends it
                own.executeWithoutResult(tx -> requeue(message));
                throw notSent;
            }
            own.executeWithoutResult(tx -> sent(message, messageId, now));
        }
    }

    /** The message, made before it is claimed: what can't be made is never handed to the mail server. */
    private MimeMessage mime(ConsentMessage message, Instant now) throws AddressException {
        InternetAddress to = new InternetAddress(message.email(), true);
        Instant expires = message.linksExpire(now, properties.tokenValidity(), properties.expireAfter());
        String token = tokens.sign(new ConsentTokens.Claims(message.requestId(), message.contactId(), expires));
        ConsentEmails.Email email = emails.render(message, token, expires);
        try {
            MimeMessage mime = mailer.newMessage();
            MimeMessageHelper helper = new MimeMessageHelper(mime, true, "UTF-8");
            helper.setFrom(new InternetAddress(properties.from(), true));
            helper.setTo(to);
            helper.setSubject(email.subject());
            helper.setText(email.text(), email.html());
            return mime;
        }
        catch (MessagingException e) {
            throw new IllegalStateException("cannot make the consent email (contact-batch.consent.from is '"
                    + properties.from() + "'): " + e.getMessage(), e);
        }
    }

    /**
     * Takes the message to send it, when it is still queued and its person still waits for an answer: someone
     * who confirmed, declined or opted out since it was queued gets nothing (the message is skipped, ANSWERED).
     */
    private boolean claim(ConsentMessage message) {
        if (jdbc.sql("""
                update consent_message m set status = 'sending', attempted_at = now()
                where m.id = :id and m.status = 'queued'
                  and exists (select 1 from consent_request_contact i join contact c on c.id = i.contact_id
                              where i.request_id = m.request_id and i.contact_id = m.contact_id
                                and i.state = 'pending' and c.consent_state = 'pending')""")
                .param("id", message.id()).update() == 1) {
            return true;
        }
        jdbc.sql("""
                update consent_message set status = 'skipped', code = :code,
                    message = 'answered, or no longer pending, before it was sent: nothing was sent'
                where id = :id and status = 'queued'""")
                .param("id", message.id()).param("code", ANSWERED).update();
        return false;
    }

    private void requeue(ConsentMessage message) {
        jdbc.sql("update consent_message set status = 'queued' where id = :id and status = 'sending'")
                .param("id", message.id()).update();
    }

    private void failed(ConsentMessage message, String code, String why) {
        jdbc.sql("update consent_message set status = 'failed', code = :code, message = :why where id = :id")
                .param("id", message.id()).param("code", code).param("why", why).update();
        if (INTERRUPTED.equals(code)) {
            // it may have arrived: counted as sent when it was tried, so the reminder and the expiry follow it
            jdbc.sql("""
                    update consent_request_contact i
                    set first_sent_at = case when :reminder then i.first_sent_at
                                             else coalesce(i.first_sent_at, m.attempted_at, now()) end,
                        reminded_at = case when :reminder then coalesce(i.reminded_at, m.attempted_at, now())
                                           else i.reminded_at end
                    from consent_message m
                    where m.id = :id and i.request_id = :request and i.contact_id = :contact""")
                    .param("reminder", message.reminder()).param("id", message.id())
                    .param("request", message.requestId()).param("contact", message.contactId()).update();
        }
        else if (!message.reminder()) {
            // the first message never went: the request is over for this person, and a later one asks again
            jdbc.sql("""
                    update consent_request_contact set state = 'failed', answered_at = now(), reason = :reason
                    where request_id = :request and contact_id = :contact and state = 'pending'""")
                    .param("reason", code + ": " + why)
                    .param("request", message.requestId()).param("contact", message.contactId()).update();
        }
    }

    private void sent(ConsentMessage message, String messageId, Instant at) {
        jdbc.sql("update consent_message set status = 'sent', sent_at = :at, message_id = :messageId where id = :id")
                .param("id", message.id()).param("at", Timestamp.from(at)).param("messageId", messageId).update();
        jdbc.sql("""
                update consent_request_contact
                set first_sent_at = case when :reminder then first_sent_at else coalesce(first_sent_at, :at) end,
                    reminded_at = case when :reminder then coalesce(reminded_at, :at) else reminded_at end
                where request_id = :request and contact_id = :contact""")
                .param("reminder", message.reminder()).param("at", Timestamp.from(at))
                .param("request", message.requestId()).param("contact", message.contactId()).update();
    }
}
