package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.adapters.postgres.PostgresSettings;
import io.claudesignal.sessions.adapters.sqlite.SqliteSettings;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.Session;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24's approvals across processes: a daemon in this JVM asks, the person runs
 * {@code sessions approve ID} (a short prefix) in a JVM of its own, and the daemon's listener hears
 * {@code ApprovalDecided} with the CLI as actor, the approval as decided. The only time asserted is a
 * generous ceiling.
 */
class ApprovalsAcrossProcessesTest {

    private static final Duration CEILING = Duration.ofSeconds(30);
    private static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    @TempDir
    Path dir;

    @Test
    void aDaemonOnSqliteHearsTheCliApproveItsRequest() throws Exception {
        Path db = dir.resolve("sessions.db");
        try (SessionStore daemon = SessionStore.openSqlite(db, SqliteSettings.defaults(), SessionsConfig.daemon())) {
            hearsTheDecision(daemon, "--db", db.toString());
        }
    }

    @Test
    void aDaemonOnPostgresHearsTheCliApproveItsRequest() throws Exception {
        String url = postgresUrl();
        String schema = "approvals_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String withSchema = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        try {
            try (SessionStore daemon = SessionStore.openPostgres(withSchema,
                    PostgresSettings.defaults().withSchema(schema), SessionsConfig.daemon())) {
                hearsTheDecision(daemon, "--db", withSchema);
            }
        } finally {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private void hearsTheDecision(SessionStore daemon, String... dbOption) throws Exception {
        Session s = daemon.sessions().activate(daemon.sessions().create("/home/ana/code/webapp", "+15551234567").id());
        daemon.leases().claim(s.id());
        Approval asked = daemon.approvals().request(s.id(), "{\"tool\": \"Bash\", \"input\": {\"command\": \"npm test\"}}",
                "toolu_01");
        BlockingQueue<SessionEvent.ApprovalDecided> heard = new LinkedBlockingQueue<>();
        daemon.sessions().subscribe(event -> {
            if (event instanceof SessionEvent.ApprovalDecided decided) {
                heard.add(decided);
            }
        });

        List<String> args = new ArrayList<>(List.of(dbOption));
        args.addAll(List.of("approve", asked.id().toString().substring(0, 8), "--note", "go ahead"));
        assertThat(runCli(args)).as("the CLI's exit code").isZero();

        SessionEvent.ApprovalDecided decided = heard.poll(CEILING.toSeconds(), TimeUnit.SECONDS);
        assertThat(decided).as("heard within " + CEILING).isNotNull();
        assertThat(decided.actor()).isEqualTo(Actor.CLI);
        assertThat(decided.approval().id()).isEqualTo(asked.id());
        assertThat(decided.approval().state()).isEqualTo(Approval.State.APPROVED);
        assertThat(decided.approval().note()).contains("go ahead");
        assertThat(daemon.approvals().find(asked.id())).contains(decided.approval());
        assertThat(daemon.leases().held(s.id())).as("a decision does not touch the lease").isPresent();
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
            Assumptions.abort("no PostgreSQL server answers at " + url + ": approvals across processes on PostgreSQL"
                    + " are not tested");
            return url;
        }
    }
}
