package org.contactbatch.constantcontact.push;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.contactbatch.reports.JobReports;
import org.contactbatch.reports.QueryReportWriter;
import org.springframework.stereotype.Component;

/**
 * The files of a sync log entry, under {@code reports/cc-push/<execution>/}: the contacts created, updated,
 * left unchanged, taken off the managed list, the unsubscribes pulled, and the failed rows (skipped with
 * the reason, or refused by Constant Contact with its message) and warnings (ignored duplicates). A dry
 * run writes the plan instead: every selected contact with what would happen to it.
 */
@Component
public class PushReports {

    static final List<String> CONTACT = List.of("id", "email", "first_name", "last_name");
    static final List<String> ISSUE = List.of("id", "email", "first_name", "last_name", "company", "code", "message");

    private final QueryReportWriter writer;
    private final JobReports jobReports;

    public PushReports(DataSource dataSource, JobReports jobReports) {
        this.writer = new QueryReportWriter(dataSource);
        this.jobReports = jobReports;
    }

    /** The names of the lists a removal takes its contact off ({@code r.lists}; before it named them, the managed list). */
    private static final String LIST_NAMES = """
            coalesce((select string_agg(coalesce(l.name, x.id), '; ' order by l.name)
                      from unnest(string_to_array(r.lists, ',')) as x(id) left join cc_list l on l.cc_list_id::text = x.id),
                     'the managed list')""";

    public void writePush(long executionId, long runId, boolean dryRun, Path directory) {
        Map<String, Object> run = Map.of("run", runId);
        if (dryRun) {
            write(executionId, directory, "plan", List.of("id", "email", "first_name", "last_name", "action", "code", "message"), """
                    select i.contact_id, coalesce(i.email, c.email), c.first_name, c.last_name,
                           case i.action when 'C' then 'create' when 'U' then 'update' when 'N' then 'unchanged'
                                         when 'S' then 'skip' else 'ignore' end, i.code, i.message
                    from cc_push_item i left join contact c on c.id = i.contact_id where i.run_id = :run
                    union all
                    select r.contact_id, r.email, c.first_name, c.last_name, 'take off ' || %s, null, null
                    from cc_push_removal r left join contact c on c.id = r.contact_id where r.run_id = :run
                    union all
                    select u.contact_id, u.email, c.first_name, c.last_name, 'unsubscribe in Constant Contact', 'OPTED_OUT', null
                    from cc_push_unsubscribe u left join contact c on c.id = u.contact_id where u.run_id = :run
                    order by 1""".formatted(LIST_NAMES), run);
        }
        else {
            write(executionId, directory, "created", CONTACT, itemQuery("i.action = 'C' and i.outcome = 'O' and i.code is distinct from 'EMAIL_CHANGED'"), run);
            write(executionId, directory, "updated", CONTACT, itemQuery("i.action = 'U' and i.outcome = 'O'"), run);
            write(executionId, directory, "unchanged", CONTACT, itemQuery("i.action = 'N'"), run);
            write(executionId, directory, "email-changed", List.of("id", "email", "old_email", "old_address"), """
                    select e.contact_id, c.email, e.old_email,
                           case e.outcome when 'O' then 'taken off the lists' when 'M' then 'not in the account'
                                          else 'left as it was: the new address was not confirmed' end
                    from cc_push_email_change e left join contact c on c.id = e.contact_id
                    where e.run_id = :run order by e.contact_id""", run);
            write(executionId, directory, "unsubscribed-there", List.of("id", "email", "first_name", "last_name", "cc_contact_id"), """
                    select u.contact_id, u.email, c.first_name, c.last_name, coalesce(u.cc_contact_id, c.cc_contact_id)
                    from cc_push_unsubscribe u left join contact c on c.id = u.contact_id
                    where u.run_id = :run and u.outcome = 'O' order by u.contact_id""", run);
            write(executionId, directory, "removed", List.of("id", "email", "first_name", "last_name", "cc_contact_id", "lists"), """
                    select r.contact_id, r.email, c.first_name, c.last_name, r.cc_contact_id, %s
                    from cc_push_removal r left join contact c on c.id = r.contact_id
                    where r.run_id = :run and r.outcome = 'O' order by r.contact_id""".formatted(LIST_NAMES), run);
        }
        writeUnsubscribes(executionId, runId, directory);
        write(executionId, directory, "failed-rows", ISSUE, """
                select i.contact_id, coalesce(i.email, c.email), c.first_name, c.last_name, c.company, i.code, i.message
                from cc_push_item i left join contact c on c.id = i.contact_id
                where i.run_id = :run and (i.action = 'S' or i.outcome = 'E')
                union all
                select i.contact_id, i.email, c.first_name, c.last_name, c.company, 'CC_CLEAR_REFUSED', i.message
                from cc_push_item i left join contact c on c.id = i.contact_id
                where i.run_id = :run and i.cleared_outcome = 'E'
                union all
                select u.contact_id, u.email, c.first_name, c.last_name, c.company, 'CC_UNSUBSCRIBE_FAILED', u.message
                from cc_push_unsubscribe u left join contact c on c.id = u.contact_id
                where u.run_id = :run and u.outcome = 'E'
                union all
                select null, null, null, null, null, 'CC_ACTIVITY_ERROR', 'activity ' || a.activity_id || ': ' || e.message
                from cc_push_activity a, jsonb_array_elements_text(coalesce(a.errors, '[]')) e(message)
                where a.run_id = :run
                  and not exists (select 1 from cc_push_item i where i.activity_id = a.activity_id and i.message = e.message)
                order by 1 nulls last""", run);
        write(executionId, directory, "warnings", ISSUE, """
                select i.contact_id, coalesce(i.email, c.email), c.first_name, c.last_name, c.company, i.code, i.message
                from cc_push_item i left join contact c on c.id = i.contact_id
                where i.run_id = :run and i.action = 'D' order by i.contact_id""", run);
    }

