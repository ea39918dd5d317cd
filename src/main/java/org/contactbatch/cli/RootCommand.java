package org.contactbatch.cli;

import picocli.CommandLine.Command;

@Command(name = "contact-batch", mixinStandardHelpOptions = true, version = "contact-batch 0.1",
        description = "Batch jobs for an organisation's contacts in PostgreSQL.%n"
                + "With no database configured it uses an embedded PostgreSQL in the data home ($CONTACT_BATCH_HOME, "
                + "else ~/.local/share/contact-batch; see 'db status'); set SPRING_DATASOURCE_URL (with _USERNAME and "
                + "_PASSWORD) to use your own server.%n"
                + "Spring Boot settings may be given as --name=value, e.g. --server.port=9090 or --contact-batch.chunk-size=1000.",
        subcommands = {UploadCommand.class, ExportCommand.class, ReimportCommand.class, JobsCommand.class, CcCommand.class, ServeCommand.class, DbCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the job completed (rejected rows are in the report)",
                "1:the job failed and can be restarted",
                "2:bad usage, or a file that cannot be read (nothing was written)"})
public class RootCommand implements Runnable {

    private final CliContext context;

    public RootCommand(CliContext context) {
        this.context = context;
    }

    CliContext context() {
        return context;
    }

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(context.out);
    }
}
