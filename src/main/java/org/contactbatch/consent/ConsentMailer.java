package org.contactbatch.consent;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.mail.autoconfigure.MailProperties;
import org.springframework.core.env.Environment;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Hands a message to the mail server that {@code spring.mail.*} names, or, with no {@code spring.mail.host},
 * writes it as an {@code .eml} file to the outbox folder, so the flow works on a machine without a mail server
 * (open the file in a mail program and click its link).
 *
 * <p>The sender is made here from {@code spring.mail.*} when the context has none: the command line's context
 * is prepared at build time, when Spring Boot's own mail configuration saw no {@code spring.mail.host} and left
 * itself out; the setting is read when a message is sent.
 */
@Component
public class ConsentMailer {

    /** The server refused this message (an address it does not take, a policy): the message failed, not the run. */
    public static class RefusedException extends RuntimeException {
        public RefusedException(String serverMessage, Throwable cause) {
            super(serverMessage, cause);
        }
    }

    /**
     * Nothing was sent, and the next message would fare no better: the server could not be reached, refused the
     * login or the sender, deferred the recipient (4xx) or would not take the data. The run stops and can go on later.
     */
    public static class UnavailableException extends RuntimeException {
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The exchange broke off after the message's data went out (a timeout, a dropped connection, an error after
     * the data): it may have arrived, so it is never sent again; the run stops and can go on later.
     */
    public static class MaybeSentException extends RuntimeException {
        public MaybeSentException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Environment environment;
    private final ObjectProvider<JavaMailSender> configured;
    private final ConsentProperties properties;
    private volatile JavaMailSender sender;

    public ConsentMailer(Environment environment, ObjectProvider<JavaMailSender> configured, ConsentProperties properties) {
        this.environment = environment;
        this.configured = configured;
        this.properties = properties;
    }

    /** Whether messages go to the outbox folder rather than a mail server. */
    public boolean toOutbox() {
        return !StringUtils.hasText(environment.getProperty("spring.mail.host"));
    }

    /** Where this run's messages go, for people. */
    public String describe() {
        return toOutbox() ? "the outbox " + properties.outboxDir().toAbsolutePath()
                : "the mail server " + environment.getProperty("spring.mail.host");
    }

    public MimeMessage newMessage() {
        return toOutbox() ? new MimeMessage(Session.getInstance(new Properties())) : sender().createMimeMessage();
    }

    /** Sends (or files) the message; returns its Message-ID. */
    public String send(MimeMessage message, long id, String email) {
        if (toOutbox()) {
            return file(message, id, email);
        }
        try {
            sender().send(message);
            return message.getMessageID();
        }
        catch (MailAuthenticationException e) {
            throw new UnavailableException("the mail server " + environment.getProperty("spring.mail.host")
                    + " refused the login (spring.mail.username, spring.mail.password): " + e.getMessage(), e);
        }
        catch (MailSendException e) {
            return afterFailure(message, e);
        }
        catch (MailException e) {
            throw new UnavailableException("the mail server could not take the message: " + e.getMessage(), e);
        }
        catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a failed send means for this message: sent after all, refused, not sent, or maybe sent. */
    private String afterFailure(MimeMessage message, MailSendException e) {
        String host = environment.getProperty("spring.mail.host");
        if (e.getFailedMessages().isEmpty()) {
            // "Failed to close server connection after message sending": the server had taken the message
            try {
                return message.getMessageID();
            }
            catch (MessagingException unreadable) {
                return null;
            }
        }
        Exception failure = e.getFailedMessages().values().iterator().next();
        if (failure == e.getCause()) {
            // "Mail server connection failed": it failed every message before the first went out
            throw new UnavailableException("cannot reach the mail server " + host + ": " + messages(failure), e);
        }
        for (Throwable t : chain(failure)) {
            if (t instanceof SMTPAddressFailedException recipient) {
                if (recipient.getReturnCode() >= 500) {
                    throw new RefusedException(messages(failure), e); // this address, not the run
                }
                throw new UnavailableException("the mail server " + host + " deferred the recipient, try later: "
                        + messages(failure), e);
            }
            if (t instanceof SMTPSenderFailedException) {
                throw new UnavailableException("the mail server " + host + " refused the sender "
                        + properties.from() + " (contact-batch.consent.from): " + messages(failure), e);
            }
            if (t instanceof SMTPSendFailedException data && "DATA".equalsIgnoreCase(data.getCommand())) {
                throw new UnavailableException("the mail server " + host + " would not take the message: "
                        + messages(failure), e);
            }
        }
        throw new MaybeSentException("the mail server " + host + " stopped answering while taking the message: "
                + messages(failure), e);
    }

    private static List<Throwable> chain(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && chain.size() < 5; ) {
            chain.add(t);
            t = t instanceof MessagingException m && m.getNextException() != null ? m.getNextException() : t.getCause();
        }
        return chain;
    }

    /** The outbox file of a message, named by its id and address so a restart can tell whether it was written. */
    Path outboxFile(long id, String email) {
        String safe = email.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9@._-]", "_");
        return properties.outboxDir().resolve(String.format(Locale.ROOT, "%08d-%s.eml", id, safe));
    }

    private String file(MimeMessage message, long id, String email) {
        Path file = outboxFile(id, email);
        try {
            Files.createDirectories(file.getParent());
            Path partial = file.resolveSibling("." + file.getFileName() + ".part");
            message.saveChanges();
            try (OutputStream out = Files.newOutputStream(partial)) {
                message.writeTo(out);
            }
            // whole or not at all: a restart takes an existing file for a message that was written
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return message.getMessageID();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JavaMailSender sender() {
        JavaMailSender known = sender;
        if (known == null) {
            known = configured.getIfAvailable();
            if (known == null) {
                known = fromSettings();
            }
            sender = known;
        }
        return known;
    }

    private JavaMailSender fromSettings() {
        MailProperties mail = Binder.get(environment).bind("spring.mail", MailProperties.class)
                .orElseGet(MailProperties::new);
        JavaMailSenderImpl made = new JavaMailSenderImpl();
        made.setHost(mail.getHost());
        if (mail.getPort() != null) {
            made.setPort(mail.getPort());
        }
        made.setUsername(mail.getUsername());
        made.setPassword(mail.getPassword());
        made.setProtocol(mail.getProtocol());
        if (mail.getDefaultEncoding() != null) {
            made.setDefaultEncoding(mail.getDefaultEncoding().name());
        }
        Properties javaMail = new Properties();
        javaMail.putAll(mail.getProperties());
        made.setJavaMailProperties(javaMail);
        return made;
    }

    /** An exception's message with those it chains, as the server said them ({@code 550 5.1.1 … unknown}). */
    static String messages(Throwable e) {
        List<String> parts = new ArrayList<>();
        Throwable t = e;
        for (int depth = 0; t != null && depth < 5; depth++) {
            if (t.getMessage() != null && !parts.contains(t.getMessage().strip())) {
                parts.add(t.getMessage().strip());
            }
            t = t instanceof MessagingException m && m.getNextException() != null ? m.getNextException() : t.getCause();
        }
        return String.join("; ", parts);
    }
}
