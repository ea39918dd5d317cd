package org.contactbatch.cli;

import java.util.concurrent.Callable;

import org.contactbatch.consent.ConsentRequestSummary;
import org.contactbatch.consent.ConsentRequests;
import org.contactbatch.jobs.JobRunner;
import org.contactbatch.jobs.JobSummary;
import org.contactbatch.jobs.Progress;
import org.contactbatch.upload.UploadOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "consent", mixinStandardHelpOptions = true,
        description = {"Consent requests by email (double opt-in) for contacts uploaded with --consent request.",
                "'upload FILE --consent request' asks the file's pending contacts at once; 'consent remind' (daily, "
                        + "from cron) sends the one reminder to those who have not answered and expires the requests "
                        + "nobody answered in time."},
        subcommands = {ConsentCommand.Send.class, ConsentCommand.Remind.class})
public class ConsentCommand implements Runnable {

    @ParentCommand
    private RootCommand root;

    @Override
    public void run() {
        new CommandLine(this).usage(root.context().out);
    }

    abstract static class Sub implements Callable<Integer> {

        @ParentCommand
        ConsentCommand parent;

        @Option(names = "--json", description = "print the summary as one JSON object")
        boolean json;

        @Option(names = "--by", paramLabel = "NAME", description = "who does it (default: your user name)")
        String by = System.getProperty("user.name", "unknown");

        @Option(names = "--no-progress", description = "no progress bar, even on a terminal")
        boolean noProgress;

        ConsentRequests requests() {
            CliContext context = parent.root.context();
            context.bean(Progress.class).enable(!noProgress && !json && System.console() != null);
            return context.bean(ConsentRequests.class);
        }

        int report(JobRunner.Launch launch) {
            CliContext context = parent.root.context();
            JobSummary summary = context.bean(ConsentRequestSummary.class).summarize(launch);
            return SummaryPrinter.report(summary, launch.execution(), json, context);
        }
    }

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = "Asks the pending contacts of an upload by email, as 'upload --consent request' does right "
                    + "after the upload; given again, it continues an interrupted run and emails nobody twice.")
    static class Send extends Sub {

        @Parameters(paramLabel = "UPLOAD", description = "the upload's import id (as its summary prints it)")
        long upload;

        @Override
        public Integer call() throws Exception {
            return report(requests().ask(upload, by));
        }
    }

    @Command(name = "remind", mixinStandardHelpOptions = true,
            description = "Sends the one reminder to each person who has not answered after "
                    + "contact-batch.consent.reminder-after (7 days), and expires the requests nobody answered after "
                    + "contact-batch.consent.expire-after (30 days).")
    static class Remind extends Sub {

        @Override
        public Integer call() throws Exception {
            return report(requests().remind(by));
        }
    }

    /** {@code upload FILE --consent request}: the upload, then (when it completed) the request of its contacts. */
    static int uploadThenAsk(CliContext context, JobSummary upload, JobRunner.Launch uploaded, boolean json,
            UploadOptions options) throws Exception {
        return report(context, upload, context.bean(ConsentRequests.class).uploadThenAsk(uploaded, options), json);
    }

    /** The upload's summary, and the request's when it asked: the exit code is the worse of the two. */
    static int report(CliContext context, JobSummary upload, ConsentRequests.Uploaded both, boolean json) {
        if (both.request() == null) {
            return SummaryPrinter.report(upload, both.upload().execution(), json, context);
        }
        JobSummary request = context.bean(ConsentRequestSummary.class).summarize(both.request());
        SummaryPrinter.printBoth(upload, "consentRequest", request, json, context.out);
        return Math.max(JobExitCodes.of(both.upload().execution()), JobExitCodes.of(both.request().execution()));
    }
}
