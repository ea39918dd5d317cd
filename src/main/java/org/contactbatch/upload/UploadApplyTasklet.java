package org.contactbatch.upload;

import java.time.OffsetDateTime;

import org.contactbatch.contacts.ConsentState;
import org.contactbatch.imports.RowAction;
import org.contactbatch.imports.SliceTasklet;
import org.contactbatch.imports.StagedSlices;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies the staged rows of one range of lines to the contacts, a slice per transaction (see
 * {@link SliceTasklet}): inserts new contacts, updates existing ones (keeping their before-image)
 * when asked, and adds them to the list.
 */
public class UploadApplyTasklet extends SliceTasklet {

    static final String APPLIED_THROUGH = "appliedThroughLine";

    private final JdbcClient jdbc;
    private final TransactionTemplate savepoint;
    private final UploadOptions options;
    private final long importId;
    private final long lastLine;
    private final int slice;
    private final ConsentStamp appliedAs;

    /** When and by whom the consent a file records is recorded as given. */
    public record ConsentStamp(OffsetDateTime at, String by) {
    }

    /**
     * @param appliedAs for the apply of a full dry run, when and by whom it was asked for: its consent is recorded
     *                  as given then; null for an upload, whose consent is recorded as of its own start
     */
    public UploadApplyTasklet(JdbcClient jdbc, PlatformTransactionManager transactionManager, UploadOptions options,
            long importId, long firstLine, long lastLine, int slice, ConsentStamp appliedAs) {
        super(APPLIED_THROUGH, firstLine - 1);
        this.appliedAs = appliedAs;
        this.lastLine = lastLine;
        this.jdbc = jdbc;
        this.savepoint = new TransactionTemplate(transactionManager);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.options = options;
        this.importId = importId;
        this.slice = slice;
    }

    @Override
    protected long sliceEnd(long after) {
        return StagedSlices.end(jdbc, importId, after, lastLine, slice, RowAction.INSERT, RowAction.UPDATE);
    }

    @Override
    protected int apply(long after, long through) {
        ImportStamp stamp = stamp();
        Long listId = listId();
        int inserted = insert(after, through, stamp, listId);
        int updated = options.onExisting() == OnExisting.UPDATE ? update(after, through, stamp, listId) : 0;
        return inserted + updated;
    }

    private record ImportStamp(String source, OffsetDateTime at, String by) {
    }

    private ImportStamp stamp() {
        ImportStamp registered = jdbc.sql("select file_name, created_at, created_by from import_batch where id = :id")
                .param("id", importId)
                .query((rs, n) -> new ImportStamp(rs.getString(1), rs.getObject(2, OffsetDateTime.class), rs.getString(3)))
                .single();
        return appliedAs == null ? registered : new ImportStamp(registered.source(), appliedAs.at(), appliedAs.by());
    }

    private Long listId() {
        if (options.list() == null) {
            return null;
        }
        return jdbc.sql("select id from contact_list where lower(name) = lower(:name)")
                .param("name", options.list()).query(Long.class).single();
    }

    private static final String INSERT = RowAction.inline("""
            with inserted as (
                insert into contact (email, phone, phone_e164, first_name, last_name, company, job_title,
                    street, city, region, postal_code, country, lifecycle_stage, owner, legal, groups, tags,
                    custom_fields, consent_state, consent_source, consent_at, consent_by,
                    source_import_id, source_line)
                select email, phone, phone_e164, first_name, last_name, company, job_title,
                    street, city, region, postal_code, country, lifecycle_stage, owner, legal, groups, tags,
                    custom_fields, consent_state,
                    case when consent_state is not null then :source end,
                    case when consent_state is not null then cast(:at as timestamptz) end,
                    case when consent_state is not null then :by end,
                    import_id, line
                from staged_contact
                where import_id = :id and action = {INSERT} and line > :after and line <= :through
                order by line
                %s
                returning id
            ), members as (
                insert into contact_list_member (list_id, contact_id)
                select cast(:list as bigint), id from inserted where cast(:list as bigint) is not null
            )
            select count(*) from inserted""");

    /**
     * Inserts the slice's new contacts. The check step made sure their emails were free, so the
     * plain insert nearly always goes through; only when someone else took an email meanwhile does
     * it fail, and then the slice is done again skipping the taken ones (a speculative insert that
     * is slower, so not the default path).
     */
    private int insert(long after, long through, ImportStamp stamp, Long listId) {
        try {
            return savepoint.execute(status -> insert(after, through, stamp, listId, ""));
        }
        catch (DuplicateKeyException takenMeanwhile) {
            int inserted = insert(after, through, stamp, listId,
                    "on conflict (lower(email)) where email is not null do nothing");
            rejectTakenMeanwhile(after, through);
            return inserted;
        }
    }

