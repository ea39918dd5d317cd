package org.contactbatch.contacts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

import javax.sql.DataSource;

import org.contactbatch.db.CopyRows;
import org.contactbatch.files.FileProblemException;

/**
 * The contact IDs of an --ids file (export, cc push): one per line. Blank lines, surrounding spaces, a BOM and a first line "id" (a
 * column copied from an export, with its header) are fine; anything else is refused with its line number.
 */
public final class IdsFile {

    private IdsFile() {
    }

    /**
     * What a file holds.
     *
     * @param ids    the distinct IDs, ascending (a sorted array: a million IDs take 8 MB)
     * @param sha256 the file's content hash
     */
    public record Read(long[] ids, String sha256) {

        private static final int IDS_PER_COPY = 50_000;

        /** Writes {@code (key, id)} rows with {@code copy} (a COPY … FROM STDIN of two columns), a batch at a time. */
        public void copyInto(DataSource dataSource, String copy, long key) {
            CopyRows rows = new CopyRows();
            for (long id : ids) {
                rows.number(key).number(id).endRow();
                if (rows.rows() == IDS_PER_COPY) {
                    rows.copyInto(dataSource, copy);
                }
            }
            rows.copyInto(dataSource, copy);
        }
    }

    public static Read read(Path file) {
        long[] ids = new long[1024];
        int count = 0;
        MessageDigest digest = sha256();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new DigestInputStream(Files.newInputStream(file), digest),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)))) {
            long line = 0;
            for (String text; (text = reader.readLine()) != null; ) {
                line++;
                String value = text.strip();
                if (line == 1 && value.startsWith("\uFEFF")) {
                    value = value.substring(1).strip();
                }
                if (value.isEmpty() || line == 1 && value.equalsIgnoreCase("id")) {
                    continue;
                }
                long id = parse(file, line, value);
                if (count == ids.length) {
                    ids = Arrays.copyOf(ids, ids.length * 2);
                }
                ids[count++] = id;
            }
        }
        catch (NoSuchFileException e) {
            throw new FileProblemException(file, null, "the file does not exist");
        }
        catch (CharacterCodingException e) {
            throw new FileProblemException(file, null, "is not a text file of IDs (not UTF-8 text)", e);
        }
        catch (IOException e) {
            throw new FileProblemException(file, null, "cannot be read (" + e.getMessage() + ")", e);
        }
        if (count == 0) {
            throw new FileProblemException(file, null, "holds no IDs (one contact ID per line)");
        }
        long[] sorted = Arrays.copyOf(ids, count);
        Arrays.sort(sorted);
        int distinct = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                sorted[distinct++] = sorted[i];
            }
        }
        return new Read(Arrays.copyOf(sorted, distinct), HexFormat.of().formatHex(digest.digest()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long parse(Path file, long line, String value) {
        if (value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
            throw new FileProblemException(file, "line " + line, "'" + shown + "' is not a contact ID "
                    + "(the file must hold one ID per line)");
        }
        return Long.parseLong(value);
    }
}
