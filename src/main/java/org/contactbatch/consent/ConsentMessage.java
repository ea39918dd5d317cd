package org.contactbatch.consent;

import org.springframework.jdbc.core.RowMapper;

/** A message a run sends, with what the email shows of its contact. */
public record ConsentMessage(long id, long requestId, long contactId, String kind, String email, String firstName,
        String lastName) {

    /** The messages with their contacts' names, as one table whose columns need no alias (a paging reader's sort key can't have one). */
    static final String FROM = """
            (select m.id, m.run_id, m.status, m.request_id, m.contact_id, m.kind, m.email, c.first_name, c.last_name
             from consent_message m join contact c on c.id = m.contact_id) message""";

    static final RowMapper<ConsentMessage> MAPPER = (rs, n) -> new ConsentMessage(rs.getLong("id"),
            rs.getLong("request_id"), rs.getLong("contact_id"), rs.getString("kind"), rs.getString("email"),
            rs.getString("first_name"), rs.getString("last_name"));

    boolean reminder() {
        return "reminder".equals(kind);
    }
}
