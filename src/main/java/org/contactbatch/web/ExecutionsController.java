package org.contactbatch.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.contactbatch.reports.JobReports;
import org.contactbatch.jobs.ExecutionControl;
import org.contactbatch.jobs.ExecutionQueries;
import org.contactbatch.jobs.Failures;
import org.contactbatch.jobs.JobRunner;
import org.contactbatch.jobs.JobSummary;
import org.contactbatch.upload.FullDryRuns;
import org.contactbatch.upload.UploadOptions;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The first page: what ran, newest first; and one execution with its steps, parameters and reports. */
@Controller
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ExecutionsController {

    static final int PAGE = 25;

    /** A line of the list. */
    public record Row(long id, String job, String status, String started, String took, String by,
            Map<String, Long> counts, List<JobReports.Report> reports, Long importId) {

        public Long count(String name) {
            return counts.get(name);
        }
    }

    /** A step of one execution. */
    public record StepRow(String name, String status, long read, long written, long skipped, long filtered,
            long commits, long rollbacks, String took, String rate) {
    }

    /** A parameter of one execution. */
    public record Parameter(String name, String value, boolean identifying) {
    }

    private final ExecutionQueries queries;
    private final ExecutionSummaries summaries;
    private final JobReports reports;
    private final JobRepository jobRepository;
    private final ExecutionControl control;
    private final ConsoleJobs consoleJobs;
    private final FullDryRuns fullDryRuns;

    public ExecutionsController(ExecutionQueries queries, ExecutionSummaries summaries, JobReports reports,
            JobRepository jobRepository, ExecutionControl control, ConsoleJobs consoleJobs,
            FullDryRuns fullDryRuns) {
        this.queries = queries;
        this.summaries = summaries;
        this.reports = reports;
        this.jobRepository = jobRepository;
        this.control = control;
        this.consoleJobs = consoleJobs;
        this.fullDryRuns = fullDryRuns;
    }

    @GetMapping("/")
    public String home() {
        return "redirect:/executions";
    }

    @GetMapping("/executions")
    public String list(@RequestParam(defaultValue = "") String job, @RequestParam(defaultValue = "") String status,
            @RequestParam(defaultValue = "0") int page, Model model) {
        List<String> jobs = queries.jobNames();
        String jobFilter = jobs.contains(job) ? job : "";
        String statusFilter = Arrays.stream(BatchStatus.values()).anyMatch(s -> s.name().equals(status)) ? status : "";
        int current = Math.max(0, page);
        List<ExecutionQueries.Line> lines = queries.find(jobFilter, statusFilter, current * PAGE, PAGE + 1);
        boolean more = lines.size() > PAGE;
        lines = lines.subList(0, Math.min(PAGE, lines.size()));
        Map<Long, List<JobReports.Report>> files = reports.of(lines.stream().map(ExecutionQueries.Line::id)
                .toList());
        List<Row> rows = new ArrayList<>();
        boolean running = false;
        for (ExecutionQueries.Line line : lines) {
            JobSummary summary = summaries.cached(line.id(), line.created()).orElse(null);
            if (summary == null) {
                JobExecution execution = jobRepository.getJobExecution(line.id());
                summary = execution == null ? null : summaries.summarize(execution);
            }
            running |= BatchStatus.valueOf(line.status()).isRunning();
            rows.add(new Row(line.id(), line.job(), line.status(), Formats.time(line.started()),
                    Formats.duration(line.started(), line.ended()), line.by(),
                    summary == null ? Map.of() : summary.counts(), files.getOrDefault(line.id(), List.of()),
                    summary == null ? null : summary.importId()));
        }
        model.addAttribute("rows", rows);
        model.addAttribute("jobs", jobs);
        model.addAttribute("statuses", Arrays.stream(BatchStatus.values()).map(Enum::name).toList());
        model.addAttribute("job", jobFilter);
        model.addAttribute("status", statusFilter);
        model.addAttribute("page", current);
        model.addAttribute("more", more);
        model.addAttribute("refresh", running);
        return "executions";
    }

    @GetMapping("/executions/{id}")
    public String show(@PathVariable String id, Model model) {
        JobExecution execution = find(id);
        JobSummary summary = summaries.summarize(execution);
        List<StepRow> steps = execution.getStepExecutions().stream()
                .sorted(Comparator.comparing(StepExecution::getId))
                .map(step -> new StepRow(step.getStepName(), step.getStatus().name(), step.getReadCount(),
                        step.getWriteCount(), step.getSkipCount(), step.getFilterCount(), step.getCommitCount(),
                        step.getRollbackCount(), Formats.duration(step.getStartTime(), step.getEndTime()),
                        Formats.rate(Math.max(step.getReadCount(), step.getWriteCount()), step.getStartTime(),
                                step.getEndTime())))
                .toList();
        List<Parameter> parameters = new ArrayList<>();
        for (JobParameter<?> parameter : execution.getJobParameters().parameters()) {
            parameters.add(new Parameter(parameter.name(), String.valueOf(parameter.value()), parameter.identifying()));
        }
        parameters.sort(Comparator.comparing(Parameter::name));
        BatchStatus status = execution.getStatus();
        ExecutionControl.State state = control.state(execution);
        String error = null;
        String details = null;
        if (status.isUnsuccessful() || status == BatchStatus.STOPPED) {
            error = readable(summary.message() != null ? summary.message()
                    : Failures.rootMessage(execution).orElse(null));
            details = Failures.exitDescription(execution)
                    .map(exit -> exit.length() > 4000 ? exit.substring(0, 4000) + "…" : exit).orElse(null);
        }
        model.addAttribute("execution", execution);
        model.addAttribute("job", execution.getJobInstance().getJobName());
        model.addAttribute("status", status.name());
        model.addAttribute("started", Formats.time(execution.getStartTime()));
        model.addAttribute("ended", Formats.time(execution.getEndTime()));
        model.addAttribute("took", Formats.duration(execution.getStartTime(), execution.getEndTime()));
        model.addAttribute("by", execution.getJobParameters().getString("by"));
        model.addAttribute("counts", summary.counts());
        model.addAttribute("importId", summary.importId());
        model.addAttribute("steps", steps);
        model.addAttribute("parameters", parameters);
        model.addAttribute("reports", reports.of(execution.getId()));
        model.addAttribute("error", error);
        model.addAttribute("details", details);
        model.addAttribute("alive", state.alive());
        model.addAttribute("dead", state.dead());
        model.addAttribute("canStop", state.canStop());
        model.addAttribute("canRestart", state.canRestart());
        model.addAttribute("refresh", state.alive());
        model.addAttribute("dryRun", UploadOptions.JOB_NAME.equals(execution.getJobInstance().getJobName())
                && UploadOptions.from(execution.getJobParameters()).dryRun());
        model.addAttribute("canApply", fullDryRuns.canApply(execution));
        return "execution";
    }

    @PostMapping("/executions/{id}/restart")
    @PreAuthorize("hasRole('ADMIN')")
    public String restart(@PathVariable String id, RedirectAttributes redirect) {
        JobExecution execution = find(id);
        try {
            ConsoleJobs.Started started = consoleJobs.restart(execution.getId());
            redirect.addFlashAttribute("notice", started.outcome() == JobRunner.Outcome.ALREADY_COMPLETED
                    ? "It had completed before: nothing was done now."
                    : "Continuing execution " + execution.getId() + " from its last committed chunk.");
            return "redirect:/executions/" + started.executionId();
        }
        catch (ConsoleJobs.NotStarted e) {
            redirect.addFlashAttribute("problem", e.getMessage());
            return "redirect:/executions/" + execution.getId();
        }
    }

    @PostMapping("/executions/{id}/stop")
    @PreAuthorize("hasRole('ADMIN')")
    public String stop(@PathVariable String id, RedirectAttributes redirect) {
        JobExecution execution = find(id);
        try {
            // jobs stop asks the same, and refuses in the same words
            redirect.addFlashAttribute("notice", control.stop(execution.getId()));
        }
        catch (ExecutionControl.Refused e) {
            redirect.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/executions/" + execution.getId();
    }

    /**
     * An execution loaded from the repository has lost its exceptions; the first line of its exit
     * description names the exception's class before the message: people need only the message.
     */
    static String readable(String message) {
        return message == null ? null : Failures.withoutExceptionName(message);
    }

    private JobExecution find(String id) {
        long executionId = Ids.parse(id);
        JobExecution execution = queries.exists(executionId) ? jobRepository.getJobExecution(executionId) : null;
        if (execution == null) {
            throw new NotFound();
        }
        return execution;
    }
}
