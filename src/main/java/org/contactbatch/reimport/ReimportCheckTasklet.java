package org.contactbatch.reimport;

import java.util.Map;

import org.contactbatch.contacts.ContactField;
import org.contactbatch.imports.CheckTasklet;
import org.contactbatch.imports.ImportStatus;
import org.contactbatch.imports.RowAction;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The checks of a re-import across rows and against the database, set-based, and the change
 * report's lines: which rows would change which fields from what to what. Every row leaves it
 * rejected, to update or unchanged.
 */
class ReimportCheckTasklet extends CheckTasklet {

    private final ReimportPlan plan;

    ReimportCheckTasklet(JdbcClient jdbc, ReimportOptions options, long importId) {
        super(jdbc, importId);
        this.plan = ReimportPlan.of(options);
    }

    @Override
    protected void check() {
        ReimportFields fields = new ReimportFields(plan.fields());
        String idColumn = plan.mapping().header().get(plan.idColumn());
        String emailColumn = plan.mapping().columnOf(ContactField.EMAIL);

        reject("""
                with repeated as (
                    select contact_id, array_agg(line order by line) as lines from staged_contact
                    where import_id = :id group by contact_id having count(*) > 1
                ), rejected as (
                    update staged_contact s set action = {REJECTED} from repeated r
                    where s.import_id = :id and s.contact_id = r.contact_id
                    returning s.line, r.lines
                )
                insert into import_issue (import_id, line, severity, column_name, code, message)
                select :id, line, 'E', :column, 'DUPLICATE_ID',
                    'the same id is on lines ' || array_to_string(lines, ', ') || '; keep one row per contact'
                from rejected""", idColumn);
        reject("""
                with rejected as (
                    update staged_contact s set action = {REJECTED}
                    where s.import_id = :id and s.action <> {REJECTED}
                      and not exists (select 1 from contact c where c.id = s.contact_id)
                    returning s.line, s.contact_id
                )
                insert into import_issue (import_id, line, severity, column_name, code, message)
                select :id, line, 'E', :column, 'UNKNOWN_ID',
                    'no contact has id ' || contact_id || '; a re-import never creates contacts'
                from rejected""", idColumn);
        if (fields.has("email")) {
            rejectRepeatedEmails(true, "DUPLICATE_EMAIL", "'line ' || first_line || ' gives another contact the same email'",
                    emailColumn);
            reject("""
                    with rejected as (
                        update staged_contact s set action = {REJECTED} from contact other
                        where s.import_id = :id and s.action <> {REJECTED} and s.email is not null
                          and lower(other.email) = %s and other.id <> s.contact_id
                        returning s.line, other.id
                    )
                    insert into import_issue (import_id, line, severity, column_name, code, message)
                    select :id, line, 'E', :column, 'EMAIL_TAKEN',
                        'this email belongs to another contact (id ' || id || ')'
                    from rejected""".formatted(emailKey("s.email")), emailColumn);
        }
        if (fields.has("email") || fields.has("phone")) {
            reject("""
                    with rejected as (
                        update staged_contact s set action = {REJECTED} from contact c
                        where s.import_id = :id and s.action <> {REJECTED} and c.id = s.contact_id
                          and (case when %s then s.email else c.email end) is null
                          and (case when %s then s.phone else c.phone end) is null
                        returning s.line
                    )
                    insert into import_issue (import_id, line, severity, column_name, code, message)
                    select :id, line, 'E', null, 'NO_EMAIL_OR_PHONE',
                        'the contact would be left with neither an email nor a phone'
                    from rejected""".formatted(fields.has("email"), fields.has("phone")), null);
        }

        jdbc.sql(RowAction.inline("""
                insert into import_change (import_id, line, contact_id, field, old_value, new_value)
                select :id, s.line, s.contact_id, v.field, v.old_value, v.new_value
                from staged_contact s
                join contact c on c.id = s.contact_id
                cross join lateral (values %s) as v (field, old_value, new_value)
                where s.import_id = :id and s.action <> {REJECTED} and v.old_value is distinct from v.new_value""")
                .formatted(fields.changeValues()))
                .param("id", importId).params(fields.parameters()).update();
        // the version seen and the action in one pass: as two updates each rewrote every staged row, half
        // the check's time; every row left has its contact (the unknown ids were rejected above)
        jdbc.sql(RowAction.inline("""
                update staged_contact s set base_version = c.version,
                    action = case when exists (
                        select 1 from import_change ch where ch.import_id = s.import_id and ch.line = s.line)
                    then {UPDATE} else {UNCHANGED} end
                from contact c
                where s.import_id = :id and s.action <> {REJECTED} and c.id = s.contact_id"""))
                .param("id", importId).update();

        warn("""
                select :id, s.line, 'W', :versionColumn, 'STALE_VERSION',
                    'the contact changed since this sheet was exported (version ' || s.file_version || ' in the sheet, '
                    || s.base_version || ' now); starting overwrites those changes in the columns of this file'
                from staged_contact s
                where s.import_id = :id and s.action = {UPDATE} and s.file_version is not null
                  and s.file_version <> s.base_version""");
        warn("""
                select :id, ch.line, 'W', ch.field, 'CLEARS_FIELD',
                    ch.field || ' ''' || ch.old_value || ''' will be cleared (the cell is blank)'
                from import_change ch
                where ch.import_id = :id and ch.new_value is null
                  and ch.field in ('first_name', 'last_name', 'lifecycle_stage', 'owner', 'legal')""");
        warn("""
                select :id, ch.line, 'W', ch.field, 'EMAIL_CHANGED',
                    'the email changes from ' || ch.old_value || ' to ' || ch.new_value
                    || ': in Constant Contact this is another person'
                from import_change ch
                where ch.import_id = :id and ch.field = 'email' and ch.old_value is not null and ch.new_value is not null""");
        jdbc.sql("update import_batch set status = :status where id = :id")
                .param("status", ImportStatus.PREPARED.value()).param("id", importId).update();
    }

    private void reject(String sql, String column) {
        jdbc.sql(RowAction.inline(sql)).param("id", importId).param("column", column).update();
    }

    private void warn(String select) {
        String versionColumn = plan.versionColumn() < 0 ? "version" : plan.mapping().header().get(plan.versionColumn());
        jdbc.sql("insert into import_issue (import_id, line, severity, column_name, code, message)\n"
                        + RowAction.inline(select))
                .params(Map.of("id", importId, "versionColumn", versionColumn)).update();
    }
}
