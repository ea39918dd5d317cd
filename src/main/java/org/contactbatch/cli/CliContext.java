package org.contactbatch.cli;

import java.io.PrintWriter;
import java.util.function.Supplier;

import org.springframework.context.ApplicationContext;

/**
 * What every command needs: the Spring context, started only when a command really runs (so
 * {@code --help} and usage errors answer at once, without starting a database), and where to print.
 */
public final class CliContext {

    private final Supplier<? extends ApplicationContext> starter;
    private ApplicationContext context;
    final PrintWriter out;
    final PrintWriter err;

    public CliContext(Supplier<? extends ApplicationContext> starter, PrintWriter out, PrintWriter err) {
        this.starter = starter;
        this.out = out;
        this.err = err;
    }

    public <T> T bean(Class<T> type) {
        if (context == null) {
            context = starter.get();
        }
        return context.getBean(type);
    }

    public <T> java.util.Collection<T> beans(Class<T> type) {
        if (context == null) {
            context = starter.get();
        }
        return context.getBeansOfType(type).values();
    }

    public <T> T bean(String name, Class<T> type) {
        if (context == null) {
            context = starter.get();
        }
        return context.getBean(name, type);
    }
}
