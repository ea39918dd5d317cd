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
 * a forged, expired or used one changes nothing.
 */
@Service
public class ConsentAnswers {

    public enum Outcome {
        CONFIRMED, DECLINED, INVALID, EXPIRED, USED
    }

    static final String CONFIRMED_SOURCE = "email confirmation";
    static final String DECLINED_SOURCE = "email decline";

    private final ConsentTokens tokens;
    private final JdbcClient jdbc;

    public ConsentAnswers(ConsentTokens tokens, JdbcClient jdbc) {
        this.tokens = tokens;
        this.jdbc = jdbc;
    }

    @Transactional
    public Outcome answer(String token, boolean confirm) {
        Optional<ConsentTokens.Claims> verified = tokens.verify(token);
        if (verified.isEmpty()) {
            return Outcome.INVALID;
        }
        ConsentTokens.Claims claims = verified.get();
        Instant now = Instant.now();
        Optional<String> state = jdbc.sql("""
                select state from consent_request_contact where request_id = :request and contact_id = :contact
                for update""")
                .param("request", claims.requestId()).param("contact", claims.contactId())
                .query(String.class).optional();
        if (state.isEmpty()) {
            return Outcome.INVALID; // signed with our key, for a request this database does not have
        }
        if (state.get().equals("expired") || state.get().equals("failed") || claims.expires().isBefore(now)) {
            return Outcome.EXPIRED;
        }
        if (!state.get().equals("pending")) {
            return Outcome.USED;
        }
        Timestamp at = Timestamp.from(now);
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
}
