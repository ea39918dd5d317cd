package org.contactbatch.upload;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.contactbatch.contacts.ColumnMapping.Unmapped;
import org.contactbatch.contacts.ConsentState;
import org.contactbatch.files.FileHashes;
import org.contactbatch.files.ReadOptions;
import org.contactbatch.imports.ImportFile;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameter;
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
 * @param dryRunAt   for a full dry run, when it was asked (each is a run of its own): staged and
 *                   checked with every report, nothing applied until {@code upload --apply} applies
 *                   that very snapshot (the {@value #APPLY_JOB} job); null for an upload
 */
public record UploadOptions(Path file, String sha256, boolean header, String sheet, Charset charset,
        Character delimiter, Path mapping, List<String> columns, Unmapped unmapped, ConsentState consent,
        String list, OnExisting onExisting, long maxErrors, String by, String again, boolean requestConsent,
        String dryRunAt) implements ImportFile {

    public static final String JOB_NAME = "upload";

    /** The {@code --consent} choice that asks each contact by email. */
    public static final String REQUEST_CONSENT = "request";

    /** Applies what a full dry run staged and checked; keyed by that upload's import id, so it applies once. */
    public static final String APPLY_JOB = "applyUpload";

    /** The parameter of {@value #APPLY_JOB} naming the import it applies. */
    public static final String IMPORT_ID = "importId";

    static final String DRY_RUN_AT = "dryRun";

    /**
     * The parameter every upload and full dry run carries (not identifying): what the upload would be
     * without the dry run, so a dry run's apply and a real upload of the same file and options are
     * known as the same upload, done once.
     */
    static final String UPLOAD_KEY = "uploadKey";

    public UploadOptions {
        columns = columns == null ? List.of() : List.copyOf(columns);
        if (requestConsent) {
            consent = ConsentState.PENDING;
        }
    }

    /** The consent choice as people read it in a dry run. */
    public String describeConsent() {
        return requestConsent ? "pending, and each contact is asked by email (confirmed and opted-out contacts "
                + "keep their answer and are not asked)"
                : consent == null ? "none recorded unless a consent column says so" : consent.value();
    }

    /** The same upload with its columns mapped by this mapping file instead. */
    public UploadOptions withMapping(Path mapping) {
        return new UploadOptions(file, sha256, header, sheet, charset, delimiter, mapping, List.of(), unmapped, consent,
                list, onExisting, maxErrors, by, again, requestConsent, dryRunAt);
    }

    /** The same upload asked once more, as a run of its own ({@code --again}). */
    public UploadOptions again(String again) {
        return new UploadOptions(file, sha256, header, sheet, charset, delimiter, mapping, columns, unmapped, consent,
                list, onExisting, maxErrors, by, again, requestConsent, dryRunAt);
    }

    /**
     * The same upload as a full dry run. Each is a run of its own, even of a file dry-run before:
     * the database it is checked against may have changed since.
     */
    public UploadOptions asFullDryRun(String at) {
        return new UploadOptions(file, sha256, header, sheet, charset, delimiter, mapping, columns, unmapped, consent,
                list, onExisting, maxErrors, by, again, requestConsent, at);
    }

    public boolean dryRun() {
        return dryRunAt != null;
    }

    /**
     * Whether its contacts are asked for their consent by email once it completed: an upload with
     * {@code --consent request}, or the apply of such a dry run; never a dry run, which changes nobody.
     */
    public boolean asksConsent() {
        return requestConsent && !dryRun();
    }

    /** What identifies the upload these options make, whether it runs at once or from a full dry run. */
    public String uploadKey() {
        StringBuilder identity = new StringBuilder();
        new UploadOptions(file, sha256, header, sheet, charset, delimiter, mapping, columns, unmapped, consent, list,
                onExisting, maxErrors, by, again, requestConsent, null).identifying().getIdentifyingParameters().stream()
                .map(p -> p.name() + "=" + p.value()).sorted()
                .forEach(p -> identity.append(p).append('\n'));
        return FileHashes.sha256(identity.toString());
    }

    @Override
    public ReadOptions readOptions() {
        return new ReadOptions(header, sheet, charset, delimiter);
    }

    public JobParameters toJobParameters() {
        return new JobParametersBuilder(identifying()).addString(UPLOAD_KEY, uploadKey(), false).toJobParameters();
    }

    private JobParameters identifying() {
        JobParametersBuilder parameters = new JobParametersBuilder()
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
                .addString("by", by, false);
        if (dryRunAt != null) {
            // only then: an upload that is not a dry run keeps the identity it had before there were any
            parameters.addString(DRY_RUN_AT, dryRunAt);
        }
        return parameters.toJobParameters();
    }

    /**
     * The parameters of {@value #APPLY_JOB} for the full dry run that had these: the import's id is
     * what identifies it; the dry run's options come along, so the steps the two jobs share read them
     * the same way.
     */
    @SuppressWarnings("unchecked")
    public static JobParameters applyParameters(JobParameters dryRun, long importId, String by) {
        JobParametersBuilder parameters = new JobParametersBuilder();
        // the dry run's options, but not its being one: the apply is the upload
        dryRun.parameters().stream().filter(p -> !p.name().equals(DRY_RUN_AT)).forEach(p -> parameters.addJobParameter(
                new JobParameter<>(p.name(), p.value(), (Class<Object>) p.type(), false)));
        return parameters.addLong(IMPORT_ID, importId).addString("by", by, false).toJobParameters();
    }

    /** An upload's id: its job instance's (the same across every restart), or for an apply the one it applies. */
    public static long importId(JobExecution execution) {
        Long applied = execution.getJobParameters().getLong(IMPORT_ID);
        return applied != null ? applied : execution.getJobInstanceId();
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
                REQUEST_CONSENT.equals(parameters.getString("consent", "")),
                emptyToNull(parameters.getString(DRY_RUN_AT)));
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
