package org.contactbatch.files;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

/**
 * Spring Batch reader over {@link TabularFiles#open}. Restartable: the base class keeps the count of rows read in the
 * ExecutionContext and, on restart, reads and discards that many rows again, which is fast enough even for a million
 * rows and needs no seekable position in a decoded, possibly zipped file. {@link #setName} must be called: it
 * prefixes the context keys.
 */
public class RowSourceItemReader extends AbstractItemCountingItemStreamItemReader<RawRow> {

    private final Path file;
    private final ReadOptions options;
    private long firstLine;
    private long endLine = Long.MAX_VALUE;
    private @Nullable RowSource source;
    private @Nullable RowSource inspected;

    public RowSourceItemReader(Path file, ReadOptions options) {
        this.file = Objects.requireNonNull(file, "file");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Reads only the rows that start on a line in [first, end) ({@link RawRow#line}): one part of a file read in
     * parts. The count of rows read, and so a restart, is the part's own.
     */
    public void setLines(long first, long end) {
        this.firstLine = first;
        this.endLine = end;
    }

    /**
     * A {@link FileProblemException} from opening the file is rethrown as it is rather than wrapped in the base
     * class's "Failed to initialize the reader", so a failed step shows the one-line reason.
     */
    @Override
    public void open(ExecutionContext executionContext) throws ItemStreamException {
        try {
            super.open(executionContext);
        } catch (ItemStreamException e) {
            if (e.getCause() instanceof FileProblemException problem) {
                throw problem;
            }
            throw e;
        }
    }

    @Override
    protected void doOpen() {
        RowSource opened = TabularFiles.open(file, options);
        try {
            opened.startAt(firstLine);
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        source = opened;
    }

    @Override
    protected @Nullable RawRow doRead() {
        RowSource open = source;
        if (open == null) {
            throw new IllegalStateException("reader for " + file + " is not open");
        }
        RawRow row = open.next();
        return row == null || row.line() >= endLine ? null : row;
    }

    @Override
    protected void doClose() {
        RowSource open = source;
        source = null;
        if (open != null) {
            open.close();
        }
    }

    /** The header; before {@link #open} (e.g. in a beforeStep listener) the file is inspected once to find it. */
    public List<String> header() {
        return current().header();
    }

    /** What the file is; before {@link #open} the file is inspected once to find it. */
    public FileDescription description() {
        return current().description();
    }

    private RowSource current() {
        RowSource open = source;
        if (open != null) {
            return open;
        }
        if (inspected == null) {
            // header and description are fixed once the file is open, so a closed source still answers them
            try (RowSource probe = TabularFiles.open(file, options)) {
                inspected = probe;
            }
        }
        return inspected;
    }
}
