package org.contactbatch.consent;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/** What the tests read in a consent email: its recipient, its subject, its text and the two links. */
record ConsentMail(String to, String subject, String text, String html, String confirm, String decline) {

    private static final Pattern LINK = Pattern.compile("https?://\\S+?/consent/(confirm|decline)\\?t=[A-Za-z0-9_.-]+");

    static ConsentMail of(MimeMessage message) {
        try {
            StringBuilder text = new StringBuilder();
            StringBuilder html = new StringBuilder();
            collect(message, text, html);
            String confirm = null;
            String decline = null;
            Matcher links = LINK.matcher(text);
            while (links.find()) {
                if (links.group(1).equals("confirm")) {
                    confirm = links.group();
                }
                else {
                    decline = links.group();
                }
            }
            return new ConsentMail(message.getRecipients(Message.RecipientType.TO)[0].toString(), message.getSubject(),
                    text.toString(), html.toString(), confirm, decline);
        }
        catch (MessagingException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ConsentMail read(InputStream eml) throws MessagingException {
        return of(new MimeMessage(Session.getInstance(new Properties()), eml));
    }

    static List<ConsentMail> of(MimeMessage[] messages) {
        List<ConsentMail> mails = new ArrayList<>();
        for (MimeMessage message : messages) {
            mails.add(of(message));
        }
        return mails;
    }

    /** The path and query of a link: what a browser asks the console for. */
    static String pathOf(String link) {
        return link.replaceFirst("^https?://[^/]+", "");
    }

    /** The link's token. */
    static String tokenOf(String link) {
        return link.substring(link.indexOf("?t=") + 3);
    }

    private static void collect(Part part, StringBuilder text, StringBuilder html) throws MessagingException, IOException {
        if (part.isMimeType("text/plain")) {
            text.append(part.getContent());
        }
        else if (part.isMimeType("text/html")) {
            html.append(part.getContent());
        }
        else if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart body = multipart.getBodyPart(i);
                collect(body, text, html);
            }
        }
    }
}
