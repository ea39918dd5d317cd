package org.contactbatch.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A command line split in two: Spring Boot's {@code --name=value} settings ({@code --server.port=9090},
 * {@code --spring.config.location=…}, {@code --contact-batch.chunk-size=1000}), which go to Spring as
 * its command-line arguments, and the rest, which is the command's. A setting's name always has a
 * dot and the command's options never do, so the two cannot be confused; after {@code --} everything
 * is the command's.
 */
record Arguments(List<String> spring, List<String> command) {

    private static final Pattern SETTING = Pattern.compile("--[A-Za-z][A-Za-z0-9_-]*(\\.[A-Za-z0-9_\\[\\]-]+)+=.*", Pattern.DOTALL);

    static Arguments split(String... args) {
        List<String> spring = new ArrayList<>();
        List<String> command = new ArrayList<>();
        boolean optionsEnded = false;
        for (String arg : args) {
            if (!optionsEnded && arg.equals("--")) {
                optionsEnded = true;
                command.add(arg);
            }
            else if (!optionsEnded && SETTING.matcher(arg).matches()) {
                spring.add(arg);
            }
            else {
                command.add(arg);
            }
        }
        return new Arguments(spring, command);
    }

    /** The command and its first operand, e.g. {@code upload contacts.csv}: how {@code db status} names the process. */
    String describe() {
        List<String> words = new ArrayList<>();
        for (String arg : command) {
            if (arg.startsWith("-")) {
                continue;
            }
            String name = arg.substring(arg.lastIndexOf('/') + 1);
            words.add(name);
            if (words.size() == 2) {
                break;
            }
        }
        return String.join(" ", words);
    }
}
