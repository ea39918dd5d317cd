package org.contactbatch.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The reports each job execution wrote, known by id so they can be listed and served safely: the
 * console links to reports and serves them by this id only, a path never comes from a request.
 */
@Repository
public class JobReports {

    /** One report of one execution. */
    public record Report(long id, long executionId, String kind, Path path, long rows, long bytes,
            OffsetDateTime createdAt) {

        /** The file's own name, for a download. */
        public String fileName() {
            Path name = path.getFileName();
            return name == null ? kind : name.toString();
        }
    }

    private static final String COLUMNS = "id, job_execution_id, kind, path, rows, bytes, created_at";

    private final JdbcClient jdbc;

    public JobReports(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void register(long executionId, String kind, Path path, long rows) {
        long bytes;
        try {
            bytes = Files.size(path);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        jdbc.sql("""
                insert into job_report (job_execution_id, kind, path, rows, bytes) values (:e, :k, :p, :r, :b)
                on conflict (job_execution_id, kind) do update set path = excluded.path, rows = excluded.rows,
                    bytes = excluded.bytes, created_at = now()""")
                .param("e", executionId).param("k", kind).param("p", path.toAbsolutePath().toString())
                .param("r", rows).param("b", bytes)
                .update();
    }

    /** kind → path, in the order they were written. */
    public Map<String, Path> forExecution(long executionId) {
        Map<String, Path> reports = new LinkedHashMap<>();
        jdbc.sql("select kind, path from job_report where job_execution_id = :e order by id")
                .param("e", executionId)
                .query(rs -> {
                    reports.put(rs.getString(1), Path.of(rs.getString(2)));
                });
        return reports;
    }

    public Optional<Report> byId(long id) {
        return jdbc.sql("select " + COLUMNS + " from job_report where id = :id")
                .param("id", id)
                .query(JobReports::report)
                .optional();
    }

    /** The reports of one execution, in the order they were written. */
    public List<Report> of(long executionId) {
        return jdbc.sql("select " + COLUMNS + " from job_report where job_execution_id = :e order by id")
                .param("e", executionId)
                .query(JobReports::report)
                .list();
    }

    /** The reports of several executions at once, for a list page: execution id → reports. */
    public Map<Long, List<Report>> of(Collection<Long> executionIds) {
        Map<Long, List<Report>> reports = new LinkedHashMap<>();
        if (executionIds.isEmpty()) {
            return reports;
        }
        jdbc.sql("select " + COLUMNS + " from job_report where job_execution_id in (:ids) order by id")
                .param("ids", executionIds)
                .query(JobReports::report)
                .list()
                .forEach(report -> reports.computeIfAbsent(report.executionId(), id -> new ArrayList<>()).add(report));
        return reports;
    }

    private static Report report(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Report(rs.getLong(1), rs.getLong(2), rs.getString(3), Path.of(rs.getString(4)), rs.getLong(5),
                rs.getLong(6), rs.getObject(7, OffsetDateTime.class));
    }
}
