package org.contactbatch.upload;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.contactbatch.contacts.ColumnMapping.Unmapped;
import org.contactbatch.contacts.ConsentState;
import org.contactbatch.files.ReadOptions;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * Everything one upload run is asked to do. They travel as job parameters, so a restart after a
 * crash runs with exactly the same options; all but {@code by} identify the run, so the same
 * command given again continues an interrupted upload instead of starting a second one.
 *
 * @param file       the file, absolute
 * @param sha256     the file's content hash: a changed file is a new upload
 * @param header     the first row holds the column names
 * @param sheet      workbook sheet, name or 1-based number; null for the first
 * @param charset    text encoding, null to detect
 * @param delimiter  text delimiter, null to detect
 * @param mapping    a mapping file, null for automatic mapping
 * @param columns    for files without a header: the field of each column by position
 * @param unmapped   what becomes of columns that match no field
 * @param consent    consent for rows without a consent column value; null records none
 * @param list       a list every uploaded contact joins; null for none
 * @param onExisting what to do when an email already exists
 * @param maxErrors  the job fails, changing no contact, when more rows than this are rejected
 * @param by         who uploaded, recorded with the consent
 * @param again      non-null to upload a file again that was uploaded before
 * @param requestConsent the contacts are stored {@code pending} and each is asked by email ({@code --consent
 *                   request}); {@code consent} is then {@link ConsentState#PENDING}
 */
public record UploadOptions(Path file, String sha256, boolean header, String sheet, Charset charset,
        Character delimiter, Path mapping, List<String> columns, Unmapped unmapped, ConsentState consent,
        String list, OnExisting onExisting, long maxErrors, String by, String again, boolean requestConsent) {

    public static final String JOB_NAME = "upload";
    /** The {@code --consent} choice that asks each contact by email. */
    public static final String REQUEST_CONSENT = "request";

    public UploadOptions {
        columns = columns == null ? List.of() : List.copyOf(columns);
        if (requestConsent) {
            consent = ConsentState.PENDING;
        }
    }

    /** Options of an upload that asks nobody by email. */
    public UploadOptions(Path file, String sha256, boolean header, String sheet, Charset charset,
            Character delimiter, Path mapping, List<String> columns, Unmapped unmapped, ConsentState consent,
            String list, OnExisting onExisting, long maxErrors, String by, String again) {
        this(file, sha256, header, sheet, charset, delimiter, mapping, columns, unmapped, consent, list, onExisting,
                maxErrors, by, again, false);
    }

    /** The same options with another {@code again}. */
    public UploadOptions again(String again) {
        return new UploadOptions(file, sha256, header, sheet, charset, delimiter, mapping, columns, unmapped, consent,
                list, onExisting, maxErrors, by, again, requestConsent);
    }

    /** The consent choice as people read it in a dry run. */
    public String describeConsent() {
        return requestConsent ? "pending, and each contact is asked by email (confirmed and opted-out contacts "
                + "keep their answer and are not asked)"
                : consent == null ? "none recorded unless a consent column says so" : consent.value();
    }

    public ReadOptions readOptions() {
        return new ReadOptions(header, sheet, charset, delimiter);
    }

    public JobParameters toJobParameters() {
        return new JobParametersBuilder()
                .addString("file", file.toString())
                .addString("sha256", sha256)
                .addString("header", Boolean.toString(header))
                .addString("sheet", orEmpty(sheet))
                .addString("charset", charset == null ? "" : charset.name())
                .addString("delimiter", delimiter == null ? "" : delimiter.toString())
                .addString("mapping", mapping == null ? "" : mapping.toString())
                .addString("columns", String.join(",", columns))
                .addString("unmapped", unmapped.name())
                .addString("consent", requestConsent ? REQUEST_CONSENT : consent == null ? "" : consent.value())
                .addString("list", orEmpty(list))
                .addString("onExisting", onExisting.name())
                .addLong("maxErrors", maxErrors)
                .addString("again", orEmpty(again))
                .addString("by", by, false)
                .toJobParameters();
    }

    public static UploadOptions from(JobParameters parameters) {
        String columns = parameters.getString("columns", "");
        return new UploadOptions(
                Path.of(parameters.getString("file")),
                parameters.getString("sha256"),
                Boolean.parseBoolean(parameters.getString("header")),
                emptyToNull(parameters.getString("sheet")),
                emptyToNull(parameters.getString("charset")) == null ? null
                        : Charset.forName(parameters.getString("charset")),
                emptyToNull(parameters.getString("delimiter")) == null ? null
                        : parameters.getString("delimiter").charAt(0),
                emptyToNull(parameters.getString("mapping")) == null ? null : Path.of(parameters.getString("mapping")),
                columns.isEmpty() ? List.of() : Arrays.asList(columns.split(",")),
                Unmapped.valueOf(parameters.getString("unmapped")),
                ConsentState.parse(parameters.getString("consent", "")).orElse(null),
                emptyToNull(parameters.getString("list")),
                OnExisting.valueOf(parameters.getString("onExisting")),
                parameters.getLong("maxErrors"),
                parameters.getString("by"),
                emptyToNull(parameters.getString("again")),
                REQUEST_CONSENT.equals(parameters.getString("consent", "")));
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