    /** The audit's drift.csv: one line per difference between the account and this database. */
    public void writeAudit(long executionId, long runId, Path directory) {
        write(executionId, directory, "drift", List.of("email", "id", "kind", "account", "expected", "why"), """
                select email, contact_id, lower(kind), account, expected, why from cc_audit_drift
                where run_id = :run order by kind, email""", Map.of("run", runId));
    }

    public void writeUnsubscribes(long executionId, long runId, Path directory) {
        write(executionId, directory, "unsubscribes", List.of("name", "email", "id", "cc_contact_id", "reason", "opted_out_at"), """
                select nullif(trim(concat_ws(' ', c.first_name, c.last_name)), ''), u.email, u.contact_id, u.cc_contact_id,
                       case when u.contact_id is null then 'unsubscribed in Constant Contact; no contact here has the email'
                            else 'unsubscribed in Constant Contact: never sent again' end, u.opted_out_at
                from cc_unsubscribe_pulled u left join contact c on c.id = u.contact_id
                where u.run_id = :run order by u.email""", Map.of("run", runId));
    }

    /**
     * A pull's files, under {@code reports/cc-pull/<execution>/}: one for each of its counts (created, updated,
     * skipped with the reason, deleted there and deactivated here, subscribed again, unsubscribes), one line a
     * contact with its name, email, id here and id there; and the conflicts of a two-way profile, one line a field
     * changed on both sides, with both values and which won.
     */
    public void writePull(long executionId, long runId, Path directory) {
        Map<String, Object> run = Map.of("run", runId);
        List<String> header = List.of("name", "email", "id", "cc_contact_id", "reason");
        write(executionId, directory, "created", header, pullQuery("action = 'C'"), run);
        write(executionId, directory, "updated", header, pullQuery("action = 'U'"), run);
        write(executionId, directory, "deleted", header, pullQuery("action = 'D'"), run);
        write(executionId, directory, "resubscribed", header, pullQuery("resubscribed"), run);
        write(executionId, directory, "skipped", List.of("name", "email", "id", "cc_contact_id", "code", "reason"), """
                select name, email, contact_id, cc_contact_id, code, reason from cc_pull_item
                where run_id = :run and action = 'S' order by email nulls last, cc_contact_id""", run);
        writeUnsubscribes(executionId, runId, directory);
        write(executionId, directory, "conflicts", List.of("email", "field", "value_here", "value_there", "won", "id",
                "cc_contact_id"), """
                select email, field, value_here, value_there, won, contact_id, cc_contact_id from cc_pull_conflict
                where run_id = :run order by email nulls last, cc_contact_id, field""", run);
    }

    private static String pullQuery(String condition) {
        return """
                select name, email, contact_id, cc_contact_id, reason from cc_pull_item
                where run_id = :run and %s order by email nulls last, cc_contact_id""".formatted(condition);
    }

    private static String itemQuery(String condition) {
        return """
                select i.contact_id, i.email, c.first_name, c.last_name
                from cc_push_item i left join contact c on c.id = i.contact_id
                where i.run_id = :run and %s order by i.contact_id""".formatted(condition);
    }

    private void write(long executionId, Path directory, String kind, List<String> header, String sql,
            Map<String, Object> parameters) {
        Path file = directory.resolve(kind + ".csv");
        long rows = writer.write(file, header, sql, parameters);
        jobReports.register(executionId, kind, file, rows);
    }
}
