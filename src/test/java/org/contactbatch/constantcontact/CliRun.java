package org.contactbatch.constantcontact;

import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.contactbatch.cli.CliContext;
import org.contactbatch.cli.ContactBatchCommandLine;
import org.springframework.context.ApplicationContext;

/** A command line running in the background, whose output a test can wait for (what a person reads and acts on). */
final class CliRun {

    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();
    private final CompletableFuture<Integer> exit;

    private CliRun(ApplicationContext context, String... args) {
        PrintWriter outWriter = new PrintWriter(sink(out), true);
        PrintWriter errWriter = new PrintWriter(sink(err), true);
        exit = CompletableFuture.supplyAsync(() -> ContactBatchCommandLine.execute(
                new CliContext(() -> context, outWriter, errWriter), args));
    }

    static CliRun start(ApplicationContext context, String... args) {
        return new CliRun(context, args);
    }

    /** Waits until the output holds {@code regex}, and gives its first group (or the whole match). */
    String await(String regex, Duration timeout) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Matcher m = pattern.matcher(out);
            if (m.find()) {
                return m.groupCount() > 0 ? m.group(1) : m.group();
            }
            if (exit.isDone()) {
                throw new AssertionError("the command ended (exit " + exit.join() + ") without printing " + regex
                        + "\nout: " + out + "\nerr: " + err);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("nothing like " + regex + " within " + timeout + "\nout: " + out + "\nerr: " + err);
    }

    int exitCode(Duration timeout) throws Exception {
        return exit.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }

    private static Writer sink(StringBuffer buffer) {
        return new Writer() {
            @Override
            public void write(char[] chars, int off, int len) {
                buffer.append(chars, off, len);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }
}
