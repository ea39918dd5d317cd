package org.contactbatch.web;

import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.contactbatch.reports.JobReports;
import org.contactbatch.files.FileProblemException;
import org.contactbatch.imports.ImportStatus;
import org.contactbatch.jobs.JobRequest;
import org.contactbatch.jobs.JobRunner;
import org.contactbatch.jobs.JobSummary;
import org.contactbatch.reimport.ReimportOptions;
import org.contactbatch.reimport.ReimportPlan;
import org.contactbatch.reimport.ReimportService;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
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
    /** How many re-imports the list page shows. */
    static final int LISTED = 100;

    /** A re-import as the pages show it. */
    public record Import(long id, String fileName, String createdBy, OffsetDateTime createdAt, String tag,
            String status, Long prepareExecution, Map<String, Long> counts, List<JobReports.Report> reports,
            Long startExecution, List<JobReports.Report> startReports, Long revertExecution,
            List<JobReports.Report> revertReports, long beforeImages) {

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

    /** How many errors and how many warnings the review page shows inline; the reports have them all. */
    static final int ISSUES_SHOWN = 20;

    private final ReimportService reimports;
    private final ExecutionSummaries summaries;
    private final JobReports reports;
    private final JobRepository jobRepository;
    private final ConsoleJobs consoleJobs;
    private final Map<String, Job> jobs;
    private final UploadStore store;

    public ReimportsController(ReimportService reimports, ExecutionSummaries summaries, JobReports reports,
            JobRepository jobRepository, ConsoleJobs consoleJobs, Map<String, Job> jobs, WebProperties webProperties) {
        this.store = new UploadStore(webProperties.uploadsDir());
        this.reimports = reimports;
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
        for (ReimportService.Reimport reimport : reimports.list(LISTED)) {
            (reimport.status() == ImportStatus.PREPARED ? waiting : done).add(load(reimport));
        }
        model.addAttribute("waiting", waiting);
        model.addAttribute("done", done);
        return "reimports";
    }

    @GetMapping("/reimports/{id}")
    public String show(@PathVariable String id, Model model) {
        Import item = find(id);
        model.addAttribute("item", item);
        model.addAttribute("changes", reimports.changes(item.id(), CHANGES_SHOWN));
        model.addAttribute("changesShown", CHANGES_SHOWN);
        model.addAttribute("errors", reimports.issues(item.id(), 'E', ISSUES_SHOWN));
        model.addAttribute("warnings", reimports.issues(item.id(), 'W', ISSUES_SHOWN));
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
            ConsoleJobs.Started started = run(reimports.prepare(options));
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

    @PostMapping("/reimports/{id}/start")
    @PreAuthorize("hasRole('ADMIN')")
    public String start(@PathVariable String id, @RequestParam(defaultValue = "false") boolean skipWarnings,
            RedirectAttributes redirect) {
        Import item = find(id);
        return launch(item, () -> reimports.start(item.id(), ConsoleModel.who(), skipWarnings), redirect);
    }

    @PostMapping("/reimports/{id}/revert")
    @PreAuthorize("hasRole('ADMIN')")
    public String revert(@PathVariable String id, RedirectAttributes redirect) {
        Import item = find(id);
        return launch(item, () -> reimports.revert(item.id(), ConsoleModel.who()), redirect);
    }

    private String launch(Import item, Supplier<JobRequest> run, RedirectAttributes redirect) {
        try {
            ConsoleJobs.Started started = run(run.get());
            if (started.outcome() == JobRunner.Outcome.ALREADY_COMPLETED) {
                redirect.addFlashAttribute("notice", "That had run before: nothing was done now.");
            }
            return "redirect:/executions/" + started.executionId();
        }
        catch (ReimportService.Refused | ConsoleJobs.NotStarted e) {
            redirect.addFlashAttribute("problem", e.getMessage());
            return "redirect:/reimports/" + item.id();
        }
    }

    private ConsoleJobs.Started run(JobRequest run) {
        return consoleJobs.run(jobs.get(run.jobName()), run.parameters());
    }

    private Import find(String id) {
        return load(reimports.find(Ids.parse(id)).orElseThrow(NotFound::new));
    }

    private Import load(ReimportService.Reimport reimport) {
        Long prepare = reimport.prepareExecution();
        Map<String, Long> counts = Map.of();
        if (prepare != null) {
            JobExecution execution = jobRepository.getJobExecution(prepare);
            if (execution != null) {
                JobSummary summary = summaries.summarize(execution);
                counts = summary.counts();
            }
        }
        Long start = reimport.startExecution();
        Long revert = reimport.revertExecution();
        return new Import(reimport.id(), reimport.fileName(), reimport.createdBy(), reimport.createdAt(),
                reimport.tag(), reimport.status().value(), prepare, counts, reportsOf(prepare), start,
                reportsOf(start), revert, reportsOf(revert), reimport.beforeImages());
    }

    private List<JobReports.Report> reportsOf(Long execution) {
        return execution == null ? List.of() : reports.of(execution);
    }
}
