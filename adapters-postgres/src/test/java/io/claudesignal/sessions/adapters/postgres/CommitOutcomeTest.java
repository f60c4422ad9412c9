package io.claudesignal.sessions.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Session;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A COMMIT whose answer is lost: the connection dies while the client waits for it. The test makes
 * each case happen for certain, never by timing: a proxy withholds the answer to COMMIT until the test
 * has seen the server commit (or has killed the backend) and then cuts the connection; a deferred
 * constraint trigger makes COMMIT sleep when a backend must be killed in the middle of it. Each round
 * checks the answer against what is in the database afterwards.
 */
@ExtendWith(PostgresServer.class)
class CommitOutcomeTest {

    /** Rounds of the four cases; {@code -Dsessions.commitOutcome.rounds=50} for a long run. */
    private static final int ROUNDS = Integer.getInteger("sessions.commitOutcome.rounds", 3);
    /** The project of every session the test creates: the proxy holds the COMMIT of the connection that sent it. */
    private static final String PROJECT = "/home/ana/code/webapp";
    private static final Pattern HOST_PORT = Pattern.compile("^jdbc:postgresql://([^:/?]+)(?::(\\d+))?(/.*)$");

    private String schema;
    private String proxiedUrl;
    private CommitCuttingProxy proxy;
    private PostgresStorage storage;
    private Sessions sessions;
    private Connection observer;
    private int slowCommits;

