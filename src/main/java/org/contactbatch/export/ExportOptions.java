package org.contactbatch.export;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import org.contactbatch.contacts.ContactFilters;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * Everything one export is asked to do. They travel as job parameters, so a restart runs with exactly the same
 * options. All but {@code overwrite} identify the request; {@code run} tells two exports of the same request apart:
 * the same command given after an export completed writes a new file, while the same command given after one was
 * interrupted continues it (see {@link ExportRequests}).
 *
 * @param format    CSV or XLSX
 * @param out       the file to write, absolute; null for {@code exports/contacts-<execution id>.<ext>}
 * @param columns   the columns after id and version, canonical ({@link ExportColumn#canonical}); empty for the defaults
 * @param delimiter the CSV delimiter
 * @param bom       the CSV starts with a UTF-8 byte order mark
 * @param overwrite the file may replace an existing one
 * @param filters   which contacts
 * @param ids       the --ids file, absolute; null for none
 * @param idsSha256 its content hash: a changed file is a new request
 * @param run       what tells this export from an earlier one of the same request
 */
public record ExportOptions(ExportFormat format, Path out, List<String> columns, char delimiter, boolean bom,
        boolean overwrite, ContactFilters filters, Path ids, String idsSha256, String run) {

    public static final String JOB_NAME = "export";

    static final String RUN = "run";

    public ExportOptions {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(filters, "filters");
        columns = columns == null ? List.of() : List.copyOf(columns);
        if (filters.byIds() != (ids != null)) {
            throw new IllegalArgumentException("filters.byIds and ids disagree");
        }
    }

    public ExportOptions withRun(String run) {
        return new ExportOptions(format, out, columns, delimiter, bom, overwrite, filters, ids, idsSha256, run);
    }

    public JobParameters toJobParameters() {
        return new JobParametersBuilder()
                .addString("format", format.value())
                .addString("out", out == null ? "" : out.toString())
                .addString("columns", String.join(",", columns))
                .addString("delimiter", String.valueOf(delimiter))
                .addString("bom", Boolean.toString(bom))
                .addString("list", orEmpty(filters.list()))
                .addString("stage", orEmpty(filters.stage()))
                .addString("owner", orEmpty(filters.owner()))
                .addString("tag", orEmpty(filters.tag()))
                .addString("group", orEmpty(filters.group()))
                .addString("consent", orEmpty(filters.consent()))
                .addString("active", filters.active() == null ? "" : filters.active().toString())
                .addString("updatedSince", filters.updatedSince() == null ? "" : filters.updatedSince().toString())
                .addString("ids", ids == null ? "" : ids.toString())
                .addString("idsSha256", orEmpty(idsSha256))
                .addString(RUN, orEmpty(run))
                .addString("overwrite", Boolean.toString(overwrite), false)
                .toJobParameters();
    }

    public static ExportOptions from(JobParameters parameters) {
        String columns = parameters.getString("columns", "");
        String active = parameters.getString("active", "");
        String since = parameters.getString("updatedSince", "");
        String ids = parameters.getString("ids", "");
        ContactFilters filters = new ContactFilters(
                emptyToNull(parameters.getString("list")),
                emptyToNull(parameters.getString("stage")),
                emptyToNull(parameters.getString("owner")),
                emptyToNull(parameters.getString("tag")),
                emptyToNull(parameters.getString("group")),
                emptyToNull(parameters.getString("consent")),
                active.isEmpty() ? null : Boolean.valueOf(active),
                since.isEmpty() ? null : Instant.parse(since),
                !ids.isEmpty());
        String out = parameters.getString("out", "");
        return new ExportOptions(
                ExportFormat.parse(parameters.getString("format")).orElseThrow(),
                out.isEmpty() ? null : Path.of(out),
                columns.isEmpty() ? List.of() : Arrays.asList(columns.split(",")),
                parameters.getString("delimiter").charAt(0),
                Boolean.parseBoolean(parameters.getString("bom")),
                Boolean.parseBoolean(parameters.getString("overwrite", "false")),
                filters,
                ids.isEmpty() ? null : Path.of(ids),
                emptyToNull(parameters.getString("idsSha256")),
                emptyToNull(parameters.getString(RUN)));
    }

    /** The same request: every identifying parameter but {@code run} is equal. */
    public boolean sameRequest(JobParameters other) {
        return request(toJobParameters()).equals(request(other));
    }

    private static Map<String, Object> request(JobParameters parameters) {
        return parameters.getIdentifyingParameters().stream()
                .filter(p -> !p.name().equals(RUN))
                .collect(Collectors.toMap(JobParameter::name, JobParameter::value));
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
