package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionStore#openPostgres} and the CLI's {@code --db postgresql://…} on a real server: the one
 * named by {@code SESSIONS_TEST_POSTGRES_URL} (a JDBC URL), in a database of its own, created for this
 * class and dropped afterwards. Skipped without the variable, except under {@code CI=true}, where that
 * fails. (The adapter's own tests also try Testcontainers; these only check the wiring.)
 */
class PostgresStoreTest {

    private static final Pattern JDBC = Pattern.compile("jdbc:postgresql://([^/?]+)/([^?]*)(\\?(.*))?");

    private static String adminUrl;
    private static String database;
    private static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private static String jdbcUrl;
    private static String libpqUrl;

    @BeforeAll
    static void createDatabase() throws Exception {
        adminUrl = System.getenv("SESSIONS_TEST_POSTGRES_URL");
        if ((adminUrl == null || adminUrl.isBlank()) && answers(LOCAL_URL)) {
            adminUrl = LOCAL_URL; // the conventional local server, as the adapter's own tests use it
        }
        if (adminUrl == null || adminUrl.isBlank()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true and SESSIONS_TEST_POSTGRES_URL is not set: the PostgreSQL wiring must be tested in CI");
            }
            Assumptions.abort("SESSIONS_TEST_POSTGRES_URL is not set and no server answers at " + LOCAL_URL
                    + ": PostgreSQL wiring not tested");
        }
        Matcher m = JDBC.matcher(adminUrl);
        assertThat(m.matches()).as("SESSIONS_TEST_POSTGRES_URL is a jdbc:postgresql://host/db URL").isTrue();
        database = "sessions_bootstrap_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute("CREATE DATABASE " + database);
        String query = m.group(4) == null ? "" : "?" + m.group(4);
        jdbcUrl = "jdbc:postgresql://" + m.group(1) + "/" + database + query;
        libpqUrl = "postgresql://" + m.group(1) + "/" + database + query;
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        if (database != null) {
            execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void aStoreOpenedTwiceSeesTheSameSessions() {
        Session created;
        try (SessionStore store = SessionStore.openPostgres(jdbcUrl)) {
            created = store.sessions().create("/home/ana/code/webapp", "+15551234567");
            store.sessions().activate(created.id());
            store.sessions().mergeContext(created.id(), "{\"b\":1,\"a\":2.50}");
        }
        try (SessionStore store = SessionStore.openPostgres(libpqUrl)) {
            Session s = store.sessions().get(created.id());
            assertThat(s.status()).isEqualTo(SessionStatus.ACTIVE);
            assertThat(s.context()).isEqualTo("{\"b\":1,\"a\":2.50}");
            assertThat(store.maintenance().check().ok()).isTrue();
        }
    }

    @Test
    void theCliTakesAPostgresUrlFromDbOrTheEnvironment() {
        Result created = cli(Map.of(), "--db", libpqUrl, "create", "--project", "/home/ana/code/cli", "--thread", "+15550000001");
        assertThat(created.code).as(created.err).isZero();
        Result listed = cli(Map.of("SESSIONS_DB", jdbcUrl), "list", "--json");
        assertThat(listed.code).as(listed.err).isZero();
        assertThat(listed.out).contains("/home/ana/code/cli");
        Result checked = cli(Map.of(), "--db", jdbcUrl, "check");
        assertThat(checked.code).as(checked.out + checked.err).isZero();
        assertThat(checked.out).contains("synchronous_commit=on");
    }

    @Test
    void anUnreachableServerIsAStorageErrorExit6() {
        Result r = cli(Map.of(), "--db", "postgresql://postgres@127.0.0.1:1/nowhere?connectTimeout=1", "list");
        assertThat(r.code).as(r.err).isEqualTo(6);
        assertThat(r.err.lines()).hasSize(1);
    }

    @Test
    void aWriteThatWaitsPastTheLockTimeoutIsExit6WithOneLineNamingTheWait() throws Exception {
        Session held;
        try (SessionStore store = SessionStore.openPostgres(jdbcUrl)) {
            held = store.sessions().activate(store.sessions().create("/home/ana/code/held", "+15550000002").id());
        }
        // A short lock timeout for this run, from the URL (the CLI's only way to set it).
        String shortWait = jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "lockTimeout=1s";
        try (Connection peer = DriverManager.getConnection(jdbcUrl)) {
            peer.setAutoCommit(false);
            try (var lock = peer.prepareStatement("select status from claude_signal.sessions where id = cast(? as uuid) for update")) {
                lock.setString(1, held.id().toString());
                lock.executeQuery().close();
            }
            long start = System.nanoTime();
            Result r = cli(Map.of(), "--db", shortWait, "pause", held.id().toString());
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(30));
            assertThat(r.code).as(r.err).isEqualTo(6);
            assertThat(r.err.lines()).hasSize(1);
            assertThat(r.err).startsWith("sessions: ").contains("waited more than 1 s for a lock on session " + held.id())
                    .contains("(lock_timeout)").doesNotContain("lockTimeout");
            peer.rollback();
        }
        Result shown = cli(Map.of(), "--db", shortWait, "show", held.id().toString(), "--json");
        assertThat(shown.out).as("nothing was changed").contains("\"ACTIVE\"");
        Result paused = cli(Map.of(), "--db", shortWait, "pause", held.id().toString());
        assertThat(paused.code).as("the lock released, the same command succeeds: " + paused.err).isZero();
    }

    private record Result(int code, String out, String err) {
    }

    private static Result cli(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SessionsCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, SessionStore::openSqlite);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static boolean answers(String url) {
        try (java.sql.Connection ignored = java.sql.DriverManager.getConnection(url + "&connectTimeout=3")) {
            return true;
        } catch (java.sql.SQLException e) {
            return false;
        }
    }
}
