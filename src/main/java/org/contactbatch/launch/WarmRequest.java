package org.contactbatch.launch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a command asks of a warm process: its folder, whether a terminal watches its output, its arguments and its
 * environment. The warm process runs only the command of the folder and environment it was itself started with.
 */
record WarmRequest(String folder, boolean terminal, List<String> args, Map<String, String> environment) {

    /** Environment variables that differ between a command and the warm process started after it. */
    private static final List<String> SHELL_OWN = List.of("_", "OLDPWD", "SHLVL");

    /** This process's request to run {@code args}. */
    static WarmRequest here(String[] args) {
        return new WarmRequest(currentFolder(), System.console() != null, List.of(args), currentEnvironment());
    }

    /** Whether a process with this folder and environment may run it. */
    boolean sameAsHere() {
        return folder.equals(currentFolder()) && environment.equals(currentEnvironment());
    }

    byte[] bytes() {
        List<String> values = new ArrayList<>();
        values.add(folder);
        values.add(String.valueOf(terminal));
        values.add(String.valueOf(args.size()));
        values.addAll(args);
        environment.forEach((name, value) -> values.add(name + "=" + value));
        return Frames.strings(values);
    }

    static WarmRequest of(byte[] body) throws IOException {
        List<String> values = Frames.strings(body);
        int count = Integer.parseInt(values.get(2));
        Map<String, String> environment = new TreeMap<>();
        for (String variable : values.subList(3 + count, values.size())) {
            int equals = variable.indexOf('=');
            environment.put(variable.substring(0, equals), variable.substring(equals + 1));
        }
        return new WarmRequest(values.get(0), Boolean.parseBoolean(values.get(1)), values.subList(3, 3 + count),
                environment);
    }

    private static String currentFolder() {
        return Path.of("").toAbsolutePath().toString();
    }

    /** This process's environment, less what a shell sets anew for each program it starts. */
    private static Map<String, String> currentEnvironment() {
        Map<String, String> environment = new TreeMap<>(System.getenv());
        environment.keySet().removeAll(SHELL_OWN);
        return environment;
    }
}
