package org.contactbatch.reimport;

import java.util.List;

import org.contactbatch.imports.RowAction;
import org.contactbatch.imports.SliceTasklet;
import org.contactbatch.imports.StagedSlices;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Re-import by ID, step 2: applies exactly the staged snapshot, a slice of lines per
 * transaction. Each contact is updated by id only if its version is still the one seen at
 * prepare: a contact someone changed in between is not overwritten but reported as a conflict.
 * The before-image of each updated contact is kept for a revert.
 */
class ReimportApplyTasklet extends SliceTasklet {

    static final String APPLIED_THROUGH = "appliedThroughLine";

    private final JdbcClient jdbc;
    private final long importId;
    private final boolean skipWarnings;
    private final String by;
    private final int slice;

    ReimportApplyTasklet(JdbcClient jdbc, long importId, boolean skipWarnings, String by, int slice) {
        super(APPLIED_THROUGH, 0L);
        this.jdbc = jdbc;
        this.importId = importId;
        this.skipWarnings = skipWarnings;
        this.by = by;
        this.slice = slice;
    }

    private record Import(String fileName, String tag, List<String> fields) {
    }

    @Override
    protected long sliceEnd(long after) {
        return StagedSlices.end(jdbc, importId, after, Long.MAX_VALUE, slice, RowAction.UPDATE);
    }

    @Override
    protected int apply(long after, long through) {
        Import batch = jdbc.sql("select file_name, tag, fields from import_batch where id = :id")
                .param("id", importId)
                .query((rs, n) -> new Import(rs.getString(1), rs.getString(2),
                        List.of((String[]) rs.getArray(3).getArray())))
                .single();
        ReimportFields fields = new ReimportFields(batch.fields());

        if (skipWarnings) {
            slice("""
                    update staged_contact s set action = {SKIPPED_FOR_WARNINGS}
                    where s.import_id = :id and s.action = {UPDATE} and s.line > :after and s.line <= :through
                      and exists (select 1 from import_issue i
                                  where i.import_id = s.import_id and i.line = s.line and i.severity = 'W')""",
                    after, through);
        }
        slice("""
                with conflicts as (
                    update staged_contact s set action = {CONFLICT} from contact c
                    where s.import_id = :id and s.action = {UPDATE} and s.line > :after and s.line <= :through
                      and c.id = s.contact_id and c.version <> s.base_version
                    returning s.line, s.base_version, c.version
                )
                insert into import_issue (import_id, line, severity, column_name, code, message)
                select :id, line, 'E', null, 'CONFLICT', 'the contact was changed by someone else after prepare (version '
                    || base_version || ' then, ' || version || ' now); it was not overwritten'
                from conflicts""", after, through);
        StagedSlices.keepBeforeImages(jdbc, importId, after, through, fields.beforeImage());
        int updated = jdbc.sql(RowAction.inline("""
                update contact c set
                    %s,
                    version = c.version + 1,
                    updated_at = now()
                from staged_contact s
                where s.import_id = :id and s.action = {UPDATE} and s.line > :after and s.line <= :through
                  and c.id = s.contact_id and c.version = s.base_version""").formatted(fields.setClause()))
                .param("id", importId).param("after", after).param("through", through)
                .param("tag", batch.tag()).param("source", "re-import of " + batch.fileName()).param("by", by)
                .params(fields.parameters())
                .update();
        return updated;
    }

    private void slice(String sql, long after, long through) {
        jdbc.sql(RowAction.inline(sql)).param("id", importId).param("after", after).param("through", through).update();
    }
}
