package org.contactbatch.cli;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

import org.contactbatch.consent.ConsentRequests;
import org.contactbatch.jobs.ExecutionControl;
import org.contactbatch.jobs.ExecutionQueries;
import org.contactbatch.jobs.Failures;
import org.contactbatch.jobs.JobRunner;
import org.contactbatch.jobs.JobSummaries;
import org.contactbatch.reports.JobReports;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "jobs", mixinStandardHelpOptions = true, description = "Lists, shows, restarts and stops job executions.",
        subcommands = {JobsCommand.ListJobs.class, JobsCommand.Show.class, JobsCommand.Restart.class,
                JobsCommand.Stop.class})
public class JobsCommand implements Runnable {

    @ParentCommand
    private RootCommand root;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(root.context().out);
    }

    private static final DateTimeFormatter SHORT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    CliContext context() {
        return root.context();
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The latest job executions, newest first.")
    static class ListJobs implements Callable<Integer> {

        @ParentCommand
        private JobsCommand parent;

        @Option(names = "--limit", defaultValue = "20", description = "how many (default: ${DEFAULT-VALUE})")
        private int limit;

        @Override
        public Integer call() {
            CliContext context = parent.context();
            List<String[]> rows = context.bean(ExecutionQueries.class).find("", "", 0, limit).stream()
                    .map(line -> new String[] {Long.toString(line.id()), line.job(), line.status(),
                            shortTime(line.started()), duration(line.started(), line.ended())})
                    .toList();
            int jobWidth = rows.stream().mapToInt(row -> row[1].length()).max().orElse(0);
            String format = "%6s  %-" + Math.max(10, jobWidth) + "s %-10s %-19s %s%n";
            context.out.printf(format, "ID", "JOB", "STATUS", "STARTED", "TOOK");
            rows.forEach(row -> context.out.printf(format, (Object[]) row));
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One execution: steps, counts, reports, error.")
    static class Show implements Callable<Integer> {

        @ParentCommand
        private JobsCommand parent;

        @Parameters(paramLabel = "ID", description = "the execution id")
        private long id;

        @Override
        public Integer call() {
            CliContext context = parent.context();
            JobExecution execution = JobRunner.find(context.bean(JobRepository.class), id)
                    .orElseThrow(() -> new UsageException("there is no job execution " + id));
            var out = context.out;
            out.printf("Execution %d of %s: %s%n", id, execution.getJobInstance().getJobName(), execution.getStatus());
            out.printf("  started %s, %s%n", shortTime(execution.getStartTime()),
                    execution.getEndTime() == null ? "not ended" : "took " + duration(execution.getStartTime(), execution.getEndTime()));
            out.println("  parameters: " + execution.getJobParameters().parameters().stream()
                    .map(p -> p.name() + "=" + p.value()).sorted().toList());
            // the job's own counts, as its command printed them (a consent request's answers are counted now)
            context.bean(JobSummaries.class).of(execution.getJobInstance().getJobName())
                    .ifPresent(s -> out.println("  counts: " + s.summarize(new JobRunner.Launch(execution,
                            JobRunner.Outcome.STARTED)).counts().entrySet().stream()
                            .map(c -> c.getKey() + " " + String.format("%,d", c.getValue()))
                            .collect(java.util.stream.Collectors.joining(", "))));
            for (StepExecution step : execution.getStepExecutions()) {
                out.printf("  step %-14s %-10s %8s  read %,d  written %,d  skipped %,d%n", step.getStepName(),
                        step.getStatus(), duration(step.getStartTime(), step.getEndTime()), step.getReadCount(),
                        step.getWriteCount(), step.getSkipCount());
            }
            var reports = context.bean(JobReports.class).forExecution(id);
            int width = reports.keySet().stream().mapToInt(String::length).max().orElse(0);
            reports.forEach((kind, path) -> out.printf("  report %-" + width + "s  %s%n", kind, path));
            Failures.rootMessage(execution).ifPresent(error -> out.println("  error: " + error));
            return ExitCodes.OK;
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true,
            description = "Continues a failed, stopped or killed execution from its last committed chunk.")
    static class Restart implements Callable<Integer>, JobCommand {

        @ParentCommand
        private JobsCommand parent;

        @Parameters(paramLabel = "ID", description = "the execution id")
        private long id;

        @Mixin
        private OutputOptions output;

        @Override
        public Integer call() throws Exception {
            CliContext context = parent.context();
            output.showProgress(context);
            // an upload with --consent request asks its contacts once it completes, however it got there
            ConsentRequests.Uploaded both = context.bean(ConsentRequests.class).restartThenAsk(id);
            return SummaryPrinter.reportUpload(context, SummaryPrinter.summarize(context, both.upload()), both,
                    output.json);
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Asks a running execution to stop after its current chunk; restart it later.")
    static class Stop implements Callable<Integer> {

        @ParentCommand
        private JobsCommand parent;

        @Parameters(paramLabel = "ID", description = "the execution id")
        private long id;

        @Override
        public Integer call() throws Exception {
            CliContext context = parent.context();
            // the console's Stop button asks the same, and refuses in the same words
            context.out.println(context.bean(ExecutionControl.class).stop(id));
            return ExitCodes.OK;
        }
    }

    /** To the second, always with the seconds (LocalDateTime's own text leaves out ":00"). */
    static String shortTime(LocalDateTime time) {
        return time == null ? "-" : SHORT_TIME.format(time);
    }

    static String duration(LocalDateTime start, LocalDateTime end) {
        if (start == null || end == null) {
            return "-";
        }
        Duration d = Duration.between(start, end);
        return d.toMinutes() > 0 ? d.toMinutes() + "m " + d.toSecondsPart() + "s" : d.toMillis() / 1000.0 + "s";
    }
}
