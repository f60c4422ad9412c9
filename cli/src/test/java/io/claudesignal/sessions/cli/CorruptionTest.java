package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.adapters.sqlite.SqliteSettings;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import io.claudesignal.sessions.application.port.in.HealthReport;
import io.claudesignal.sessions.application.port.in.SessionPage;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.cli.CliHarness.Result;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionSummary;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Item 6 of the reliability suite: a copy of a real database, damaged in one way each time, through
 * the library and through the CLI. Each damage is reported as a {@link StorageException} naming the
 * file (CLI exit code 6, one readable line), nothing else escapes, and the file is byte for byte
 * unchanged afterwards, with nothing left beside it.
 *
 * <p>The store does not run {@code PRAGMA quick_check} at open (see docs/reliability.md): damage in
 * the header, a truncated, foreign or random file, or an empty one beside its -wal, is refused at open; damage inside the data
 * is reported by {@code sessions check} and by whichever read meets it.
 */
class CorruptionTest {

    private static final int SESSIONS = 300;
    private static final int PAGE = 4096;

    @TempDir
    static Path dir;
    private static Path pristine;
    private static final List<String> ids = new ArrayList<>();

    enum Damage { HEADER_MAGIC_AT_0, PAGE_SIZE_AT_16, PAGE_COUNT_AT_28, TRUNCATED, RANDOM_PAGE, CELL_POINTERS_ZEROED,
        EMPTY_BESIDE_ITS_WAL, FOREIGN_SQLITE_FILE, RANDOM_BYTES }

