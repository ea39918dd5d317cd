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

    /** The server could not be reached or refused the login: nothing was sent; the run stops and can go on later. */
    public static class UnavailableException extends RuntimeException {
        public UnavailableException(String message, Throwable cause) {
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
            // Spring names a connection failure as the exception's cause; a refused message only in its map
            if (e.getCause() != null) {
                throw new UnavailableException("cannot reach the mail server " + environment.getProperty("spring.mail.host")
                        + ": " + messages(e.getCause()), e);
            }
            throw new RefusedException(e.getFailedMessages().values().stream().map(ConsentMailer::messages)
                    .findFirst().orElse(e.getMessage()), e);
        }
        catch (MailException e) {
            throw new UnavailableException("the mail server could not take the message: " + e.getMessage(), e);
        }
        catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
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
