package org.contactbatch.cli;

import picocli.CommandLine.Option;

/** Who does it, recorded with what the command changes. */
final class ByOption {

    @Option(names = "--by", paramLabel = "NAME", description = "who does it, recorded with what it changes (default: "
            + "your user name)")
    String by = System.getProperty("user.name", "unknown");
}
