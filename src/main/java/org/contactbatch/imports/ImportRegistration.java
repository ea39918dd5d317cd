package org.contactbatch.imports;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.contactbatch.contacts.ColumnMapping;
import org.contactbatch.reports.IssueWriter;
import org.contactbatch.reports.RowIssue;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * An import's row in {@code import_batch}, with how its columns map, and a warning for each column
 * the mapping noted (one that maps to nothing, one that is ignored). Its id is the job instance id,
 * so a restart finds it registered and adds nothing twice.
 *
 * @param fields the only fields a re-import changes; null for an upload
 * @param tag    what a re-import tags the contacts it updates with; null for none
 */
public record ImportRegistration(long importId, ImportKind kind, Path file, String sha256, String by,
        ColumnMapping mapping, List<String> fields, String tag) {

    /**
     * Registers the import and creates its staging partition, in the caller's transaction; false when
     * it was registered before.
     */
    public boolean register(DataSource dataSource) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        StagingPartition.create(jdbc, importId);
        Map<String, String> described = new LinkedHashMap<>();
        for (int i = 0; i < mapping.header().size(); i++) {
            described.put(mapping.header().get(i), mapping.targets().get(i).describe());
        }
        int inserted = jdbc.sql("""
                insert into import_batch (id, kind, file_name, file_path, file_sha256, created_by, mapping, fields, tag)
                values (:id, :kind, :name, :path, :sha, :by, cast(:mapping as jsonb), cast(:fields as text[]), :tag)
                on conflict (id) do nothing""")
                .param("id", importId)
                .param("kind", kind.value())
                .param("name", file.getFileName().toString())
                .param("path", file.toString())
                .param("sha", sha256)
                .param("by", by)
                .param("mapping", JsonMapper.shared().writeValueAsString(described))
                .param("fields", fields == null ? null : fields.toArray(String[]::new))
                .param("tag", tag)
                .update();
        if (inserted == 0) {
            return false;
        }
        IssueWriter issues = new IssueWriter(dataSource, importId);
        for (ColumnMapping.Note note : mapping.notes()) {
            issues.add(RowIssue.warning(0, note.column(), note.code(), note.message()));
        }
        issues.flush();
        return true;
    }
}
