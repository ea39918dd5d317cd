package org.contactbatch.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * Writes the selected contacts of one range of ids (a partition, see {@link ExportPartitions}) to its spool file, a
 * slice per transaction: the next contacts by id, formatted as CSV
 * by PostgreSQL's {@code COPY} and made safe by {@link CopyCsvWriter}, appended to the file before the slice's
 * transaction commits the new position in the step's context: the last id, the file's length, the rows so far and
 * a CRC-32C of the file's content up to that length.
 *
 * <p>So the file holds at least what the committed position counts: a run killed after writing a slice but before
 * committing it left bytes the position does not count, and a restart cuts the file back to the committed length
 * and writes that slice again. Every selected contact ends up in the file exactly once. The file is not forced to
 * disk after every slice (a killed process loses nothing the operating system was given); instead a restart checks
 * the committed part against its CRC, and starts the file over should a crash of the machine itself have lost some
 * of it. The finished file is forced to disk once, before it is moved into place.
 */
public class ExportRowsTasklet implements Tasklet, ItemStream {

    static final String LAST_ID = "exportRows.lastId";
    static final String BYTES = "exportRows.bytes";
    static final String ROWS = "exportRows.rows";
    static final String CRC = "exportRows.crc32c";

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final DataSource dataSource;
    private final ExportPlan plan;
    private final ExportQuery query;
    private final int part;
    private final long firstAfterId;
    private final long rangeLastId;
    private final Path spool;
    private final int slice;
    private final CRC32C crc = new CRC32C();
    private FileChannel channel;
    private OutputStream out;
    private CopyCsvWriter writer;
    private long lastId;
    private long bytes;
    private long rows;

    /**
     * @param part    which part of the rows: part 0's spool starts with the header
     * @param afterId the part's contacts have ids after this one
     * @param lastId  and at most this one
     * @param slice   contacts per transaction
     */
    public ExportRowsTasklet(DataSource dataSource, ExportPlan plan, int part, long afterId, long lastId, int slice) {
        this.dataSource = dataSource;
        this.plan = plan;
        this.query = new ExportQuery(plan);
        this.part = part;
        this.firstAfterId = afterId;
        this.rangeLastId = lastId;
        this.spool = plan.spool(part);
        this.slice = slice;
    }

    @Override
    public void open(ExecutionContext context) {
        try {
            Files.createDirectories(spool.getParent());
            if (context.containsKey(BYTES) && committedPartIntact(context)) {
                lastId = context.getLong(LAST_ID);
                bytes = context.getLong(BYTES);
                rows = context.getLong(ROWS);
                channel = FileChannel.open(spool, StandardOpenOption.WRITE);
                channel.truncate(bytes);
                channel.position(bytes);
                startWriting();
            }
            else {
                // a first run, or the spool is gone: from the beginning
                channel = FileChannel.open(spool, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                crc.reset();
                startWriting();
                if (part == 0) {
                    if (plan.bom()) {
                        out.write(BOM);
                    }
                    out.write(CopyCsvWriter.header(plan.headers(), plan.delimiter()));
                    out.flush();
                }
                lastId = firstAfterId;
                rows = 0;
                bytes = channel.position();
            }
        }
        catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot write " + spool + ": " + e.getMessage(), e);
        }
    }

    /** The spool holds the committed length, and its CRC says that part is what was written. Leaves the CRC at it. */
    private boolean committedPartIntact(ExecutionContext context) throws IOException {
        long committed = context.getLong(BYTES);
        if (!Files.isRegularFile(spool) || Files.size(spool) < committed) {
            return false;
        }
        crc.reset();
        try (InputStream in = new CheckedInputStream(Files.newInputStream(spool), crc)) {
            byte[] buffer = new byte[1 << 16];
            for (long left = committed; left > 0; ) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    return false;
                }
                left -= n;
            }
        }
        return crc.getValue() == context.getLong(CRC, -1L);
    }

    private void startWriting() {
        out = new BufferedOutputStream(new CheckedOutputStream(Channels.newOutputStream(channel), crc), 1 << 16);
        writer = new CopyCsvWriter(out, plan.delimiter());
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        String sql = query.copySlice(lastId, rangeLastId, slice);
        CopyCsvWriter.Slice written;
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            written = writer.copy(connection.unwrap(PGConnection.class).getCopyAPI().copyOut(sql));
        }
        catch (SQLException e) {
            throw new DataAccessResourceFailureException("COPY of the next contacts failed: " + e.getMessage(), e);
        }
        finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
        boolean last = written.rows() < slice;
        if (written.rows() > 0) {
            out.flush();
            lastId = written.lastId();
            rows += written.rows();
            bytes = channel.position();
            for (int i = 0; i < written.rows(); i++) {
                contribution.incrementReadCount();
            }
            contribution.incrementWriteCount(written.rows());
        }
        if (last) {
            channel.force(true);
            return RepeatStatus.FINISHED;
        }
        return RepeatStatus.CONTINUABLE;
    }

    /** Runs inside each slice's transaction, just before it commits. */
    @Override
    public void update(ExecutionContext context) {
        context.putLong(LAST_ID, lastId);
        context.putLong(BYTES, bytes);
        context.putLong(ROWS, rows);
        context.putLong(CRC, crc.getValue());
    }

    @Override
    public void close() {
        try {
            if (out != null) {
                out.close();
            }
            else if (channel != null) {
                channel.close();
            }
        }
        catch (IOException e) {
            // what was not committed is cut off on restart anyway
        }
        finally {
            out = null;
            channel = null;
        }
    }
}
