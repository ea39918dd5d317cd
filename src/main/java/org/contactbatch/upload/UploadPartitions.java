package org.contactbatch.upload;

import java.util.LinkedHashMap;
import java.util.Map;

import org.contactbatch.imports.RowAction;
import org.contactbatch.jobs.Progress;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * How an upload's work is split so both cores are busy: each partition is a step execution of its
 * own, with its own restart state, so a restarted upload continues each part where it stopped.
 */
final class UploadPartitions {

    static final String FIRST_ROW = "firstRow";
    static final String END_ROW = "endRow";
    static final String FIRST_LINE = "firstLine";
    static final String LAST_LINE = "lastLine";

    private UploadPartitions() {
    }

    /**
     * Staging: the file's rows by position, [first, end). A text file is split at half its
     * estimated rows; the second part reads past the first part's rows without checking them,
     * which costs far less than checking them. Workbooks are read whole by one partition: their
     * parser is the slow part, and skipping would repeat it.
     */
    static Partitioner rows(UploadOptions options, long minRows) {
        return gridSize -> {
            long estimated = Progress.estimateRows(options.file(), options.header());
            int parts = estimated < minRows ? 1 : gridSize;
            Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
            long share = Math.max(1, estimated / parts);
            for (int i = 0; i < parts; i++) {
                ExecutionContext context = new ExecutionContext();
                context.putLong(FIRST_ROW, i * share);
                context.putLong(END_ROW, i == parts - 1 ? Integer.MAX_VALUE : (i + 1) * share);
                partitions.put("rows" + i, context);
            }
            return partitions;
        };
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
