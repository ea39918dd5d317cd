package org.contactbatch.launch;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import sun.misc.Signal;

/**
 * A command handed to a {@link WarmSpare}, a process that has already started Java and Spring once and waits for
 * the next command of the same user, folder and settings. It runs the command; this process relays its output,
 * the signals it gets (Ctrl-C) and its exit code, so the command looks the same as one run here. Loads nothing of
 * Spring or picocli: when no warm process is there, or it declines, the command runs here as usual.
 */
public final class WarmClient {

    /** The socket of the warm process to try ({@code bin/contact-batch} sets it). */
    public static final String SOCKET_PROPERTY = "contact-batch.warm.socket";

    private WarmClient() {
    }

    /**
     * Runs the command in the warm process at {@code socket}, if one is there and takes it.
     *
     * @return the command's exit code, or null when it is to run in this process
     */
    public static Integer run(Path socket, String[] args) {
        if (!Files.exists(socket)) {
            return null;
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
        }
        catch (IOException | RuntimeException gone) {
            // a warm process that ended without removing its socket, or one just taken by another command
            return null;
        }
        Frames frames = new Frames(channel);
        try {
            frames.write(Frames.REQUEST, WarmRequest.here(args).bytes());
            Frames.Frame answer = frames.read();
            if (answer == null || answer.type() != Frames.ACCEPTED) {
                frames.close();
                return null;
            }
        }
        catch (IOException lost) {
            return null;
        }
        return relay(frames);
    }

    /** The command's output to this process's, this process's signals to the command, until its exit code comes. */
    private static int relay(Frames frames) {
        int[] signalled = {0};
        for (String name : List.of("INT", "TERM", "HUP")) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    signalled[0] = signal.getNumber();
                    try {
                        frames.write(Frames.SIGNAL, signal.getNumber());
                    }
                    catch (IOException gone) {
                        // the command has ended already
                    }
                });
            }
            catch (IllegalArgumentException notHere) {
                // a signal this system does not have, or one the JVM keeps for itself
            }
        }
        // like System.out: output nobody reads any more (a pipe to head) is dropped, the command runs on
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
        try {
            for (Frames.Frame frame = frames.read(); frame != null; frame = frames.read()) {
                switch (frame.type()) {
                    case Frames.OUT -> out.write(frame.body(), 0, frame.body().length);
                    case Frames.ERR -> err.write(frame.body(), 0, frame.body().length);
                    case Frames.EXIT -> {
                        return frame.number();
                    }
                    default -> {
                        // nothing else comes this way
                    }
                }
            }
        }
        catch (IOException lost) {
            // as if the connection had ended
        }
        if (signalled[0] != 0) {
            // the command ended on the signal, as a JVM does
            return 128 + signalled[0];
        }
        System.err.println("error: the warm process running the command ended without its exit status;"
                + " see the log, or run it with CONTACT_BATCH_WARM=off");
        return 1;
    }
}
