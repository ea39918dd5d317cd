package org.contactbatch.web;

import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.contactbatch.files.FileProblemException;
import org.contactbatch.imports.ImportStatus;
import org.contactbatch.jobs.JobRunner;
import org.contactbatch.jobs.JobSummary;
import org.contactbatch.reimport.ReimportOptions;
import org.contactbatch.reimport.ReimportPlan;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Re-imports by ID: the prepared ones waiting for a person to review and start them, and the
 * applied ones that can be reverted. The same checks as {@code reimport start} and {@code revert}.
 */
@Controller
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ReimportsController {

    static final int CHANGES_SHOWN = 20;

    /** A re-import as the pages show it. */
    public record Import(long id, String fileName, String createdBy, OffsetDateTime createdAt, String tag,
            String status, Long prepareExecution, Map<String, Long> counts, List<ReportFiles.Report> reports,
            Long startExecution, List<ReportFiles.Report> startReports, Long revertExecution,
            List<ReportFiles.Report> revertReports, long beforeImages) {

        public Long count(String name) {
            return counts.get(name);
        }

        /** What Start will do, in words, on its button. */
        public String startText() {
            StringBuilder text = new StringBuilder("Start: update ").append(Formats.count(count("toUpdate")))
                    .append(" contacts (").append(Formats.count(count("changes"))).append(" changed fields)");
            if (tag != null) {
                text.append(" and tag them '").append(tag).append('\'');
            }
            Long errors = count("errors");
            if (errors != null && errors > 0) {
                text.append("; ").append(Formats.count(errors))
                        .append(errors == 1 ? " row with errors is left out" : " rows with errors are left out");
            }
            return text.toString();
        }

        /** What Revert will do, in words, on its button. */
        public String revertText() {
            return "Revert: put back the old values of " + Formats.count(beforeImages)
                    + " contacts (those changed again since keep their newer values)";
        }
    }

    /** One changed field, as the changes report lists it. */
    public record Change(long line, long contactId, String field, String oldValue, String newValue) {
    }

    /** One problem of a row, as the failed-rows and warnings reports list it. */
    public record Issue(long line, String column, String code, String message) {
    }

    /** How many errors and how many warnings the review page shows inline; the reports have them all. */
    static final int ISSUES_SHOWN = 20;

    private final JdbcClient jdbc;
    private final ExecutionQueries executions;
    private final ExecutionSummaries summaries;
    private final ReportFiles reports;
    private final JobRepository jobRepository;
    private final ConsoleJobs consoleJobs;
    private final Map<String, Job> jobs;
    private final UploadStore store;

    public ReimportsController(JdbcClient jdbc, ExecutionQueries executions, ExecutionSummaries summaries,
            ReportFiles reports, JobRepository jobRepository, ConsoleJobs consoleJobs, Map<String, Job> jobs,
            WebProperties webProperties) {
        this.store = new UploadStore(webProperties.uploadsDir());
        this.jdbc = jdbc;
        this.executions = executions;
        this.summaries = summaries;
        this.reports = reports;
        this.jobRepository = jobRepository;
        this.consoleJobs = consoleJobs;
        this.jobs = jobs;
    }

    @GetMapping("/reimports")
    public String list(Model model) {
        List<Import> waiting = new ArrayList<>();
        List<Import> done = new ArrayList<>();
        for (Long id : jdbc.sql("""
                select id from import_batch where kind = 'reimport' and status <> 'staging'
                order by id desc limit 100""").query(Long.class).list()) {
            Import item = load(id);
            (item.status().equals(ImportStatus.PREPARED.value()) ? waiting : done).add(item);
        }
        model.addAttribute("waiting", waiting);
        model.addAttribute("done", done);
        return "reimports";
    }

    @GetMapping("/reimports/{id}")
    public String show(@PathVariable String id, Model model) {
        Import item = find(id);
        model.addAttribute("item", item);
        model.addAttribute("changes", jdbc.sql("""
                select line, contact_id, field, old_value, new_value from import_change
                where import_id = :id order by line, field limit :limit""")
                .param("id", item.id()).param("limit", CHANGES_SHOWN)
                .query((rs, n) -> new Change(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)))
                .list());
        model.addAttribute("changesShown", CHANGES_SHOWN);
        model.addAttribute("errors", issues(item.id(), 'E'));
        model.addAttribute("warnings", issues(item.id(), 'W'));
        model.addAttribute("issuesShown", ISSUES_SHOWN);
        return "reimport";
    }

    /**
     * Step 1 in the browser: the edited sheet is kept under the uploads directory and prepared as
     * {@code reimport prepare} does; its execution page links the review when it is done.
     */
    @PostMapping("/reimports/prepare")
    @PreAuthorize("hasRole('ADMIN')")
    public String prepare(@RequestParam("file") MultipartFile file, @RequestParam(defaultValue = "") String tag,
            @RequestParam(defaultValue = "") String sheet, RedirectAttributes redirect) throws IOException {
        if (file.isEmpty()) {
            redirect.addFlashAttribute("problem", "Choose the edited sheet to prepare.");
            return "redirect:/reimports";
        }
        UploadStore.Stored stored;
        try (InputStream in = file.getInputStream()) {
            stored = store.save(in, file.getOriginalFilename());
        }
        ReimportOptions options = new ReimportOptions(stored.path(), stored.sha256(),
                sheet.isBlank() ? null : sheet.strip(), null, null, tag.isBlank() ? null : tag.strip(),
                ConsoleModel.who(), null);
        try {
            ReimportPlan.of(options);
            ConsoleJobs.Started started = consoleJobs.run(jobs.get(ReimportOptions.PREPARE_JOB),
                    options.toJobParameters());
            if (started.outcome() == JobRunner.Outcome.ALREADY_COMPLETED) {
                redirect.addFlashAttribute("notice", "This sheet was prepared before with the same tag (this "
                        + "execution): nothing was done now.");
            }
            return "redirect:/executions/" + started.executionId();
        }
        catch (ReimportPlan.NotReimportable | FileProblemException | ConsoleJobs.NotStarted e) {
            redirect.addFlashAttribute("problem", e.getMessage());
            return "redirect:/reimports";
        }
    }

    private List<Issue> issues(long importId, char severity) {
        return jdbc.sql("""
                select line, column_name, code, message from import_issue
                where import_id = :id and severity = :severity order by line, code limit :limit""")
                .param("id", importId).param("severity", String.valueOf(severity)).param("limit", ISSUES_SHOWN)
                .query((rs, n) -> new Issue(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list();
    }

    @PostMapping("/reimports/{id}/start")
    @PreAuthorize("hasRole('ADMIN')")
    public String start(@PathVariable String id, @RequestParam(defaultValue = "false") boolean skipWarnings,
            RedirectAttributes redirect) {
        Import item = find(id);
        ImportStatus status = ImportStatus.of(item.status());
        if (status != ImportStatus.PREPARED) {
            redirect.addFlashAttribute("problem", "Re-import " + item.id() + (status == ImportStatus.APPLIED
                    || status == ImportStatus.REVERTED ? " already ran (it is " + item.status()
                    + "); an import starts once." : " is not prepared (it is " + item.status() + ")."));
            return "redirect:/reimports/" + item.id();
        }
        return launch(ReimportOptions.START_JOB, item, skipWarnings, redirect);
    }

    @PostMapping("/reimports/{id}/revert")
    @PreAuthorize("hasRole('ADMIN')")
    public String revert(@PathVariable String id, RedirectAttributes redirect) {
        Import item = find(id);
        ImportStatus status = ImportStatus.of(item.status());
        if (status != ImportStatus.APPLIED) {
            redirect.addFlashAttribute("problem", "Re-import " + item.id() + (status == ImportStatus.REVERTED
                    ? " was already reverted." : " has not been started (it is " + item.status()
                    + "); there is nothing to revert."));
            return "redirect:/reimports/" + item.id();
        }
        return launch(ReimportOptions.REVERT_JOB, item, false, redirect);
    }

    private String launch(String jobName, Import item, boolean skipWarnings, RedirectAttributes redirect) {
        try {
            ConsoleJobs.Started started = consoleJobs.run(jobs.get(jobName),
                    ReimportOptions.importParameters(item.id(), ConsoleModel.who(), skipWarnings));
            if (started.outcome() == JobRunner.Outcome.ALREADY_COMPLETED) {
                redirect.addFlashAttribute("notice", "That had run before: nothing was done now.");
            }
            return "redirect:/executions/" + started.executionId();
        }
        catch (ConsoleJobs.NotStarted e) {
            redirect.addFlashAttribute("problem", e.getMessage());
            return "redirect:/reimports/" + item.id();
        }
    }

    private Import find(String id) {
        long importId = Ids.parse(id);
        boolean known = jdbc.sql("select count(*) from import_batch where id = :id and kind = 'reimport'")
                .param("id", importId).query(Long.class).single() > 0;
        if (!known) {
            throw new NotFound();
        }
        return load(importId);
    }

    private Import load(long id) {
        Map<String, Object> row = jdbc.sql("""
                select file_name, created_by, created_at, tag, status,
                    (select count(*) from contact_before_image b where b.import_id = i.id) as images
                from import_batch i where id = :id""").param("id", id).query().singleRow();
        Long prepare = executions.lastExecutionOfInstance(ReimportOptions.PREPARE_JOB, id).orElse(null);
        Map<String, Long> counts = Map.of();
        if (prepare != null) {
            JobExecution execution = jobRepository.getJobExecution(prepare);
            if (execution != null) {
                JobSummary summary = summaries.summarize(execution);
                counts = summary.counts();
            }
        }
        Long start = executions.lastExecutionForImport(ReimportOptions.START_JOB, id).orElse(null);
        Long revert = executions.lastExecutionForImport(ReimportOptions.REVERT_JOB, id).orElse(null);
        return new Import(id, (String) row.get("file_name"), (String) row.get("created_by"),
                toOffset(row.get("created_at")), (String) row.get("tag"), (String) row.get("status"), prepare,
                counts, prepare == null ? List.of() : reports.forExecution(prepare), start,
                start == null ? List.of() : reports.forExecution(start), revert,
                revert == null ? List.of() : reports.forExecution(revert), ((Number) row.get("images")).longValue());
    }

    private static OffsetDateTime toOffset(Object value) {
        if (value instanceof OffsetDateTime) {
            return (OffsetDateTime) value;
        }
        if (value instanceof java.sql.Timestamp) {
            return ((java.sql.Timestamp) value).toInstant().atOffset(java.time.ZoneOffset.UTC);
        }
        return null;
    }
}
