package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.adapters.postgres.PostgresSettings;
import io.claudesignal.sessions.adapters.sqlite.SqliteSettings;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionStatus;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The change feed across processes, as issue 15 asks: a daemon runs a session in this JVM, the person
 * runs {@code sessions pause ID} in a JVM of its own, and the daemon's listener hears it, with the
 * CLI as actor, and forgets its lease. The delay (from the CLI's commit timestamp to the listener) is
 * measured and printed; the only assertion on it is a generous ceiling.
 */
class CrossProcessFeedTest {

    private static final Duration CEILING = Duration.ofSeconds(30);
    private static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    @TempDir
    Path dir;

    @Test
    void aDaemonOnSqliteHearsTheCliPauseItsSession() throws Exception {
        Path db = dir.resolve("sessions.db");
        try (SessionStore daemon = SessionStore.openSqlite(db, SqliteSettings.defaults(), SessionsConfig.daemon())) {
            hearsThePause("sqlite", daemon, "--db", db.toString());
        }
    }

    @Test
    void aDaemonOnPostgresHearsTheCliPauseItsSession() throws Exception {
        String url = postgresUrl();
        String schema = "feed_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String withSchema = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        try {
            try (SessionStore daemon = SessionStore.openPostgres(withSchema, PostgresSettings.defaults().withSchema(schema),
                    SessionsConfig.daemon())) {
                hearsThePause("postgres", daemon, "--db", withSchema);
            }
        } finally {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private void hearsThePause(String adapter, SessionStore daemon, String... dbOption) throws Exception {
        Session s = daemon.sessions().activate(daemon.sessions().create("/home/ana/code/webapp", "+15551234567").id());
        daemon.leases().claim(s.id());
        BlockingQueue<SessionEvent> heard = new LinkedBlockingQueue<>();
        List<Instant> heardAt = new ArrayList<>();
        daemon.sessions().subscribe(event -> {
            synchronized (heardAt) {
                heardAt.add(Instant.now());
            }
            heard.add(event);
        });

        List<String> args = new ArrayList<>(List.of(dbOption));
        args.addAll(List.of("pause", s.id().toString()));
        assertThat(runCli(args)).as("the CLI's exit code").isZero();

        SessionEvent first = heard.poll(CEILING.toSeconds(), TimeUnit.SECONDS);
        assertThat(first).as("heard within " + CEILING).isInstanceOf(SessionEvent.Transitioned.class);
        SessionEvent.Transitioned paused = (SessionEvent.Transitioned) first;
        assertThat(paused.transition().to()).isEqualTo(SessionStatus.PAUSED);
        assertThat(paused.transition().actor()).isEqualTo(Actor.CLI);
        Duration delay;
        synchronized (heardAt) {
            delay = Duration.between(paused.transition().at(), heardAt.get(0));
        }
        System.out.printf("change feed (%s): the CLI's pause was heard %d ms after its commit timestamp%n",
                adapter, delay.toMillis());
        assertThat(delay).isLessThan(CEILING);
        assertThat(heard.poll(CEILING.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(SessionEvent.LeaseLost.class);
        assertThat(daemon.leases().held(s.id())).isEmpty();
    }

    private int runCli(List<String> args) throws Exception {
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

    private static String postgresUrl() {
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
            Assumptions.abort("no PostgreSQL server answers at " + url + ": the feed on PostgreSQL is not tested");
            return url;
        }
    }
}
