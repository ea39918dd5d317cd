package org.contactbatch.cli;

import org.contactbatch.jobs.Progress;
import org.contactbatch.launch.WarmSpare;
import picocli.CommandLine.Option;

/** How a command that runs a job prints: for people (a progress bar on a terminal, then the summary) or as JSON. */
final class OutputOptions {

    @Option(names = "--json", description = "print the summary as one JSON object")
    boolean json;

    @Option(names = "--no-progress", description = "no progress bar, even on a terminal")
    boolean noProgress;

    /** A progress bar while the job runs, where someone watches it: on a terminal, unless told otherwise. */
    void showProgress(CliContext context) {
        context.bean(Progress.class).enable(!noProgress && !json && WarmSpare.onTerminal());
    }
}
