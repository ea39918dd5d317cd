package org.contactbatch.web;

import java.util.List;

import org.contactbatch.constantcontact.ConnectionStatus;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Constant Contact as {@code cc status} tells it: the connected account, its tokens' health, the last syncs. */
@Controller
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ConstantContactController {

    /** One line of the sync log. */
    public record Sync(long executionId, String job, String profile, String status, String started, String counts,
            String message) {
    }

    private final ConnectionStatus status;
    private final JdbcClient jdbc;

    public ConstantContactController(ConnectionStatus status, JdbcClient jdbc) {
        this.status = status;
        this.jdbc = jdbc;
    }

    /** {@code check=true} also makes one API call (it counts against the daily request budget). */
    @GetMapping("/constant-contact")
    public String show(@RequestParam(defaultValue = "false") boolean check, Model model) {
        try {
            ConnectionStatus.Report report = status.report(check);
            model.addAttribute("report", report);
            model.addAttribute("state", report.state());
        }
        catch (RuntimeException e) {
            model.addAttribute("state", "unknown");
            model.addAttribute("problem", e.getMessage());
        }
        List<Sync> syncs = List.of();
        try {
            syncs = jdbc.sql("""
                    select job_execution_id, job, profile, status, to_char(started_at, 'YYYY-MM-DD HH24:MI'),
                        counts::text, message
                    from cc_sync_log order by job_execution_id desc limit 20""")
                    .query((rs, n) -> new Sync(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7)))
                    .list();
        }
        catch (DataAccessException e) {
            // no sync log table in this database yet
        }
        model.addAttribute("syncs", syncs);
        model.addAttribute("checked", check);
        return "constant-contact";
    }
}
