package org.contactbatch.launch;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The conversation between a command and the warm process that runs it, over a local socket: frames of a type
 * byte, a length and that many bytes. The command sends its {@link #REQUEST} and, later, the {@link #SIGNAL}s it
 * gets; the warm process answers {@link #ACCEPTED} or {@link #DECLINED}, then the command's output and its
 * {@link #EXIT} code.
 */
final class Frames implements AutoCloseable {

    static final byte REQUEST = 'R';
    static final byte ACCEPTED = 'A';
    static final byte DECLINED = 'D';
    static final byte OUT = 'O';
    static final byte ERR = 'E';
    static final byte SIGNAL = 'S';
    static final byte EXIT = 'X';

    /** One frame as read. */
    record Frame(byte type, byte[] body) {

        int number() {
            return ByteBuffer.wrap(body).getInt();
        }
    }

    private final SocketChannel channel;
    private final DataInputStream in;
    private final DataOutputStream out;

    Frames(SocketChannel channel) {
        this.channel = channel;
        // not Channels.newInputStream/newOutputStream: on Java 17 a read blocked in one of them holds the lock the
        // other needs to write, and here one thread waits for frames while others write output
        this.in = new DataInputStream(new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                return channel.read(ByteBuffer.wrap(bytes, offset, length));
            }
        });
        this.out = new DataOutputStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        });
    }

    /** The next frame, or null at the end of the conversation. */
    Frame read() throws IOException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        try {
            byte[] body = new byte[in.readInt()];
            in.readFully(body);
            return new Frame((byte) type, body);
        }
        catch (EOFException cut) {
            return null;
        }
    }

    synchronized void write(byte type, byte[] body, int offset, int length) throws IOException {
        byte[] frame = ByteBuffer.allocate(5 + length).put(type).putInt(length).put(body, offset, length).array();
        out.write(frame);
    }

    void write(byte type, byte[] body) throws IOException {
        write(type, body, 0, body.length);
    }

    void write(byte type, int number) throws IOException {
        write(type, ByteBuffer.allocate(4).putInt(number).array());
    }

    /** An output stream whose every write is one frame of {@code type}. */
    OutputStream stream(byte type) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                Frames.this.write(type, bytes, offset, length);
            }
        };
    }

    static byte[] strings(List<String> values) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream data = new DataOutputStream(bytes);
            data.writeInt(values.size());
            for (String value : values) {
                byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
                data.writeInt(utf8.length);
                data.write(utf8);
            }
            return bytes.toByteArray();
        }
        catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    static List<String> strings(byte[] body) throws IOException {
        DataInputStream data = new DataInputStream(new java.io.ByteArrayInputStream(body));
        int count = data.readInt();
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] utf8 = new byte[data.readInt()];
            data.readFully(utf8);
            values.add(new String(utf8, StandardCharsets.UTF_8));
        }
        return values;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
