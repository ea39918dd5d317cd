package org.contactbatch.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import org.contactbatch.ContactBatchApplication;
import org.contactbatch.cli.ContactBatchCommandLine;
import org.contactbatch.db.EmbeddedServer;

/**
 * A process started after a command ends, for the next one: it starts Java and Spring once (a {@code jobs list}
 * whose output goes nowhere, on the embedded database only if that still runs), then waits on a local socket for
 * one command of the same user, folder and environment, runs it as {@code main} would and ends. A command so
 * reaches its first piece of work without the JVM's and Spring's start-up. One waits per socket; it ends by
 * itself after {@code contact-batch.warm.idle-ms} (10 minutes) with no command, or when the jar it runs from
 * has been replaced. {@code bin/contact-batch} starts it; {@code CONTACT_BATCH_WARM=off} there does without.
 */
public final class WarmSpare {

    /** Set while the spare warms up: the embedded database is used only if it runs, never started for this. */
    public static final String WARMING_PROPERTY = "contact-batch.warming";

    /** Set for the command it runs: whether the command's output goes to a terminal. */
    public static final String TERMINAL_PROPERTY = "contact-batch.terminal";

    private static final long REQUEST_WAIT_MS = 10_000;

    private static volatile boolean commandEnded;

    /** The exit code a relayed signal is ending this process with (128 + its number), or 0. */
    private static volatile int signalExit;

    private WarmSpare() {
    }

    /** Whether the output of this process's command goes to a terminal, where one watches it. */
    public static boolean onTerminal() {
        String told = System.getProperty(TERMINAL_PROPERTY);
        return told != null ? Boolean.parseBoolean(told) : System.console() != null;
    }

    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]).toAbsolutePath();
        long idle = Long.getLong("contact-batch.warm.idle-ms", 600_000);
        FileChannel lockFile = FileChannel.open(Path.of(socket + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.tryLock();
        if (lock == null) {
            // another one waits for the same commands already
            return;
        }
        FileTime jarTime = jarTime();
        warmUp();
        SocketChannel client;
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            Files.deleteIfExists(socket);
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            client = accept(server, idle);
            // no second command finds this one now; the next spare may take the lock while this one still runs
            Files.deleteIfExists(socket);
        }
        lock.release();
        lockFile.close();
        if (client == null) {
            return;
        }
        System.exit(serve(new Frames(client), jarTime));
    }

    /** The first connection within {@code idle} ms, or null. */
    private static SocketChannel accept(ServerSocketChannel server, long idle) throws IOException {
        server.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            server.register(selector, SelectionKey.OP_ACCEPT);
            if (selector.select(idle) == 0) {
                return null;
            }
        }
        SocketChannel client = server.accept();
        if (client != null) {
            client.configureBlocking(true);
        }
        return client;
    }

    /** Runs the command one client asked for, or declines it; the exit code this process ends with. */
    private static int serve(Frames frames, FileTime jarTime) throws IOException {
        Thread timeout = new Thread(() -> {
            try {
                Thread.sleep(REQUEST_WAIT_MS);
                Runtime.getRuntime().halt(0);
            }
            catch (InterruptedException answered) {
                // the request came
            }
        }, "warm-request-wait");
        timeout.setDaemon(true);
        timeout.start();
        Frames.Frame request = frames.read();
        timeout.interrupt();
        if (request == null || request.type() != Frames.REQUEST) {
            return 0;
        }
        WarmRequest asked = WarmRequest.of(request.body());
        boolean same = asked.sameAsHere() && jarTime.equals(jarTime());
        if (!same) {
            // a rebuilt jar, or a command that is not the one this process was started for (a checksum's chance)
            frames.write(Frames.DECLINED, new byte[0]);
            frames.close();
            return 0;
        }
        frames.write(Frames.ACCEPTED, new byte[0]);
        System.setProperty(TERMINAL_PROPERTY, String.valueOf(asked.terminal()));
        System.setOut(new PrintStream(frames.stream(Frames.OUT), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(frames.stream(Frames.ERR), true, StandardCharsets.UTF_8));
        Thread signals = new Thread(() -> relaySignals(frames), "warm-signals");
        signals.setDaemon(true);
        signals.start();
        int code = ContactBatchApplication.command(asked.args().toArray(String[]::new));
        commandEnded = true;
        if (signalExit != 0) {
            // the command may end on its own while the signal's exit runs its shutdown hooks (a job stopped by the
            // context's close returns 1); a JVM so ended exits with the signal's code whatever its main thread does
            code = signalExit;
        }
        System.out.flush();
        System.err.flush();
        try {
            frames.write(Frames.EXIT, code);
        }
        catch (IOException gone) {
            // the command's process has gone
        }
        return code;
    }

    /**
     * The command's signals, as if they had come to this process: Ctrl-C ends it the way it ends a JVM; a command
     * whose process is gone without a word ({@code kill -9}) takes this one with it just as suddenly, so its job
     * is left as after any {@code kill -9}: to restart.
     */
    private static void relaySignals(Frames frames) {
        try {
            for (Frames.Frame frame = frames.read(); frame != null; frame = frames.read()) {
                if (frame.type() == Frames.SIGNAL) {
                    int code = 128 + frame.number();
                    signalExit = code;
                    new Thread(() -> System.exit(code), "warm-signal").start();
                }
            }
        }
        catch (IOException lost) {
            // as if it had ended
        }
        if (!commandEnded) {
            Runtime.getRuntime().halt(137);
        }
    }

    /** Starts Java and Spring once, with nothing to show for it, and lets go of what the next command opens anew. */
    private static void warmUp() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(nowhere);
        System.setErr(nowhere);
        // and nothing in the user's log of a command nobody ran; the user's own settings (JAVA_OPTS) come back after
        Map<String, String> warming = Map.of(WARMING_PROPERTY, "true", "logging.level.root", "OFF",
                "logging.level.org.contactbatch", "OFF");
        Map<String, String> before = new HashMap<>();
        warming.forEach((name, value) -> before.put(name, System.setProperty(name, value)));
        try {
            ContactBatchApplication.command(new String[] {"jobs", "list"});
        }
        catch (Throwable e) {
            // only a head start: the command will meet whatever this met
        }
        finally {
            before.forEach((name, value) -> {
                if (value != null) {
                    System.setProperty(name, value);
                }
                else {
                    System.clearProperty(name);
                }
            });
            System.setOut(out);
            System.setErr(err);
        }
        EmbeddedServer.releaseAll();
        System.gc();
    }

    private static FileTime jarTime() throws IOException {
        try {
            Path jar = Path.of(WarmSpare.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.getLastModifiedTime(jar);
        }
        catch (URISyntaxException | RuntimeException e) {
            return FileTime.fromMillis(0);
        }
    }
}
