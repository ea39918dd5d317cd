package org.contactbatch.contacts;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.contactbatch.contacts.ColumnMapping.Unmapped;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A column mapping people keep under {@code jobs/mappings/}: which file column goes to which
 * field, for files whose headers the automatic mapping does not know.
 *
 * <pre>
 * columns:
 *   "Member E-mail": email
 *   "Member No": custom:member_number
 *   "Internal notes": ignore
 * unmapped: custom        # or ignore: columns not named here and not recognised
 * </pre>
 *
 * For files without a header, columns are named by position: {@code "1": email}.
 */
public record MappingFile(Map<String, ColumnTarget> columns, Unmapped unmapped) {

    /** A mapping file that can't be used; the message names the file and the entry. */
    public static class InvalidMappingException extends RuntimeException {
        public InvalidMappingException(String message) {
            super(message);
        }
    }

    public static MappingFile load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidMappingException("mapping file " + file + " does not exist");
        }
        Object document;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        }
        catch (IOException | RuntimeException e) {
            throw new InvalidMappingException("mapping file " + file + " is not valid YAML: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!(document instanceof Map<?, ?> root) || !(root.get("columns") instanceof Map<?, ?> entries)) {
            throw new InvalidMappingException("mapping file " + file + " needs a 'columns:' section");
        }
        Map<String, ColumnTarget> columns = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : entries.entrySet()) {
            String column = String.valueOf(entry.getKey());
            try {
                columns.put(column, parseTarget(String.valueOf(entry.getValue())));
            }
            catch (InvalidMappingException e) {
                throw new InvalidMappingException("mapping file " + file + ", column '" + column + "': "
                        + e.getMessage());
            }
        }
        Unmapped unmapped = Unmapped.CUSTOM;
        if (root.get("unmapped") != null) {
            String value = String.valueOf(root.get("unmapped")).trim().toUpperCase(Locale.ROOT);
            try {
                unmapped = Unmapped.valueOf(value);
            }
            catch (IllegalArgumentException e) {
                throw new InvalidMappingException("mapping file " + file + ": 'unmapped' must be custom or ignore");
            }
        }
        return new MappingFile(columns, unmapped);
    }

    /** Writes the mapping as {@link #load} reads it, whole or not at all. */
    public void write(Path file) throws IOException {
        Map<String, Object> document = new LinkedHashMap<>();
        Map<String, String> entries = new LinkedHashMap<>();
        columns.forEach((column, target) -> entries.put(column, target.mappingText()));
        document.put("columns", entries);
        document.put("unmapped", unmapped.name().toLowerCase(Locale.ROOT));
        DumperOptions style = new DumperOptions();
        style.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".part");
        try (Writer writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            new Yaml(style).dump(document, writer);
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** "email", "First Name", "custom:member_no" or "ignore". */
    public static ColumnTarget parseTarget(String text) {
        String value = text.trim();
        if (value.equalsIgnoreCase("ignore")) {
            return new ColumnTarget.Ignored("mapping says ignore");
        }
        if (value.regionMatches(true, 0, "custom:", 0, 7)) {
            return new ColumnTarget.Custom(ColumnMapping.customFieldName(value.substring(7)));
        }
        return ContactField.forKey(value).<ColumnTarget>map(ColumnTarget.Field::new)
                .orElseThrow(() -> new InvalidMappingException("'" + value + "' is not a contact field (one of "
                        + String.join(", ", java.util.Arrays.stream(ContactField.values()).map(ContactField::key).toList())
                        + "), custom:NAME or ignore"));
    }
}
