package org.contactbatch.constantcontact.push;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sync log: one row per push or pull execution in {@code cc_sync_log}, with its counts (created,
 * updated, unchanged, skipped, removed from the managed list, unsubscribes pulled, …; for a pull, what the
 * account's contacts became here); the files of those contacts are the execution's reports in {@code job_report}.
 */
@Repository
public class SyncLog {

    private final JdbcClient jdbc;

    public SyncLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void start(JobExecution execution, String job, PushOptions options) {
        jdbc.sql("""
                insert into cc_sync_log (job_execution_id, run_id, job, profile, managed_list, dry_run, exact, started_at,
                                         status)
                values (:execution, :run, :job, :profile, :list, :dry, :exact, :started, 'STARTED')
                on conflict (job_execution_id) do nothing""")
                .param("execution", execution.getId()).param("run", execution.getJobInstanceId()).param("job", job)
                .param("profile", options == null ? null : options.profile())
                .param("list", options == null ? null : options.managedList())
                .param("dry", options != null && options.dryRun())
                .param("exact", options == null ? null : options.exact())
                .param("started", Timestamp.valueOf(execution.getStartTime() == null ? java.time.LocalDateTime.now()
                        : execution.getStartTime()))
                .update();
    }

    /** The profile a run without push options (a pull) is of. */
    public void profile(JobExecution execution, String profile) {
        jdbc.sql("update cc_sync_log set profile = :profile where job_execution_id = :execution")
                .param("profile", profile).param("execution", execution.getId()).update();
    }

    public void finish(JobExecution execution, Map<String, Long> counts, String message) {
        jdbc.sql("""
                update cc_sync_log set status = :status, ended_at = now(), counts = cast(:counts as jsonb), message = :message
                where job_execution_id = :execution""")
                .param("status", execution.getStatus().name())
                .param("counts", JsonMapper.shared().writeValueAsString(counts))
                .param("message", message).param("execution", execution.getId())
                .update();
    }

    /** The counts of a push run, from its plan and what happened to it. */
    public Map<String, Long> pushCounts(long runId, boolean dryRun) {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.sql("""
                select count(*) filter (where action <> 'D'),
                       count(*) filter (where action = 'C' and code is distinct from 'EMAIL_CHANGED' and (outcome = 'O' or :dry)),
                       count(*) filter (where action = 'U' and (outcome = 'O' or :dry)),
                       count(*) filter (where action = 'N'),
                       count(*) filter (where action = 'S'),
                       count(*) filter (where action = 'D'),
                       count(*) filter (where outcome = 'E'),
                       count(*) filter (where action in ('C', 'U') and outcome is null and not :dry)
                from cc_push_item where run_id = :run""")
                .param("run", runId).param("dry", dryRun)
                .query(rs -> {
                    counts.put("selected", rs.getLong(1));
                    counts.put("created", rs.getLong(2));
                    counts.put("updated", rs.getLong(3));
                    counts.put("unchanged", rs.getLong(4));
                    counts.put("skipped", rs.getLong(5));
                    counts.put("ignored", rs.getLong(6));
                    counts.put("failed", rs.getLong(7));
                    counts.put("pending", rs.getLong(8));
                });
        counts.put("removed", jdbc.sql("""
                select count(*) from cc_push_removal where run_id = :run and (outcome = 'O' or (:dry and outcome is null))""")
                .param("run", runId).param("dry", dryRun).query(Long.class).single());
        counts.put("unsubscribes", unsubscribes(runId));
        counts.put("fields_cleared", jdbc.sql("""
                select count(*) from cc_push_item where run_id = :run and cleared is not null
                  and (cleared_outcome = 'O' or (:dry and action = 'U'))""")
                .param("run", runId).param("dry", dryRun).query(Long.class).single());
        counts.put("email_changed", jdbc.sql("""
                select count(*) from cc_push_item where run_id = :run and code = 'EMAIL_CHANGED'
                  and (outcome = 'O' or :dry)""")
                .param("run", runId).param("dry", dryRun).query(Long.class).single());
        counts.put("unsubscribed_there", jdbc.sql("""
                select count(*) from cc_push_unsubscribe where run_id = :run and (outcome = 'O' or (:dry and outcome is null))""")
                .param("run", runId).param("dry", dryRun).query(Long.class).single());
        counts.put("activities", jdbc.sql("select count(*) from cc_push_activity where run_id = :run")
                .param("run", runId).query(Long.class).single());
        return counts;
    }

    /** The audit's differences by kind (every kind, 0 when none), and their total. */
    public Map<String, Long> auditCounts(long runId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        long total = 0;
        for (String kind : AuditTasklet.KINDS) {
            long n = jdbc.sql("select count(*) from cc_audit_drift where run_id = :run and kind = :kind")
                    .param("run", runId).param("kind", kind).query(Long.class).single();
            counts.put(kind.toLowerCase(java.util.Locale.ROOT), n);
            total += n;
        }
        counts.put("differences", total);
        counts.put("contacts_in_account", jdbc.sql("""
                select count(distinct email) from cc_push_seen where run_id = :run and phase = 'A'""")
                .param("run", runId).query(Long.class).single());
        // selected, refused by the account at the last push (CC_REJECTED in that push's failed rows): known, not drift
        counts.put("refused_by_account", jdbc.sql("""
                select count(*) from cc_push_item a
                where a.run_id = :run and a.action in ('C', 'U', 'N') and a.contact_id in (%s)"""
                .formatted(AuditTasklet.REFUSED_AT_LAST_PUSH))
                .param("run", runId).query(Long.class).single());
        return counts;
    }

    /**
     * The counts of a pull: contacts read from the account, and what each became here (created, updated, unchanged,
     * skipped, deleted there and so deactivated here), the unsubscribes pulled, the people subscribed again, and the
     * fields changed on both sides (conflicts).
     */
    public Map<String, Long> pullCounts(long runId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.sql("""
                select (select count(*) from cc_pull_seen where run_id = :run),
                       count(*) filter (where action = 'C'), count(*) filter (where action = 'U'),
                       count(*) filter (where action = 'N'), count(*) filter (where action = 'S'),
                       count(*) filter (where action = 'D'), count(*) filter (where resubscribed)
                from cc_pull_item where run_id = :run""")
                .param("run", runId)
                .query(rs -> {
                    counts.put("read", rs.getLong(1));
                    counts.put("created", rs.getLong(2));
                    counts.put("updated", rs.getLong(3));
                    counts.put("unchanged", rs.getLong(4));
                    counts.put("skipped", rs.getLong(5));
                    counts.put("deleted", rs.getLong(6));
                    counts.put("resubscribed", rs.getLong(7));
                });
        counts.put("unsubscribes", unsubscribes(runId));
        counts.put("conflicts", jdbc.sql("select count(*) from cc_pull_conflict where run_id = :run").param("run", runId)
                .query(Long.class).single());
        return counts;
    }

    public long unsubscribes(long runId) {
        return jdbc.sql("select count(*) from cc_unsubscribe_pulled where run_id = :run").param("run", runId)
                .query(Long.class).single();
    }

    /**
     * One entry of the log as the console lists it: its counts, and the reports the run registered ({@code job_report}
     * kind → report id, the files of those counts).
     */
    public record Run(long executionId, String profile, String status, boolean dryRun, LocalDateTime started,
            Map<String, Long> counts, String message, Map<String, Long> reports) {
    }

    /** The latest runs of one job ({@code ccPush}, {@code ccPull}), newest first. */
    public List<Run> latest(String job, int limit) {
        return jdbc.sql("""
                select l.job_execution_id, l.profile, l.status, l.dry_run, l.started_at, l.counts::text, l.message,
                       (select jsonb_object_agg(r.kind, r.id) from job_report r where r.job_execution_id = l.job_execution_id)::text
                from cc_sync_log l where l.job = :job order by l.job_execution_id desc limit :limit""")
                .param("job", job).param("limit", limit)
                .query((rs, n) -> new Run(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        rs.getTimestamp(5).toLocalDateTime(), numbers(rs.getString(6)), rs.getString(7),
                        numbers(rs.getString(8))))
                .list();
    }

    private static Map<String, Long> numbers(String json) {
        return json == null ? Map.of() : JsonMapper.shared().readValue(json, new TypeReference<LinkedHashMap<String, Long>>() {
        });
    }

    /** The counts and message the log holds for an execution, if it has a row. */
    public java.util.Optional<Map<String, Object>> entry(long executionId) {
        return jdbc.sql("select counts::text as counts, message, status, dry_run, exact, managed_list from cc_sync_log where job_execution_id = :e")
                .param("e", executionId).query().listOfRows().stream().findFirst();
    }

    /** When a profile last ran (a push or a pull), and how it ended. */
    public record LastRun(long executionId, String status, LocalDateTime started) {
    }

    /** The latest run of this profile, if it ran. */
    public java.util.Optional<LastRun> lastRun(String profile) {
        return jdbc.sql("""
                select job_execution_id, status, started_at from cc_sync_log where profile = :p
                order by job_execution_id desc limit 1""")
                .param("p", profile)
                .query((rs, n) -> new LastRun(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toLocalDateTime()))
                .optional();
    }
}
