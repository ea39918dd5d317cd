package org.contactbatch.web;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The reports the database knows ({@code job_report}), by their id. The console links to reports
 * and serves them by this id only: a path never comes from a request.
 */
@Repository
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ReportFiles {

    /** One report of one execution, as the console shows it. */
    public record Report(long id, long executionId, String kind, Path path, long rows, long bytes,
            OffsetDateTime createdAt) {

        /** The file's own name, for the download. */
        public String fileName() {
            Path name = path.getFileName();
            return name == null ? kind : name.toString();
        }

        public String size() {
            return Formats.bytes(bytes);
        }
    }

    private static final String COLUMNS = "id, job_execution_id, kind, path, rows, bytes, created_at";

    private final JdbcClient jdbc;

    public ReportFiles(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Report> byId(long id) {
        return jdbc.sql("select " + COLUMNS + " from job_report where id = :id")
                .param("id", id)
                .query(ReportFiles::report)
                .optional();
    }

    public List<Report> forExecution(long executionId) {
        return jdbc.sql("select " + COLUMNS + " from job_report where job_execution_id = :e order by id")
                .param("e", executionId)
                .query(ReportFiles::report)
                .list();
    }

    /** The reports of several executions at once, for a list page: execution id → reports. */
    public Map<Long, List<Report>> forExecutions(Collection<Long> executionIds) {
        Map<Long, List<Report>> reports = new LinkedHashMap<>();
        if (executionIds.isEmpty()) {
            return reports;
        }
        jdbc.sql("select " + COLUMNS + " from job_report where job_execution_id in (:ids) order by id")
                .param("ids", executionIds)
                .query(ReportFiles::report)
                .list()
                .forEach(report -> reports.computeIfAbsent(report.executionId(), id -> new java.util.ArrayList<>())
                        .add(report));
        return reports;
    }

    private static Report report(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Report(rs.getLong(1), rs.getLong(2), rs.getString(3), Path.of(rs.getString(4)), rs.getLong(5),
                rs.getLong(6), rs.getObject(7, OffsetDateTime.class));
    }
}