    @BeforeEach
    void open() throws Exception {
        Matcher url = HOST_PORT.matcher(PostgresServer.url());
        assertThat(url.matches()).as("a JDBC URL with host and port: %s", PostgresServer.url()).isTrue();
        proxy = new CommitCuttingProxy(url.group(1), url.group(2) == null ? 5432 : Integer.parseInt(url.group(2)));
        String rest = url.group(3);
        String proxied = "jdbc:postgresql://127.0.0.1:" + proxy.port() + rest + (rest.contains("?") ? "&" : "?")
                + "prepareThreshold=0"; // COMMIT travels as text, which is how the proxy recognises it
        schema = PostgresServer.freshSchema();
        proxiedUrl = proxied;
        reopen();
        observer = DriverManager.getConnection(PostgresServer.url());
        try (Statement s = observer.createStatement()) {
            s.execute("CREATE TABLE " + schema + ".commit_delay (seconds double precision NOT NULL, tag text NOT NULL)");
            s.execute("INSERT INTO " + schema + ".commit_delay VALUES (0, '')");
            s.execute("CREATE FUNCTION " + schema + ".slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$"
                    + " DECLARE d double precision; t text; BEGIN"
                    + " SELECT seconds, tag INTO d, t FROM " + schema + ".commit_delay;"
                    + " IF d > 0 THEN PERFORM set_config('application_name', t, true);"
                    + " PERFORM pg_sleep(d); END IF; RETURN NULL; END $$");
            s.execute("CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON " + schema + ".sessions"
                    + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION " + schema + ".slow_commit()");
        }
    }

    /**
     * A new store (a new pool) for each case: the connections an outage cut would otherwise be lent
     * to the next write, which would fail before it reached COMMIT.
     */
    private void reopen() {
        if (storage != null) {
            storage.close();
        }
        storage = PostgresStorage.open(proxiedUrl, PostgresSettings.defaults().withSchema(schema)
                .withMaxPoolSize(3).withConnectTimeout(Duration.ofSeconds(1)));
        sessions = new SessionService(storage.persistence(), Clock.systemUTC(), SessionIdGenerator.random(),
                new ContextJson(), new SessionsConfig(Actor.CLI, Duration.ofSeconds(30), Duration.ofSeconds(10),
                        SessionsConfig.DEFAULT_ACTIVITY_LIMIT));
    }

    @AfterEach
    void close() throws Exception {
        try (CommitCuttingProxy p = proxy; Connection o = observer) {
            storage.close();
        } finally {
            PostgresServer.dropSchema(schema);
        }
    }

    @Test
    void theAnswerToALostCommitIsWhatTheDatabaseHolds() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            committedButTheAnswerWasLost();
            killedDuringCommit();
            committedAndTheServerCannotBeAsked();
            killedDuringCommitAndTheServerCannotBeAsked();
        }
    }

    /** The server committed, the client never heard: the write is reported done. */
    private void committedButTheAnswerWasLost() throws Exception {
        reopen();
        long before = sessionCount();
        proxy.holdNextCommit(PROJECT);
        CompletableFuture<Session> write = CompletableFuture.supplyAsync(this::create);
        CommitCuttingProxy.Link link = proxy.awaitHeldCommit(write);
        awaitSessionCount(before + 1);
        link.cut();
        Session created = write.get(60, TimeUnit.SECONDS);
        assertThat(exists(created)).isTrue();
        assertThat(sessionCount()).isEqualTo(before + 1);
    }

    /** The backend is killed before its commit record is written: an ordinary failure, nothing written. */
    private void killedDuringCommit() throws Exception {
        reopen();
        long before = sessionCount();
        setDelay(60);
        CompletableFuture<Session> write = CompletableFuture.supplyAsync(this::create);
        terminateSleepingBackend();
        setDelay(0);
        StorageException failure = failureOf(write);
        assertThat(failure.reason()).as(failure.getMessage()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(failure.getMessage()).contains("committing failed");
        assertThat(sessionCount()).isEqualTo(before);
    }

    /** The server committed, and cannot be reached to ask: "may or may not", and it was. */
    private void committedAndTheServerCannotBeAsked() throws Exception {
        reopen();
        long before = sessionCount();
        proxy.holdNextCommit(PROJECT);
        CompletableFuture<Session> write = CompletableFuture.supplyAsync(this::create);
        proxy.awaitHeldCommit(write);
        awaitSessionCount(before + 1);
        proxy.unreachable(true);
        StorageException failure = failureOf(write);
        proxy.unreachable(false);
        assertThat(failure.reason()).as(failure.getMessage()).isEqualTo(Reason.COMMIT_UNKNOWN);
        assertThat(failure.getMessage()).contains("may or may not have been written");
        assertThat(sessionCount()).isEqualTo(before + 1);
    }

    /** The backend was killed in COMMIT, and the server cannot be reached to ask: "may or may not", and it was not. */
    private void killedDuringCommitAndTheServerCannotBeAsked() throws Exception {
        reopen();
        long before = sessionCount();
        setDelay(60);
        proxy.holdNextCommit(PROJECT);
        CompletableFuture<Session> write = CompletableFuture.supplyAsync(this::create);
        proxy.awaitHeldCommit(write);
        terminateSleepingBackend();
        setDelay(0);
        proxy.unreachable(true);
        StorageException failure = failureOf(write);
        proxy.unreachable(false);
        assertThat(failure.reason()).as(failure.getMessage()).isEqualTo(Reason.COMMIT_UNKNOWN);
        assertThat(sessionCount()).isEqualTo(before);
    }

    private Session create() {
        return sessions.create(PROJECT, "+15551234567");
    }

    private static StorageException failureOf(CompletableFuture<Session> write) throws Exception {
        try {
            Session unexpected = write.get(60, TimeUnit.SECONDS);
            throw new AssertionError("the write was reported done: " + unexpected);
        } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(StorageException.class);
            return (StorageException) e.getCause();
        }
    }

    /**
     * The name the backend of this case's write takes while it sleeps in COMMIT. New for each case: a
     * backend terminated in an earlier case may still be listed, sleeping, while it exits (on a busy
     * machine), and killing it instead would let this case's write commit.
     */
    private String slowName() {
        return "slow-commit-" + schema + "-" + slowCommits;
    }

    private void setDelay(double seconds) throws SQLException {
        if (seconds > 0) {
            slowCommits++;
        }
        try (Statement s = observer.createStatement()) {
            s.execute("UPDATE " + schema + ".commit_delay SET seconds = " + seconds + ", tag = '" + slowName() + "'");
        }
    }

    /** Waits until this case's backend sleeps inside its COMMIT, then terminates it. */
    private void terminateSleepingBackend() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Statement s = observer.createStatement();
                 ResultSet rows = s.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                         + " WHERE application_name = '" + slowName() + "' AND wait_event = 'PgSleep'")) {
                if (rows.next()) {
                    assertThat(rows.getBoolean(1)).isTrue();
                    return;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no backend slept in COMMIT within 60 s");
    }

    private long sessionCount() throws SQLException {
        try (Statement s = observer.createStatement();
             ResultSet rows = s.executeQuery("SELECT count(*) FROM " + schema + ".sessions")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void awaitSessionCount(long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sessionCount() != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server did not commit within 60 s");
            }
            Thread.sleep(5);
        }
    }

    private boolean exists(Session session) throws SQLException {
        try (var s = observer.prepareStatement("SELECT 1 FROM " + schema + ".sessions WHERE id = ?::uuid")) {
            s.setString(1, session.id().toString());
            try (ResultSet rows = s.executeQuery()) {
                return rows.next();
            }
        }
    }
}
