package org.contactbatch.constantcontact.push;

import java.util.List;
import java.util.Map;

import org.contactbatch.constantcontact.client.QuotaExceededException;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The audit's last step ({@code cc audit}): reads the whole account, a page of 500 per transaction (restartable
 * from the page after the last one committed), then compares it with what this database says the account
 * should hold — the plan the steps before wrote, exactly as a push of the same selection would send it — and
 * keeps one row per difference in {@code cc_audit_drift}:
 * <ul>
 * <li>{@code ON_LIST_NOT_SELECTED}: on the managed list, not in the selection (or skipped, and why);</li>
 * <li>{@code SELECTED_MISSING}: selected, but not in the account, deleted there, or not on the managed list;</li>
 * <li>{@code WRONG_GROUP_LISTS}: the group lists this selection puts it on are not the ones it is on;</li>
 * <li>{@code FIELD_DIFFERENCE}: a field (or chosen custom field) differs, or is empty here and set there;</li>
 * <li>{@code UNSUBSCRIBED_NOT_KNOWN}: unsubscribed there, not known here;</li>
 * <li>{@code NEVER_SENT}: in the account, but never sent by this database.</li>
 * </ul>
 * It changes nothing in the account.
 */
public class AuditTasklet implements Tasklet {

    static final String NEXT = "auditNext";
    static final String READ = "auditRead";
    static final List<String> KINDS = List.of("ON_LIST_NOT_SELECTED", "SELECTED_MISSING", "WRONG_GROUP_LISTS",
            "FIELD_DIFFERENCE", "UNSUBSCRIBED_NOT_KNOWN", "NEVER_SENT");

    private final JdbcClient jdbc;
    private final AccountReader reader;
    private final long runId;
    private final String managedListId;
    private final List<String> groupListIds;
    private final List<String> comparedFields;

    /**
     * @param groupListIds the lists this selection's groups become
     * @param comparedFields the fields compared, as an import names them ({@code first_name}…, {@code cf:<name>}):
     *                       those the profile pushes
     */
    public AuditTasklet(JdbcClient jdbc, AccountReader reader, long runId, String managedListId,
            List<String> groupListIds, java.util.Collection<String> comparedFields) {
        this.jdbc = jdbc;
        this.reader = reader;
        this.runId = runId;
        this.managedListId = managedListId;
        this.groupListIds = List.copyOf(groupListIds);
        this.comparedFields = List.copyOf(comparedFields);
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ExecutionContext step = chunkContext.getStepContext().getStepExecution().getExecutionContext();
        if (!step.containsKey(READ)) {
            try {
                String page = step.containsKey(NEXT) ? step.getString(NEXT) : AccountReader.everyContact();
                String next = reader.readPage(page, AccountReader.AUDIT);
                contribution.incrementReadCount();
                if (next != null) {
                    step.putString(NEXT, next);
                }
                else {
                    step.putString(READ, "yes");
                }
                return RepeatStatus.CONTINUABLE;
            }
            catch (QuotaExceededException e) {
                return PushStops.quotaExceeded(chunkContext, e);
            }
        }
        compare();
        return RepeatStatus.FINISHED;
    }

    /**
     * The contacts the account refused at their last push that sent them (CC_REJECTED, by the line of the import):
     * selected and not there, but a failed row of that push, which says why; the audit counts them apart, not as drift.
     */
    static final String REFUSED_AT_LAST_PUSH = """
            select contact_id from (
                select distinct on (i.contact_id) i.contact_id, i.outcome, i.code
                from cc_push_item i join cc_sync_log l on l.run_id = i.run_id
                where l.job = 'ccPush' and not l.dry_run and i.run_id <> :run and i.action in ('C', 'U') and i.outcome is not null
                order by i.contact_id, i.run_id desc) last
            where outcome = 'E' and code = 'CC_REJECTED'""";

