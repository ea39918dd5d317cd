package org.contactbatch.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Keeps files uploaded through the console under the uploads directory, where the upload job reads
 * them (also when it is restarted). The path is ours: {@code <uploads>/<sha-256 of the content>/<name>},
 * where the name is the client's file name reduced to letters, digits, {@code . - _} (it is what
 * the contacts' consent source and the reports show), so it can never name another directory.
 * The same content under the same name lands on the same path: uploading it again is recognised
 * as the same upload, as on the command line.
 */
public final class UploadStore {

    /** A stored upload: where it is and its content hash. */
    public record Stored(Path path, String sha256, long bytes) {
    }

    private final Path root;

    public UploadStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Stored save(InputStream content, String clientName) throws IOException {
        Files.createDirectories(root);
        Path incoming = root.resolve(".incoming-" + UUID.randomUUID());
        MessageDigest digest = sha256();
        long bytes;
        try (InputStream in = new DigestInputStream(content, digest); OutputStream out = Files.newOutputStream(incoming)) {
            bytes = in.transferTo(out);
        }
        catch (IOException | RuntimeException e) {
            Files.deleteIfExists(incoming);
            throw e;
        }
        String hash = HexFormat.of().formatHex(digest.digest());
        Path directory = root.resolve(hash);
        Path target = directory.resolve(safeName(clientName)).normalize();
        if (!target.getParent().equals(directory)) {
            Files.deleteIfExists(incoming);
            throw new IllegalStateException("refused to store an upload outside " + directory);
        }
        Files.createDirectories(directory);
        if (Files.isRegularFile(target)) {
            Files.delete(incoming); // the same bytes are there already
        }
        else {
            Files.move(incoming, target, StandardCopyOption.ATOMIC_MOVE);
        }
        return new Stored(target, hash, bytes);
    }

    /** The client's file name, reduced to a safe single name: "../../My Contacts (2).csv" → "My_Contacts_2_.csv". */
    static String safeName(String clientName) {
        String name = clientName == null ? "" : clientName;
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        name = name.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^[._-]+", "");
        if (name.length() > 100) {
            int dot = name.lastIndexOf('.');
            String extension = dot > 0 && name.length() - dot <= 6 ? name.substring(dot) : "";
            name = name.substring(0, 100 - extension.length()) + extension;
        }
        return name.isEmpty() || name.equals(".") || name.equals("..") ? "upload" : name;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
