package org.contactbatch.cli;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.contactbatch.files.FileHashes;
import org.contactbatch.imports.ImportStatus;
import org.contactbatch.jobs.JobRunner;
import org.contactbatch.jobs.JobSummarizer;
import org.contactbatch.jobs.JobSummary;
import org.contactbatch.jobs.Progress;
import org.contactbatch.reimport.ReimportOptions;
import org.contactbatch.reimport.ReimportService;
import org.contactbatch.reports.JobReports;
import org.springframework.batch.core.job.Job;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "reimport", mixinStandardHelpOptions = true,
        description = {"Edit and re-import by ID: export, edit the sheet, prepare, review, start (and revert).",
                "prepare stages and checks the sheet and stops with errors, warnings and changes reports; nothing "
                        + "changes until 'start'."},
        subcommands = {ReimportCommand.Prepare.class, ReimportCommand.Show.class, ReimportCommand.Start.class,
                ReimportCommand.Revert.class})
public class ReimportCommand implements Runnable {

    @ParentCommand
    private RootCommand root;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(root.context().out);
    }

    CliContext context() {
        return root.context();
    }

    /** Options every re-import command shares. */
    abstract static class Sub implements Callable<Integer> {

        @ParentCommand
        ReimportCommand parent;

        @Option(names = "--json", description = "print the summary as one JSON object")
        boolean json;

        @Option(names = "--no-progress", description = "no progress bar, even on a terminal")
        boolean noProgress;

        @Option(names = "--by", paramLabel = "NAME", description = "who does it (default: your user name)")
        String by = System.getProperty("user.name", "unknown");

        ReimportService service() {
            return parent.context().bean(ReimportService.class);
        }

        int launch(ReimportService.Run run) throws Exception {
            CliContext context = parent.context();
            context.bean(Progress.class).enable(!noProgress && !json && System.console() != null);
            JobRunner.Launch launch = context.bean(JobRunner.class)
                    .run(context.bean(run.jobName(), Job.class), run.parameters());
            JobSummary summary = summarizer(context, run.jobName()).summarize(launch);
            return SummaryPrinter.report(summary, launch.execution(), json, context);
        }
    }

    @Command(name = "prepare", mixinStandardHelpOptions = true,
            description = "Stages and checks an edited export; prints the import id and the counts.")
    static class Prepare extends Sub {

        @Parameters(paramLabel = "FILE", description = "the edited export (CSV, TXT, XLSX or XLS) with its id column")
        Path file;

        @Option(names = "--tag", paramLabel = "TAG", description = "a tag every updated contact gets")
        String tag;

        @Option(names = "--sheet", paramLabel = "NAME|N", description = "the workbook sheet to read (default: the first)")
        String sheet;

        @Option(names = "--encoding", paramLabel = "CHARSET", description = "text encoding (default: detected)")
        Charset encoding;

        @Option(names = "--delimiter", paramLabel = "C", description = "text delimiter: , ; | or tab (default: detected)")
        String delimiter;

        @Option(names = "--again", description = "prepare a file that was prepared before once more")
        boolean again;

        @Override
        public Integer call() throws Exception {
            Path path = file.toAbsolutePath().normalize();
            if (!Files.isRegularFile(path)) {
                throw new UsageException(file + ": no such file");
            }
            ReimportOptions options = new ReimportOptions(path, FileHashes.sha256(path), sheet, encoding,
                    UploadCommand.delimiter(delimiter), tag, by, again ? Instant.now().toString() : null);
            // a file without an id column, or unreadable, stops here: exit 2
            return launch(service().prepare(options));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A re-import's status, counts and reports.")
    static class Show extends Sub {

        @Parameters(paramLabel = "ID", description = "the import id prepare printed")
        long importId;

        private static final DateTimeFormatter SHOWN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

        @Override
        public Integer call() {
            CliContext context = parent.context();
            ReimportService.Reimport item = service().find(importId)
                    .orElseThrow(() -> new UsageException("there is no re-import " + importId));
            var out = context.out;
            out.printf("Re-import %d of %s: %s%n", importId, item.fileName(), item.status());
            out.printf("  prepared by %s at %s%s%n", item.createdBy(), SHOWN_TIME.format(item.createdAt()
                    .atZoneSameInstant(ZoneId.systemDefault())), item.tag() == null ? "" : "; tag: " + item.tag());
            Map<String, Long> executions = new LinkedHashMap<>();
            executions.put("prepare", item.prepareExecution());
            executions.put("start", item.startExecution());
            executions.put("revert", item.revertExecution());
            executions.forEach((job, execution) -> {
                if (execution != null) {
                    context.bean(JobReports.class).forExecution(execution)
                            .forEach((kind, path) -> out.printf("  %-8s %-12s %s%n", job, kind, path));
                }
            });
            if (item.status() == ImportStatus.PREPARED) {
                out.println("Apply it with: contact-batch reimport start " + importId);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Applies a prepared re-import: updates by id, keeps before-images, tags the contacts.")
    static class Start extends Sub {

        @Parameters(paramLabel = "ID", description = "the import id prepare printed")
        long importId;

        @Option(names = "--skip-warnings", description = "leave out the rows that have warnings")
        boolean skipWarnings;

        @Override
        public Integer call() throws Exception {
            return launch(service().start(importId, by, skipWarnings));
        }
    }

    @Command(name = "revert", mixinStandardHelpOptions = true,
            description = "Puts back what a started re-import changed, except where contacts changed again since.")
    static class Revert extends Sub {

        @Parameters(paramLabel = "ID", description = "the import id")
        long importId;

        @Override
        public Integer call() throws Exception {
            return launch(service().revert(importId, by));
        }
    }

    static JobSummarizer summarizer(CliContext context, String jobName) {
        return context.beans(JobSummarizer.class).stream()
                .filter(s -> s.jobName().equals(jobName)).findFirst().orElseThrow();
    }
}