    private void compare() {
        jdbc.sql("delete from cc_audit_drift where run_id = :run").param("run", runId).update();
        jdbc.sql("analyze cc_push_seen").update();
        jdbc.sql("analyze cc_push_item").update();
        String with = """
                with seen as (select distinct on (email) email, cc_contact_id, permission, deleted,
                                     string_to_array(coalesce(list_ids, ''), ',') as lists, coalesce(fields, '{}') as fields
                              from cc_push_seen where run_id = :run and phase = 'A' order by email, updated_at desc),
                     expected as (select i.contact_id, lower(trim(i.email)) as email, string_to_array(i.list_key, ',') as lists,
                                         cast(i.payload as jsonb) as payload
                                  from cc_push_item i where i.run_id = :run and i.action in ('C', 'U', 'N')),
                     names as (select cc_list_id::text as id, name from cc_list),
                     refused as (%s)
                """.formatted(REFUSED_AT_LAST_PUSH);
        Map<String, Object> parameters = Map.of("run", runId, "managed", managedListId,
                "groups", String.join(",", groupListIds), "fields", String.join(",", comparedFields));
        String[] inserts = {
            // on the managed list, not selected
            """
            select s.email, c.id, 'ON_LIST_NOT_SELECTED', 'on the managed list', 'not on it',
                   coalesce(i.code || ': ' || i.message, 'not selected')
            from seen s
            left join contact c on lower(trim(c.email)) = s.email
            left join cc_push_item i on i.run_id = :run and i.contact_id = c.id
            where not s.deleted and :managed = any(s.lists) and not exists (select 1 from expected e where e.email = s.email)
            """,
            // selected, not there as it should be
            """
            select e.email, e.contact_id, 'SELECTED_MISSING',
                   case when s.email is null then 'not in the account' when s.deleted then 'deleted'
                        else 'not on the managed list' end,
                   'on the managed list',
                   case when s.email is null then 'never arrived, or was deleted for good'
                        when s.deleted then 'deleted in Constant Contact' else 'taken off the managed list' end
            from expected e left join seen s on s.email = e.email
            where (s.email is null or s.deleted or not :managed = any(s.lists)) and coalesce(s.permission, '') <> 'unsubscribed'
              and not exists (select 1 from refused r where r.contact_id = e.contact_id)
            """,
            // the group lists this selection manages
            """
            select e.email, e.contact_id, 'WRONG_GROUP_LISTS',
                   coalesce((select string_agg(n.name, ', ' order by n.name) from names n
                             where n.id = any(s.lists) and n.id = any(string_to_array(:groups, ','))), '(none)'),
                   coalesce((select string_agg(n.name, ', ' order by n.name) from names n
                             where n.id = any(e.lists) and n.id = any(string_to_array(:groups, ','))), '(none)'),
                   'its groups here are not its lists there'
            from expected e join seen s on s.email = e.email
            where not s.deleted and s.permission <> 'unsubscribed'
              and array(select x from unnest(s.lists) x where x = any(string_to_array(:groups, ',')) order by x)
                  is distinct from
                  array(select x from unnest(e.lists) x where x = any(string_to_array(:groups, ',')) order by x)
            """,
            // fields
            """
            select e.email, e.contact_id, 'FIELD_DIFFERENCE',
                   string_agg(k || ' = ' || coalesce(s.fields ->> k, '(empty)'), '; ' order by k),
                   string_agg(k || ' = ' || coalesce(e.payload ->> k, '(empty)'), '; ' order by k),
                   'changed in one place and not the other'
            from expected e join seen s on s.email = e.email
            cross join lateral unnest(string_to_array(:fields, ',')) k
            where not s.deleted and (e.payload ->> k) is distinct from (s.fields ->> k)
            group by e.email, e.contact_id
            """,
            // unsubscribed there, not known here
            """
            select s.email, c.id, 'UNSUBSCRIBED_NOT_KNOWN', 'unsubscribed', coalesce(c.consent_state, 'no consent recorded'),
                   'unsubscribed in Constant Contact; cc pull (or the next push) marks it here'
            from seen s join contact c on lower(trim(c.email)) = s.email
            where s.permission = 'unsubscribed' and not c.cc_unsubscribed and coalesce(c.consent_state, '') <> 'opted_out'
            """,
            // there, never sent from here
            """
            select s.email, c.id, 'NEVER_SENT', 'in the account', case when c.id is null then 'no contact here' else 'never sent' end,
                   'added to Constant Contact some other way'
            from seen s left join contact c on lower(trim(c.email)) = s.email
            where not s.deleted and (c.id is null or (c.cc_pushed_at is null and c.cc_hash is null))
              and not exists (select 1 from expected e where e.email = s.email)
              and not exists (select 1 from cc_push_email_change x where x.old_email = s.email and x.outcome = 'O')
            """};
        for (String select : inserts) {
            var statement = jdbc.sql(with + "insert into cc_audit_drift (run_id, email, contact_id, kind, account, expected, why)\n"
                    + "select :run, d.* from (" + select + ") d");
            for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
                statement = statement.param(parameter.getKey(), parameter.getValue());
            }
            statement.update();
        }
    }
}
