package io.claudesignal.sessions.benchmarks;

import io.claudesignal.sessions.adapters.postgres.PostgresSettings;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Issue 21's two daemons on one PostgreSQL database: daemon B (its own store and pool, 8 callers) writes
 * a daemon's mix on its own sessions — create, activate, append to the transcript, pause, resume,
 * append, pause — first alone ({@code pgTwoDaemons_alone_8}), then while daemon A ({@code
 * pgTwoDaemons_library_8}), another store with its own pool and 8 threads doing the same mix on its own
 * sessions, reaches the same server through a {@link DelayProxy} adding 50 ms each way (a laptop on a
 * VPN). The figure is B's writes per second with A running against B's alone: a store-wide lock held
 * across A's round trips makes B wait for A's network; without one, B keeps its rate.
 *
 * <p>Both stores share one schema made for the run ({@code bench_two_daemons_<pid>}, dropped after), so
 * they share one change log, as two daemons on one database do, and never meet the tests' schemas. The
 * server is the one {@link PostgresBenchmarks#url()} names; it must be on this machine (the proxy only
 * forwards to a loopback address). A's own rate is printed at the end of its trial.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PostgresTwoDaemonsBenchmarks {

    static final int THREADS = 8;
    static final Duration DELAY = Duration.ofMillis(50);
    /** How long A may take to get every thread writing before B is measured (its pool fills over the slow link). */
    static final Duration A_START = Duration.ofSeconds(120);

    static SessionStore open(String url, String schema, String daemon) {
        // A pool per daemon, one connection per thread, as each daemon would size its own.
        return SessionStore.openPostgres(url, PostgresSettings.defaults().withSchema(schema).withMaxPoolSize(THREADS),
                SessionsConfig.daemon(daemon));
    }

    /** Daemon B, the one measured, on a direct connection; it makes (and drops) the run's schema. */
    @State(Scope.Benchmark)
    public static class DaemonB {
        String url;
        String schema;
        SessionStore store;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            url = PostgresBenchmarks.url();
            // The fork's pid: unique among runs going on at once; a leftover of a killed run of that pid is ours to drop.
            schema = "bench_two_daemons_" + ProcessHandle.current().pid();
            dropSchema();
            store = PostgresTwoDaemonsBenchmarks.open(url, schema, "bench-b");
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            store.close();
            dropSchema();
        }

        private void dropSchema() throws SQLException {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    /** Daemon A: the same mix on its own sessions, through the delay proxy, for the whole trial. */
    @State(Scope.Benchmark)
    public static class DaemonA {
        DelayProxy proxy;
        SessionStore store;
        final List<Thread> threads = new ArrayList<>();
        final LongAdder writes = new LongAdder();
        final LongAdder failures = new LongAdder();
        volatile boolean stop;
        long measuredFrom;
        long writesBefore;

        @Setup(Level.Trial)
        public void start(DaemonB b) throws IOException, InterruptedException {
            long started = System.nanoTime();
            Proxied link = Proxied.of(b.url);
            proxy = DelayProxy.start(link.target(), DELAY);
            store = PostgresTwoDaemonsBenchmarks.open(link.url(proxy.port()), b.schema, "bench-a");
            double opened = (System.nanoTime() - started) / 1e9;
            CountDownLatch writing = new CountDownLatch(THREADS);
            for (int i = 0; i < THREADS; i++) {
                Thread t = new Thread(() -> run(writing), "daemon-a-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            // B is measured against A in full swing: every thread of A has its connection and has written.
            if (!writing.await(A_START.toSeconds(), TimeUnit.SECONDS)) {
                System.out.printf("pgTwoDaemons: daemon A had %d of %d threads writing after %d s; measuring anyway%n",
                        THREADS - writing.getCount(), THREADS, A_START.toSeconds());
            }
            measuredFrom = System.nanoTime();
            writesBefore = writes.sum();
            // Where a trial's time goes: over the slow link, opening the store and filling the pool take seconds.
            System.out.printf("pgTwoDaemons: daemon A's store opened through the proxy in %.1f s, all its threads"
                    + " writing after %.1f s%n", opened, (measuredFrom - started) / 1e9);
        }

        private void run(CountDownLatch writing) {
            Mix mix = new Mix();
            boolean first = true;
            while (!stop) {
                try {
                    mix.next(store);
                } catch (RuntimeException e) {
                    if (stop) {
                        return;
                    }
                    failures.increment();
                    if (failures.sum() <= 3) {
                        System.out.println("pgTwoDaemons: daemon A's write failed: " + e);
                    }
                    mix.restart();
                    continue;
                }
                writes.increment();
                if (first) {
                    writing.countDown();
                    first = false;
                }
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            double seconds = (System.nanoTime() - measuredFrom) / 1e9;
            long written = writes.sum() - writesBefore;
            stop = true;
            for (Thread t : threads) {
                t.join(30_000);
            }
            System.out.printf("pgTwoDaemons: daemon A, %d ms away each way, wrote %.1f/s while B ran"
                    + " (its warm-up and measurement: %d writes in %.1f s; %d failed in the trial)%n",
                    DELAY.toMillis(), written / seconds, written, seconds, failures.sum());
            store.close();
            proxy.close();
        }
    }

    /** One caller's own sessions and its place in the daemon's write mix. */
    @State(Scope.Thread)
    public static class Mix {
        private SessionId id;
        private int step;

        /** The next write of the mix: create, activate, append, pause, resume, append, pause; then a new session. */
        Object next(SessionStore store) {
            Sessions sessions = store.sessions();
            Object result = switch (step) {
                case 0 -> {
                    Session created = sessions.create(BenchFiles.PROJECT, BenchFiles.THREAD);
                    id = created.id();
                    yield created;
                }
                case 1 -> sessions.activate(id);
                case 2, 5 -> store.transcripts().append(id, TranscriptFiles.ITEM);
                case 3, 6 -> sessions.pause(id); // ends PAUSED: no lease left behind for the heartbeat to renew
                case 4 -> sessions.resume(id);
                default -> throw new IllegalStateException("step " + step);
            };
            step = (step + 1) % 7;
            return result;
        }

        /** After a failed write: start again on a new session. */
        void restart() {
            step = 0;
        }
    }

    /** The server a URL names, and the same URL pointed at the proxy instead. */
    record Proxied(InetSocketAddress target, String before, String after) {

        // jdbc:postgresql://host[:port]/db?… or postgresql://[user[:secret]@]host[:port]/db; one host only.
        private static final Pattern URL = Pattern.compile(
                "(?i)((?:jdbc:)?postgres(?:ql)?://(?:[^/@?]*@)?)(\\[[^\\]/]+\\]|[^\\[\\]/?:,@]+)(?::(\\d+))?([/?].*)?");

        static Proxied of(String url) {
            Matcher m = URL.matcher(url);
            if (!m.matches()) {
                throw new IllegalArgumentException("pgTwoDaemons needs a URL naming one host, "
                        + "jdbc:postgresql://host:port/db or postgresql://user@host:port/db; was "
                        + url.replaceFirst("//[^/]*@", "//…@")); // never a password in a benchmark's log
            }
            String host = m.group(2).replaceAll("^\\[|\\]$", "");
            int port = m.group(3) == null ? 5432 : Integer.parseInt(m.group(3));
            return new Proxied(new InetSocketAddress(host, port), m.group(1), m.group(4) == null ? "" : m.group(4));
        }

        String url(int proxyPort) {
            return before + "127.0.0.1:" + proxyPort + after;
        }
    }

    @Benchmark
    @Threads(THREADS)
    public Object pgTwoDaemons_alone_8(DaemonB b, Mix m) {
        return m.next(b.store);
    }

    /** B's write rate while A runs through the proxy (A is set up before and stopped after the trial). */
    @Benchmark
    @Threads(THREADS)
    public Object pgTwoDaemons_library_8(DaemonB b, DaemonA a, Mix m) {
        return m.next(b.store);
    }
}
