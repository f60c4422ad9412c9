package io.claudesignal.sessions.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server timeouts of {@link PostgresSettings} on a real server: a write that waits past
 * {@code lock_timeout} fails with {@link Reason#BUSY} promptly, naming the wait, and changes nothing;
 * a runaway statement and a transaction left idle are cut the same way, and the store carries on.
 */
@ExtendWith(PostgresServer.class)
class ServerTimeoutsTest {

    /** How long a timed-out write may take on a slow, busy machine: far above the 1 s timeouts used here. */
    private static final Duration PROMPTLY = Duration.ofSeconds(30);

    private final String schema = PostgresServer.freshSchema();

    @AfterEach
    void dropSchema() throws Exception {
        PostgresServer.dropSchema(schema);
    }

    private PostgresStorage open(PostgresSettings settings) {
        return PostgresStorage.open(PostgresServer.url(), settings.withSchema(schema));
    }

    private static SessionService service(PostgresStorage storage) {
        return new SessionService(storage.persistence(), Clock.systemUTC(), SessionIdGenerator.random(),
                new ContextJson(), SessionsConfig.cli());
    }

    @Test
    void aWriteThatWaitsPastTheLockTimeoutFailsBusyNamingTheWaitAndChangesNothing() throws Exception {
        try (PostgresStorage storage = open(PostgresSettings.defaults().withMaxPoolSize(2)
                .withLockTimeout(Duration.ofSeconds(1)))) {
            SessionService sessions = service(storage);
            Session a = sessions.activate(sessions.create("/home/ana/code/webapp", "+15551234567").id());

            try (Connection peer = DriverManager.getConnection(PostgresServer.url())) {
                peer.setAutoCommit(false);
                lockRow(peer, schema, a.id());
                long start = System.nanoTime();
                assertThatThrownBy(() -> sessions.pause(a.id()))
                        .isInstanceOfSatisfying(StorageException.class, e -> {
                            assertThat(e.reason()).isEqualTo(Reason.BUSY);
                            assertThat(e.getMessage()).contains("waited more than 1 s for a lock on session " + a.id())
                                    .contains("lock_timeout").contains("nothing was changed")
                                    .doesNotContain("options");
                        });
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
                peer.rollback();
            }

            Session after = sessions.get(a.id());
            assertThat(after).as("nothing half-written").isEqualTo(a);
            assertThat(sessions.history(a.id())).noneMatch(t -> t.to() == SessionStatus.PAUSED);
            assertThat(sessions.pause(a.id()).status()).as("once the lock is free, the same write succeeds")
                    .isEqualTo(SessionStatus.PAUSED);
        }
    }

    @Test
    void aStatementThatRunsPastTheStatementTimeoutFailsBusy() {
        try (PostgresStorage storage = open(PostgresSettings.defaults().withMaxPoolSize(2)
                .withStatementTimeout(Duration.ofSeconds(1)))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> storage.databaseForTests().read(ctx -> ctx.fetch("select pg_sleep(20)")))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.BUSY);
                        assertThat(e.getMessage()).contains("a statement ran more than 1 s (statement_timeout)");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
            assertThat(service(storage).list(SessionQuery.all()).sessions())
                    .as("the store carries on").isEmpty();
        }
    }

    @Test
    void aTransactionLeftIdleIsEndedByTheServerAndTheStoreRecovers() {
        // Two connections (Flyway needs them); a thread is handed back the connection it used last, so
        // the operations that follow would meet the ended one if the pool kept it.
        try (PostgresStorage storage = open(PostgresSettings.defaults().withMaxPoolSize(2)
                .withIdleInTransactionTimeout(Duration.ofSeconds(1)))) {
            SessionService sessions = service(storage);
            Session a = sessions.create("/home/ana/code/webapp", "+15551234567");

            // A stall between two statements of a write (a long GC pause, a stopped process).
            assertThatThrownBy(() -> storage.databaseForTests().write(ctx -> {
                ctx.execute("update sessions set project_path = 'half-written' where id = cast(? as uuid)", a.id().toString());
                sleep(Duration.ofSeconds(3));
                return ctx.execute("update sessions set thread_id = 'half-written' where id = cast(? as uuid)", a.id().toString());
            })).isInstanceOfSatisfying(StorageException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.BUSY);
                assertThat(e.getMessage()).contains("idle more than 1 s (idle_in_transaction_session_timeout)");
            });

            assertThat(sessions.get(a.id())).as("the server rolled the transaction back").isEqualTo(a);
            assertThat(sessions.activate(a.id()).status()).isEqualTo(SessionStatus.ACTIVE);
            assertThat(sessions.pause(a.id()).status()).isEqualTo(SessionStatus.PAUSED);
            assertThat(sessions.get(a.id()).version()).isEqualTo(a.version() + 2);
        }
    }

    @Test
    void everyConnectionOfTheStoreHasTheTimeoutsAndTheUrlMayChooseThem() {
        String url = PostgresServer.url() + (PostgresServer.url().contains("?") ? "&" : "?")
                + "lockTimeout=1500ms&statementTimeout=20s&idleInTransactionTimeout=2min";
        try (PostgresStorage storage = PostgresStorage.open(url, PostgresSettings.defaults().withSchema(schema))) {
            assertThat(storage.diagnostics().run()).anySatisfy(check -> assertThat(check.detail())
                    .contains("lock_timeout=1500ms statement_timeout=20s idle_in_transaction_session_timeout=2min"));
            // The URL every other connection of the store is opened with (LISTEN, the daemon name's lock).
            assertThat(storage.databaseForTests().jdbc()).contains("lock_timeout%3D1500")
                    .doesNotContain("lockTimeout");
            assertThat(storage.url()).doesNotContain("options").doesNotContain("lockTimeout");
        }
        try (PostgresStorage storage = open(PostgresSettings.defaults())) {
            assertThat(storage.diagnostics().run()).anySatisfy(check -> assertThat(check.detail())
                    .contains("lock_timeout=5s statement_timeout=30s idle_in_transaction_session_timeout=15s"));
        }
    }

    @Test
    void timeoutsOutOfBoundsAreRefused() {
        assertThatThrownBy(() -> PostgresSettings.defaults().withLockTimeout(Duration.ZERO))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("lockTimeout");
        assertThatThrownBy(() -> PostgresSettings.defaults().withStatementTimeout(Duration.ofDays(2)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("statementTimeout");
        assertThatThrownBy(() -> PostgresSettings.defaults().withIdleInTransactionTimeout(Duration.ofMillis(10)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("idleInTransactionTimeout");
        assertThatThrownBy(() -> PostgresStorage.open("postgresql://u@127.0.0.1:1/db?lockTimeout=soon"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("lockTimeout");
        assertThat(new PostgresSettings("s", 2, Duration.ofSeconds(1)).lockTimeout())
                .isEqualTo(PostgresSettings.DEFAULT_LOCK_TIMEOUT);
    }

    /** Takes the session's row lock in {@code peer}'s open transaction, as any writer of the store would. */
    static void lockRow(Connection peer, String schema, SessionId id) throws Exception {
        try (PreparedStatement lock = peer.prepareStatement(
                "select status from " + schema + ".sessions where id = cast(? as uuid) for update")) {
            lock.setString(1, id.toString());
            lock.executeQuery().close();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
