package org.contactbatch.cli;

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
import org.contactbatch.jobs.JobRequest;
import org.contactbatch.reimport.ReimportOptions;
import org.contactbatch.reimport.ReimportService;
import org.contactbatch.reports.JobReports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.json.JsonMapper;

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

    abstract static class Sub implements Callable<Integer> {

        @ParentCommand
        ReimportCommand parent;

        ReimportService service() {
            return parent.context().bean(ReimportService.class);
        }
    }

    /** Options every re-import command that runs a job shares. */
    abstract static class JobSub extends Sub implements JobCommand {

        @Mixin
        OutputOptions output;

        @Mixin
        ByOption who;

        int launch(JobRequest request) throws Exception {
            CliContext context = parent.context();
            output.showProgress(context);
            return SummaryPrinter.report(context, context.run(request), output.json);
        }
    }

    @Command(name = "prepare", mixinStandardHelpOptions = true,
            description = "Stages and checks an edited export; prints the import id and the counts.")
    static class Prepare extends JobSub {

        @Parameters(paramLabel = "FILE", description = "the edited export (CSV, TXT, XLSX or XLS) with its id column")
        Path file;

        @Option(names = "--tag", paramLabel = "TAG", description = "a tag every updated contact gets")
        String tag;

        @Mixin
        FileReadOptions read;

        @Option(names = "--again", description = "prepare a file that was prepared before once more")
        boolean again;

        @Override
        public Integer call() throws Exception {
            Path path = file.toAbsolutePath().normalize();
            if (!Files.isRegularFile(path)) {
                throw new UsageException(file + ": no such file");
            }
            ReimportOptions options = new ReimportOptions(path, FileHashes.sha256(path), read.sheet, read.encoding,
                    read.delimiter(), tag, who.by, again ? Instant.now().toString() : null);
            // a file without an id column, or unreadable, stops here: exit 2
            return launch(service().prepare(options));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A re-import's status, counts and reports.")
    static class Show extends Sub {

        @Parameters(paramLabel = "ID", description = "the import id prepare printed")
        long importId;

        @Option(names = "--json", description = "print it as one JSON object: status, who prepared it, its executions "
                + "and reports by job")
        boolean json;

        private static final DateTimeFormatter SHOWN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

        @Override
        public Integer call() {
            CliContext context = parent.context();
            ReimportService.Reimport item = service().find(importId)
                    .orElseThrow(() -> new UsageException("there is no re-import " + importId));
            var out = context.out;
            if (json) {
                // the names the job summaries use: importId, status as the console shows it
                Map<String, Object> object = new LinkedHashMap<>();
                object.put("importId", item.id());
                object.put("file", item.fileName());
                object.put("status", item.status().value());
                object.put("preparedBy", item.createdBy());
                object.put("preparedAt", item.createdAt().toString());
                object.put("tag", item.tag());
                object.put("beforeImages", item.beforeImages());
                object.put("executions", jobs(item));
                Map<String, Map<String, String>> reports = new LinkedHashMap<>();
                jobs(item).forEach((job, execution) -> {
                    Map<String, String> paths = new LinkedHashMap<>();
                    context.bean(JobReports.class).forExecution(execution).forEach((kind, path) -> paths.put(kind,
                            path.toString()));
                    reports.put(job, paths);
                });
                object.put("reports", reports);
                out.println(JsonMapper.shared().writeValueAsString(object));
                return ExitCodes.OK;
            }
            out.printf("Re-import %d of %s: %s%n", importId, item.fileName(), item.status());
            out.printf("  prepared by %s at %s%s%n", item.createdBy(), SHOWN_TIME.format(item.createdAt()
                    .atZoneSameInstant(ZoneId.systemDefault())), item.tag() == null ? "" : "; tag: " + item.tag());
            jobs(item).forEach((job, execution) -> context.bean(JobReports.class).forExecution(execution)
                    .forEach((kind, path) -> out.printf("  %-8s %-12s %s%n", job, kind, path)));
            if (item.status() == ImportStatus.PREPARED) {
                out.println("Apply it with: contact-batch reimport start " + importId);
            }
            return ExitCodes.OK;
        }

        /** The latest execution of each of the re-import's jobs that ran, in the order they run. */
        private static Map<String, Long> jobs(ReimportService.Reimport item) {
            Map<String, Long> executions = new LinkedHashMap<>();
            executions.put("prepare", item.prepareExecution());
            executions.put("start", item.startExecution());
            executions.put("revert", item.revertExecution());
            executions.values().removeIf(java.util.Objects::isNull);
            return executions;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Applies a prepared re-import: updates by id, keeps before-images, tags the contacts.")
    static class Start extends JobSub {

        @Parameters(paramLabel = "ID", description = "the import id prepare printed")
        long importId;

        @Option(names = "--skip-warnings", description = "leave out the rows that have warnings")
        boolean skipWarnings;

        @Override
        public Integer call() throws Exception {
            return launch(service().start(importId, who.by, skipWarnings));
        }
    }

    @Command(name = "revert", mixinStandardHelpOptions = true,
            description = "Puts back what a started re-import changed, except where contacts changed again since.")
    static class Revert extends JobSub {

        @Parameters(paramLabel = "ID", description = "the import id")
        long importId;

        @Override
        public Integer call() throws Exception {
            return launch(service().revert(importId, who.by));
        }
    }
}
