package io.claudesignal.sessions.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on 127.0.0.1 that delays every byte by a fixed time in each direction: a slow link (a
 * laptop on a VPN) to a server on this machine, for benchmarks. It is a delay line, not a throttle:
 * each direction has a reader that stamps every chunk with the time it may leave and a writer that
 * sends the chunks in order once that time comes, so bytes keep their order and many chunks are in
 * flight at once (the throughput is the link's, only the latency grows).
 *
 * <p>Both ends are loopback only: it listens on 127.0.0.1 (an ephemeral port) and refuses any target
 * that is not a loopback address, so it can never relay traffic off this machine. Platform threads,
 * four per connection (Java 17 has no virtual threads); meant for a handful of pooled connections.
 */
public final class DelayProxy implements AutoCloseable {

    /** Most chunks in flight per direction: bounds the memory of a fast sender, far above any benchmark's need. */
    private static final int QUEUE_CHUNKS = 1024;
    private static final int CHUNK_BYTES = 16 * 1024;
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final long delayNanos;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private DelayProxy(ServerSocket server, InetSocketAddress target, Duration delay) {
        this.server = server;
        this.target = target;
        this.delayNanos = delay.toNanos();
        this.acceptor = new Thread(this::acceptLoop, "delay-proxy-accept-" + server.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    /**
     * Starts a proxy to {@code target} (a loopback address) that delays each direction by {@code delay}.
     *
     * @throws IllegalArgumentException when {@code target} is not a loopback address
     */
    public static DelayProxy start(InetSocketAddress target, Duration delay) throws IOException {
        if (target.isUnresolved() || !target.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the delay proxy only forwards to this machine (a loopback address), not "
                    + target);
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay: " + delay);
        }
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        DelayProxy proxy = new DelayProxy(server, target, delay);
        proxy.acceptor.start();
        return proxy;
    }

    /** The port it listens on, on 127.0.0.1. */
    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket upstream = new Socket();
            try {
                // Small writes (a query, a reply) must not wait for Nagle on top of the delay.
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                upstream.connect(target, CONNECT_TIMEOUT_MS);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            Link link = new Link(client, upstream);
            links.add(link);
            if (closed) {
                link.close(); // close() may have run between the check and the add
            } else {
                link.start();
            }
        }
    }

    /** Stops listening and cuts every open connection. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        for (Link link : links) {
            link.close();
        }
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing on the way out: nothing left to tell
        }
    }

    /** A chunk of bytes and the time ({@link System#nanoTime()}) it may leave; no bytes: the end of the stream. */
    private record Chunk(byte[] bytes, long due) {
    }

    /** One client connection and its connection to the target: two delayed directions. */
    private final class Link {
        private final Socket client;
        private final Socket upstream;
        private final List<Thread> threads;
        // Directions still open; the sockets are closed when both have delivered their end of stream.
        private final AtomicInteger open = new AtomicInteger(2);

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
            String name = "delay-proxy-" + client.getPort();
            BlockingQueue<Chunk> up = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
            BlockingQueue<Chunk> down = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
            threads = List.of(
                    new Thread(() -> read(client, up), name + "-up-read"),
                    new Thread(() -> write(up, upstream), name + "-up-write"),
                    new Thread(() -> read(upstream, down), name + "-down-read"),
                    new Thread(() -> write(down, client), name + "-down-write"));
        }

        void start() {
            for (Thread t : threads) {
                t.setDaemon(true);
                t.start();
            }
        }

        /** Reads as fast as the sender sends: the delay is applied by the writer, never here. */
        private void read(Socket from, BlockingQueue<Chunk> queue) {
            byte[] buffer = new byte[CHUNK_BYTES];
            try {
                InputStream in = from.getInputStream();
                while (true) {
                    int n = in.read(buffer);
                    long due = System.nanoTime() + delayNanos;
                    if (n < 0) {
                        queue.put(new Chunk(null, due));
                        return;
                    }
                    queue.put(new Chunk(Arrays.copyOf(buffer, n), due));
                }
            } catch (IOException e) {
                close(); // a reset or a closed socket: cut the whole connection, as a broken link would
            } catch (InterruptedException e) {
                // closing
            }
        }

        /** Sends each chunk once its time comes; waits only for the oldest, so the rest are not held up further. */
        private void write(BlockingQueue<Chunk> queue, Socket to) {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk = queue.take();
                    for (long wait = chunk.due() - System.nanoTime(); wait > 0; wait = chunk.due() - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                        if (Thread.interrupted()) {
                            return;
                        }
                    }
                    if (chunk.bytes() == null) {
                        // Pass the half-close on: the peer sees the end of the stream after the delay too.
                        to.shutdownOutput();
                        if (open.decrementAndGet() == 0) {
                            close();
                        }
                        return;
                    }
                    out.write(chunk.bytes());
                }
            } catch (IOException e) {
                close();
            } catch (InterruptedException e) {
                // closing
            }
        }

        void close() {
            links.remove(this);
            closeQuietly(client);
            closeQuietly(upstream);
            for (Thread t : threads) {
                if (t != Thread.currentThread()) {
                    t.interrupt();
                }
            }
        }
    }
}
