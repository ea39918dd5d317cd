package org.contactbatch.export;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;

/**
 * An output stream that writes to another on a thread of its own: what is written fills a buffer, a full buffer goes
 * to that thread, and the next one fills meanwhile. When making the bytes and writing them cost about the same, as
 * the workbook's XML and its deflating do, on two cores the time becomes the larger of the two rather than their sum.
 *
 * <p>{@link #flush()} returns once the other stream has everything written so far and was flushed itself;
 * {@link #close()} does the same and ends the thread, leaving the other stream open. A failure of the other stream
 * (any throwable: the thread never dies silently, so nothing waits for it in vain) is thrown by the next flush or
 * close, or by the write that fills the next buffer. Not for use by more than one thread at a time.
 */
final class HandOffOutputStream extends OutputStream {

    static final int BUFFER_BYTES = 1 << 18;

    /** Bytes to write, or, with {@code done} set, a request to flush and say so. */
    private record Piece(byte[] bytes, int length, CountDownLatch done, boolean last) {
    }

    private final OutputStream target;
    private final BlockingQueue<Piece> pieces = new ArrayBlockingQueue<>(2);
    private final BlockingQueue<byte[]> spare = new ArrayBlockingQueue<>(4);
    private final Thread writer;
    private volatile IOException failure;
    private byte[] buffer = new byte[BUFFER_BYTES];
    private int count;
    private boolean closed;

    HandOffOutputStream(OutputStream target, String threadName) {
        this.target = target;
        this.writer = new Thread(this::writeAll, threadName);
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void write(int b) throws IOException {
        requireOpen();
        if (count == buffer.length) {
            handOff();
        }
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        requireOpen();
        while (len > 0) {
            if (count == buffer.length) {
                handOff();
            }
            int n = Math.min(len, buffer.length - count);
            System.arraycopy(b, off, buffer, count, n);
            count += n;
            off += n;
            len -= n;
        }
    }

    /** Does nothing once closed: POI flushes a sheet's writer again when the workbook closes. */
    @Override
    public void flush() throws IOException {
        if (closed) {
            return;
        }
        handOff();
        awaitFlushed();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        boolean interrupted = false;
        if (count > 0 && failure == null) {
            interrupted = putWaiting(new Piece(buffer, count, null, false));
        }
        count = 0;
        // always the last piece, so the thread ends, whatever went wrong before
        interrupted |= putWaiting(new Piece(null, 0, new CountDownLatch(1), true));
        while (true) {
            try {
                writer.join();
                break;
            }
            catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        throwIfFailed();
    }

    /** Puts the piece even if interrupted (the writer takes pieces until the last one); whether it was. */
    private boolean putWaiting(Piece piece) {
        boolean interrupted = false;
        while (true) {
            try {
                pieces.put(piece);
                return interrupted;
            }
            catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    private void requireOpen() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
    }

    /** The filled part of the buffer to the writer; a fresh (or recycled) buffer to fill. Only while open. */
    private void handOff() throws IOException {
        throwIfFailed();
        if (count == 0) {
            return;
        }
        put(new Piece(buffer, count, null, false));
        byte[] next = spare.poll();
        buffer = next != null ? next : new byte[BUFFER_BYTES];
        count = 0;
    }

    private void awaitFlushed() throws IOException {
        CountDownLatch done = new CountDownLatch(1);
        put(new Piece(null, 0, done, false));
        try {
            done.await();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for the writes to finish");
        }
        throwIfFailed();
    }

    private void put(Piece piece) throws IOException {
        try {
            pieces.put(piece);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted handing bytes to the writer");
        }
    }

    private void throwIfFailed() throws IOException {
        IOException failed = failure;
        if (failed != null) {
            throw new IOException(failed.getMessage(), failed);
        }
    }

    private static IOException asIOException(Throwable e) {
        return e instanceof IOException io ? io : new IOException(String.valueOf(e), e);
    }

    /** The writing thread: each piece in order; after a failure it only answers flushes, so nothing waits for ever. */
    private void writeAll() {
        while (true) {
            Piece piece;
            try {
                piece = pieces.take();
            }
            catch (InterruptedException e) {
                // only this class's own thread: nobody else interrupts it
                continue;
            }
            if (piece.done() == null) {
                if (failure == null) {
                    try {
                        target.write(piece.bytes(), 0, piece.length());
                    }
                    catch (Throwable e) {
                        failure = asIOException(e);
                    }
                }
                spare.offer(piece.bytes());
                continue;
            }
            if (failure == null) {
                try {
                    target.flush();
                }
                catch (Throwable e) {
                    failure = asIOException(e);
                }
            }
            piece.done().countDown();
            if (piece.last()) {
                return;
            }
        }
    }
}
