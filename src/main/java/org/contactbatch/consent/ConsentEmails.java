package org.contactbatch.consent;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.contactbatch.config.ContactBatchProperties;
import org.springframework.stereotype.Component;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.FileTemplateResolver;

/**
 * What a consent email says: the Thymeleaf template {@code <jobs-dir>/templates/<template>.html}, which people
 * edit, given the organisation, the reason, the person's name, the two links and when they stop working; and a
 * plain-text part with the same links for mail programs that show no HTML. The template is read afresh by
 * every run, so an edit shows in the next message. (An engine of its own: the command line has no web
 * console, and so no Thymeleaf of Spring Boot's.)
 */
@Component
public class ConsentEmails {

    /** One email, ready to send. */
    public record Email(String subject, String html, String text) {
    }

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);

    private final ConsentProperties properties;
    private final Path templates;
    /** Spring's flavour, for Spring's expression language (Thymeleaf's plain engine wants OGNL, which is not here). */
    private final SpringTemplateEngine engine = new SpringTemplateEngine();

    public ConsentEmails(ConsentProperties properties, ContactBatchProperties application) {
        this.properties = properties;
        this.templates = application.jobsDir().resolve("templates").toAbsolutePath();
        FileTemplateResolver resolver = new FileTemplateResolver();
        resolver.setPrefix(templates + "/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(false);
        engine.setTemplateResolver(resolver);
    }

    /** Fails, before anything is sent, when the template is not where the settings say. */
    public void requireTemplate() {
        Path file = templates.resolve(properties.template() + ".html");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("the consent email's template " + file + " is missing (setting "
                    + "contact-batch.consent.template, in contact-batch.jobs-dir/templates/)");
        }
    }

    public Email render(ConsentMessage message, String token, Instant expires) {
        URI confirm = link("confirm", token);
        URI decline = link("decline", token);
        Context context = new Context(Locale.ENGLISH);
        context.setVariable("organisation", properties.organisation());
        context.setVariable("reason", properties.reason());
        context.setVariable("firstName", message.firstName());
        context.setVariable("lastName", message.lastName());
        context.setVariable("email", message.email());
        context.setVariable("confirmUrl", confirm.toString());
        context.setVariable("declineUrl", decline.toString());
        context.setVariable("reminder", message.reminder());
        context.setVariable("expires", DAY.format(expires.atZone(ZoneOffset.UTC)));
        String html = engine.process(properties.template(), context);
        String greeting = message.firstName() == null || message.firstName().isBlank() ? "Hello,"
                : "Hello " + message.firstName() + ",";
        String text = greeting + "\n\n" + properties.organisation() + " would like your consent " + properties.reason()
                + ".\n\nTo agree, open:\n" + confirm + "\n\nTo say no, open:\n" + decline
                + "\n\nThe links work until " + DAY.format(expires.atZone(ZoneOffset.UTC)) + ".\n";
        String subject = message.reminder() ? "Reminder: " + properties.subject() : properties.subject();
        return new Email(subject, html, text);
    }

    private URI link(String answer, String token) {
        String base = properties.consoleUrl().toString().replaceAll("/+$", "");
        return URI.create(base + "/consent/" + answer + "?t=" + token);
    }
}
