package org.contactbatch.cli;

import java.util.concurrent.Callable;

import org.contactbatch.consent.ConsentRequests;
import org.contactbatch.jobs.JobRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    abstract static class Sub implements Callable<Integer>, JobCommand {

        @ParentCommand
        ConsentCommand parent;

        @Mixin
        OutputOptions output;

        @Mixin
        ByOption who;

        ConsentRequests requests() {
            CliContext context = parent.root.context();
            output.showProgress(context);
            return context.bean(ConsentRequests.class);
        }

        int report(JobRunner.Launch launch) {
            return SummaryPrinter.report(parent.root.context(), launch, output.json);
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
            return report(requests().ask(upload, who.by));
        }
    }

    @Command(name = "remind", mixinStandardHelpOptions = true,
            description = "Sends the one reminder to each person who has not answered after "
                    + "contact-batch.consent.reminder-after (7 days), and expires the requests nobody answered after "
                    + "contact-batch.consent.expire-after (30 days).")
    static class Remind extends Sub {

        @Override
        public Integer call() throws Exception {
            return report(requests().remind(who.by));
        }
    }
}
