package org.contactbatch.cli;

import picocli.CommandLine.Option;

/** Who does it, recorded with the command's job (shown by {@code jobs show} and the console) and what it changes. */
final class ByOption {

    @Option(names = "--by", paramLabel = "NAME", description = "who does it, recorded with the job and "
            + "what it changes (default: your user name)")
    String by = System.getProperty("user.name", "unknown");
}
