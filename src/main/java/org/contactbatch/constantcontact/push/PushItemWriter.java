package org.contactbatch.constantcontact.push;

import javax.sql.DataSource;

import org.contactbatch.db.CopyRows;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/** Writes a chunk of the plan into {@code cc_push_item} with COPY, in the chunk's transaction. */
public class PushItemWriter implements ItemWriter<PushItem> {

    private static final String COPY = "COPY cc_push_item (run_id, contact_id, email, action, list_key, payload, bytes, hash,"
            + " code, message, cleared) FROM STDIN";

    private final DataSource dataSource;
    private final long runId;

    public PushItemWriter(DataSource dataSource, long runId) {
        this.dataSource = dataSource;
        this.runId = runId;
    }

    @Override
    public void write(Chunk<? extends PushItem> items) {
        CopyRows rows = new CopyRows();
        for (PushItem item : items) {
            rows.number(runId).number(item.contactId()).text(item.email()).text(String.valueOf(item.action().code()))
                    .text(item.listKey()).text(item.payload()).number(item.payload() == null ? null : (Number) item.bytes())
                    .text(item.hash()).text(item.code()).text(item.message()).text(item.cleared()).endRow();
        }
        rows.copyInto(dataSource, COPY);
    }
}
