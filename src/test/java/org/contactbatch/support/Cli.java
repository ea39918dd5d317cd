package org.contactbatch.support;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.contactbatch.cli.CliContext;
import org.contactbatch.cli.ContactBatchCommandLine;
import org.springframework.context.ApplicationContext;

/** Runs the command line in the test's own Spring context and keeps what it printed. */
public final class Cli {

    /** What one command did. */
    public record Result(int exitCode, String out, String err) {
    }

    private final ApplicationContext context;

    public Cli(ApplicationContext context) {
        this.context = context;
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ContactBatchCommandLine.execute(
                new CliContext(() -> context, new PrintWriter(out, true), new PrintWriter(err, true)), args);
        return new Result(code, out.toString(), err.toString());
    }
}
