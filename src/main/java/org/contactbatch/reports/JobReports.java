package org.contactbatch.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The reports each job execution wrote, known by id so they can be listed and served safely. */
@Repository
public class JobReports {

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
}
