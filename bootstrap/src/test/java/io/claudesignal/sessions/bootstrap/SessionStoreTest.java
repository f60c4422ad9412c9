package io.claudesignal.sessions.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import io.claudesignal.sessions.adapters.inmemory.InMemoryStorage;
import io.claudesignal.sessions.adapters.sqlite.SqliteSettings;
import io.claudesignal.sessions.adapters.sqlite.SqliteStorage;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.domain.StorageException.Reason;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.application.port.out.HealthCheck;
import io.claudesignal.sessions.application.port.in.Leases;
import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.in.SessionPage;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.ForkOrigin;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import io.claudesignal.sessions.domain.Transition;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionStoreTest {

    @Test
    void theInMemoryStoreWorksAsTheReadmeShows() {
        // Keep in step with the README's embedding example.
        try (SessionStore store = SessionStore.inMemory()) {
            Sessions sessions = store.sessions();
            Session s = sessions.create("/home/ana/code/webapp", "+15551234567");
            sessions.activate(s.id());
            sessions.mergeContext(s.id(), "{\"model\": \"opus\"}");
            Transcripts transcripts = store.transcripts();
            transcripts.append(s.id(), "{\"role\": \"user\", \"content\": \"Fix the login form\"}", "signal-1001");
            List<TranscriptItem> recent = transcripts.tail(s.id(), 50);
            Session paused = sessions.pause(s.id());
            Session fork = sessions.fork(s.id(), 1);

            assertThat(recent).extracting(TranscriptItem::seq).containsExactly(1L);
            assertThat(fork.forkedFrom()).contains(new ForkOrigin(s.id(), 1));
            assertThat(transcripts.count(fork.id())).isEqualTo(1);
            assertThat(paused.status()).isEqualTo(SessionStatus.PAUSED);
            assertThat(paused.version()).isEqualTo(4);
            assertThat(sessions.list(SessionQuery.all().withStatus(SessionStatus.PAUSED)).sessions()).hasSize(1);
            assertThat(store.maintenance().check().ok()).isTrue();
        }
    }

    @Test
    void theSqliteStoreWorksAsTheReadmeShows(@TempDir Path home) {
        // Keep in step with the README's first embedding example (user.home is a temporary directory here).
        try (SessionStore store = SessionStore.openSqlite(Path.of(home.toString(), ".claude-signal", "sessions.db"))) {
            Sessions sessions = store.sessions();
            Session s = sessions.create("/home/ana/code/webapp", "+15551234567");
            sessions.activate(s.id());
            sessions.mergeContext(s.id(), "{\"model\": \"opus\"}");
            Transcripts transcripts = store.transcripts();
            transcripts.append(s.id(), "{\"role\": \"user\", \"content\": \"Fix the login form\"}", "signal-1001");
            List<TranscriptItem> recent = transcripts.tail(s.id(), 50);
            Session paused = sessions.pause(s.id());
            Session fork = sessions.fork(s.id(), 1);
            SessionPage page = sessions.list(SessionQuery.all().withStatus(SessionStatus.PAUSED));

            assertThat(paused.status()).isEqualTo(SessionStatus.PAUSED);
            assertThat(paused.version()).isEqualTo(4);
            assertThat(page.sessions()).extracting(SessionSummary::id).containsExactly(s.id());
            assertThat(recent.get(0).key()).contains("signal-1001");
            assertThat(transcripts.tail(fork.id(), 50)).extracting(TranscriptItem::json).containsExactly(recent.get(0).json());
        }
    }

    @Test
    void aDaemonStoreWorksAsTheReadmeShows(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sessions.db");
        SessionId orphan;
        try (SessionStore before = SessionStore.openSqlite(file)) {
            // What a daemon that died left behind: an ACTIVE session whose lease expired long ago.
            orphan = before.sessions().activate(before.sessions().create("/home/ana/code/webapp", "+1555").id()).id();
        }
        try (SqliteStorage storage = SqliteStorage.open(file)) {
            Instant past = Instant.now().minusSeconds(3600);
            storage.persistence().leases().claim(orphan, Actor.daemon("dead"), 1, past, past.plusSeconds(30));
        }
        List<SessionEvent> events = new CopyOnWriteArrayList<>();
        SessionsConfig daemon = SessionsConfig.daemon().withLease(Duration.ofMillis(600), Duration.ofMillis(100));
        // Keep in step with the README's daemon example.
        try (SessionStore store = SessionStore.openSqlite(file, SqliteSettings.defaults(), daemon)) {
            List<SessionId> recovered = store.sessions().recover();
            Session s = store.sessions().resume(recovered.get(0));
            store.leases().claim(s.id());
            store.sessions().appendActivity(s.id(), "edit", "{\"file\": \"src/App.java\"}");
            store.sessions().subscribe(events::add);

            assertThat(recovered).containsExactly(orphan);
            assertThat(store.config().actor().isDaemon()).isTrue();
            // Three lease lengths later the heartbeat has kept the lease alive: writes still pass the fence.
            Thread.sleep(1800);
            assertThat(store.leases().lease(s.id())).hasValueSatisfying(
                    lease -> assertThat(lease.isLiveAt(Instant.now())).isTrue());
            store.sessions().mergeContext(s.id(), "{\"still\": \"mine\"}");
            assertThat(events).singleElement().isInstanceOf(SessionEvent.ContextChanged.class);
        }
    }

    @Test
    void theGuiceWiringOfTheReadmeKeepsADaemonsLeaseAliveWithNoFurtherCall(@TempDir Path dir) throws Exception {
        Path databaseFile = dir.resolve("sessions.db");
        SessionsConfig daemon = SessionsConfig.daemon().withLease(Duration.ofSeconds(2), Duration.ofMillis(500));
        // Keep in step with the README's Guice example (a 2 s lease here, renewed every 500 ms).
        Injector injector = Guice.createInjector(new ApplicationModule(daemon), new SqliteModule(databaseFile));
        Sessions sessions = injector.getInstance(Sessions.class);
        Leases leases = injector.getInstance(Leases.class);
        Session s = sessions.activate(sessions.create("/home/ana/code/webapp", "+15551234567").id());
        leases.claim(s.id());

        Thread.sleep(6500); // idle for more than three lease lengths
        // A fenced write: it fails with LeaseLostException unless the heartbeat renewed the lease meanwhile.
        assertThat(sessions.appendActivity(s.id(), "edit", "{\"file\": \"src/App.java\"}").seq()).isEqualTo(1);

        SessionStore store = injector.getInstance(SessionStore.class);
        assertThat(injector.getInstance(SessionStore.class)).as("one store per injector").isSameAs(store);
        store.close();
        assertThatThrownBy(() -> sessions.get(s.id())).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.CLOSED));
        // Closing stopped the heartbeat too: nobody renews the lease, which expires.
        try (SessionStore later = SessionStore.openSqlite(databaseFile)) {
            Thread.sleep(2500);
            assertThat(later.leases().lease(s.id())).hasValueSatisfying(
                    lease -> assertThat(lease.isLiveAt(Instant.now())).isFalse());
        }
    }

    @Test
    void withGuiceTranscriptsComeFromTheSameHandleAsSessions(@TempDir Path dir) {
        Injector injector = Guice.createInjector(new ApplicationModule(), new SqliteModule(dir.resolve("s.db")));
        Sessions sessions = injector.getInstance(Sessions.class);
        try {
            Session s = sessions.create("/p", "t");
            // Transcripts come from the same handle: its listeners hear of appends.
            List<SessionEvent> events = new CopyOnWriteArrayList<>();
            sessions.subscribe(events::add);
            Transcripts transcripts = injector.getInstance(Transcripts.class);
            assertThat(transcripts.append(s.id(), "{\"role\":\"user\"}").seq()).isEqualTo(1);
            assertThat(events).singleElement().isInstanceOf(SessionEvent.TranscriptChanged.class);
        } finally {
            injector.getInstance(SessionStore.class).close();
        }
    }

    @Test
    void theGuiceWiringInMemoryGivesTheSameApi() {
        Injector injector = Guice.createInjector(new ApplicationModule(SessionsConfig.cli()), new InMemoryModule());
        Sessions inMemory = injector.getInstance(Sessions.class);
        assertThat(inMemory.create("/p", "t").version()).isEqualTo(1);
        injector.getInstance(SessionStore.class).close();
        assertThatThrownBy(() -> inMemory.create("/p", "t")).isInstanceOf(StorageException.class);
    }

    @Test
    void withGuiceADamagedFileIsTheTypedErrorFromCreateInjectorAndTheCauseOfGuicesError(@TempDir Path dir)
            throws Exception {
        Path databaseFile = Files.write(dir.resolve("sessions.db"), "not a database, not empty".repeat(40).getBytes());
        // Keep in step with the README: SessionStore.createInjector throws the StorageException itself ...
        StorageException typed = null;
        try {
            Injector injector = SessionStore.createInjector(new ApplicationModule(SessionsConfig.daemon()),
                    new SqliteModule(databaseFile));
            assertThat(injector).as("unreachable: the file is damaged").isNull();
        } catch (StorageException e) {
            typed = e;
        }
        assertThat(typed).isNotNull();
        assertThat(typed.reason()).isEqualTo(Reason.CORRUPT);
        // ... and plain Guice reports it as a CreationException whose cause is the same typed error.
        assertThatThrownBy(() -> Guice.createInjector(new ApplicationModule(SessionsConfig.daemon()),
                new SqliteModule(databaseFile)))
                .isInstanceOf(CreationException.class)
                .cause().isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT));
    }

    @Test
    void anInMemoryDaemonKeepsItsLeaseByHeartbeat() throws Exception {
        SessionsConfig daemon = SessionsConfig.daemon().withLease(Duration.ofMillis(600), Duration.ofMillis(100));
        try (SessionStore store = SessionStore.inMemory(daemon)) {
            Session s = store.sessions().activate(store.sessions().create("/p", "t").id());
            store.leases().claim(s.id());
            Thread.sleep(1800);
            assertThat(store.config()).isEqualTo(daemon);
            assertThat(store.sessions().appendActivity(s.id(), "edit", "{}").seq()).isEqualTo(1);
        }
    }

    @Test
    void anInMemoryStorageOutlivesItsStoresAsTheReadmeShows() throws Exception {
        // Keep in step with the README's restart example.
        InMemoryStorage storage = new InMemoryStorage();
        SessionsConfig shortLease = SessionsConfig.daemon().withLease(Duration.ofMillis(600), Duration.ofMillis(100));
        SessionId id;
        SessionStore closedOne;
        try (SessionStore daemon = SessionStore.inMemory(storage, shortLease)) {
            id = daemon.sessions().activate(daemon.sessions().create("/home/ana/code/webapp", "+15551234567").id()).id();
            daemon.leases().claim(id);
            closedOne = daemon;
        }
        Thread.sleep(1000);
        List<SessionId> recovered;
        try (SessionStore restarted = SessionStore.inMemory(storage, SessionsConfig.daemon())) {
            recovered = restarted.sessions().recover();
            assertThat(restarted.sessions().get(id).status()).isEqualTo(SessionStatus.PAUSED);
            assertThat(restarted.sessions().history(id)).last()
                    .satisfies(t -> assertThat(t.reason()).isEqualTo(Transition.CRASH_RECOVERY));
        }
        assertThat(recovered).containsExactly(id);
        assertThatThrownBy(() -> closedOne.sessions().get(id)).as("a closed store stays closed")
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CLOSED));
        try (SessionStore third = SessionStore.inMemory(storage, SessionsConfig.cli())) {
            assertThat(third.sessions().get(id).status()).isEqualTo(SessionStatus.PAUSED);
        }
    }

    @Test
    void twoStoresOpenOnOneInMemoryStorageSeeEachOthersWrites() {
        InMemoryStorage storage = new InMemoryStorage();
        try (SessionStore a = SessionStore.inMemory(storage, SessionsConfig.cli());
                SessionStore b = SessionStore.inMemory(storage, SessionsConfig.cli())) {
            Session s = a.sessions().create("/p", "t");
            assertThat(b.sessions().get(s.id())).isEqualTo(s);
        }
    }

    @Test
    void openAndCheckAgreeOnADirectoryTheEmbedderMade(@TempDir Path dir) throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path file = shared.resolve("sessions.db");
        try (SessionStore store = SessionStore.openSqlite(file)) {
            store.sessions().create("/p", "t");
            HealthCheck modes = store.maintenance().check().checks().stream()
                    .filter(c -> c.name().equals("file modes")).findFirst().orElseThrow();
            assertThat(modes.ok()).as(modes.detail()).isTrue();
            assertThat(modes.detail()).contains("directory rwxr-xr-x", "database rw-------");
            assertThat(store.maintenance().check().ok()).isTrue();
        }
        // The files are what must be private: a database opened up to others fails the check.
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        try (SessionStore store = SessionStore.openSqlite(file)) {
            assertThat(store.maintenance().check().ok()).isFalse();
        }
    }

    @Test
    void theSqliteStoreKeepsSessionsAcrossOpens(@TempDir Path dir) {
        Path file = dir.resolve("home/.claude-signal/sessions.db");
        Session created;
        try (SessionStore store = SessionStore.openSqlite(file)) {
            created = store.sessions().create("/home/ana/code/webapp", "+15551234567");
        }
        try (SessionStore store = SessionStore.openSqlite(file)) {
            assertThat(store.sessions().get(created.id())).isEqualTo(created);
            assertThat(store.maintenance().check().ok()).isTrue();
        }
    }

    @Test
    void aStoreThatCannotOpenRaisesTheTypedErrorNotGuicesWrapper(@TempDir Path dir) throws Exception {
        // Not a database (an empty file would be a new one).
        Path file = Files.writeString(dir.resolve("garbage.db"), "not a database, and longer than a header would be ".repeat(4));
        assertThatThrownBy(() -> SessionStore.openSqlite(file))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT));
    }

    @Test
    void closingTwiceIsHarmless() {
        SessionStore store = SessionStore.inMemory();
        store.close();
        store.close();
    }
}
