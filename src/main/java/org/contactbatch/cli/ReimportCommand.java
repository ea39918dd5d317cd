package org.contactbatch.cli;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

import org.contactbatch.files.FileHashes;
import org.contactbatch.imports.ImportStatus;
import org.contactbatch.jobs.JobRunner;
import org.contactbatch.jobs.JobSummarizer;
import org.contactbatch.jobs.JobSummary;
import org.contactbatch.jobs.Progress;
import org.contactbatch.reimport.ReimportOptions;
import org.contactbatch.reimport.ReimportPlan;
import org.contactbatch.reimport.ReimportSummaries.ReimportImports;
import org.contactbatch.reports.JobReports;
import org.springframework.batch.core.job.Job;
import org.springframework.jdbc.core.simple.JdbcClient;
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

        int launch(String jobName, JobRunner.Launcher launcher) throws Exception {
            CliContext context = parent.context();
            context.bean(Progress.class).enable(!noProgress && !json && System.console() != null);
            JobRunner.Launch launch = launcher.launch(context.bean(JobRunner.class), context.bean(jobName, Job.class));
            JobSummary summary = summarizer(context, jobName).summarize(launch);
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
            ReimportPlan.of(options); // a file without an id column, or unreadable, stops here: exit 2
            return launch(ReimportOptions.PREPARE_JOB, (runner, job) -> runner.run(job, options.toJobParameters()));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A re-import's status, counts and reports.")
    static class Show extends Sub {

        @Parameters(paramLabel = "ID", description = "the import id prepare printed")
        long importId;

        @Override
        public Integer call() {
            CliContext context = parent.context();
            ImportStatus status = context.bean(ReimportImports.class).status(importId)
                    .orElseThrow(() -> new UsageException("there is no re-import " + importId));
            Map<String, Object> row = context.bean(JdbcClient.class).sql("""
                    select file_name, created_by, to_char(created_at, 'YYYY-MM-DD HH24:MI:SS TZ') as created_at, tag
                    from import_batch where id = :id""")
                    .param("id", importId).query().singleRow();
            var out = context.out;
            out.printf("Re-import %d of %s: %s%n", importId, row.get("file_name"), status);
            out.printf("  prepared by %s at %s%s%n", row.get("created_by"), row.get("created_at"),
                    row.get("tag") == null ? "" : "; tag: " + row.get("tag"));
            JdbcClient jdbc = context.bean(JdbcClient.class);
            for (String job : new String[] {ReimportOptions.PREPARE_JOB, ReimportOptions.START_JOB,
                    ReimportOptions.REVERT_JOB}) {
                Long execution = jdbc.sql("""
                        select max(e.job_execution_id) from batch_job_execution e
                        join batch_job_instance i on i.job_instance_id = e.job_instance_id
                        where i.job_name = :job and (i.job_instance_id = :id or exists (
                            select 1 from batch_job_execution_params p where p.job_execution_id = e.job_execution_id
                              and p.parameter_name = 'importId' and p.parameter_value = cast(:id as text)))""")
                        .param("job", job).param("id", importId).query(Long.class).optional().orElse(null);
                if (execution == null) {
                    continue;
                }
                context.bean(JobReports.class).forExecution(execution)
                        .forEach((kind, path) -> out.printf("  %-8s %-12s %s%n", job.substring(8).toLowerCase(), kind, path));
            }
            if (status == ImportStatus.PREPARED) {
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
            ImportStatus status = parent.context().bean(ReimportImports.class).status(importId)
                    .orElseThrow(() -> new UsageException("there is no re-import " + importId));
            if (status == ImportStatus.APPLIED || status == ImportStatus.REVERTED) {
                throw new UsageException("re-import " + importId + " already ran (it is " + status
                        + "); an import starts once");
            }
            if (status != ImportStatus.PREPARED) {
                throw new UsageException("re-import " + importId + " is not prepared yet (it is " + status + ")");
            }
            return launch(ReimportOptions.START_JOB, (runner, job) ->
                    runner.run(job, ReimportOptions.importParameters(importId, by, skipWarnings)));
        }
    }

    @Command(name = "revert", mixinStandardHelpOptions = true,
            description = "Puts back what a started re-import changed, except where contacts changed again since.")
    static class Revert extends Sub {

        @Parameters(paramLabel = "ID", description = "the import id")
        long importId;

        @Override
        public Integer call() throws Exception {
            ImportStatus status = parent.context().bean(ReimportImports.class).status(importId)
                    .orElseThrow(() -> new UsageException("there is no re-import " + importId));
            if (status == ImportStatus.REVERTED) {
                throw new UsageException("re-import " + importId + " was already reverted");
            }
            if (status != ImportStatus.APPLIED) {
                throw new UsageException("re-import " + importId + " has not been started (it is " + status
                        + "); there is nothing to revert");
            }
            return launch(ReimportOptions.REVERT_JOB, (runner, job) ->
                    runner.run(job, ReimportOptions.importParameters(importId, by, false)));
        }
    }

    static JobSummarizer summarizer(CliContext context, String jobName) {
        return context.beans(JobSummarizer.class).stream()
                .filter(s -> s.jobName().equals(jobName)).findFirst().orElseThrow();
    }
}
