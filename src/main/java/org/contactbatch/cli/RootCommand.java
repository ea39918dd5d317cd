package org.contactbatch.cli;

import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "contact-batch", mixinStandardHelpOptions = true, version = "contact-batch 0.1",
        description = "Batch jobs for an organisation's contacts in PostgreSQL.%n"
                + "With no database configured it uses an embedded PostgreSQL in the data home ($CONTACT_BATCH_HOME, "
                + "else ~/.local/share/contact-batch; see 'db status'); set SPRING_DATASOURCE_URL (with _USERNAME and "
                + "_PASSWORD) to use your own server.%n"
                + "Spring Boot settings may be given as --name=value, e.g. --server.port=9090 or --contact-batch.chunk-size=1000.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the job completed (rejected rows are in the report)",
                "1:the job failed and can be restarted",
                "2:bad usage, or a file that cannot be read (nothing was written)"})
public class RootCommand implements Runnable {

    /** The commands, in the order the usage lists them. */
    static final List<Class<?>> COMMANDS = List.of(UploadCommand.class, ExportCommand.class, ReimportCommand.class,
            JobsCommand.class, CcCommand.class, ConsentCommand.class, ServeCommand.class, DbCommand.class);

    private final CliContext context;

    @Spec
    private CommandSpec spec;

    public RootCommand(CliContext context) {
        this.context = context;
    }

    CliContext context() {
        return context;
    }

    /**
     * The command line for these arguments. picocli reads every option of every command it is given, by
     * reflection, before it parses anything; a run of one command gets that command alone (with its own
     * subcommands). Arguments that name no command (the usage, a mistyped command) get them all as the usage
     * lists them, by name and description only, which is all the usage and "did you mean" read.
     */
    static CommandLine commandLine(CliContext context, String... args) {
        CommandLine commandLine = new CommandLine(new RootCommand(context));
        String first = args.length > 0 ? args[0] : "";
        List<Class<?>> named = COMMANDS.stream()
                .filter(command -> command.getAnnotation(Command.class).name().equals(first)).toList();
        if (named.isEmpty()) {
            COMMANDS.forEach(command -> commandLine.addSubcommand(listed(command)));
        }
        else {
            named.forEach(commandLine::addSubcommand);
        }
        return commandLine;
    }

    /** The command line with every command whole, as a run of each one reads it. */
    static CommandLine whole(CliContext context) {
        CommandLine commandLine = new CommandLine(new RootCommand(context));
        COMMANDS.forEach(commandLine::addSubcommand);
        return commandLine;
    }

    /** A command as the usage lists it: its name and description, without reading its options. */
    private static CommandSpec listed(Class<?> command) {
        Command annotation = command.getAnnotation(Command.class);
        CommandSpec spec = CommandSpec.create().name(annotation.name());
        spec.usageMessage().description(annotation.description());
        return spec;
    }

    @Override
    public void run() {
        spec.commandLine().usage(context.out);
    }
}
