package org.contactbatch.constantcontact.push;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

import org.springframework.jdbc.core.RowMapper;

/**
 * A selected contact, as the plan step reads it; {@code ccPulled} is what the account held of it when a pull last read
 * it, and {@code ccPulledFresh} says that read came after the last push confirmed it.
 */
public record ContactRow(long id, String email, String firstName, String lastName, String company, String jobTitle,
        String phone, String street, String city, String region, String postalCode, String country,
        String lifecycleStage, String owner, Boolean legal, List<String> groups, List<String> tags, String customFields,
        String consentState, String ccHash, boolean ccUnsubscribed, String ccContactId, String phoneE164, String ccEmail, String ccSent,
        String ccPulled, boolean ccPulledFresh) {

    static final String COLUMNS = """
            c.id, c.email, c.first_name, c.last_name, c.company, c.job_title, c.phone, c.street, c.city, c.region,
            c.postal_code, c.country, c.lifecycle_stage, c.owner, c.legal, c.groups, c.tags, c.custom_fields::text as custom_fields,
            c.consent_state, c.cc_hash, c.cc_unsubscribed, c.cc_contact_id::text as cc_contact_id,
            c.phone_e164, c.cc_email, c.cc_sent::text as cc_sent, c.cc_pulled::text as cc_pulled,
            (c.cc_pulled_at is not null and (c.cc_pushed_at is null or c.cc_pulled_at > c.cc_pushed_at)) as cc_pulled_fresh""";

    static final RowMapper<ContactRow> MAPPER = ContactRow::map;

    private static ContactRow map(ResultSet rs, int row) throws SQLException {
        Object legal = rs.getObject("legal");
        return new ContactRow(rs.getLong("id"), rs.getString("email"), rs.getString("first_name"),
                rs.getString("last_name"), rs.getString("company"), rs.getString("job_title"), rs.getString("phone"),
                rs.getString("street"), rs.getString("city"), rs.getString("region"), rs.getString("postal_code"),
                rs.getString("country"), rs.getString("lifecycle_stage"), rs.getString("owner"),
                legal == null ? null : (Boolean) legal, array(rs, "groups"), array(rs, "tags"),
                rs.getString("custom_fields"), rs.getString("consent_state"), rs.getString("cc_hash"),
                rs.getBoolean("cc_unsubscribed"), rs.getString("cc_contact_id"),
                rs.getString("phone_e164"), rs.getString("cc_email"),
                rs.getString("cc_sent"), rs.getString("cc_pulled"), rs.getBoolean("cc_pulled_fresh"));
    }

    private static List<String> array(ResultSet rs, String column) throws SQLException {
        java.sql.Array array = rs.getArray(column);
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