    private int insert(long after, long through, ImportStamp stamp, Long listId, String onConflict) {
        return jdbc.sql(INSERT.formatted(onConflict))
                .param("id", importId).param("after", after).param("through", through)
                .param("source", stamp.source()).param("at", stamp.at()).param("by", stamp.by())
                .param("list", listId)
                .query(Integer.class).single();
    }

    /**
     * Someone else created a contact with one of these emails between check and apply: those
     * rows were not inserted; they fail as "already exists" like any other.
     */
    private void rejectTakenMeanwhile(long after, long through) {
        jdbc.sql(RowAction.inline("""
                with taken as (
                    update staged_contact s set action = {REJECTED}
                    where s.import_id = :id and s.action = {INSERT} and s.line > :after and s.line <= :through
                      and not exists (select 1 from contact c where c.source_import_id = s.import_id and c.source_line = s.line)
                    returning s.line
                )
                insert into import_issue (import_id, line, severity, column_name, code, message)
                select :id, line, 'E', null, 'ALREADY_EXISTS', 'a contact with this email was created while the upload ran'
                from taken"""))
                .param("id", importId).param("after", after).param("through", through)
                .update();
    }

    /**
     * When an existing contact keeps its consent, whatever the row's staged one: an upload that asks for
     * consent by email never makes a contact who already confirmed, or who said no, pending again (the first
     * would be asked twice, the second emailed after refusing), while a row's own consent cell still wins;
     * and a default consent ({@code --consent confirmed}…) never undoes an opt-out. (A row whose own cell says
     * the same as the default can't be told from it: it doesn't undo an opt-out either.)
     */
    private String keepsAnswer() {
        if (options.requestConsent()) {
            return "(s.consent_state = 'pending' and c.consent_state in ('confirmed', 'opted_out'))";
        }
        if (options.consent() != null && options.consent() != ConsentState.OPTED_OUT) {
            return "(c.consent_state = 'opted_out' and s.consent_state = '" + options.consent().value() + "')";
        }
        return "false";
    }

    private int update(long after, long through, ImportStamp stamp, Long listId) {
        StagedSlices.keepBeforeImages(jdbc, importId, after, through, StagedSlices.WHOLE_CONTACT);
        return jdbc.sql(RowAction.inline("""
                with updated as (
                    update contact c set
                        phone = coalesce(s.phone, c.phone),
                        phone_e164 = case when s.phone is not null then s.phone_e164 else c.phone_e164 end,
                        first_name = coalesce(s.first_name, c.first_name),
                        last_name = coalesce(s.last_name, c.last_name),
                        company = coalesce(s.company, c.company),
                        job_title = coalesce(s.job_title, c.job_title),
                        street = coalesce(s.street, c.street),
                        city = coalesce(s.city, c.city),
                        region = coalesce(s.region, c.region),
                        postal_code = coalesce(s.postal_code, c.postal_code),
                        country = coalesce(s.country, c.country),
                        lifecycle_stage = coalesce(s.lifecycle_stage, c.lifecycle_stage),
                        owner = coalesce(s.owner, c.owner),
                        legal = coalesce(s.legal, c.legal),
                        groups = case when cardinality(s.groups) > 0 then s.groups else c.groups end,
                        tags = case when cardinality(s.tags) > 0 then s.tags else c.tags end,
                        custom_fields = c.custom_fields || s.custom_fields,
                        consent_state = case when %1$s then c.consent_state else coalesce(s.consent_state, c.consent_state) end,
                        consent_source = case when s.consent_state is not null and not %1$s then :source else c.consent_source end,
                        consent_at = case when s.consent_state is not null and not %1$s then cast(:at as timestamptz) else c.consent_at end,
                        consent_by = case when s.consent_state is not null and not %1$s then :by else c.consent_by end,
                        updated_at = now(),
                        version = c.version + 1
                    from staged_contact s
                    where s.import_id = :id and s.action = {UPDATE} and s.line > :after and s.line <= :through
                      and c.id = s.contact_id
                    returning c.id
                ), members as (
                    insert into contact_list_member (list_id, contact_id)
                    select cast(:list as bigint), id from updated where cast(:list as bigint) is not null
                    on conflict do nothing
                )
                select count(*) from updated""").formatted(keepsAnswer()))
                .param("id", importId).param("after", after).param("through", through)
                .param("source", stamp.source()).param("at", stamp.at()).param("by", stamp.by())
                .param("list", listId)
                .query(Integer.class).single();
    }
}
