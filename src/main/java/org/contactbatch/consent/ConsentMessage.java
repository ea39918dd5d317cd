package org.contactbatch.consent;

import java.time.Duration;
import java.time.Instant;

import org.springframework.jdbc.core.RowMapper;

/** A message a run sends, with what the email shows of its contact. */
public record ConsentMessage(long id, long requestId, long contactId, String kind, String email, String firstName,
        String lastName, Instant firstSentAt) {

    /** The messages with their contacts' names, as one table whose columns need no alias (a paging reader's sort key can't have one). */
    static final String FROM = """
            (select m.id, m.run_id, m.status, m.request_id, m.contact_id, m.kind, m.email, c.first_name, c.last_name,
                    i.first_sent_at
             from consent_message m join contact c on c.id = m.contact_id
             left join consent_request_contact i on i.request_id = m.request_id and i.contact_id = m.contact_id) message""";

    static final RowMapper<ConsentMessage> MAPPER = (rs, n) -> new ConsentMessage(rs.getLong("id"),
            rs.getLong("request_id"), rs.getLong("contact_id"), rs.getString("kind"), rs.getString("email"),
            rs.getString("first_name"), rs.getString("last_name"),
            rs.getTimestamp("first_sent_at") == null ? null : rs.getTimestamp("first_sent_at").toInstant());

    /**
     * When the links of this message, sent now, stop working: the token's validity, but never after the request
     * itself expires ({@code expire-after} from the first message; a reminder must not promise more).
     */
    Instant linksExpire(Instant now, Duration tokenValidity, Duration expireAfter) {
        Instant byToken = now.plus(tokenValidity);
        Instant byRequest = (firstSentAt == null ? now : firstSentAt).plus(expireAfter);
        return byToken.isBefore(byRequest) ? byToken : byRequest;
    }

    boolean reminder() {
        return "reminder".equals(kind);
    }
}