    @BeforeAll
    static void aRealDatabase() {
        pristine = dir.resolve("pristine/sessions.db");
        Random random = new Random(6);
        // NORMAL durability only to build it faster: what is tested is reading it.
        try (SessionStore store = SessionStore.openSqlite(pristine,
                SqliteSettings.defaults().withSynchronous(SqliteSettings.Synchronous.NORMAL))) {
            Sessions sessions = store.sessions();
            for (int i = 0; i < SESSIONS; i++) {
                Session s = sessions.create("/home/ana/code/p" + (i % 7), "+1555" + i);
                sessions.activate(s.id());
                sessions.mergeContext(s.id(), "{\"notes\":\"" + "n".repeat(random.nextInt(3000)) + "\"}");
                ids.add(s.id().toString());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedFileIsAStorageErrorNamingItAndStaysByteForByteAsItWas(Damage damage) throws Exception {
        Path file = Files.createDirectory(dir.resolve(damage.name())).resolve("sessions.db");
        damage(damage, file);
        String hash = sha256(file);
        Set<String> listing = listing(file.getParent());

        boolean reported = throughTheLibrary(file);
        reported |= throughTheCli(file);
        assertThat(reported).as(damage + " was reported").isTrue();

        assertThat(sha256(file)).as(damage + ": the file is byte for byte as it was").isEqualTo(hash);
        assertThat(listing(file.getParent())).as("nothing left beside it").isEqualTo(listing);
    }

    /** Opens the file and reads every session; true when a typed error or the integrity check reported it. */
    private boolean throughTheLibrary(Path file) {
        SessionStore store;
        try {
            store = SessionStore.openSqlite(file);
        } catch (StorageException e) {
            assertNamesTheFile(e, file);
            return true;
        }
        boolean reported = false;
        try (store) {
            HealthReport report = store.maintenance().check();
            assertThat(report.ok()).as("integrity of a damaged file: " + report).isFalse();
            reported = true;
            Sessions sessions = store.sessions();
            List<String> listed = new ArrayList<>();
            try {
                SessionQuery query = SessionQuery.all().withLimit(100);
                while (true) {
                    SessionPage page = sessions.list(query);
                    page.sessions().stream().map(SessionSummary::id).map(SessionId::toString).forEach(listed::add);
                    if (page.nextCursor().isEmpty()) {
                        break;
                    }
                    query = query.after(page.nextCursor().get());
                }
            } catch (StorageException e) {
                assertNamesTheFile(e, file);
            }
            for (String id : ids) {
                try {
                    sessions.find(SessionId.parse(id));
                } catch (StorageException e) {
                    assertNamesTheFile(e, file);
                }
            }
        }
        return reported;
    }

    /** {@code check} exits 6; {@code list} and {@code show} either work or exit 6 with one readable line. */
    private boolean throughTheCli(Path file) {
        CliHarness cli = new CliHarness(SessionStore::openSqlite);
        Result check = cli.run("--db", file.toString(), "check");
        assertThat(check.code()).as("check: " + check.err()).isEqualTo(6);
        assertThat(check.err()).startsWith("sessions: ").contains(file.toString()).doesNotContain("\tat ");
        assertThat(check.err().lines().count()).as(check.err()).isEqualTo(1);
        List<String[]> runs = new ArrayList<>();
        runs.add(new String[] {"--db", file.toString(), "list", "--limit", "1000"});
        for (int i = 0; i < ids.size(); i += 50) {
            runs.add(new String[] {"--db", file.toString(), "show", ids.get(i)});
        }
        for (String[] args : runs) {
            Result r = cli.run(args);
            assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isIn(0, 6);
            if (r.code() == 6) {
                r.failsReadably(6);
                assertThat(r.err()).contains(file.toString());
            }
        }
        return true;
    }

    private static void assertNamesTheFile(StorageException e, Path file) {
        assertThat(e.reason()).as(e.getMessage()).isIn(Reason.CORRUPT, Reason.FOREIGN);
        assertThat(e.file()).contains(file);
        assertThat(e.getMessage()).contains(file.toString());
    }

    // ---- the damage ----

    private void damage(Damage damage, Path file) throws Exception {
        Random random = new Random(damage.ordinal());
        switch (damage) {
            case EMPTY_BESIDE_ITS_WAL -> {
                // A 0-byte file alone is a new database (issue 13, item 6); beside a -wal with content it is damage.
                Files.createFile(file);
                byte[] wal = new byte[8192];
                random.nextBytes(wal);
                Files.write(Path.of(file + "-wal"), wal);
            }
            case RANDOM_BYTES -> {
                byte[] bytes = new byte[64 * 1024];
                random.nextBytes(bytes);
                Files.write(file, bytes);
            }
            case FOREIGN_SQLITE_FILE -> {
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
                    s.execute("INSERT INTO notes (text) VALUES ('not a session')");
                }
            }
            default -> {
                Files.copy(pristine, file);
                try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                    switch (damage) {
                        case HEADER_MAGIC_AT_0 -> write(f, 0, "SQLite format 4\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        case PAGE_SIZE_AT_16 -> write(f, 16, new byte[] {0x12, 0x34});
                        case PAGE_COUNT_AT_28 -> write(f, 28, ByteBuffer.allocate(4).putInt((int) (f.length() / PAGE) * 3).array());
                        case TRUNCATED -> f.setLength(f.length() / 2);
                        case CELL_POINTERS_ZEROED -> zeroCellPointers(f, rootPage(file));
                        case RANDOM_PAGE -> overwriteADetectablePage(f, file, random);
                        default -> throw new AssertionError(damage);
                    }
                }
            }
        }
    }

    private static void write(RandomAccessFile f, long at, byte[] bytes) throws IOException {
        f.seek(at);
        f.write(bytes);
    }

    /** Zeroes the cell pointer array of a b-tree page: every cell then points at the page header. */
    private static void zeroCellPointers(RandomAccessFile f, int page) throws IOException {
        long start = (long) (page - 1) * PAGE + (page == 1 ? 100 : 0);
        f.seek(start);
        int type = f.readUnsignedByte();
        f.seek(start + 3);
        int cells = f.readUnsignedShort();
        int header = type == 0x02 || type == 0x05 ? 12 : 8;
        assertThat(cells).as("cells on page " + page).isPositive();
        write(f, start + header, new byte[2 * cells]);
    }

    /** The root page of the sessions table, read from the pristine copy's schema. */
    private static int rootPage(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + pristine);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rootpage FROM sqlite_schema WHERE name = 'sessions'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Overwrites one page, chosen at random, with random bytes: a page whose damage SQLite can see
     * (a page of the free list, say, holds nothing to check), as a scratch copy's integrity_check shows.
     */
    private void overwriteADetectablePage(RandomAccessFile f, Path file, Random random) throws Exception {
        int pages = (int) (f.length() / PAGE);
        Path probe = dir.resolve("probe.db");
        for (int attempt = 0; attempt < 50; attempt++) {
            int page = 2 + random.nextInt(pages - 1);
            byte[] bytes = new byte[PAGE];
            random.nextBytes(bytes);
            Files.copy(file, probe, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (RandomAccessFile p = new RandomAccessFile(probe.toFile(), "rw")) {
                write(p, (long) (page - 1) * PAGE, bytes);
            }
            if (!integrityOk(probe)) {
                write(f, (long) (page - 1) * PAGE, bytes);
                Files.delete(probe);
                return;
            }
        }
        throw new AssertionError("no page of " + pages + " whose damage integrity_check sees");
    }

    private static boolean integrityOk(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            return rs.next() && rs.getString(1).equals("ok") && !rs.next();
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    static Set<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }
}
