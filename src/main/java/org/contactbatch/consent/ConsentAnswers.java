package org.contactbatch.consent;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A person's answer through a link of a consent email. Confirm: the contact's consent becomes
 * {@code confirmed} (source "email confirmation", the time, the request), unless the person opted out
 * meanwhile by another way (an opt-out is never undone from here). Decline: the refusal is recorded and the
 * contact is {@code opted_out}, so it is never emailed and never sent to Constant Contact. A link works once:
 * a forged, expired or used one changes nothing. Opening a link only asks the question; the answer is the
 * page's button.
 */
@Service
public class ConsentAnswers {

    public enum Outcome {
        /** Still waiting for the answer: the link's page asks the question. */
        OPEN, CONFIRMED, DECLINED, INVALID, EXPIRED, USED
    }

    static final String CONFIRMED_SOURCE = "email confirmation";
    static final String DECLINED_SOURCE = "email decline";

    private final ConsentTokens tokens;
    private final JdbcClient jdbc;

    public ConsentAnswers(ConsentTokens tokens, JdbcClient jdbc) {
        this.tokens = tokens;
        this.jdbc = jdbc;
    }

    /**
     * What a link's page shows, changing nothing: {@code OPEN} asks the question (a link scanner that opens
     * every link of an email answers nothing); otherwise why no answer can be given.
     */
    @Transactional(readOnly = true)
    public Outcome check(String token) {
        return tokens.verify(token).map(claims -> unanswerable(claims, false).orElse(Outcome.OPEN))
                .orElse(Outcome.INVALID);
    }

    /** The person's answer, given by the page's button (a POST). */
    @Transactional
    public Outcome answer(String token, boolean confirm) {
        Optional<ConsentTokens.Claims> verified = tokens.verify(token);
        if (verified.isEmpty()) {
            return Outcome.INVALID;
        }
        ConsentTokens.Claims claims = verified.get();
        Optional<Outcome> unanswerable = unanswerable(claims, true);
        if (unanswerable.isPresent()) {
            return unanswerable.get();
        }
        Timestamp at = Timestamp.from(Instant.now());
        jdbc.sql("""
                update consent_request_contact set state = :state, answered_at = :at
                where request_id = :request and contact_id = :contact""")
                .param("state", confirm ? "confirmed" : "declined").param("at", at)
                .param("request", claims.requestId()).param("contact", claims.contactId()).update();
        jdbc.sql("""
                update contact set consent_state = :consent, consent_source = :source, consent_at = :at,
                    consent_by = email, consent_request_id = :request, updated_at = now(), version = version + 1
                where id = :contact and (not :confirm or coalesce(consent_state, '') <> 'opted_out')""")
                .param("consent", confirm ? "confirmed" : "opted_out")
                .param("source", confirm ? CONFIRMED_SOURCE : DECLINED_SOURCE).param("at", at)
                .param("request", claims.requestId()).param("contact", claims.contactId()).param("confirm", confirm)
                .update();
        return confirm ? Outcome.CONFIRMED : Outcome.DECLINED;
    }

    /** Why the request of a (verified) token takes no answer now; empty when it does. */
    private Optional<Outcome> unanswerable(ConsentTokens.Claims claims, boolean lock) {
        Optional<String> state = jdbc.sql("select state from consent_request_contact "
                        + "where request_id = :request and contact_id = :contact" + (lock ? " for update" : ""))
                .param("request", claims.requestId()).param("contact", claims.contactId())
                .query(String.class).optional();
        if (state.isEmpty()) {
            return Optional.of(Outcome.INVALID); // signed with our key, for a request this database does not have
        }
        if (state.get().equals("expired") || state.get().equals("failed") || claims.expires().isBefore(Instant.now())) {
            return Optional.of(Outcome.EXPIRED);
        }
        if (!state.get().equals("pending")) {
            return Optional.of(Outcome.USED);
        }
        return Optional.empty();
    }
}
