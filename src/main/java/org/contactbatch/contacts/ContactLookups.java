package org.contactbatch.contacts;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What the command line and the console look up about contacts and lists to show them or check what
 * someone asked for, so neither adapter holds SQL of its own.
 */
@Repository
public class ContactLookups {

    /** A contact list, for a choice of lists. */
    public record ListChoice(long id, String name) {
    }

    private final JdbcClient jdbc;

    public ContactLookups(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One contact as stored, every column by name (custom fields as their JSON text). */
    public Optional<Map<String, Object>> contact(long id) {
        return jdbc.sql("""
                select id, email, phone, first_name, last_name, company, job_title, street, city, region, postal_code,
                    country, lifecycle_stage, owner, legal, groups, tags, custom_fields::text as custom_fields,
                    consent_state, consent_source, consent_at, consent_by, active, cc_contact_id, version, created_at,
                    updated_at, source_import_id, source_line
                from contact where id = :id""").param("id", id).query().listOfRows().stream().findFirst();
    }

    /** The names of the lists a contact is on, by name. */
    public List<String> listsOf(long contactId) {
        return jdbc.sql("""
                select l.name from contact_list_member m join contact_list l on l.id = m.list_id
                where m.contact_id = :id order by lower(l.name)""").param("id", contactId).query(String.class).list();
    }

    /** The first lists by name, at most {@code limit}. */
    public List<ListChoice> lists(int limit) {
        return jdbc.sql("select id, name from contact_list order by lower(name) limit :limit").param("limit", limit)
                .query(ListChoice.class).list();
    }

    /** The first list names, at most {@code limit}. */
    public List<String> listNames(int limit) {
        return lists(limit).stream().map(ListChoice::name).toList();
    }

    /** Whether there is a list of this name (lists are named case-insensitively). */
    public boolean listExists(String name) {
        return jdbc.sql("select exists (select 1 from contact_list where lower(name) = lower(:name))")
                .param("name", name).query(Boolean.class).single();
    }

    /** Whether any contact has this custom field. */
    public boolean customFieldInUse(String name) {
        return jdbc.sql("select exists (select 1 from contact where jsonb_exists(custom_fields, :name))")
                .param("name", name).query(Boolean.class).single();
    }
}
