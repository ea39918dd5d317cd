package org.contactbatch.reimport;

import org.contactbatch.imports.SliceTasklet;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Puts back what a re-import changed, from the before-images, a slice of contacts per
 * transaction. A contact changed again since the import (its version moved on) keeps its newer
 * values and is reported: a revert never undoes someone else's later work.
 */
class ReimportRevertTasklet extends SliceTasklet {

    static final String REVERTED_THROUGH = "revertedThroughContact";

    /** Every stored column of a contact but its id, the generated one and the bookkeeping a revert sets itself. */
    private static final String COLUMNS = "email, phone, phone_e164, first_name, last_name, company, job_title, street,"
            + " city, region, postal_code, country, lifecycle_stage, owner, legal, groups, tags, custom_fields,"
            + " consent_state, consent_source, consent_at, consent_by, active";

    private final JdbcClient jdbc;
    private final long importId;
    private final int slice;

    ReimportRevertTasklet(JdbcClient jdbc, long importId, int slice) {
        super(REVERTED_THROUGH, 0L);
        this.jdbc = jdbc;
        this.importId = importId;
        this.slice = slice;
    }

    @Override
    protected long sliceEnd(long after) {
        return jdbc.sql("""
                select coalesce(max(contact_id), -1) from (
                    select contact_id from contact_before_image
                    where import_id = :id and contact_id > :after order by contact_id limit :slice) slice""")
                .param("id", importId).param("after", after).param("slice", slice)
                .query(Long.class).single();
    }

    // an image holds the columns the import changed (older ones the whole contact): the rest comes from the
    // contact itself, which a revert changes only when nobody changed it since the import
    @Override
    protected int apply(long after, long through) {
        jdbc.sql("""
                with changed_since as (
                    select b.contact_id, b.after_version, c.version
                    from contact_before_image b join contact c on c.id = b.contact_id
                    where b.import_id = :id and b.contact_id > :after and b.contact_id <= :through
                      and c.version <> b.after_version
                )
                insert into import_issue (import_id, line, severity, column_name, code, message)
                select :id, s.line, 'E', null, 'CHANGED_SINCE',
                    'the contact was changed again after the import (version ' || x.after_version || ' then, '
                    || x.version || ' now); it keeps its newer values'
                from changed_since x join staged_contact s on s.import_id = :id and s.contact_id = x.contact_id""")
                .param("id", importId).param("after", after).param("through", through).update();
        int reverted = jdbc.sql("""
                update contact c set (%1$s) = (select %1$s from jsonb_populate_record(c, b.before)),
                    version = c.version + 1,
                    updated_at = now()
                from contact_before_image b
                where b.import_id = :id and b.contact_id > :after and b.contact_id <= :through
                  and c.id = b.contact_id and c.version = b.after_version""".formatted(COLUMNS))
                .param("id", importId).param("after", after).param("through", through).update();
        return reverted;
    }
}
