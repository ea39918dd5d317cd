package org.contactbatch.upload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.contactbatch.config.ContactBatchProperties;
import org.contactbatch.contacts.ColumnMapping;
import org.contactbatch.contacts.ConsentState;
import org.contactbatch.contacts.ContactField;
import org.contactbatch.files.RawRow;
import org.contactbatch.imports.RowRejectedException;
import org.contactbatch.imports.StagedContact;
import org.contactbatch.reports.RowIssue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * One contact added or edited by hand in the console: a row of one, checked by the very rules of an upload row
 * ({@link UploadRowProcessor}: email or phone, a valid email, the lengths Constant Contact takes, a phone with
 * digits, the closed sets), an email no other contact has, and the consent recorded with who and when. Every
 * change bumps the version, so a sheet exported before it is flagged stale when it comes back.
 */
@Service
public class HandEnteredContacts {

    /** Where a consent entered by hand says it came from. */
    public static final String CONSENT_SOURCE = "entered by hand";

    /** The form's fields by {@link ContactField} (not consent), and the consent chosen: null keeps it as it is. */
    public record Form(Map<ContactField, String> values, ConsentState consent) {
    }

    /** How it went: the contact's id and the warnings, or the problems that kept it from being saved. */
    public record Outcome(Long id, List<RowIssue> warnings, List<RowIssue> problems) {

        public boolean saved() {
            return problems.isEmpty();
        }

        static Outcome refused(List<RowIssue> problems) {
            return new Outcome(null, List.of(), problems);
        }
    }

    private static final List<ContactField> FIELDS = Arrays.stream(ContactField.values())
            .filter(field -> field != ContactField.CONSENT).toList();

    private final JdbcClient jdbc;
    private final UploadRowProcessor rules;

    public HandEnteredContacts(JdbcClient jdbc, ContactBatchProperties properties) {
        this.jdbc = jdbc;
        List<String> header = FIELDS.stream().map(ContactField::key).toList();
        this.rules = new UploadRowProcessor(ColumnMapping.of(header, Map.of(), ColumnMapping.Unmapped.IGNORE), null,
                properties.defaultPhoneRegion());
    }

    /** Adds a contact, and to these lists; refused when a rule breaks or the email is taken. */
    @Transactional
    public Outcome add(Form form, List<Long> lists, String by) {
        return checked(form, null, contact -> insert(contact, form, lists, by));
    }

    private Outcome insert(StagedContact contact, Form form, List<Long> lists, String by) {
        long id = jdbc.sql("""
                insert into contact (email, phone, phone_e164, first_name, last_name, company, job_title, street, city,
                    region, postal_code, country, lifecycle_stage, owner, legal, groups, tags,
                    consent_state, consent_source, consent_at, consent_by)
                values (:email, :phone, :e164, :first, :last, :company, :title, :street, :city, :region, :postal,
                    :country, :stage, :owner, :legal, cast(:groups as text[]), cast(:tags as text[]),
                    cast(:consent as text), case when cast(:consent as text) is not null then cast(:source as text) end,
                    case when cast(:consent as text) is not null then now() end, case when cast(:consent as text) is not null then cast(:by as text) end)
                returning id""")
                .params(values(contact)).param("consent", form.consent() == null ? null : form.consent().value())
                .param("source", CONSENT_SOURCE).param("by", by)
                .query(Long.class).single();
        for (Long list : lists) {
            jdbc.sql("insert into contact_list_member (list_id, contact_id) values (:list, :id) on conflict do nothing")
                    .param("list", list).param("id", id).update();
        }
        return new Outcome(id, contact.warnings(), List.of());
    }

    /**
     * Saves the form over the contact as it was at {@code version} (an emptied field is cleared); refused when
     * someone changed it since, when a rule breaks or the email belongs to another contact.
     */
    @Transactional
    public Outcome edit(long id, int version, Form form, String by) {
        return checked(form, id, contact -> update(contact, id, version, form, by));
    }

    private Outcome update(StagedContact contact, long id, int version, Form form, String by) {
        int updated = jdbc.sql("""
                update contact set email = :email, phone = :phone, phone_e164 = :e164, first_name = :first,
                    last_name = :last, company = :company, job_title = :title, street = :street, city = :city,
                    region = :region, postal_code = :postal, country = :country, lifecycle_stage = :stage,
                    owner = :owner, legal = :legal, groups = cast(:groups as text[]), tags = cast(:tags as text[]),
                    consent_state = coalesce(cast(:consent as text), consent_state),
                    consent_source = case when cast(:consent as text) is not null then cast(:source as text) else consent_source end,
                    consent_at = case when cast(:consent as text) is not null then now() else consent_at end,
                    consent_by = case when cast(:consent as text) is not null then cast(:by as text) else consent_by end,
                    version = version + 1, updated_at = now()
                where id = :id and version = :version""")
                .params(values(contact)).param("consent", form.consent() == null ? null : form.consent().value())
                .param("source", CONSENT_SOURCE).param("by", by).param("id", id).param("version", version)
                .update();
        if (updated == 0) {
            return Outcome.refused(List.of(RowIssue.error(0, null, "CHANGED_SINCE",
                    "the contact was changed by someone else since you opened it; open it again to see how it is now")));
        }
        return new Outcome(id, contact.warnings(), List.of());
    }

    /** Saves the form's contact when it passes the rules; else says why not. */
    private Outcome checked(Form form, Long self, Function<StagedContact, Outcome> save) {
        StagedContact contact;
        try {
            contact = check(form, self);
        }
        catch (RowRejectedException rejected) {
            return Outcome.refused(rejected.issues());
        }
        return save.apply(contact);
    }

    private StagedContact check(Form form, Long self) {
        List<String> cells = new ArrayList<>();
        for (ContactField field : FIELDS) {
            String value = form.values().get(field);
            cells.add(value == null ? "" : value);
        }
        RawRow row = new RawRow(0, cells);
        StagedContact contact = rules.process(row);
        if (contact.email() != null) {
            Long owner = jdbc.sql("select id from contact where lower(email) = lower(:email)")
                    .param("email", contact.email()).query(Long.class).optional().orElse(null);
            if (owner != null && !owner.equals(self)) {
                throw new RowRejectedException(row, List.of(RowIssue.error(0, ContactField.EMAIL.key(),
                        "ALREADY_EXISTS", "a contact with this email already exists: contact " + owner)));
            }
        }
        return contact;
    }

    private static Map<String, Object> values(StagedContact c) {
        Map<String, Object> values = new java.util.HashMap<>();
        values.put("email", c.email());
        values.put("phone", c.phone());
        values.put("e164", c.phoneE164());
        values.put("first", c.firstName());
        values.put("last", c.lastName());
        values.put("company", c.company());
        values.put("title", c.jobTitle());
        values.put("street", c.street());
        values.put("city", c.city());
        values.put("region", c.region());
        values.put("postal", c.postalCode());
        values.put("country", c.country());
        values.put("stage", c.lifecycleStage());
        values.put("owner", c.owner());
        values.put("legal", c.legal());
        values.put("groups", "{" + String.join(",", c.groups().stream().map(HandEnteredContacts::arrayItem).toList()) + "}");
        values.put("tags", "{" + String.join(",", c.tags().stream().map(HandEnteredContacts::arrayItem).toList()) + "}");
        return values;
    }

    /** A text[] literal's item, quoted. */
    private static String arrayItem(String item) {
        return '"' + item.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
