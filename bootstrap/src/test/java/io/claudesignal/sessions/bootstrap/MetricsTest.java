package io.claudesignal.sessions.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Injector;
import io.claudesignal.sessions.adapters.inmemory.InMemoryStorage;
import io.claudesignal.sessions.adapters.sqlite.SqliteSettings;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.ExportRequest;
import io.claudesignal.sessions.application.port.in.Progress;
import io.claudesignal.sessions.application.port.in.PurgeRequest;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.application.port.out.StoreMetrics;
import io.claudesignal.sessions.domain.IllegalTransitionException;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.StatusMismatchException;
import io.claudesignal.sessions.domain.StorageException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's meters in a Micrometer registry: what an operator scrapes (docs/metrics.md). */
class MetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double timed(String kind, String outcome) {
        var timer = registry.find(MicrometerStoreMetrics.OPERATIONS).tag("kind", kind).tag("outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    private double counted(String name, String tag, String value) {
        var counter = registry.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void operationsAreCountedAndTimedByKindAndOutcome(@TempDir Path dir) {
        try (SessionStore store = SessionStore.openSqlite(dir.resolve("s.db"), SqliteSettings.defaults(),
                SessionsConfig.cli(), registry)) {
            Sessions sessions = store.sessions();
            Session s = sessions.create("/home/ana/code/webapp", "+15551234567");
            sessions.activate(s.id());
            sessions.mergeContext(s.id(), "{\"a\": 1}");
            store.transcripts().append(s.id(), "{\"role\": \"user\"}");
            assertThatThrownBy(() -> sessions.resume(s.id())).isInstanceOf(StatusMismatchException.class);
            assertThatThrownBy(() -> sessions.get(SessionId.random())).isInstanceOf(SessionNotFoundException.class);
            assertThatThrownBy(() -> sessions.mergeContext(s.id(), "[]")).isInstanceOf(InvalidInputException.class);
            sessions.terminate(s.id());
            assertThatThrownBy(() -> sessions.transition(s.id(), SessionStatus.TERMINATED, SessionStatus.ACTIVE))
                    .isInstanceOf(IllegalTransitionException.class);
        }
        assertThat(timed("create", "ok")).isEqualTo(1);
        assertThat(timed("activate", "ok")).isEqualTo(1);
        assertThat(timed("merge_context", "ok")).isEqualTo(1);
        assertThat(timed("merge_context", "invalid_input")).isEqualTo(1);
        assertThat(timed("append", "ok")).isEqualTo(1);
        assertThat(timed("resume", "conflict")).isEqualTo(1);
        assertThat(timed("get", "not_found")).isEqualTo(1);
        assertThat(timed("transition", "conflict")).isEqualTo(1);
        assertThat(registry.find(MicrometerStoreMetrics.OPERATIONS).tag("kind", "create").timer().totalTime(
                java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
        assertThat(counted(MicrometerStoreMetrics.CONFLICTS, "type", "status_mismatch")).isEqualTo(1);
        // Every write went through SQLite's group-commit writer, one or more to a transaction.
        var batches = registry.find(MicrometerStoreMetrics.GROUP_COMMIT_SIZE).summary();
        assertThat(batches.count()).isPositive();
        assertThat(batches.max()).isGreaterThanOrEqualTo(1);
        assertThat(counted(MicrometerStoreMetrics.CONFLICTS, "type", "illegal_transition")).isEqualTo(1);
    }

    @Test
    void recoveriesAreCounted() throws InterruptedException {
        // A short lease, so that an unowned ACTIVE session counts as abandoned soon; nothing asserts how soon.
        SessionsConfig config = new SessionsConfig(SessionsConfig.cli().actor(), Duration.ofMillis(200),
                Duration.ofMillis(50), SessionsConfig.cli().activityLimit());
        try (SessionStore store = SessionStore.inMemory(new InMemoryStorage(), config, registry)) {
            SessionId id = store.sessions().activate(store.sessions().create("/p", "t").id()).id();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            boolean recovered = false;
            while (!recovered && System.nanoTime() < deadline) {
                Thread.sleep(50);
                recovered = store.sessions().recover().contains(id);
            }
            assertThat(recovered).isTrue();
        }
        assertThat(registry.find(MicrometerStoreMetrics.RECOVERIES).counter().count()).isGreaterThanOrEqualTo(1);
        assertThat(registry.find(MicrometerStoreMetrics.RECOVERED).counter().count()).isEqualTo(1);
        assertThat(timed("recover", "ok")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aWriteFencedOffByALostLeaseIsALeaseLoss() {
        InMemoryStorage storage = new InMemoryStorage();
        try (SessionStore a = SessionStore.inMemory(storage, SessionsConfig.daemon(), registry);
             SessionStore b = SessionStore.inMemory(storage, SessionsConfig.cli())) {
            SessionId id = a.sessions().activate(a.sessions().create("/p", "t").id()).id();
            a.leases().claim(id);
            b.sessions().pause(id); // drops a's lease
            b.sessions().resume(id);
            assertThatThrownBy(() -> a.sessions().mergeContext(id, "{\"x\": 1}"))
                    .isInstanceOf(io.claudesignal.sessions.domain.LeaseLostException.class);
        }
        assertThat(registry.find(MicrometerStoreMetrics.LEASE_LOSSES).counter().count()).isEqualTo(1);
        assertThat(counted(MicrometerStoreMetrics.CONFLICTS, "type", "lease_lost")).isEqualTo(1);
    }

    @Test
    void theHooksForAdaptersAndMaintenanceReachTheirMeters() {
        StoreMetrics metrics = new MicrometerStoreMetrics(registry);
        metrics.lockWait(Duration.ofMillis(3));
        metrics.busyRetry();
        metrics.groupCommit(7);
        metrics.groupCommit(1);
        metrics.purged(12);
        metrics.imported(5);
        metrics.leaseLost();
        assertThat(registry.find(MicrometerStoreMetrics.LOCK_WAITS).timer().count()).isEqualTo(1);
        assertThat(registry.find(MicrometerStoreMetrics.BUSY_RETRIES).counter().count()).isEqualTo(1);
        assertThat(registry.find(MicrometerStoreMetrics.GROUP_COMMIT_SIZE).summary().max()).isEqualTo(7);
        assertThat(registry.find(MicrometerStoreMetrics.GROUP_COMMIT_SIZE).summary().count()).isEqualTo(2);
        assertThat(registry.find(MicrometerStoreMetrics.PURGED).counter().count()).isEqualTo(12);
        assertThat(registry.find(MicrometerStoreMetrics.IMPORTED).counter().count()).isEqualTo(5);
        assertThat(registry.find(MicrometerStoreMetrics.LEASE_LOSSES).counter().count()).isEqualTo(1);
    }

    @Test
    void purgesAndImportsCountTheSessionsTheyRemoveAndWrite() {
        StringWriter export = new StringWriter();
        try (SessionStore store = SessionStore.inMemory(new InMemoryStorage(), SessionsConfig.cli(), registry)) {
            Sessions sessions = store.sessions();
            for (int i = 0; i < 3; i++) {
                sessions.terminate(sessions.create("/p" + i, "t").id());
            }
            SessionId kept = sessions.create("/kept", "t").id();
            store.maintenance().pin(kept);
            sessions.terminate(kept);
            sessions.create("/live", "t");
            // Everything terminated so far is older than a minute from now; the pinned one stays.
            assertThat(store.maintenance().purge(new PurgeRequest(Instant.now().plusSeconds(60))).purged()).isEqualTo(3);
            store.maintenance().exportTo(export, ExportRequest.all());
        }
        assertThat(registry.find(MicrometerStoreMetrics.PURGED).counter().count()).isEqualTo(3);
        assertThat(timed("purge", "ok")).isEqualTo(1);
        assertThat(timed("export_to", "ok")).isEqualTo(1);

        try (SessionStore target = SessionStore.inMemory(new InMemoryStorage(), SessionsConfig.cli(), registry)) {
            assertThat(target.maintenance().importFrom(new StringReader(export.toString()), Progress.NONE).imported())
                    .isEqualTo(2);
            // Again: both are there unchanged, so nothing is written and nothing counted.
            assertThat(target.maintenance().importFrom(new StringReader(export.toString()), Progress.NONE).unchanged())
                    .isEqualTo(2);
        }
        assertThat(registry.find(MicrometerStoreMetrics.IMPORTED).counter().count()).isEqualTo(2);
        assertThat(timed("import_from", "ok")).isEqualTo(2);
    }

    @Test
    void aWriteThatWaitsForAnotherConnectionsLockIsALockWaitWithRetries(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.db");
        try (SessionStore store = SessionStore.openSqlite(file, SqliteSettings.defaults(), SessionsConfig.cli(), registry);
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement lock = other.createStatement()) {
            lock.execute("BEGIN IMMEDIATE"); // holds the write lock, as another process's writer would
            CompletableFuture<Session> write = CompletableFuture.supplyAsync(() -> store.sessions().create("/p", "t"));
            // Wait until the store's writer has found the lock taken at least once; no assertion on how soon.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (registry.find(MicrometerStoreMetrics.BUSY_RETRIES).counter().count() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(write).as("the write waits while the lock is held").isNotDone();
            lock.execute("COMMIT");
            assertThat(write.get(60, TimeUnit.SECONDS).status()).isEqualTo(SessionStatus.CREATED);
        }
        assertThat(registry.find(MicrometerStoreMetrics.BUSY_RETRIES).counter().count()).isPositive();
        var waits = registry.find(MicrometerStoreMetrics.LOCK_WAITS).timer();
        assertThat(waits.count()).isEqualTo(1);
        assertThat(waits.totalTime(TimeUnit.NANOSECONDS)).isPositive();
    }

    @Test
    void aLockHeldPastTheBusyTimeoutFailsTheWriteAsBusyAfterOneMeasuredWait(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.db");
        SqliteSettings settings = SqliteSettings.defaults().withBusyTimeout(SqliteSettings.MIN_BUSY_TIMEOUT);
        try (SessionStore store = SessionStore.openSqlite(file, settings, SessionsConfig.cli(), registry);
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement lock = other.createStatement()) {
            lock.execute("BEGIN IMMEDIATE");
            long start = System.nanoTime();
            assertThatThrownBy(() -> store.sessions().create("/p", "t")).isInstanceOfSatisfying(StorageException.class,
                    e -> assertThat(e.reason()).isEqualTo(StorageException.Reason.BUSY));
            // The busy handler keeps SQLite's promise: it gives up only once the timeout has passed.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(SqliteSettings.MIN_BUSY_TIMEOUT);
            lock.execute("ROLLBACK");
            assertThat(store.sessions().create("/p", "t").status()).as("the lock is free again").isEqualTo(SessionStatus.CREATED);
        }
        var waits = registry.find(MicrometerStoreMetrics.LOCK_WAITS).timer();
        assertThat(waits.count()).isEqualTo(1);
        assertThat(waits.max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(SqliteSettings.MIN_BUSY_TIMEOUT.toMillis() - 1);
        assertThat(registry.find(MicrometerStoreMetrics.BUSY_RETRIES).counter().count()).isPositive();
    }

    @Test
    void guiceUsersInstallTheMetricsModule(@TempDir Path dir) {
        Injector injector = SessionStore.createInjector(new ApplicationModule(),
                new SqliteModule(dir.resolve("s.db"), SqliteSettings.defaults()), new MetricsModule(registry));
        try (SessionStore store = injector.getInstance(SessionStore.class)) {
            store.sessions().create("/p", "t");
            injector.getInstance(Sessions.class).list(io.claudesignal.sessions.application.port.in.SessionQuery.all());
        }
        assertThat(timed("create", "ok")).isEqualTo(1);
        assertThat(timed("list", "ok")).isEqualTo(1);
    }

    @Test
    void withoutARegistryThePortsAreTheServicesThemselves() {
        try (SessionStore store = SessionStore.inMemory()) {
            assertThat(java.lang.reflect.Proxy.isProxyClass(store.sessions().getClass())).isFalse();
        }
        assertThat(registry.getMeters()).isEmpty();
    }
}
