package io.claudesignal.sessions.adapters.sqlite;

import static io.claudesignal.sessions.adapters.sqlite.SqliteStorageTest.listing;
import static io.claudesignal.sessions.adapters.sqlite.SqliteStorageTest.mode;
import static io.claudesignal.sessions.adapters.sqlite.SqliteStorageTest.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 6 of issue 13: a 0-byte file is what SQLite (and the Python daemon's test fixtures, which hand
 * the store a fresh temporary file) take for a new, empty database; so does the store, also beside a
 * {@code -journal} (SQLite's rule). A 0-byte file beside a {@code -wal} with content is what is left of
 * a damaged one: refused.
 */
class EmptyFileTest {

    @TempDir
    Path dir;

    @Test
    void aZeroByteFileIsANewDatabaseStampedMigratedAndPrivate() throws Exception {
        Path file = dir.resolve("fresh.db");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        try (SqliteStorage storage = SqliteStorage.open(file)) {
            Session s = new SessionService(storage.persistence(), Clock.systemUTC(),
                    SessionIdGenerator.random(), new ContextJson()).create("/p", "t");
            assertThat(s.version()).isEqualTo(1);
            assertThat((long) storage.database().read(ctx -> Pragmas.number(ctx, "application_id")))
                    .isEqualTo((long) SchemaGuard.APPLICATION_ID);
            assertThat((long) storage.database().read(ctx -> Pragmas.number(ctx, "user_version")))
                    .isEqualTo((long) SchemaGuard.SCHEMA_VERSION);
            assertThat(storage.diagnostics().run()).allSatisfy(c -> assertThat(c.ok()).as(c.toString()).isTrue());
        }
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(listing(dir)).containsExactly("fresh.db");
    }

    @Test
    void severalStoresOpeningOneZeroByteFileAtOnceAllGetTheSameNewDatabase() throws Exception {
        Path file = dir.resolve("shared.db");
        Files.createFile(file);
        int stores = 4;
        ExecutorService pool = Executors.newFixedThreadPool(stores);
        CyclicBarrier start = new CyclicBarrier(stores);
        try {
            List<Future<String>> created = new ArrayList<>();
            for (int i = 0; i < stores; i++) {
                created.add(pool.submit(() -> {
                    start.await();
                    try (SqliteStorage storage = SqliteStorage.open(file)) {
                        return new SessionService(storage.persistence(), Clock.systemUTC(), SessionIdGenerator.random(),
                                new ContextJson()).create("/p", "t").id().toString();
                    }
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> f : created) {
                ids.add(f.get(2, TimeUnit.MINUTES));
            }
            try (SqliteStorage storage = SqliteStorage.open(file)) {
                Sessions sessions = new SessionService(storage.persistence(), Clock.systemUTC(), SessionIdGenerator.random(),
                        new ContextJson());
                for (String id : ids) {
                    assertThat(sessions.get(SessionId.parse(id)).version()).isEqualTo(1);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aZeroByteFileWithAnEmptyWalBesideItIsNewToo() throws Exception {
        Path file = dir.resolve("fresh.db");
        Files.createFile(file);
        Files.createFile(dir.resolve("fresh.db-wal"));
        try (SqliteStorage storage = SqliteStorage.open(file)) {
            assertThat((long) storage.database().read(ctx -> Pragmas.number(ctx, "user_version")))
                    .isEqualTo((long) SchemaGuard.SCHEMA_VERSION);
        }
    }

    @Test
    void aZeroByteFileBesideAWalWithContentIsDamageAndIsRefusedUntouched() throws Exception {
        Path file = dir.resolve("lost.db");
        Files.createFile(file);
        Path wal = dir.resolve("lost.db-wal");
        Files.write(wal, new byte[] {0x37, 0x7f, 0x06, (byte) 0x82, 0, 0, 0, 1});
        String walBefore = sha256(wal);
        assertThatThrownBy(() -> SqliteStorage.open(file))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CORRUPT);
                    assertThat(e.getMessage()).contains("empty (0 bytes)").contains("-wal").contains("damaged");
                });
        assertThat(Files.size(file)).isZero();
        assertThat(sha256(wal)).isEqualTo(walBefore);
        assertThat(listing(dir)).containsExactlyInAnyOrder("lost.db", "lost.db-wal");
    }

    @Test
    void aZeroByteFileBesideAJournalIsNewAsSqliteRulesIt() throws Exception {
        // SQLite: a journal beside a database of 0 pages is the remnant of a first transaction, not a
        // hot journal; it deletes it. (Another process creating the database in place makes exactly this.)
        Path file = dir.resolve("fresh.db");
        Files.createFile(file);
        Files.write(dir.resolve("fresh.db-journal"), new byte[512]);
        try (SqliteStorage storage = SqliteStorage.open(file)) {
            assertThat((long) storage.database().read(ctx -> Pragmas.number(ctx, "user_version")))
                    .isEqualTo((long) SchemaGuard.SCHEMA_VERSION);
        }
        assertThat(listing(dir)).containsExactly("fresh.db");
    }
}
