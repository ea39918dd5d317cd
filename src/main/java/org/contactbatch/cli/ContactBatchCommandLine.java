package org.contactbatch.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

import org.contactbatch.config.EmbeddedPostgresEnvironmentPostProcessor;
import org.contactbatch.contacts.MappingFile;
import org.contactbatch.db.DatabaseUnavailableException;
import org.contactbatch.files.FileProblemException;
import org.contactbatch.jobs.JobRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;

/** The one executable's entry: picocli parses, the chosen command runs against the Spring context. */
public final class ContactBatchCommandLine {

    private ContactBatchCommandLine() {
    }

    /** From {@code main}: starts Spring Boot on first need, closes it at the end, returns the exit code. */
    public static int run(Class<?> application, String[] args) {
        Arguments arguments = Arguments.split(args);
        System.setProperty(EmbeddedPostgresEnvironmentPostProcessor.PROCESS_NAME_PROPERTY, arguments.describe());
        ConfigurableApplicationContext[] started = new ConfigurableApplicationContext[1];
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        CliContext[] context = new CliContext[1];
        Supplier<ApplicationContext> starter = () -> {
            // settings come from application.yml, the environment, -D system properties and the
            // --name=value arguments; the command's own options are picocli's alone
            ConfigurableEnvironment[] prepared = new ConfigurableEnvironment[1];
            SpringApplication spring = new SpringApplication(application);
            if (CommandLineAot.prepared()) {
                spring.setMainApplicationClass(CommandLineAot.class);
            }
            spring.addListeners((ApplicationListener<ApplicationEnvironmentPreparedEvent>) e -> prepared[0] = e.getEnvironment());
            try {
                started[0] = spring.run(arguments.spring().toArray(String[]::new));
                // beans are lazy on the command line: reach the database now (the schema check, Flyway when
                // needed), so a database that can't be used stops here in one line, not at the first query
                started[0].getBean(org.springframework.jdbc.core.simple.JdbcClient.class);
                // and bind (and check) this application's settings, so a bad one is the one-line failure too
                for (String name : started[0].getBeanNamesForAnnotation(
                        org.springframework.boot.context.properties.ConfigurationProperties.class)) {
                    Class<?> type = started[0].getType(name);
                    if (type != null && type.getName().startsWith("org.contactbatch.")) {
                        started[0].getBean(name);
                    }
                }
            }
            catch (RuntimeException e) {
                if (started[0] != null) {
                    // Spring Boot logs what fails while it starts; this failed just after: the whole story to the log too
                    org.slf4j.LoggerFactory.getLogger(ContactBatchCommandLine.class).error("The application could not start", e);
                }
                // the settings the failed start had, where it got that far
                throw StartupFailure.of(e, name -> prepared[0] != null ? prepared[0].getProperty(name) : context[0].setting(name));
            }
            return started[0];
        };
        context[0] = new CliContext(starter, arguments.spring(), out, err);
        try {
            return execute(context[0], arguments.command().toArray(String[]::new));
        }
        finally {
            if (started[0] != null) {
                started[0].close();
            }
        }
    }

    /** Runs one command line against a context; tests call this with their own. */
    public static int execute(CliContext context, String... args) {
        CommandLine commandLine = commandLine(context, args);
        int code = commandLine.execute(args);
        context.out.flush();
        context.err.flush();
        return code;
    }

    /** The command line for these arguments, set up as {@link #execute} runs it. */
    static CommandLine commandLine(CliContext context, String... args) {
        CommandLine commandLine = RootCommand.commandLine(context, args);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(context.out);
        commandLine.setErr(context.err);
        commandLine.setExitCodeExceptionMapper(ContactBatchCommandLine::exitCode);
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
            context.err.println("error: " + message(e));
            context.err.flush();
            return exitCode(e);
        });
        commandLine.setParameterExceptionHandler((e, args1) -> {
            context.err.println("error: " + e.getMessage());
            // "Did you mean: upload?" for a mistyped command or option
            CommandLine.UnmatchedArgumentException.printSuggestions(e, context.err);
            context.err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.USAGE;
        });
        commandLine.setExecutionStrategy(parsed -> {
            if (launchesJob(parsed)) {
                JobLaunchWarmUp.start();
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        return commandLine;
    }

    /** The command to run is a {@link JobCommand}, and it is to run rather than print its help. */
    static boolean launchesJob(CommandLine.ParseResult parsed) {
        List<CommandLine> chain = parsed.asCommandLineList();
        return chain.stream().noneMatch(command -> command.isUsageHelpRequested() || command.isVersionHelpRequested())
                && chain.get(chain.size() - 1).getCommand() instanceof JobCommand;
    }

    private static int exitCode(Throwable e) {
        Throwable t = root(e);
        if (t instanceof UsageException || t instanceof FileProblemException || t instanceof StartupFailure
                || t instanceof DatabaseUnavailableException
                || t instanceof MappingFile.InvalidMappingException || t instanceof IllegalArgumentException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.FAILED;
    }

    private static String message(Throwable e) {
        Throwable t = root(e);
        if (t instanceof JobRunner.AlreadyRunningException || t instanceof UsageException || t instanceof StartupFailure
                || t instanceof DatabaseUnavailableException
                || t instanceof FileProblemException || t instanceof MappingFile.InvalidMappingException
                || t instanceof IllegalArgumentException) {
            return t.getMessage();
        }
        // one line on the terminal; the whole story is in the log
        String message = t.getMessage() == null ? "" : ": " + t.getMessage().lines().findFirst().orElse("");
        return t.getClass().getSimpleName() + message;
    }

    private static Throwable root(Throwable e) {
        Throwable t = e;
        while (!(t instanceof UsageException || t instanceof FileProblemException || t instanceof StartupFailure
                || t instanceof DatabaseUnavailableException
                || t instanceof MappingFile.InvalidMappingException || t instanceof JobRunner.AlreadyRunningException)
                && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
