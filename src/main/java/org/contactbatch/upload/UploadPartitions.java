package org.contactbatch.upload;

import java.util.LinkedHashMap;
import java.util.Map;

import org.contactbatch.imports.RowAction;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * How an upload's apply is split so both cores are busy: each partition is a step execution of its
 * own, with its own restart state, so a restarted upload continues each part where it stopped.
 * Staging is split the same way for every import, by {@link org.contactbatch.imports.StagingSteps}.
 */
final class UploadPartitions {

    static final String FIRST_LINE = "firstLine";
    static final String LAST_LINE = "lastLine";

    private UploadPartitions() {
    }

    /** Applying: the staged rows by line, [first, last], in equal ranges of line numbers. */
    static Partitioner lines(JdbcClient jdbc, long importId, long minRows) {
        return gridSize -> {
            long[] range = jdbc.sql(RowAction.inline("""
                    select coalesce(min(line), 0), coalesce(max(line), -1), count(*) from staged_contact
                    where import_id = :id and action in ({INSERT}, {UPDATE})"""))
                    .param("id", importId)
                    .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)})
                    .single();
            int parts = range[2] < minRows ? 1 : gridSize;
            long width = (range[1] - range[0]) / parts + 1;
            Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
            for (int i = 0; i < parts; i++) {
                ExecutionContext context = new ExecutionContext();
                context.putLong(FIRST_LINE, range[0] + i * width);
                context.putLong(LAST_LINE, i == parts - 1 ? range[1] : range[0] + (i + 1) * width - 1);
                partitions.put("lines" + i, context);
            }
            return partitions;
        };
    }
}
