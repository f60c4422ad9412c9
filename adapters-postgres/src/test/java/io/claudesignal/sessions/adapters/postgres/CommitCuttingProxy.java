package io.claudesignal.sessions.adapters.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy between the driver and the server that can lose the answer to a COMMIT, as a network
 * that fails at the wrong moment does: once {@linkplain #holdNextCommit(String) armed}, the next connection
 * that sends a COMMIT after the armed text keeps forwarding nothing back to the client, and the test then
 * {@linkplain Link#cut() cuts} it when it chooses (after the server committed, or after it killed the
 * backend). The test decides every moment by looking at the server, so nothing depends on timing.
 * The proxy recognises a COMMIT by its text, so the driver must not use server-prepared statements
 * ({@code prepareThreshold=0}).
 */
final class CommitCuttingProxy implements AutoCloseable {

    // The statement text ends with NUL in the protocol: "READ COMMITTED" (set on new connections) does not match.
    private static final byte[] COMMIT = "COMMIT\0".getBytes(StandardCharsets.US_ASCII);

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket listener;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<Link> held = new LinkedBlockingQueue<>();
    private volatile boolean armed;
    /** Only a COMMIT on a connection that sent this first is held: other connections of the store commit too. */
    private volatile byte[] marker = new byte[0];
    private boolean refusing; // guarded by this

    CommitCuttingProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "commit-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /**
     * The next COMMIT sent through the proxy on a connection that sent {@code text} since this call (a
     * value the write binds) gets no answer; {@link #awaitHeldCommit} returns its link.
     */
    void holdNextCommit(String text) {
        held.clear();
        marker = text.getBytes(StandardCharsets.UTF_8);
        links.forEach(link -> link.marked = false);
        armed = true;
    }

    /** Waits for the COMMIT of {@code write}, failing at once if the write ends before sending one. */
    Link awaitHeldCommit(java.util.concurrent.Future<?> write) throws Exception {
        for (int i = 0; i < 600; i++) {
            Link link = held.poll(100, TimeUnit.MILLISECONDS);
            if (link != null) {
                return link;
            }
            if (write.isDone()) {
                write.get(); // its failure, if it failed
                throw new AssertionError("the write ended without sending COMMIT");
            }
        }
        throw new AssertionError("no COMMIT went through the proxy within 60 s");
    }

    /** While on, new connections are closed at once and the existing ones are cut: the server is unreachable. */
    synchronized void unreachable(boolean on) {
        refusing = on;
        if (on) {
            links.forEach(Link::cut);
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                // Under the lock of unreachable(): no connection made during an outage survives it.
                synchronized (this) {
                    if (refusing) {
                        client.close();
                        continue;
                    }
                    Link link = new Link(client, new Socket(targetHost, targetPort));
                    links.add(link);
                    link.start();
                }
            } catch (IOException e) {
                // Closed listener ends the loop; a failed connection to the server fails the client's too.
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        links.forEach(Link::cut);
    }

    /** One client connection and its connection to the server. */
    final class Link {
        private final Socket client;
        private final Socket server;
        private volatile boolean holding;
        private volatile boolean marked;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            pump("client->server", client, server, true);
            pump("server->client", server, client, false);
        }

        /** Drops both sides at once, with a reset: what the client sees when the network dies. */
        void cut() {
            try {
                client.setSoLinger(true, 0);
            } catch (IOException ignored) {
                // already closed
            }
            closeQuietly(client);
            closeQuietly(server);
            links.remove(this);
        }

        private void pump(String name, Socket from, Socket to, boolean fromClient) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[64 * 1024];
                try {
                    // Not closed here: closing a socket's stream closes the socket, and a held link stays
                    // open (the client waiting) until the test cuts it.
                    InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream();
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        if (fromClient && armed && !marked && contains(buffer, n, marker)) {
                            marked = true;
                        } else if (fromClient && armed && marked && contains(buffer, n, COMMIT)) {
                            armed = false;
                            holding = true;
                            held.add(this);
                        }
                        if (!fromClient && holding) {
                            continue; // the answer is lost
                        }
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                } catch (IOException e) {
                    // the other side went away
                } finally {
                    if (!holding) {
                        cut();
                    }
                }
            }, "commit-proxy-" + name);
            thread.setDaemon(true);
            thread.start();
        }
    }

    private static boolean contains(byte[] buffer, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buffer[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
