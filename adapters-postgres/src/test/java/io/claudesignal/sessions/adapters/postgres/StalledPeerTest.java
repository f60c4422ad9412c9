package io.claudesignal.sessions.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stalled peer does not hang the others (issue 21): a transaction holding one session's row, or a
 * writer process stopped with SIGSTOP in the middle of a write, delays writes to other sessions by
 * less than a second, and a daemon's heartbeat keeps its leases alive meanwhile. Real server, real
 * processes; {@link StalledWriterProcess} and {@link DaemonProcess} are the children.
 */
@ExtendWith(PostgresServer.class)
class StalledPeerTest {

    /** What issue 21 allows a write to another session to be delayed; a write takes milliseconds. */
    private static final Duration AT_MOST = Duration.ofSeconds(1);
    private static final int WRITES = 3;

    private final String schema = PostgresServer.freshSchema();
    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (Process child : children) {
            child.toHandle().destroyForcibly(); // SIGKILL ends a stopped process too
            child.waitFor(5, TimeUnit.MINUTES);
        }
        PostgresServer.dropSchema(schema);
    }

    private PostgresStorage open() {
        return PostgresStorage.open(PostgresServer.url(), PostgresSettings.defaults().withSchema(schema).withMaxPoolSize(4));
    }

    private static SessionService service(PostgresStorage storage, SessionsConfig config) {
        return new SessionService(storage.persistence(), Clock.systemUTC(), SessionIdGenerator.random(),
                new ContextJson(), config);
    }

    @Test
    void aTransactionHoldingOneSessionsRowDoesNotDelayWritesToAnother() throws Exception {
        try (PostgresStorage storage = open()) {
            SessionService sessions = service(storage, SessionsConfig.cli());
            Session a = sessions.activate(sessions.create("/home/ana/code/a", "+15550000001").id());
            Session b = sessions.activate(sessions.create("/home/ana/code/b", "+15550000002").id());
            warmUp(sessions, b.id());
            try (Connection peer = DriverManager.getConnection(PostgresServer.url())) {
                peer.setAutoCommit(false);
                ServerTimeoutsTest.lockRow(peer, schema, a.id());
                assertThat(slowestWrite(sessions, b.id(), "row of A held")).isLessThan(AT_MOST);
                peer.rollback();
            }
        }
    }

    /*
     * Issue 21, items 1 and 4: before the change log ordered itself without a lock (33b362e and
     * earlier), every write took a store-wide advisory lock to its commit, so a writer stopped inside its
     * transaction blocked every other write until lock_timeout (then BUSY); this test failed there.
     */
    @Test
    void aWriterStoppedWithSigstopInTheMiddleOfAWriteDoesNotDelayWritesToOtherSessions() throws Exception {
        try (PostgresStorage storage = open()) {
            SessionService sessions = service(storage, SessionsConfig.cli());
            Session b = sessions.activate(sessions.create("/home/ana/code/b", "+15550000002").id());
            warmUp(sessions, b.id());
            String application = "stalled-writer-" + UUID.randomUUID().toString().substring(0, 8);
            // The writer's own idle_in_transaction_session_timeout is long: the server must not end its
            // transaction (and so release its locks) while the test measures.
            Process writer = startChild(StalledWriterProcess.class, PostgresServer.url()
                    + (PostgresServer.url().contains("?") ? "&" : "?") + "idleInTransactionTimeout=10min", schema, application);
            BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).startsWith("ready ");

            for (int stop = 1; stop <= 3; stop++) {
                int tries = stopInsideATransaction(writer, application);
                Duration slowest = slowestWrite(sessions, b.id(), "writer stopped before its COMMIT (stop " + stop
                        + ", after " + tries + " tries)");
                boolean heldThroughout = stillStoppedInside(application);
                signal("CONT", writer);
                assertThat(slowest).as("the slowest of %d writes to another session while the writer was stopped", WRITES)
                        .isLessThan(AT_MOST);
                assertThat(heldThroughout).as("the writer was held inside its transaction throughout").isTrue();
            }
        }
    }

    @Test
    void aDaemonsHeartbeatKeepsItsLeasesWhileAPeerHoldsAnotherSessionsRow() throws Exception {
        Duration lease = Duration.ofSeconds(3);
        Session y;
        try (PostgresStorage storage = open()) {
            y = service(storage, SessionsConfig.cli()).create("/home/ana/code/y", "+15550000009");
        }
        Process daemon = startChild(DaemonProcess.class, PostgresServer.url(), schema, "x", "3",
                Long.toString(lease.toMillis()), "500");
        BufferedReader out = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8));
        List<SessionId> held = new ArrayList<>();
        for (String line; !"ready".equals(line = out.readLine()); ) {
            assertThat(line).as("the daemon ended early").isNotNull();
            if (line.startsWith("active ")) {
                held.add(SessionId.parse(line.substring(7)));
            }
        }
        assertThat(held).hasSize(3);

        try (PostgresStorage storage = open(); Connection peer = DriverManager.getConnection(PostgresServer.url())) {
            SessionService observer = service(storage, new SessionsConfig(Actor.daemon("observer"), lease,
                    Duration.ofMillis(500), SessionsConfig.DEFAULT_ACTIVITY_LIMIT));
            peer.setAutoCommit(false);
            ServerTimeoutsTest.lockRow(peer, schema, y.id());
            Instant lockedAt = serverNow(peer);
            // Held for three lease durations, longer than any lease of x lasts without renewal.
            long until = System.nanoTime() + lease.multipliedBy(3).toNanos();
            while (System.nanoTime() < until) {
                assertThat(observer.recover()).as("no lease of x expired while the peer held y").isEmpty();
                Thread.sleep(250);
            }
            for (SessionId id : held) {
                Lease renewed = storage.persistence().leases().find(id).orElseThrow();
                assertThat(renewed.owner()).isEqualTo(Actor.daemon("x"));
                // Renewed at least one whole lease after the peer took its lock.
                assertThat(renewed.expiresAt()).isAfter(lockedAt.plus(lease.multipliedBy(2)));
            }
            peer.rollback();
        }
    }

    private static void warmUp(SessionService sessions, SessionId id) {
        for (int i = 0; i < 20; i++) {
            sessions.mergeContext(id, "{\"warm\":" + i + "}");
        }
    }

    /**
     * The slowest of {@link #WRITES} writes to {@code id}; a write still running after {@link #AT_MOST}
     * prints what the server's connections wait for, then is awaited (it ends by lock_timeout at worst).
     */
    private Duration slowestWrite(SessionService sessions, SessionId id, String situation) throws Exception {
        Duration slowest = Duration.ZERO;
        for (int i = 0; i < WRITES; i++) {
            int turn = i;
            long start = System.nanoTime();
            CompletableFuture<Void> write = CompletableFuture.runAsync(
                    () -> sessions.mergeContext(id, "{\"write\":" + turn + "}"));
            try {
                write.get(AT_MOST.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException slow) {
                System.out.println("write " + turn + " to " + id + " still waiting after " + AT_MOST + " (" + situation
                        + "); the server's view:\n" + serverView());
                try {
                    write.get(5, TimeUnit.MINUTES);
                } catch (java.util.concurrent.ExecutionException failed) {
                    System.out.println("and then it failed: " + failed.getCause());
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf(Locale.ROOT, "%s: write %d took %d ms%n", situation, turn, took.toMillis());
            slowest = took.compareTo(slowest) > 0 ? took : slowest;
        }
        return slowest;
    }

    /**
     * Stops the writer (SIGSTOP) at a moment its connection is inside a transaction that has written
     * and sent the last statement before COMMIT (the change-log insert, which returns the transaction's
     * id, or PostgresDatabase's own read of that id for a write that recorded no single change), so
     * that it holds every lock a write takes; else lets it run a little and tries again.
     */
    private int stopInsideATransaction(Process writer, String application) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        for (int tries = 1; System.nanoTime() < deadline; tries++) {
            signal("STOP", writer);
            Thread.sleep(50); // what it sent before it stopped reaches the server
            if (stillStoppedInside(application)) {
                return tries;
            }
            signal("CONT", writer);
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 15));
        }
        throw new AssertionError("the writer was never caught inside a transaction in 3 minutes:\n" + serverView());
    }

    private static boolean stillStoppedInside(String application) throws Exception {
        try (Connection c = DriverManager.getConnection(PostgresServer.url());
             PreparedStatement st = c.prepareStatement("select count(*) from pg_stat_activity where application_name = ?"
                     + " and state = 'idle in transaction' and backend_xid is not null"
                     + " and (query = 'SELECT txid_current_if_assigned()'"
                     + " or query ilike 'insert into %changes% returning %')")) {
            st.setString(1, application);
            try (ResultSet rows = st.executeQuery()) {
                rows.next();
                return rows.getInt(1) == 1;
            }
        }
    }

    /** The server's connections, what they wait for, and who blocks them: printed when a write is slow. */
    private static String serverView() throws Exception {
        StringBuilder view = new StringBuilder();
        try (Connection c = DriverManager.getConnection(PostgresServer.url());
             PreparedStatement st = c.prepareStatement("select a.pid, a.application_name, a.state, a.wait_event_type,"
                     + " a.wait_event, pg_blocking_pids(a.pid)::text, left(a.query, 120),"
                     + " (select string_agg(l.locktype || ':' || l.mode, ',') from pg_locks l where l.pid = a.pid"
                     + " and l.locktype <> 'relation' and l.locktype <> 'virtualxid')"
                     + " from pg_stat_activity a where a.datname = current_database() and a.pid <> pg_backend_pid()");
             ResultSet rows = st.executeQuery()) {
            while (rows.next()) {
                view.append(String.format(Locale.ROOT, "  pid %s [%s] %s wait=%s/%s blocked-by=%s locks=%s: %s%n",
                        rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
                        rows.getString(6), rows.getString(8), rows.getString(7)));
            }
        }
        return view.toString();
    }

    private static Instant serverNow(Connection c) throws Exception {
        try (PreparedStatement st = c.prepareStatement("select clock_timestamp()"); ResultSet rows = st.executeQuery()) {
            rows.next();
            return rows.getTimestamp(1).toInstant();
        }
    }

    private static void signal(String name, Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(kill.exitValue()).as("kill -" + name).isZero();
    }

    private Process startChild(Class<?> main, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        children.add(child);
        return child;
    }
}
