package org.contactbatch.db;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * Whether the database already has exactly the migrations this build ships, told with one query
 * instead of starting Flyway (which, cold, costs about a second: its configuration, its plugins,
 * the scan and the validation). "Exactly" is what Flyway's own validation would accept without
 * doing anything: every versioned migration of the location applied successfully, with the same
 * version, description, type, script and checksum, and nothing else in the history.
 *
 * <p>Anything this check does not understand (a repeatable migration, a callback script, a
 * baseline row, a failed row, another location, no history table) answers "not current", and the
 * caller lets Flyway decide as it always did.
 */
public final class SchemaCheck {

    /** Flyway's file names for versioned migrations: {@code V2__Contacts.sql}, {@code V1__Spring_Batch.class}. */
    private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__(.+)\\.(sql|class)");

    /** One migration as the history table records it. */
    public record Migration(List<BigInteger> version, String description, String type, String script, Integer checksum) {
    }

    private SchemaCheck() {
    }

    /**
     * The versioned migrations under a {@code classpath:} location (SQL scripts and Java classes, as
     * Flyway finds them), or empty when the location holds anything else Flyway would act on.
     */
    public static Optional<List<Migration>> onClasspath(ResourcePatternResolver resolver, String location) {
        if (!location.startsWith("classpath:")) {
            return Optional.empty();
        }
        String path = location.substring("classpath:".length()).replaceAll("^/+|/+$", "");
        List<Migration> migrations = new ArrayList<>();
        try {
            for (Resource resource : resolver.getResources("classpath*:" + path + "/**/*")) {
                String name = resource.getFilename();
                if (name == null || !resource.isReadable()) {
                    continue; // a directory
                }
                if (name.endsWith(".class") && name.contains("$")) {
                    continue; // a nested class of a migration, not a migration
                }
                Matcher m = VERSIONED.matcher(name);
                if (!m.matches()) {
                    return Optional.empty(); // a repeatable migration, a callback, a config file: Flyway's to judge
                }
                String description = m.group(2).replace('_', ' ');
                if (m.group(3).equals("sql")) {
                    migrations.add(new Migration(version(m.group(1).replace('_', '.')), description, "SQL", name,
                            checksum(resource)));
                }
                else {
                    String className = className(resource, path, name);
                    if (className == null) {
                        return Optional.empty();
                    }
                    migrations.add(new Migration(version(m.group(1).replace('_', '.')), description, "JDBC",
                            className, null));
                }
            }
        }
        catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(migrations);
    }

    /** Whether the history table holds exactly these migrations, all successful. */
    public static boolean isCurrent(Connection connection, String table, List<Migration> expected) throws SQLException {
        if (!table.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            return false;
        }
        Map<List<BigInteger>, Migration> applied = new HashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "select version, description, type, script, checksum, success from " + table)) {
            while (rows.next()) {
                String version = rows.getString(1);
                int checksum = rows.getInt(5);
                Integer storedChecksum = rows.wasNull() ? null : checksum;
                if (version == null || !rows.getBoolean(6)) {
                    return false; // a repeatable migration, a schema-creation marker, a failed migration
                }
                Migration migration = new Migration(version(version), rows.getString(2), rows.getString(3),
                        rows.getString(4), storedChecksum);
                if (applied.put(migration.version(), migration) != null) {
                    return false;
                }
            }
        }
        if (applied.size() != expected.size()) {
            return false;
        }
        for (Migration migration : expected) {
            if (!Objects.equals(applied.get(migration.version()), migration)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Flyway's checksum of a SQL script: CRC32 of the UTF-8 bytes of each line without its line end,
     * a byte order mark left out (Flyway's {@code ChecksumCalculator}).
     */
    static int checksum(Resource resource) {
        CRC32 crc = new CRC32();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(resource.getInputStream(), StandardCharsets.UTF_8), 4096)) {
            String line = reader.readLine();
            if (line != null && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            while (line != null) {
                crc.update(line.getBytes(StandardCharsets.UTF_8));
                line = reader.readLine();
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (int) crc.getValue();
    }

    /** A version as Flyway compares them: numbers between dots, trailing zeros not counted ({@code 1.0} is {@code 1}). */
    static List<BigInteger> version(String text) {
        List<BigInteger> parts = new ArrayList<>();
        for (String part : text.split("\\.")) {
            if (part.isEmpty()) {
                continue;
            }
            parts.add(new BigInteger(part));
        }
        while (!parts.isEmpty() && parts.get(parts.size() - 1).signum() == 0) {
            parts.remove(parts.size() - 1);
        }
        return List.copyOf(parts);
    }

    /** {@code db.migration.V1__Spring_Batch_Repository} for {@code …/db/migration/V1__Spring_Batch_Repository.class}. */
    private static String className(Resource resource, String path, String name) throws IOException {
        String url = resource.getURL().toString();
        int at = url.lastIndexOf(path + "/");
        if (at < 0) {
            return null;
        }
        String relative = url.substring(at, url.length() - ".class".length());
        if (!relative.endsWith(name.substring(0, name.length() - ".class".length()))) {
            return null;
        }
        return relative.replace('/', '.');
    }
}
