package io.claudesignal.sessions.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.claudesignal.sessions.domain.NewerSchemaException;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import io.claudesignal.sessions.tck.TestClock;
import io.claudesignal.sessions.application.port.out.HealthCheck;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.tck.TestClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStorageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Sessions sessionsOf(SqliteStorage storage) {
        return new SessionService(storage.persistence(), new TestClock(), SessionIdGenerator.random(), new ContextJson());
    }

    // ---- persistence and files ----

    @Test
    void whatWasWrittenIsThereAfterReopening() {
        Path file = dir.resolve("sessions.db");
        Session written;
        try (SqliteStorage storage = SqliteStorage.open(file)) {
            Sessions sessions = sessionsOf(storage);
            Session s = sessions.create("/home/ana/code/webapp", "+15551234567");
            sessions.activate(s.id());
            written = sessions.mergeContext(s.id(), "{\"conversation_history\":{\"turns\":[{\"role\":\"user\"}]}}");
        }
        try (SqliteStorage storage = SqliteStorage.open(file)) {
            assertThat(sessionsOf(storage).get(written.id())).isEqualTo(written);
        }
    }

    @Test
    void theDirectoryAndEveryDatabaseFileAreOwnerOnly() throws IOException {
        Path file = dir.resolve("new-dir/nested/sessions.db");
        try (SqliteStorage storage = SqliteStorage.open(file)) {
            sessionsOf(storage).create("/p", "t");
            assertThat(mode(file.getParent())).isEqualTo("rwx------");
            assertThat(mode(file.getParent().getParent())).isEqualTo("rwx------");
            assertThat(mode(file)).isEqualTo("rw-------");
            assertThat(mode(StoreFiles.companion(file, "-wal"))).isEqualTo("rw-------");
            assertThat(mode(StoreFiles.companion(file, "-shm"))).isEqualTo("rw-------");
            assertThat(storage.diagnostics().run()).allSatisfy(c -> assertThat(c.ok()).as(c.toString()).isTrue());
        }
        assertThat(listing(file.getParent())).containsExactly("sessions.db");
    }

    @Test
    void theConnectionSettingsAreTheDurableOnes() {
        try (SqliteStorage storage = SqliteStorage.open(dir.resolve("s.db"))) {
            HealthCheck settings = storage.diagnostics().run().stream()
                    .filter(c -> c.name().equals("settings")).findFirst().orElseThrow();
            assertThat(settings.ok()).isTrue();
            assertThat(settings.detail()).contains("journal_mode=wal", "synchronous=2", "busy_timeout=10000ms",
                    "foreign_keys=1", "secure_delete=1");
        }
    }

    @Test
    void manyStoresOpeningOneNewFileAtOnceAllSucceed() throws Exception {
        Path file = dir.resolve("racing.db");
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    try (SqliteStorage storage = SqliteStorage.open(file)) {
                        sessionsOf(storage).create("/p", "t");
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(errors).isEmpty();
        try (SqliteStorage storage = SqliteStorage.open(file)) {
            assertThat(sessionsOf(storage).list(SessionQuery.all()).sessions()).hasSize(8);
        }
        assertThat(listing(dir)).containsExactly("racing.db");
    }

    // ---- refusals: nothing written, nothing left behind ----

    @Test
    void aFileOfAnotherApplicationIsRefusedUntouched() throws Exception {
        Path file = dir.resolve("foreign.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
            s.execute("INSERT INTO notes (text) VALUES ('mine')");
        }
        assertRefusedUntouched(file, Reason.FOREIGN, "not a sessions database");
    }

    @Test
    void aFileWithAnotherApplicationIdIsRefused() throws Exception {
        Path file = dir.resolve("other-app.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA application_id = 42");
            s.execute("CREATE TABLE sessions (id TEXT PRIMARY KEY, project_path TEXT NOT NULL, thread_id TEXT NOT NULL,"
                    + " status TEXT NOT NULL, context TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)");
        }
        assertRefusedUntouched(file, Reason.FOREIGN, "application_id 42");
    }

    @Test
    void randomBytesAreRefusedUntouched() throws Exception {
        Path file = dir.resolve("random.db");
        byte[] bytes = new byte[8192];
        new Random(7).nextBytes(bytes);
        Files.write(file, bytes);
        assertRefusedUntouched(file, Reason.CORRUPT, "damaged or not a SQLite database");
    }

    @Test
    void aDamagedHeaderIsRefusedUntouched() throws Exception {
        Path file = dir.resolve("damaged.db");
        try (SqliteStorage storage = SqliteStorage.open(file)) {
            sessionsOf(storage).create("/p", "t");
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[0] = 'X';
        Files.write(file, bytes);
        assertRefusedUntouched(file, Reason.CORRUPT, "damaged");
    }

    @Test
    void aDatabaseFromANewerVersionIsRefusedUntouched() throws Exception {
        Path file = dir.resolve("newer.db");
        try (SqliteStorage storage = SqliteStorage.open(file)) {
            sessionsOf(storage).create("/p", "t");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + (SchemaGuard.SCHEMA_VERSION + 1));
        }
        String before = sha256(file);
        assertThatThrownBy(() -> SqliteStorage.open(file))
                .isInstanceOfSatisfying(NewerSchemaException.class, e -> {
                    assertThat(e.foundVersion()).isEqualTo(SchemaGuard.SCHEMA_VERSION + 1);
                    assertThat(e.supportedVersion()).isEqualTo(SchemaGuard.SCHEMA_VERSION);
                    assertThat(e.file()).contains(file);
                });
        assertThat(sha256(file)).isEqualTo(before);
    }

    @Test
    void aDatabaseOfTheFirstJavaSchemaIsMigratedForwardKeepingItsSessions() throws Exception {
        Path file = dir.resolve("v2.db");
        // Schema version 2, as the first Java release wrote it, with one ACTIVE session of its daemon.
        org.flywaydb.core.Flyway.configure().dataSource("jdbc:sqlite:" + file, null, null)
                .locations(SchemaGuard.MIGRATIONS).target("2").load().migrate();
        String id = "0b6f5d8e-3c4a-4d2b-9e1f-7a8b9c0d1e2f";
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("INSERT INTO sessions VALUES ('" + id + "', '/p', 't', 'ACTIVE', "
                    + "'2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z', 4, '{\"k\":1}')");
        }
        // Made here by Flyway directly; the store would have made it owner-only.
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try (SqliteStorage storage = SqliteStorage.open(file)) {
            Sessions sessions = sessionsOf(storage);
            SessionId sid = SessionId.parse(id);
            assertThat(sessions.get(sid).version()).isEqualTo(4);
            assertThat(sessions.history(sid)).isEmpty();
            // Its ACTIVE session has no owner: recovery takes it back, as for an upgraded reference database.
            assertThat(sessions.recover()).containsExactly(sid);
            assertThat(sessions.history(sid)).hasSize(1);
            assertThat(storage.diagnostics().run()).allSatisfy(check -> assertThat(check.ok()).as(check.detail()).isTrue());
        }
    }

    @Test
    void aDirectoryIsNotADatabase() throws IOException {
        Path file = Files.createDirectory(dir.resolve("x.db"));
        // A bad path, refused before anything is opened (see HostilePathsTest).
        assertThatThrownBy(() -> SqliteStorage.open(file)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is a directory");
    }

    private void assertRefusedUntouched(Path file, Reason reason, String message) throws Exception {
        String before = sha256(file);
        Set<String> filesBefore = listing(dir);
        assertThatThrownBy(() -> SqliteStorage.open(file))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.file()).contains(file);
                    assertThat(e.getMessage()).contains(file.toString()).contains(message);
                });
        assertThat(sha256(file)).as("the file is byte for byte as it was").isEqualTo(before);
        assertThat(listing(dir)).as("no file was left beside it").isEqualTo(filesBefore);
    }

    // ---- the reference (Python) daemon's databases ----

    private static final ReferenceDatabase.Row[] REFERENCE_ROWS = {
        new ReferenceDatabase.Row("4c59adf8-6832-4cfa-92f4-4ee146654006", "/Users/ana/code/webapp", "+15551234567",
                "CREATED", "{\"conversation_history\": {\"turns\": [{\"role\": \"user\", \"text\": \"turn 0\"}]}}",
                "2026-01-26T01:58:12.123456+00:00", "2026-01-26T04:39:12.123456+00:00"),
        new ReferenceDatabase.Row("4af9b5c8-f2e4-41bb-9c09-a07e106efbe2", "/Users/ana/code/api-server",
                "group.dGhyZWFkLWdyb3VwLTE=", "ACTIVE",
                "{\"activity_log\": [{\"timestamp\": \"2026-01-26T04:58:09.123456+00:00\", \"type\": \"tool_call\"}]}",
                "2026-01-26T04:58:09.123456+00:00", "2026-01-26T07:26:09.123456+00:00"),
        new ReferenceDatabase.Row("b61b9b09-6290-4962-af62-b68f69944be7", "/Users/ana/code/notes", "+447700900123",
                "PAUSED", "{\"recovered_at\": \"2026-01-26T11:53:34.123456+00:00\"}",
                "2026-01-26T07:58:34.123456+00:00", "2026-01-26T11:53:34.123456+00:00"),
        // The earliest builds: naive UTC timestamps, and NULL for an empty context.
        new ReferenceDatabase.Row("7d121011-313b-4dff-bb1a-85e9e84880a4", "/Users/ana/code/webapp", "+15551234567",
                "TERMINATED", null, "2026-01-20T10:58:48.5", "2026-01-20T11:34:48"),
        // isoformat() without microseconds, an offset other than UTC, and a space for the 'T'.
        new ReferenceDatabase.Row("6B745056-8F5F-4DEB-8866-640242241D0E", "/Users/ana/code/api-server", "+15551234567",
                "CREATED", "{}", "2026-01-26T13:58:56+00:00", "2026-01-26 18:58:56.000001+02:00"),
    };

    private static final Map<String, Instant[]> REFERENCE_INSTANTS = Map.of(
            "4c59adf8-6832-4cfa-92f4-4ee146654006", instants("2026-01-26T01:58:12.123456Z", "2026-01-26T04:39:12.123456Z"),
            "4af9b5c8-f2e4-41bb-9c09-a07e106efbe2", instants("2026-01-26T04:58:09.123456Z", "2026-01-26T07:26:09.123456Z"),
            "b61b9b09-6290-4962-af62-b68f69944be7", instants("2026-01-26T07:58:34.123456Z", "2026-01-26T11:53:34.123456Z"),
            "7d121011-313b-4dff-bb1a-85e9e84880a4", instants("2026-01-20T10:58:48.5Z", "2026-01-20T11:34:48Z"),
            "6b745056-8f5f-4deb-8866-640242241d0e", instants("2026-01-26T13:58:56Z", "2026-01-26T16:58:56.000001Z"));

    private static Instant[] instants(String created, String updated) {
        return new Instant[] {Instant.parse(created), Instant.parse(updated)};
    }

    @Test
    void aReferenceDatabaseIsUpgradedInPlaceLosingNothing() throws Exception {
        Path file = dir.resolve("sessions.db");
        ReferenceDatabase.write(file, REFERENCE_ROWS);
        try (SqliteStorage storage = SqliteStorage.open(file)) {
            Sessions sessions = sessionsOf(storage);
            for (ReferenceDatabase.Row row : REFERENCE_ROWS) {
                Session s = sessions.get(SessionId.parse(row.id()));
                assertThat(s.id().toString()).isEqualTo(row.id().toLowerCase());
                assertThat(s.projectPath()).isEqualTo(row.projectPath());
                assertThat(s.threadId()).isEqualTo(row.threadId());
                assertThat(s.status()).isEqualTo(SessionStatus.valueOf(row.status()));
                assertThat(JSON.readTree(s.context())).isEqualTo(JSON.readTree(row.context() == null ? "{}" : row.context()));
                Instant[] expected = REFERENCE_INSTANTS.get(s.id().toString());
                assertThat(s.createdAt()).as("createdAt of " + s.id()).isEqualTo(expected[0]);
                assertThat(s.updatedAt()).as("updatedAt of " + s.id()).isEqualTo(expected[1]);
                assertThat(s.version()).isEqualTo(1);
            }
            assertThat(sessions.list(SessionQuery.all()).sessions()).hasSize(REFERENCE_ROWS.length);
            // And it is a database of ours now: it takes writes like any other.
            Session resumed = sessions.resume(SessionId.parse("b61b9b09-6290-4962-af62-b68f69944be7"));
            assertThat(resumed.version()).isEqualTo(2);
            assertThat(storage.diagnostics().run()).allSatisfy(c -> assertThat(c.ok()).as(c.toString()).isTrue());
        }
        Path backup = single(dir, "sessions.db.pre-upgrade-");
        assertThat(mode(backup)).isEqualTo("rw-------");
        assertThat(readReference(backup)).hasSize(REFERENCE_ROWS.length);
        assertThat(listing(dir)).containsExactlyInAnyOrder("sessions.db", backup.getFileName().toString());
    }

    @Test
    void aReferenceDatabaseThatCannotBeCarriedOverIsLeftExactlyAsItWas() throws Exception {
        Path file = dir.resolve("sessions.db");
        ReferenceDatabase.write(file, REFERENCE_ROWS[0], new ReferenceDatabase.Row(
                "cccccccc-6832-4cfa-92f4-4ee146654006", "/p", "t", "ACTIVE", null, "yesterday", "today"));
        String before = sha256(file);
        assertThatThrownBy(() -> SqliteStorage.open(file))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UPGRADE_FAILED);
                    assertThat(e.getMessage()).contains("left as it was");
                });
        assertThat(sha256(file)).isEqualTo(before);
        // No backup and no trial copy are left; SQLite's own empty -wal/-shm companions may be (seen
        // once under heavy load), and are harmless.
        assertThat(listing(dir)).filteredOn(name -> !name.endsWith("-wal") && !name.endsWith("-shm"))
                .containsExactly("sessions.db");
    }

    @Test
    void theSharedReferenceFixtureIsReadAsItsOwnColumnsSay() throws Exception {
        // The fixture lives outside the repository; on a user's clone it does not exist.
        Path fixture = Path.of("..", "..", "shared", "fixtures", "reference-sessions.db").toAbsolutePath().normalize();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(fixture), "no ../shared fixture here: " + fixture);
        Path file = dir.resolve("sessions.db");
        Files.copy(fixture, file);
        List<Map<String, String>> rows = readReference(file);
        try (SqliteStorage storage = SqliteStorage.open(file)) {
            Sessions sessions = sessionsOf(storage);
            for (Map<String, String> row : rows) {
                Session s = sessions.get(SessionId.parse(row.get("id")));
                assertThat(s.projectPath()).isEqualTo(row.get("project_path"));
                assertThat(s.threadId()).isEqualTo(row.get("thread_id"));
                assertThat(s.status().name()).isEqualTo(row.get("status"));
                assertThat(JSON.readTree(s.context())).isEqualTo(JSON.readTree(row.get("context") == null ? "{}" : row.get("context")));
                assertThat(s.createdAt()).isEqualTo(java.time.OffsetDateTime.parse(row.get("created_at")).toInstant());
                assertThat(s.updatedAt()).isEqualTo(java.time.OffsetDateTime.parse(row.get("updated_at")).toInstant());
            }
            assertThat(sessions.list(SessionQuery.all().withLimit(1000)).sessions()).hasSize(rows.size());
        }
    }

    private static List<Map<String, String>> readReference(Path file) throws Exception {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM sessions")) {
            while (rs.next()) {
                Map<String, String> row = new TreeMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    // ---- helpers ----

    static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    static Set<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(java.util.TreeSet::new));
        }
    }

    private static Path single(Path dir, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
            assertThat(found).hasSize(1);
            return found.get(0);
        }
    }
}
