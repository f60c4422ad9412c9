package io.claudesignal.sessions.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.claudesignal.sessions.adapters.sqlite.SqliteSettings;
import io.claudesignal.sessions.adapters.sqlite.SqliteStorage;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.StorageException.Reason;
import io.claudesignal.sessions.application.StorageException;
import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.in.SessionPage;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import java.nio.file.Files;
import java.nio.file.Path;
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
            sessions.mergeContext(s.id(), "{\"conversation_history\": {\"turns\": []}}");
            Session paused = sessions.pause(s.id());

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
            sessions.mergeContext(s.id(), "{\"conversation_history\": {\"turns\": []}}");
            Session paused = sessions.pause(s.id());
            SessionPage page = sessions.list(SessionQuery.all().withStatus(SessionStatus.PAUSED));

            assertThat(paused.status()).isEqualTo(SessionStatus.PAUSED);
            assertThat(paused.version()).isEqualTo(4);
            assertThat(page.sessions()).extracting(SessionSummary::id).containsExactly(s.id());
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
    void theGuiceWiringOfTheReadmeGivesTheSameApi(@TempDir Path dir) {
        Injector injector = Guice.createInjector(new ApplicationModule(), new SqliteModule(dir.resolve("s.db")));
        Sessions sessions = injector.getInstance(Sessions.class);
        try {
            assertThat(sessions.create("/p", "t").status()).isEqualTo(SessionStatus.CREATED);
        } finally {
            injector.getInstance(StoreResources.class).close();
        }
        Sessions inMemory = Guice.createInjector(new ApplicationModule(), new InMemoryModule()).getInstance(Sessions.class);
        assertThat(inMemory.create("/p", "t").version()).isEqualTo(1);
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
