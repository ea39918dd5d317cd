package org.contactbatch.constantcontact.push;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.contactbatch.constantcontact.SetupException;
import org.springframework.scheduling.support.CronExpression;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A saved Constant Contact sync under {@code jobs/}, edited by people: who is mirrored, into which
 * lists, with which custom fields, and when it runs. See {@code jobs/nightly-sync.yml}.
 *
 * @param name     the file's name without {@code .yml}
 * @param file     where it was read from
 * @param options  what a run of it does
 * @param schedule a cron expression (Spring's six fields; five-field cron is read with seconds 0), null for none
 * @param zone      the time zone of the schedule
 * @param direction which way a sync of it goes ({@code direction:}; push when the file does not say, so profiles
 *                  written before the pull existed behave as they did)
 * @param since     where the first pull starts ({@code since:}), so an account with years of history is not pulled
 *                  whole by accident; null when the profile does not say
 */
public record SyncProfile(String name, Path file, PushOptions options, CronExpression schedule, ZoneId zone,
        Direction direction, Instant since) {

    /** Which way a profile's sync goes. */
    public enum Direction {
        PUSH, PULL, BOTH;

        public boolean pulls() {
            return this != PUSH;
        }

        public boolean pushes() {
            return this != PULL;
        }

        static Direction of(Object value) {
            if (value == null) {
                return PUSH;
            }
            for (Direction direction : values()) {
                if (direction.name().equalsIgnoreCase(String.valueOf(value).trim())) {
                    return direction;
                }
            }
            throw new SetupException("direction '" + value + "' is not push, pull or both");
        }
    }

    /** Every profile in the directory (files with a {@code managed-list}, {@code schedule} or {@code direction}), by name. */
    public static List<SyncProfile> all(Path jobsDir) {
        List<SyncProfile> profiles = new ArrayList<>();
        if (!Files.isDirectory(jobsDir)) {
            return profiles;
        }
        try (var files = Files.list(jobsDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yml")).sorted().toList()) {
                Map<?, ?> root = read(file);
                if (root.containsKey("managed-list") || root.containsKey("schedule") || root.containsKey("direction")) {
                    profiles.add(load(file));
                }
            }
        }
        catch (IOException e) {
            throw new SetupException("can't list the profiles in " + jobsDir + ": " + e.getMessage(), e);
        }
        return profiles;
    }

    /** A profile by name ({@code jobs/NAME.yml}) or path. */
    public static SyncProfile find(Path jobsDir, String nameOrFile) {
        Path direct = Path.of(nameOrFile);
        Path file = Files.isRegularFile(direct) ? direct
                : jobsDir.resolve(nameOrFile.endsWith(".yml") ? nameOrFile : nameOrFile + ".yml");
        if (!Files.isRegularFile(file)) {
            throw new SetupException("profile '" + nameOrFile + "' not found (looked for " + direct + " and " + file + ")");
        }
        return load(file);
    }

    /** What a profile may say; anything else is a typing mistake that would otherwise be ignored silently. */
    private static final List<String> KEYS = List.of("direction", "since", "managed-list", "schedule", "zone", "select",
            "consent", "group-lists", "fields", "custom-fields", "debug-log");

    public static SyncProfile load(Path file) {
        Map<?, ?> root = read(file);
        String name = file.getFileName().toString().replaceFirst("\\.yml$", "");
        try {
            for (Object key : root.keySet()) {
                if (!KEYS.contains(String.valueOf(key))) {
                    throw new SetupException("unknown key '" + key + "' (a profile takes " + String.join(", ", KEYS) + ")");
                }
            }
            Map<?, ?> select = map(root.get("select"), "select");
            List<String> groupLists = root.get("group-lists") instanceof List<?> ? strings(root.get("group-lists"))
                    : List.of(root.get("group-lists") == null ? "all" : String.valueOf(root.get("group-lists")));
            Map<String, String> customFields = new LinkedHashMap<>();
            Map<String, FieldMap.Way> customWays = new LinkedHashMap<>();
            map(root.get("custom-fields"), "custom-fields").forEach((k, v) -> {
                String key = String.valueOf(k);
                if (v instanceof Map<?, ?> entry) {
                    // label: and direction:, for a custom field that comes back too
                    for (Object part : entry.keySet()) {
                        if (!"label".equals(part) && !"direction".equals(part)) {
                            throw new SetupException("unknown key 'custom-fields: " + key + ": " + part
                                    + "' (a custom field takes label: and direction:)");
                        }
                    }
                    customFields.put(key, String.valueOf(entry.get("label")));
                    if (entry.get("direction") != null) {
                        customWays.put(key, FieldMap.Way.of(entry.get("direction"), "custom-fields: " + key));
                    }
                }
                else {
                    customFields.put(key, String.valueOf(v));
                }
            });
            Map<String, Object> standard = new LinkedHashMap<>();
            map(root.get("fields"), "fields").forEach((k, v) -> standard.put(String.valueOf(k), v));
            FieldMap mapping = FieldMap.of(standard, customFields, customWays);
            if (customFields.size() > 25) {
                throw new SetupException("at most 25 custom fields (Constant Contact keeps 25 per contact)");
            }
            for (String label : customFields.values()) {
                if (label.isBlank() || label.equals("null") || label.length() > 50) {
                    throw new SetupException("the custom field label '" + label + "' must be 1 to 50 characters");
                }
            }
            PushOptions options = new PushOptions(name,
                    root.get("managed-list") == null ? null : String.valueOf(root.get("managed-list")),
                    strings(select.get("lifecycle-stages")), strings(select.get("lists")), strings(select.get("tags")),
                    Boolean.TRUE.equals(select.get("include-inactive")),
                    root.get("consent") == null ? null : strings(root.get("consent")), groupLists, customFields, null,
                    null, null, null, true, false, debugLog(root.get("debug-log")),
                    mapping.equals(FieldMap.defaults(customFields)) ? null : mapping);
            CronExpression schedule = null;
            if (root.get("schedule") != null) {
                schedule = cron(String.valueOf(root.get("schedule")));
            }
            ZoneId zone = root.get("zone") == null ? ZoneId.of("UTC") : ZoneId.of(String.valueOf(root.get("zone")));
            return new SyncProfile(name, file.toAbsolutePath().normalize(), options, schedule, zone,
                    Direction.of(root.get("direction")), since(root.get("since")));
        }
        catch (SetupException e) {
            // without the cause: the command line prints the innermost message, and this one names the file
            throw new SetupException("profile " + file + ": " + e.getMessage());
        }
        catch (RuntimeException e) {
            throw new SetupException("profile " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code debug-log: true} writes each run's debug log; off when absent. */
    private static boolean debugLog(Object value) {
        if (value == null || value instanceof Boolean) {
            return Boolean.TRUE.equals(value);
        }
        throw new SetupException("'debug-log' must be true or false, not '" + value + "'");
    }

    /** Spring's six-field cron, or the system's five fields (then at second 0). */
    public static CronExpression cron(String expression) {
        String trimmed = expression.trim();
        String six = trimmed.split("\\s+").length == 5 ? "0 " + trimmed : trimmed;
        try {
            return CronExpression.parse(six);
        }
        catch (IllegalArgumentException e) {
            throw new SetupException("'" + expression + "' is not a cron expression: " + e.getMessage());
        }
    }

    /** YAML reads a bare date as a date, anything else as text. */
    private static Instant since(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof java.util.Date date) {
            // a bare YYYY-MM-DD: YAML made it midnight UTC; the start of that day here is what people mean
            return java.time.LocalDate.ofInstant(date.toInstant(), java.time.ZoneOffset.UTC)
                    .atStartOfDay(ZoneId.systemDefault()).toInstant();
        }
        try {
            return PointInTime.parse(String.valueOf(value));
        }
        catch (java.time.format.DateTimeParseException e) {
            throw new SetupException("since '" + value + "' is not a date: give " + PointInTime.FORMS);
        }
    }

    private static Map<?, ?> read(Path file) {
        Object document;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        }
        catch (IOException | RuntimeException e) {
            throw new SetupException("profile " + file + " is not valid YAML: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (document == null) {
            return Map.of();
        }
        if (!(document instanceof Map<?, ?> root)) {
            throw new SetupException("profile " + file + " must be a YAML mapping");
        }
        return root;
    }

    private static Map<?, ?> map(Object value, String what) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new SetupException("'" + what + "' must be a mapping");
        }
        return map;
    }

    private static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value).split("\\s*,\\s*"));
    }
}
