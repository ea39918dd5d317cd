package org.contactbatch.imports;

import java.util.EnumMap;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Counts about one import that both modes' summaries are made of. */
public final class ImportCounts {

    private ImportCounts() {
    }

    /** How many staged rows end in each action. */
    public static Map<RowAction, Long> actions(JdbcClient jdbc, long importId) {
        Map<RowAction, Long> actions = new EnumMap<>(RowAction.class);
        jdbc.sql("select action, count(*) from staged_contact where import_id = :id group by action")
                .param("id", importId)
                .query(rs -> {
                    actions.put(RowAction.of(rs.getString(1)), rs.getLong(2));
                });
        return actions;
    }
}
