package org.contactbatch.upload;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.contactbatch.contacts.ColumnMapping;
import org.contactbatch.reports.IssueWriter;
import org.contactbatch.reports.RowIssue;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registers the upload (its id is the job instance id, so a restart finds it again), records
 * how the columns map with a warning for each column that maps to nothing, and creates the
 * target list when missing (not in a full dry run). One transaction: done wholly or not at all.
 */
public class UploadPrepareTasklet implements Tasklet {

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final UploadOptions options;
    private final long importId;

    public UploadPrepareTasklet(DataSource dataSource, UploadOptions options, long importId) {
        this.dataSource = dataSource;
        this.jdbc = JdbcClient.create(dataSource);
        this.options = options;
        this.importId = importId;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        UploadPlan plan = UploadPlan.of(options);
        ColumnMapping mapping = plan.mapping();
        Map<String, String> described = new LinkedHashMap<>();
        for (int i = 0; i < mapping.header().size(); i++) {
            described.put(mapping.header().get(i), mapping.targets().get(i).describe());
        }
        int inserted = jdbc.sql("""
                insert into import_batch (id, kind, file_name, file_path, file_sha256, created_by, mapping)
                values (:id, 'upload', :name, :path, :sha, :by, cast(:mapping as jsonb))
                on conflict (id) do nothing""")
                .param("id", importId)
                .param("name", options.file().getFileName().toString())
                .param("path", options.file().toString())
                .param("sha", options.sha256())
                .param("by", options.by())
                .param("mapping", JsonMapper.shared().writeValueAsString(described))
                .update();
        if (inserted == 1) {
            IssueWriter issues = new IssueWriter(dataSource, importId);
            for (ColumnMapping.Note note : mapping.notes()) {
                issues.add(RowIssue.warning(0, note.column(), note.code(), note.message()));
            }
            issues.flush();
        }
        // a full dry run changes nothing people see: its apply creates the list
        if (options.list() != null && !options.dryRun()) {
            jdbc.sql("insert into contact_list (name) values (:name) on conflict (lower(name)) do nothing")
                    .param("name", options.list())
                    .update();
        }
        return RepeatStatus.FINISHED;
    }
}
