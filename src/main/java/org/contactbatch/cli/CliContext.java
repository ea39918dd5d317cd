package org.contactbatch.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;

import org.contactbatch.config.EnvironmentVariableAliases;
import org.contactbatch.jobs.JobRequest;
import org.contactbatch.jobs.JobRunner;
import org.springframework.batch.core.job.Job;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.PropertyResolver;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * What every command needs: the Spring context, started only when a command really runs (so
 * {@code --help} and usage errors answer at once, without starting a database), and where to print.
 */
public final class CliContext {

    private final Supplier<? extends ApplicationContext> starter;
    private final List<String> springArguments;
    private ApplicationContext context;
    private PropertyResolver settings;
    final PrintWriter out;
    final PrintWriter err;

    public CliContext(Supplier<? extends ApplicationContext> starter, PrintWriter out, PrintWriter err) {
        this(starter, List.of(), out, err);
    }

    /**
     * @param springArguments the {@code --name=value} arguments the command line hands to Spring,
     *                        also seen by {@link #setting(String)}
     */
    public CliContext(Supplier<? extends ApplicationContext> starter, List<String> springArguments,
            PrintWriter out, PrintWriter err) {
        this.starter = starter;
        this.springArguments = List.copyOf(springArguments);
        this.out = out;
        this.err = err;
    }

    public <T> T bean(Class<T> type) {
        return context().getBean(type);
    }

    public <T> T bean(String name, Class<T> type) {
        return context().getBean(name, type);
    }

    /** Runs the job a service asked for (or continues its interrupted run) and waits for it. */
    public JobRunner.Launch run(JobRequest request) throws Exception {
        return bean(JobRunner.class).run(bean(request.jobName(), Job.class), request.parameters());
    }

    /**
     * A setting as the application would see it — from the arguments, {@code -D}, the environment in
     * either form, or {@code application.yml} — without starting the application: for commands such as {@code db status}
     * that must work when the application cannot start.
     */
    public String setting(String name) {
        if (settings == null) {
            StandardEnvironment environment = new StandardEnvironment();
            environment.getPropertySources().addFirst(
                    new SimpleCommandLinePropertySource(springArguments.toArray(String[]::new)));
            new EnvironmentVariableAliases().postProcessEnvironment(environment, null);
            ConfigurationPropertySources.attach(environment);
            // application.yml (the jar's, the working directory's, --spring.config.location), as Spring reads them
            ConfigDataEnvironmentPostProcessor.applyTo(environment);
            settings = environment;
        }
        return settings.getProperty(name);
    }

    private ApplicationContext context() {
        if (context == null) {
            context = starter.get();
        }
        return context;
    }
}
