package org.contactbatch.jobs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    /** A file up to this size has its line breaks counted; a larger one is sampled. */
    static final long COUNTED_UP_TO = 8 << 20;
    private static final int SAMPLES = 16;
    private static final int SAMPLE_BYTES = 256 << 10;

    /**
     * Rows in a text file, estimated from its line breaks (a quoted cell may have some); -1 for workbooks and
     * archives. Up to {@link #COUNTED_UP_TO} they are counted; in a larger file they are counted in 16 stretches
     * of 256 KB spread over it and scaled to its size, for a whole pass over a large file took half a second
     * before the staging could split it (its parts need equal shares, not exact ones).
     */
    public static long estimateRows(Path file, boolean header) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".xlsx") || name.endsWith(".xls") || name.endsWith(".gz") || name.endsWith(".zip")) {
            return -1;
        }
        long lines;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size <= COUNTED_UP_TO) {
                lines = lineBreaks(channel, 0, size);
            }
            else {
                long sampled = 0;
                long breaks = 0;
                for (int i = 0; i < SAMPLES; i++) {
                    long from = (size - SAMPLE_BYTES) / (SAMPLES - 1) * i;
                    breaks += lineBreaks(channel, from, SAMPLE_BYTES);
                    sampled += SAMPLE_BYTES;
                }
                lines = Math.round((double) breaks * size / sampled);
            }
        }
        catch (IOException e) {
            return -1;
        }
        return Math.max(0, header ? lines - 1 : lines);
    }

    private static long lineBreaks(FileChannel channel, long from, long length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        long lines = 0;
        for (long at = from, end = from + length; at < end; ) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), end - at));
            int n = channel.read(buffer, at);
            if (n <= 0) {
                break;
            }
            byte[] bytes = buffer.array();
            for (int i = 0; i < n; i++) {
                if (bytes[i] == '\n') {
                    lines++;
                }
            }
            at += n;
        }
        return lines;
    }
}
