package org.contactbatch.reimport;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.contactbatch.contacts.ColumnMapping;
import org.contactbatch.reports.IssueWriter;
import org.contactbatch.reports.RowIssue;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/** Registers the re-import, its fields and tag, and a warning for each column it ignores. One transaction. */
class ReimportRegisterTasklet implements Tasklet {

    private final DataSource dataSource;
    private final ReimportOptions options;
    private final long importId;

    ReimportRegisterTasklet(DataSource dataSource, ReimportOptions options, long importId) {
        this.dataSource = dataSource;
        this.options = options;
        this.importId = importId;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ReimportPlan plan = ReimportPlan.of(options);
        ColumnMapping mapping = plan.mapping();
        Map<String, String> described = new LinkedHashMap<>();
        for (int i = 0; i < mapping.header().size(); i++) {
            described.put(mapping.header().get(i), mapping.targets().get(i).describe());
        }
        int inserted = JdbcClient.create(dataSource).sql("""
                insert into import_batch (id, kind, file_name, file_path, file_sha256, created_by, mapping, fields, tag)
                values (:id, 'reimport', :name, :path, :sha, :by, cast(:mapping as jsonb), cast(:fields as text[]), :tag)
                on conflict (id) do nothing""")
                .param("id", importId)
                .param("name", options.file().getFileName().toString())
                .param("path", options.file().toString())
                .param("sha", options.sha256())
                .param("by", options.by())
                .param("mapping", JsonMapper.shared().writeValueAsString(described))
                .param("fields", plan.fields().toArray(String[]::new))
                .param("tag", options.tag())
                .update();
        if (inserted == 1) {
            IssueWriter issues = new IssueWriter(dataSource, importId);
            for (ColumnMapping.Note note : mapping.notes()) {
                issues.add(RowIssue.warning(0, note.column(), note.code(), note.message()));
            }
            issues.flush();
        }
        return RepeatStatus.FINISHED;
    }
}
