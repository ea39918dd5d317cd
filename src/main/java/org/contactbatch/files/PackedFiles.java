package org.contactbatch.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import org.jspecify.annotations.Nullable;

/**
 * A CSV, TXT or workbook as people send it packed: in a {@code .gz}, or alone in a {@code .zip}. It is unpacked,
 * streaming, into a temporary file named as the file inside, which is then read like any other; the rows keep the
 * inner file's own line numbers, and every problem names both files ({@code contacts.zip: contacts.csv, line 7: …}).
 * The limits are a workbook's against bombs: no more than {@link #MAX_RATIO} times the packed size once past
 * {@link #GRACE_BYTES}, never more than {@link #MAX_BYTES}. A file is unpacked once per process (every reader of it
 * shares the copy; a restarted job unpacks it again), and the copy is deleted when the process ends.
 */
final class PackedFiles {

    /** As Apache POI's zip-bomb rule for workbooks: an entry may expand at most 100 times. */
    static final int MAX_RATIO = 100;
    /** Small files may expand more: a few thousand identical rows compress very well. */
    static final long GRACE_BYTES = 1L << 20;
    static final long MAX_BYTES = 4L << 30;
    /** A ZIP with more entries than this is not a packed contacts file; refused without reading them. */
    private static final int MAX_ENTRIES = 1000;

    private static final Map<String, Path> UNPACKED = new ConcurrentHashMap<>();

    private PackedFiles() {
    }

    static boolean isGzip(byte[] sample, int length) {
        return length >= 2 && (sample[0] & 0xFF) == 0x1F && (sample[1] & 0xFF) == 0x8B;
    }

    /** What a ZIP file holds. */
    enum Zip {
        /** an Office package ([Content_Types].xml): an XLSX, or a damaged file, which the workbook reader names */
        OFFICE,
        /** an OpenDocument spreadsheet */
        OPEN_DOCUMENT,
        /** files */
        ARCHIVE
    }

    static Zip kind(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.getEntry("[Content_Types].xml") != null) {
                return Zip.OFFICE;
            }
            return OdsRecords.isSpreadsheet(zip) ? Zip.OPEN_DOCUMENT : Zip.ARCHIVE;
        } catch (IOException e) {
            return Zip.OFFICE;
        }
    }

    /**
     * The file inside a {@code .gz} or a {@code .zip}, unpacked once per process: readers that open it at the same time
     * (the partitions of a step) wait for the one copy rather than each making its own.
     */
    static Path unpacked(Path archive, boolean gzip) {
        return UNPACKED.compute(key(archive), (key, copy) -> copy != null && Files.exists(copy) ? copy
                : gzip ? gunzip(archive) : unzip(archive));
    }

    /** The file inside a {@code .gz}: its name without the {@code .gz}. */
    private static Path gunzip(Path archive) {
        String name = archive.getFileName().toString();
        String inner = name.replaceFirst("(?i)\\.(gz|gzip)$", "");
        Path target = target(archive, inner.equals(name) ? name + ".unpacked" : inner);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive), 1 << 16)) {
            copy(archive, in, Files.size(archive), target);
        } catch (ZipException e) {
            throw new FileProblemException(archive, null, "the .gz file is damaged and cannot be unpacked (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new FileProblemException(archive, null, "cannot be unpacked (" + e.getMessage() + ")", e);
        }
        return target;
    }

    /** The one file inside a ZIP archive (folders and macOS's {@code __MACOSX/} entries aside). */
    private static Path unzip(Path archive) {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            if (zip.size() > MAX_ENTRIES) {
                throw new FileProblemException(archive, null, "a ZIP archive of " + zip.size()
                        + " entries; it must hold one CSV, TXT or workbook");
            }
            List<ZipEntry> files = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (!entry.isDirectory() && !name.startsWith("__MACOSX/") && !baseName(name).startsWith("._")) {
                    files.add(entry);
                }
            }
            if (files.size() != 1) {
                throw new FileProblemException(archive, null, files.isEmpty() ? "the ZIP archive holds no file"
                        : "the ZIP archive holds " + files.size() + " files (" + names(files)
                                + "); it must hold one CSV, TXT or workbook: upload them one by one");
            }
            ZipEntry entry = files.get(0);
            Path target = target(archive, baseName(entry.getName()));
            try (InputStream in = zip.getInputStream(entry)) {
                copy(archive, in, Math.max(entry.getCompressedSize(), 1), target);
            }
            return target;
        } catch (ZipException e) {
            String problem = e.getMessage() != null && e.getMessage().contains("encrypted")
                    ? "the ZIP archive is encrypted; unpack it and upload the file inside"
                    : "the ZIP archive is damaged and cannot be unpacked (" + e.getMessage() + ")";
            throw new FileProblemException(archive, null, problem, e);
        } catch (IOException e) {
            throw new FileProblemException(archive, null, "cannot be unpacked (" + e.getMessage() + ")", e);
        }
    }

    /** The unpacked file's problem, as one about the file that was given. */
    static FileProblemException named(Path archive, FileProblemException problem) {
        String inner = problem.file().getFileName().toString();
        return new FileProblemException(archive, problem.where() == null ? inner : inner + ", " + problem.where(),
                problem.problem(), problem);
    }

    private static void copy(Path archive, InputStream in, long packedBytes, Path target) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                written += n;
                if (written > MAX_BYTES || written > GRACE_BYTES && written > packedBytes * MAX_RATIO) {
                    out.close();
                    Files.deleteIfExists(target);
                    throw new FileProblemException(archive, null, "refused: it would unpack to far more data than its "
                            + "size suggests (more than " + MAX_RATIO + " times, a possible zip bomb)");
                }
                out.write(buffer, 0, n);
            }
        }
    }

    private static Path target(Path archive, String innerName) {
        try {
            Path dir = Files.createTempDirectory("contact-batch-unpacked-");
            dir.toFile().deleteOnExit();
            Path target = dir.resolve(innerName.isBlank() ? "unpacked" : innerName);
            target.toFile().deleteOnExit();
            return target;
        } catch (IOException e) {
            throw new FileProblemException(archive, null, "cannot be unpacked (no room for a temporary file: "
                    + e.getMessage() + ")", e);
        }
    }

    private static String key(Path archive) {
        try {
            return archive.toAbsolutePath().normalize() + "|" + Files.size(archive) + "|" + Files.getLastModifiedTime(archive);
        } catch (IOException e) {
            throw new FileProblemException(archive, null, "cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private static String baseName(String entryName) {
        return entryName.substring(entryName.lastIndexOf('/') + 1);
    }

    private static String names(List<ZipEntry> files) {
        List<String> names = files.stream().limit(3).map(e -> baseName(e.getName())).toList();
        return String.join(", ", names) + (files.size() > 3 ? ", …" : "");
    }

    /** Reads the unpacked file, with every problem named after the packed one. */
    static final class Named implements RowSource {

        private final Path archive;
        private final RowSource inner;

        Named(Path archive, RowSource inner) {
            this.archive = archive;
            this.inner = inner;
        }

        @Override
        public FileDescription description() {
            return inner.description();
        }

        @Override
        public List<String> header() {
            return inner.header();
        }

        @Override
        public @Nullable RawRow next() {
            try {
                return inner.next();
            } catch (FileProblemException e) {
                throw named(archive, e);
            }
        }

        @Override
        public void startAt(long line) {
            try {
                inner.startAt(line);
            } catch (FileProblemException e) {
                throw named(archive, e);
            }
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
