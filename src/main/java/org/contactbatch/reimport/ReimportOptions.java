package org.contactbatch.reimport;

import java.nio.charset.Charset;
import java.nio.file.Path;

import org.contactbatch.files.ReadOptions;
import org.contactbatch.imports.ImportFile;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * What one {@code reimport prepare} is asked to do; travels as job parameters like an upload's,
 * so the same command again continues an interrupted prepare instead of starting a second one.
 */
public record ReimportOptions(Path file, String sha256, String sheet, Charset charset, Character delimiter,
        String tag, String by, String again) implements ImportFile {

    public static final String PREPARE_JOB = "reimportPrepare";
    public static final String START_JOB = "reimportStart";
    public static final String REVERT_JOB = "reimportRevert";

    @Override
    public ReadOptions readOptions() {
        return new ReadOptions(true, sheet, charset, delimiter);
    }

    public JobParameters toJobParameters() {
        return new JobParametersBuilder()
                .addString("file", file.toString())
                .addString("sha256", sha256)
                .addString("sheet", orEmpty(sheet))
                .addString("charset", charset == null ? "" : charset.name())
                .addString("delimiter", delimiter == null ? "" : delimiter.toString())
                .addString("tag", orEmpty(tag))
                .addString("again", orEmpty(again))
                .addString("by", by, false)
                .toJobParameters();
    }

    public static ReimportOptions from(JobParameters parameters) {
        String charset = parameters.getString("charset", "");
        String delimiter = parameters.getString("delimiter", "");
        return new ReimportOptions(Path.of(parameters.getString("file")), parameters.getString("sha256"),
                emptyToNull(parameters.getString("sheet")), charset.isEmpty() ? null : Charset.forName(charset),
                delimiter.isEmpty() ? null : delimiter.charAt(0), emptyToNull(parameters.getString("tag")),
                parameters.getString("by"), emptyToNull(parameters.getString("again")));
    }

    /** The parameters of start and revert: the import, and who asked. */
    public static JobParameters importParameters(long importId, String by, boolean skipWarnings) {
        return new JobParametersBuilder()
                .addLong("importId", importId)
                .addString("by", by, false)
                .addString("skipWarnings", Boolean.toString(skipWarnings), false)
                .toJobParameters();
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
