package org.contactbatch.web;

import java.util.List;

import org.contactbatch.constantcontact.ConnectionStatus;
import org.contactbatch.constantcontact.push.PullJobConfiguration;
import org.contactbatch.constantcontact.push.PushOptions;
import org.contactbatch.constantcontact.push.SyncLog;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Constant Contact as {@code cc status} tells it: the connected account, its tokens' health, and the sync log in two
 * tables, what the pushes did in Constant Contact and what the pulls did here, each count a link to its file.
 */
@Controller
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ConstantContactController {

    static final int RUNS = 20;

    /** A column of a sync log table: its title, the counts it adds up and the report that lists their records. */
    record Column(String title, String report, List<String> counts) {
    }

    static final List<Column> THERE = List.of(
            new Column("Created", "created", List.of("created")),
            new Column("Updated", "updated", List.of("updated")),
            new Column("Unchanged", "unchanged", List.of("unchanged")),
            new Column("Taken off the list", "removed", List.of("removed")),
            new Column("Unsubscribed there", "unsubscribed-there", List.of("unsubscribed_there")),
            new Column("Skipped or failed", "failed-rows", List.of("skipped", "failed")));

    static final List<Column> HERE = List.of(
            new Column("Created", "created", List.of("created")),
            new Column("Updated", "updated", List.of("updated")),
            new Column("Skipped", "skipped", List.of("skipped")),
            new Column("Deleted there (deactivated)", "deleted", List.of("deleted")),
            new Column("Unsubscribed", "unsubscribes", List.of("unsubscribes")),
            new Column("Re-subscribed", "resubscribed", List.of("resubscribed")),
            new Column("Conflicts", "conflicts", List.of("conflicts")));

    /** One count of a run: its number, and the report to download when it has records and a file. */
    public record Cell(String id, String text, Long reportId, String title) {
    }

    /** One run of a sync log table. */
    public record Run(long executionId, String started, String profile, String status, List<Cell> cells,
            String message) {
    }

    /** A sync log table: its id, its column titles and its runs. */
    public record Table(String id, String title, List<String> columns, List<Run> runs) {
    }

    private final ConnectionStatus status;
    private final SyncLog syncLog;

    public ConstantContactController(ConnectionStatus status, SyncLog syncLog) {
        this.status = status;
        this.syncLog = syncLog;
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
        model.addAttribute("logs", List.of(
                table("in-constant-contact", "In Constant Contact", PushOptions.JOB_NAME, THERE),
                table("here", "Here", PullJobConfiguration.PULL_JOB, HERE)));
        model.addAttribute("checked", check);
        return "constant-contact";
    }

    private Table table(String id, String title, String job, List<Column> columns) {
        List<SyncLog.Run> runs;
        try {
            runs = syncLog.latest(job, RUNS);
        }
        catch (DataAccessException e) {
            runs = List.of(); // no sync log table in this database yet
        }
        return new Table(id, title, columns.stream().map(Column::title).toList(),
                runs.stream().map(run -> new Run(run.executionId(), Formats.time(run.started()), run.profile(),
                        run.dryRun() ? run.status() + " (dry run)" : run.status(),
                        columns.stream().map(column -> cell(id, run, column)).toList(), run.message())).toList());
    }

    private static Cell cell(String table, SyncLog.Run run, Column column) {
        String id = table + "-" + run.executionId() + "-" + column.report();
        if (column.counts().stream().noneMatch(run.counts()::containsKey)) {
            return new Cell(id, "–", null, null);
        }
        long n = column.counts().stream().mapToLong(count -> run.counts().getOrDefault(count, 0L)).sum();
        Long report = n == 0 ? null : run.reports().get(column.report());
        return new Cell(id, Formats.count(n), report, report == null ? null : "Download " + column.report() + ".csv");
    }
}
