package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.adapters.postgres.PostgresSettings;
import io.claudesignal.sessions.adapters.sqlite.SqliteSettings;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.bootstrap.SessionStore;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A daemon's store in this JVM and the CLI run in a JVM of its own on the same database, as
 * {@link CrossProcessFeedTest} and {@link ApprovalsAcrossProcessesTest} use them.
 */
final class CrossProcess {

    /** The only time these tests assert: a generous ceiling. */
    static final Duration CEILING = Duration.ofSeconds(30);
    private static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    /** What runs with the daemon's store open; {@code dbOption} makes the CLI open the same database. */
    @FunctionalInterface
    interface WithDaemon {
        void run(SessionStore daemon, String... dbOption) throws Exception;
    }

    private CrossProcess() {
    }

    static void onSqlite(Path dir, WithDaemon test) throws Exception {
        Path db = dir.resolve("sessions.db");
        try (SessionStore daemon = SessionStore.openSqlite(db, SqliteSettings.defaults(), SessionsConfig.daemon())) {
            test.run(daemon, "--db", db.toString());
        }
    }

    /**
     * In a schema of its own, dropped afterwards. Without a server the test is skipped (saying that
     * {@code untested} is not tested), except under CI=true, where it fails.
     */
    static void onPostgres(String schemaPrefix, String untested, WithDaemon test) throws Exception {
        String url = postgresUrl(untested);
        String schema = schemaPrefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String withSchema = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        try {
            try (SessionStore daemon = SessionStore.openPostgres(withSchema,
                    PostgresSettings.defaults().withSchema(schema), SessionsConfig.daemon())) {
                test.run(daemon, "--db", withSchema);
            }
        } finally {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    /** Runs {@code sessions ARGS} in a new JVM with {@code dir} as its home; its exit code (its output printed if not 0). */
    static int runCli(Path dir, List<String> args) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path out = dir.resolve("cli.out");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home,
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                SessionsCli.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().remove("SESSIONS_DB");
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the CLI did not finish in 60 s");
        }
        if (process.exitValue() != 0) {
            System.out.println(Files.readString(out, StandardCharsets.UTF_8));
        }
        return process.exitValue();
    }

    private static String postgresUrl(String untested) {
        String url = System.getenv("SESSIONS_TEST_POSTGRES_URL");
        if (url == null || url.isBlank()) {
            url = LOCAL_URL;
        }
        try (Connection c = DriverManager.getConnection(url)) {
            return url;
        } catch (Exception e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI=true and no PostgreSQL server answers at " + url, e);
            }
            Assumptions.abort("no PostgreSQL server answers at " + url + ": " + untested + " is not tested");
            return url;
        }
    }
}
