package org.contactbatch.export;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * How an export's rows are split so both cores are busy: ranges of contact ids, each spooled to a file of its own by
 * a step execution of its own (with its own restart state), the files joined in order at the end. Each part is a
 * PostgreSQL backend formatting rows, which is most of the work.
 */
final class ExportPartitions {

    static final String PART = "part";
    static final String AFTER_ID = "afterId";
    static final String LAST_ID = "lastId";

    private ExportPartitions() {
    }

    /**
     * Equal ranges of ids up to the highest one the export may include: a part per worker, or one part for an export
     * of fewer than {@code minRows} contacts (counted by the highest id, which is quick and near enough). The number
     * of parts is kept with the plan, and a restart splits as the first run did, whatever the settings are now:
     * Spring Batch continues the parts by their names, and a part the split no longer named would be lost.
     */
    static Partitioner ids(JdbcClient jdbc, ExportPlan plan, long minRows) {
        return gridSize -> {
            long maxId = plan.maxContactId();
            int parts = plan.parts() > 0 ? plan.parts() : maxId < minRows ? 1 : Math.max(1, gridSize);
            long width = maxId / parts + 1;
            Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
            for (int i = 0; i < parts; i++) {
                ExecutionContext context = new ExecutionContext();
                context.putInt(PART, i);
                context.putLong(AFTER_ID, i * width);
                context.putLong(LAST_ID, i == parts - 1 ? maxId : (i + 1) * width);
                partitions.put("ids" + i, context);
            }
            jdbc.sql("update export_run set parts = :parts where id = :id").param("parts", parts)
                    .param("id", plan.id()).update();
            return partitions;
        };
    }
}
