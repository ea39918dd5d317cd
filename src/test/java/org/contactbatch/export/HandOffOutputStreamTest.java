package org.contactbatch.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Writes on a second thread: every byte in order, flush and close wait for them, a failure is not lost. */
// on a thread of its own: close() waits for the writer through interrupts, so only that way can a hang fail
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HandOffOutputStreamTest {

    /** What reached it, and whether it was flushed and closed. */
    static final class Target extends ByteArrayOutputStream {
        volatile int flushes;
        volatile boolean closed;

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void everyByteArrivesInOrderAndTheTargetStaysOpen() throws IOException {
        Random random = new Random(7);
        byte[] expected = new byte[3 * HandOffOutputStream.BUFFER_BYTES + 12_345];
        random.nextBytes(expected);
        Target target = new Target();
        HandOffOutputStream out = new HandOffOutputStream(target, "test-writer");
        for (int at = 0; at < expected.length; ) {
            int n = Math.min(expected.length - at, random.nextInt(3) == 0 ? 1 : random.nextInt(20_000));
            if (n == 1) {
                out.write(expected[at]);
            }
            else {
                out.write(expected, at, n);
            }
            at += n;
        }
        out.close();
        assertThat(target.toByteArray()).isEqualTo(expected);
        assertThat(target.flushes).as("flushed once it had everything").isEqualTo(1);
        assertThat(target.closed).as("the target is the caller's to close").isFalse();
        out.close();
        out.flush(); // POI flushes a sheet's writer again when the workbook closes
        assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class);
        assertThat(target.flushes).isEqualTo(1);
    }

    @Test
    void aFlushReturnsOnceTheTargetHasWhatWasWrittenAndWasFlushed() throws IOException {
        Target target = new Target();
        try (HandOffOutputStream out = new HandOffOutputStream(target, "test-writer")) {
            out.write(new byte[] {1, 2, 3});
            out.flush();
            assertThat(target.toByteArray()).containsExactly(1, 2, 3);
            assertThat(target.flushes).isEqualTo(1);
            out.write(4);
            out.flush();
            assertThat(target.toByteArray()).containsExactly(1, 2, 3, 4);
            assertThat(target.flushes).isEqualTo(2);
        }
    }

    @Test
    void aFailingTargetFailsTheNextCallAndCloseStillEnds() {
        OutputStream full = failing(() -> {
            throw new IOException("No space left on device");
        });
        HandOffOutputStream out = new HandOffOutputStream(full, "test-writer");
        assertThatThrownBy(() -> {
            byte[] chunk = new byte[50_000];
            for (int i = 0; i < 1_000; i++) {
                out.write(chunk);
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("No space left on device");
        assertThatThrownBy(out::close).isInstanceOf(IOException.class).hasMessageContaining("No space left on device");
    }

    @Test
    void aTargetThatThrowsAnUncheckedExceptionIsAFailureToo() throws IOException {
        OutputStream broken = failing(() -> {
            throw new IllegalStateException("deflater ended");
        });
        HandOffOutputStream out = new HandOffOutputStream(broken, "test-writer");
        out.write(9);
        assertThatThrownBy(out::flush).isInstanceOf(IOException.class).hasMessageContaining("deflater ended");
        assertThatThrownBy(out::close).isInstanceOf(IOException.class);
    }

    @Test
    void anErrorInTheWriterIsAFailureTooAndNothingWaitsForEver() throws IOException {
        OutputStream exhausted = failing(() -> {
            throw new OutOfMemoryError("Java heap space");
        });
        HandOffOutputStream out = new HandOffOutputStream(exhausted, "test-writer");
        byte[] chunk = new byte[HandOffOutputStream.BUFFER_BYTES];
        assertThatThrownBy(() -> {
            for (int i = 0; i < 10; i++) {
                out.write(chunk);
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("Java heap space");
        assertThatThrownBy(out::close).isInstanceOf(IOException.class).hasMessageContaining("Java heap space");
    }

    /** How a target fails. */
    @FunctionalInterface
    interface Failure {
        void fail() throws IOException;
    }

    /** A target every write of which fails so. */
    private static OutputStream failing(Failure failure) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                failure.fail();
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                failure.fail();
            }
        };
    }
}
