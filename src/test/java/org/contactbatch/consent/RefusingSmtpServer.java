package org.contactbatch.consent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small real SMTP server for the one thing GreenMail does not do: refuse a recipient, as a server does for an
 * address it does not know ({@code 550 5.1.1 … User unknown}). Everyone else's message is taken and kept.
 */
final class RefusingSmtpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final Set<String> refused;
    /** Recipients it defers with a 451, as a greylisting server does. */
    final Set<String> deferred = new java.util.concurrent.CopyOnWriteArraySet<>();
    /** Recipients whose message it takes and then never answers for (the client times out after the data). */
    final Set<String> silentAfterData = new java.util.concurrent.CopyOnWriteArraySet<>();
    /** Refuses the sender (MAIL FROM), as a server does for a domain it won't relay for. */
    volatile boolean refusesSender;
    /** Never answers QUIT, so closing the connection fails after the message was taken. */
    volatile boolean silentOnQuit;
    private final List<String> delivered = new CopyOnWriteArrayList<>();

    RefusingSmtpServer(Set<String> refused) {
        this.refused = refused;
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread accept = new Thread(this::accept, "refusing-smtp");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The recipients of the messages it took, in order. */
    List<String> delivered() {
        return delivered;
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread session = new Thread(() -> serve(client), "refusing-smtp-session");
                session.setDaemon(true);
                session.start();
            }
            catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client;
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.UTF_8)) {
            reply(out, "220 refusing.test ESMTP");
            String recipient = null;
            for (String line; (line = in.readLine()) != null; ) {
                String command = line.toUpperCase(Locale.ROOT);
                if (command.startsWith("EHLO") || command.startsWith("HELO")) {
                    reply(out, "250 refusing.test");
                }
                else if (command.startsWith("MAIL FROM")) {
                    recipient = null;
                    reply(out, refusesSender ? "553 5.7.1 <sender>: Sender address rejected: not owned by you"
                            : "250 2.1.0 Ok");
                }
                else if (command.startsWith("RCPT TO")) {
                    String address = line.substring(line.indexOf('<') + 1, line.lastIndexOf('>')).toLowerCase(Locale.ROOT);
                    if (deferred.contains(address)) {
                        reply(out, "451 4.7.1 <" + address + ">: Recipient address rejected: greylisted, try again later");
                    }
                    else if (refused.contains(address)) {
                        reply(out, "550 5.1.1 <" + address + ">: Recipient address rejected: User unknown in virtual mailbox table");
                    }
                    else {
                        recipient = address;
                        reply(out, "250 2.1.5 Ok");
                    }
                }
                else if (command.equals("DATA")) {
                    reply(out, "354 End data with <CR><LF>.<CR><LF>");
                    for (String data; (data = in.readLine()) != null && !data.equals("."); ) {
                        // the message itself is not looked at
                    }
                    delivered.add(recipient);
                    if (!silentAfterData.contains(recipient)) {
                        reply(out, "250 2.0.0 Ok: queued");
                    }
                }
                else if (command.equals("QUIT")) {
                    if (silentOnQuit) {
                        while (in.readLine() != null) {
                            // until the client gives up and closes
                        }
                        return;
                    }
                    reply(out, "221 2.0.0 Bye");
                    return;
                }
                else {
                    reply(out, "250 Ok"); // RSET, NOOP
                }
            }
        }
        catch (IOException dropped) {
            // the client went away
        }
    }

    private static void reply(PrintWriter out, String line) {
        out.print(line + "\r\n");
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
