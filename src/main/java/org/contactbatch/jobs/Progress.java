package org.contactbatch.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

/**
 * Progress of long steps on the terminal (rows done, rows per second, time left), on stderr so
 * stdout stays clean for the summary or {@code --json}. Off unless the command line turns it on
 * for an interactive terminal.
 */
@Component
public class Progress {

    private volatile boolean enabled;

    public void enable(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * A listener that shows one bar while its step runs.
     *
     * @param task  what the step does, in a word or two
     * @param total how many rows the step will handle, -1 when unknown
     * @param done  how many it has handled so far
     */
    public StepExecutionListener forStep(String task, ToLongFunction<StepExecution> total,
            ToLongFunction<StepExecution> done) {
        return new StepExecutionListener() {
            private ProgressBar bar;
            private ScheduledExecutorService ticker;

            @Override
            public void beforeStep(StepExecution stepExecution) {
                if (!enabled) {
                    return;
                }
                bar = new ProgressBarBuilder()
                        .setTaskName(task)
                        .setInitialMax(total.applyAsLong(stepExecution))
                        .setUnit(" rows", 1)
                        .showSpeed()
                        .setStyle(ProgressBarStyle.ASCII)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err))
                        .setUpdateIntervalMillis(250)
                        .build();
                ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread thread = new Thread(r, "progress");
                    thread.setDaemon(true);
                    return thread;
                });
                // the step updates its execution after each chunk; sampling it keeps the step's own code free of display
                ticker.scheduleAtFixedRate(() -> bar.stepTo(done.applyAsLong(stepExecution)), 200, 200,
                        TimeUnit.MILLISECONDS);
            }

            @Override
            public ExitStatus afterStep(StepExecution stepExecution) {
                if (bar != null) {
                    ticker.shutdownNow();
                    long finished = done.applyAsLong(stepExecution);
                    if (stepExecution.getStatus().isUnsuccessful()) {
                        bar.stepTo(finished);
                    }
                    else {
                        bar.maxHint(finished);
                        bar.stepTo(finished);
                    }
                    bar.close();
                    bar = null;
                }
                return null;
            }
        };
    }

    /** Rows in a text file, estimated from its line breaks (fast: one pass over the bytes); -1 for workbooks and archives. */
    public static long estimateRows(Path file, boolean header) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".xlsx") || name.endsWith(".xls") || name.endsWith(".gz") || name.endsWith(".zip")) {
            return -1;
        }
        long lines = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        catch (IOException e) {
            return -1;
        }
        return Math.max(0, header ? lines - 1 : lines);
    }
}
