package org.contactbatch.export;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.contactbatch.contacts.ContactFilters;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** The exports that ran, for the console: who asked, when, for which contacts, and the file. */
@Service
public class ExportHistory {

    /**
     * One export's last execution.
     *
     * @param filters  the filters in words ("the contacts ticked" for a selection); empty for every contact
     * @param rows     the rows written so far (all of them once it completed)
     * @param reportId the file's report, to download; null until it is done
     */
    public record Export(long executionId, String status, String by, LocalDateTime started, LocalDateTime ended,
            String format, List<String> filters, long rows, Long reportId, long bytes) {

        public boolean running() {
            return ended == null;
        }
    }

    private final JdbcClient jdbc;

    public ExportHistory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The latest exports, newest first. */
    public List<Export> recent(int limit) {
        return exports(0, null, false, limit);
    }

    /** The exports this person asked for that completed after the given execution, oldest first. */
    public List<Export> completedAfter(String by, long executionId) {
        List<Export> newestFirst = new ArrayList<>(exports(executionId, by, true, 50));
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /**
     * Exports newest first: those after an execution, asked for by someone (null: anyone), only the completed ones
     * with their file or all.
     */
    private List<Export> exports(long afterExecution, String by, boolean completedOnly, int limit) {
        return jdbc.sql("""
                select e.job_execution_id, e.status, by.parameter_value as by, e.start_time, e.end_time,
                    r.format, l.name as list, r.lifecycle_stage, r.owner, r.tag, r.group_name, r.consent, r.active,
                    r.updated_since, coalesce(r.by_ids, false) as by_ids, jr.id as report_id, jr.bytes,
                    coalesce(jr.rows, (select sum(s.write_count) from batch_step_execution s
                                       where s.job_execution_id = e.job_execution_id
                                         and s.step_name like 'exportRowsPart:%'), 0) as rows
                from batch_job_execution e
                join batch_job_instance i on i.job_instance_id = e.job_instance_id
                left join export_run r on r.id = i.job_instance_id
                left join contact_list l on l.id = r.list_id
                left join job_report jr on jr.job_execution_id = e.job_execution_id and jr.kind = 'export'
                left join batch_job_execution_params by on by.job_execution_id = e.job_execution_id
                    and by.parameter_name = 'by'
                where i.job_name = :job and e.job_execution_id > :after
                  and (cast(:by as text) is null or by.parameter_value = :by)
                  and (not :completedOnly or (e.status = 'COMPLETED' and jr.id is not null))
                order by e.job_execution_id desc
                limit :limit""")
                .param("job", ExportOptions.JOB_NAME).param("after", afterExecution).param("by", by)
                .param("completedOnly", completedOnly).param("limit", limit)
                .query((rs, n) -> {
                    OffsetDateTime since = rs.getObject("updated_since", OffsetDateTime.class);
                    ContactFilters filters = new ContactFilters(rs.getString("list"), rs.getString("lifecycle_stage"),
                            rs.getString("owner"), rs.getString("tag"), rs.getString("group_name"),
                            rs.getString("consent"), (Boolean) rs.getObject("active"),
                            since == null ? null : since.toInstant(), rs.getBoolean("by_ids"));
                    return new Export(rs.getLong(1), rs.getString(2), rs.getString(3),
                            rs.getObject(4, LocalDateTime.class), rs.getObject(5, LocalDateTime.class),
                            rs.getString("format"), filters.describe(), rs.getLong("rows"),
                            (Long) rs.getObject("report_id"), rs.getLong("bytes"));
                })
                .list();
    }

    /** The newest export execution's id, 0 when there is none. */
    public long latestExecution() {
        return jdbc.sql("""
                select coalesce(max(e.job_execution_id), 0) from batch_job_execution e
                join batch_job_instance i on i.job_instance_id = e.job_instance_id where i.job_name = :job""")
                .param("job", ExportOptions.JOB_NAME).query(Long.class).single();
    }
}
