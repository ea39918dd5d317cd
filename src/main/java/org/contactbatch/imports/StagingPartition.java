package org.contactbatch.imports;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The partition of {@code staged_contact} that holds one import's staged rows. It is created when
 * the import is registered, without an index, so the staging COPY writes only the rows (the
 * primary key an import shared with every other cost about 30 % of that COPY); its key is built
 * once every row is staged, before the check reads by line, and only it is analyzed.
 */
public final class StagingPartition {

    private StagingPartition() {
    }

    /** The partition's name; an import's id is a number, so it is safe in statement text. */
    static String name(long importId) {
        return "staged_contact_" + importId;
    }

    /** Creates the import's partition, in the registration's transaction; again after a restart, nothing. */
    static void create(JdbcClient jdbc, long importId) {
        jdbc.sql("create table if not exists %s partition of staged_contact for values in (%d)"
                .formatted(name(importId), importId)).update();
    }

    /**
     * Builds the staged rows' key (one row per line: staging wrote no line twice, or this fails) and
     * gives the planner this import's statistics: without them it takes a million staged rows for a
     * handful and picks nested loops that never finish. In the check's transaction: a restart
     * repeats it, or finds it done.
     *
     * <p>The statistics come from a sample of 3,000 rows (statistics target 10), not the server's 30,000:
     * for a million staged rows that one reads nearly every page, 1.2-1.4 s against 0.13 s, while the check's
     * and the apply's plans need the row counts, the share of each action and whether emails repeat, which
     * the small sample gives as well (their plans came out the same).
     */
    static void index(JdbcClient jdbc, long importId) {
        String partition = name(importId);
        jdbc.sql("create unique index if not exists %1$s_line on %1$s (import_id, line)".formatted(partition)).update();
        jdbc.sql("set local default_statistics_target = 10").update();
        jdbc.sql("analyze " + partition).update();
    }
}
