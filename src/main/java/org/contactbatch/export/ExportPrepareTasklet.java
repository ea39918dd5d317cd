package org.contactbatch.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import javax.sql.DataSource;

import org.contactbatch.contacts.IdsFile;
import org.contactbatch.files.FileProblemException;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Decides what the export does, once: where the file goes, its columns (by default every upload field and the
 * custom fields the selected contacts have), the highest contact id it may include, and the filter values, all
 * kept in {@code export_run} with the IDs of an --ids file. A restart finds the plan there and leaves it as it was,
 * so the file it finishes is the one the first run began.
 */
public class ExportPrepareTasklet implements Tasklet {


    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final ExportOptions options;
    private final long exportId;
    private final long executionId;
    private final Path exportsDir;

    public ExportPrepareTasklet(JdbcClient jdbc, DataSource dataSource, ExportOptions options, long exportId,
            long executionId, Path exportsDir) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.options = options;
        this.exportId = exportId;
        this.executionId = executionId;
        this.exportsDir = exportsDir;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        if (ExportPlan.load(jdbc, exportId).isPresent()) {
            return RepeatStatus.FINISHED;
        }
        Long listId = listId();
        long maxId = jdbc.sql("select coalesce(max(id), 0) from contact").query(Long.class).single();
        Path out = options.out() != null ? options.out() : defaultOut();
        try {
            Files.createDirectories(out.getParent());
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder " + out.getParent() + ": " + e.getMessage(), e);
        }
        boolean defaultColumns = options.columns().isEmpty();
        List<ExportColumn> columns = defaultColumns ? ExportColumn.defaults(List.of())
                : ExportColumn.of(options.columns());
        // a workbook is made from a plain comma-separated spool
        boolean csv = options.format() == ExportFormat.CSV;
        ExportPlan plan = new ExportPlan(exportId, options.format(), out, csv ? options.delimiter() : ',',
                csv && options.bom(), options.overwrite(), columns, maxId, options.filters(), listId, 0);
        jdbc.sql("delete from export_id where export_id = :id").param("id", exportId).update();
        plan.insert(jdbc);
        if (options.ids() != null) {
            loadIds();
        }
        if (defaultColumns) {
            addCustomFields(plan);
        }
        return RepeatStatus.FINISHED;
    }

    private Long listId() {
        String list = options.filters().list();
        if (list == null) {
            return null;
        }
        return jdbc.sql("select id from contact_list where lower(name) = lower(:name)").param("name", list)
                .query(Long.class).optional()
                .orElseThrow(() -> new IllegalArgumentException("there is no list '" + list + "'"));
    }

    /** exports/contacts-ID.csv, or with -2, -3… when a file of that name is there already. */
    private Path defaultOut() {
        Path dir = exportsDir.toAbsolutePath().normalize();
        String ext = options.format().extension();
        Path out = dir.resolve("contacts-" + executionId + "." + ext);
        for (int n = 2; Files.exists(out); n++) {
            out = dir.resolve("contacts-" + executionId + "-" + n + "." + ext);
        }
        return out;
    }

    private void loadIds() {
        IdsFile.Read read = IdsFile.read(options.ids());
        if (!read.sha256().equals(options.idsSha256())) {
            throw new FileProblemException(options.ids(), null,
                    "changed after the export was asked for; give the export command again");
        }
        read.copyInto(dataSource, "copy export_id (export_id, contact_id) from stdin", exportId);
    }

    /** The default columns end with every custom field the selected contacts have, by name. */
    private void addCustomFields(ExportPlan plan) {
        List<String> names = new ArrayList<>(jdbc.sql(new ExportQuery(plan).customNames()).query(String.class).list());
        if (names.isEmpty()) {
            return;
        }
        names.sort(Comparator.comparing((String name) -> name.toLowerCase(java.util.Locale.ROOT))
                .thenComparing(Comparator.naturalOrder()));
        List<ExportColumn> columns = ExportColumn.defaults(names);
        jdbc.sql("update export_run set columns = :columns, headers = :headers, custom_names = :customNames"
                + " where id = :id")
                .param("columns", columns.stream().map(ExportColumn::key).toArray(String[]::new))
                .param("headers", columns.stream().map(ExportColumn::header).toArray(String[]::new))
                .param("customNames", names.toArray(String[]::new))
                .param("id", exportId)
                .update();
    }
}
