package org.contactbatch.consent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.contactbatch.reports.JobReports;
import org.contactbatch.reports.QueryReportWriter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A run's reports, under {@code reports/consent-request/<execution>/}, one line per person: {@code requested}
 * (every message the run was to send), {@code sent}, {@code failed} (with the mail server's answer), and for
 * the requests the run worked on, who has {@code confirmed}, {@code declined} and whose request
 * {@code expired} so far. The counts are the same queries, so the summary and the files always agree.
 */
@Component
public class ConsentReports {

    static final List<String> KINDS = List.of("requested", "sent", "failed", "confirmed", "declined", "expired");

    private static final String PERSON = "c.id, coalesce(c.email, i.email), c.first_name, c.last_name";
    private static final List<String> PERSON_HEADER = List.of("request", "id", "email", "first_name", "last_name");

    /** The requests a run worked on: those it sent for, and those whose contacts it expired. */
    private static final String TOUCHED = """
            (i.request_id in (select m.request_id from consent_message m where m.run_id = :run)
             or i.expired_by = :run or i.request_id = :run)""";

    private static final Map<String, String> FROM_MESSAGES = Map.of(
            "requested", "true", "sent", "m.status = 'sent'", "failed", "m.status = 'failed'");

    private final QueryReportWriter writer;
    private final JobReports jobReports;
    private final JdbcClient jdbc;

    public ConsentReports(DataSource dataSource, JobReports jobReports, JdbcClient jdbc) {
        this.writer = new QueryReportWriter(dataSource);
        this.jobReports = jobReports;
        this.jdbc = jdbc;
    }

    public void write(long executionId, long runId, Path directory) {
        Map<String, Object> run = Map.of("run", runId);
        for (String kind : KINDS) {
            Path file = directory.resolve(kind + ".csv");
            long rows = writer.write(file, header(kind), query(kind, false), run);
            jobReports.register(executionId, kind, file, rows);
        }
    }

    /** How many lines each report has (or would have now). */
    public Map<String, Long> counts(long runId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String kind : KINDS) {
            counts.put(kind, jdbc.sql(query(kind, true)).param("run", runId).query(Long.class).single());
        }
        return counts;
    }

    private static List<String> header(String kind) {
        List<String> header = new ArrayList<>(PERSON_HEADER);
        switch (kind) {
            case "requested" -> header.addAll(List.of("message", "status"));
            case "sent" -> header.addAll(List.of("message", "sent_at", "message_id"));
            case "failed" -> header.addAll(List.of("message", "code", "server_message"));
            default -> header.add("answered_at");
        }
        return header;
    }

    private static String query(String kind, boolean count) {
        String condition = FROM_MESSAGES.get(kind);
        if (condition != null) {
            String columns = switch (kind) {
                case "requested" -> "m.kind, m.status";
                case "sent" -> "m.kind, m.sent_at, m.message_id";
                default -> "m.kind, m.code, m.message";
            };
            return (count ? "select count(*)" : "select m.request_id, " + PERSON.replace("i.email", "m.email") + ", " + columns)
                    + " from consent_message m left join contact c on c.id = m.contact_id"
                    + " where m.run_id = :run and " + condition + (count ? "" : " order by m.id");
        }
        return (count ? "select count(*)" : "select i.request_id, " + PERSON + ", i.answered_at")
                + " from consent_request_contact i left join contact c on c.id = i.contact_id"
                + " where i.state = '" + kind + "' and " + TOUCHED
                + (count ? "" : " order by i.request_id, i.contact_id");
    }
}
