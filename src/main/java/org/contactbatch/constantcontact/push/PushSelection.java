package org.contactbatch.constantcontact.push;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The contacts a push selects, as SQL over {@code contact c}: a where clause and its parameters. Lists of
 * values travel as one text joined by a unit separator, split in SQL, so no value needs escaping.
 */
record PushSelection(String where, Map<String, Object> parameters) {

    private static final String SEPARATOR = "\u001f";

    /** @param runId the run, whose --ids the prepare step loaded into {@code cc_push_selected} */
    static PushSelection of(PushOptions options, long runId) {
        StringBuilder where = new StringBuilder("true");
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (options.idsFile() != null) {
            where.append(" and c.id in (select s.contact_id from cc_push_selected s where s.run_id = :selectedRun)");
            parameters.put("selectedRun", runId);
        }
        if (options.updatedSince() != null) {
            where.append(" and c.updated_at >= :updatedSince");
            parameters.put("updatedSince", java.sql.Timestamp.from(java.time.Instant.parse(options.updatedSince())));
        }
        if (!options.includeInactive()) {
            where.append(" and c.active");
        }
        if (!options.lifecycleStages().isEmpty()) {
            where.append(" and lower(c.lifecycle_stage) = any(string_to_array(:stages, chr(31)))");
            parameters.put("stages", join(options.lifecycleStages()));
        }
        if (!options.tags().isEmpty()) {
            where.append(" and c.tags && string_to_array(:tags, chr(31))");
            parameters.put("tags", join(options.tags()));
        }
        if (!options.lists().isEmpty()) {
            where.append(" and ").append("""
                    exists (select 1 from contact_list_member m join contact_list l on l.id = m.list_id
                                 where m.contact_id = c.id and lower(l.name) = any(string_to_array(lower(:lists), chr(31))))""");
            parameters.put("lists", join(options.lists()));
        }
        if (options.uploadId() != null) {
            where.append(" and ").append("""
                    (c.source_import_id = :upload
                          or c.id in (select s.contact_id from staged_contact s where s.import_id = :upload and s.action = 'U'))""");
            parameters.put("upload", options.uploadId());
        }
        return new PushSelection(where.toString(), parameters);
    }

    /** The statement with this selection's parameters bound. */
    JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement) {
        JdbcClient.StatementSpec bound = statement;
        for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
            bound = bound.param(parameter.getKey(), parameter.getValue());
        }
        return bound;
    }

    private static String join(List<String> values) {
        return String.join(SEPARATOR, values);
    }
}
