package io.claudesignal.sessions.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.port.in.Maintenance;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.service.MaintenanceService;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.tck.TestClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Purge, backup and export against other processes on the same file: a purge racing a writing daemon,
 * two purges at once, a backup taken while another process writes, an export of 10,000 sessions in a
 * JVM with a heap far smaller than the export.
 */
class OperationsProcessTest {

    @TempDir
    Path dir;

    /** A started worker and everything it printed. */
    private record Worker(Process process, BufferedReader output, StringBuilder lines) {

        static Worker start(List<String> jvmOptions, String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of(MultiProcessTest.javaBinary()));
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), OpsWorker.class.getName()));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Worker worker = new Worker(process,
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)),
                    new StringBuilder());
            for (String line; (line = worker.output.readLine()) != null && !line.equals("READY"); ) {
                worker.lines.append(line).append('\n');
            }
            return worker;
        }

        void go() throws Exception {
            process.getOutputStream().write('\n');
            process.getOutputStream().flush();
        }

        String finish() throws Exception {
            for (String line; (line = output.readLine()) != null; ) {
                lines.append(line).append('\n');
            }
            assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("worker finished").isTrue();
            assertThat(process.exitValue()).as(lines.toString()).isZero();
            return lines.toString();
        }
    }

    private static Maintenance maintenance(SqliteStorage storage) {
        return new MaintenanceService(storage.diagnostics(), storage.operations(), storage.persistence(), new ContextJson());
    }

    private static SessionService sessions(SqliteStorage storage, TestClock clock) {
        return new SessionService(storage.persistence(), clock, SessionIdGenerator.random(), new ContextJson());
    }

    /** Old TERMINATED sessions (with a transcript each) from a clock a year back. */
    private static List<SessionId> oldTerminated(SessionService sessions, int n) {
        List<SessionId> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Session s = sessions.activate(sessions.create("/srv/old", "t" + i).id());
            sessions.transcripts().append(s.id(), "{\"old\":" + i + "}");
            ids.add(sessions.terminate(s.id()).id());
        }
        return ids;
    }

    @Test
    void aPurgeRacingAWritingDaemonInAnotherProcessTakesOnlyWhatItShould() throws Exception {
        Path db = dir.resolve("race.db");
        TestClock yearAgo = new TestClock(Instant.now().minus(Duration.ofDays(365)), 1_000);
        List<SessionId> old;
        SessionId pinned;
        SessionId active;
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            SessionService sessions = sessions(storage, yearAgo);
            old = oldTerminated(sessions, 300);
            pinned = sessions.terminate(sessions.create("/srv/keep", "pinned").id()).id();
            maintenance(storage).pin(pinned);
            active = sessions.activate(sessions.create("/srv/keep", "active").id()).id();
        }
        Worker daemon = Worker.start(List.of(), "write", db.toString(), "200");
        Instant cutoff = Instant.now().minus(Duration.ofDays(30));
        long purged;
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            daemon.go();
            purged = maintenance(storage).purge(new io.claudesignal.sessions.application.port.in.PurgeRequest(cutoff)).purged();
        }
        String written = daemon.finish();
        assertThat(purged).isEqualTo(old.size());
        List<String> daemonIds = written.lines().filter(l -> l.startsWith("wrote ")).map(l -> l.substring(6)).toList();
        assertThat(daemonIds).hasSize(200);
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            SessionService sessions = sessions(storage, yearAgo);
            assertThat(old).allSatisfy(id -> assertThat(sessions.find(id)).isEmpty());
            assertThat(sessions.find(pinned)).isPresent();
            assertThat(sessions.find(active)).isPresent();
            // The daemon's sessions are TERMINATED too, but younger than the cut-off: all kept, whole.
            for (String id : daemonIds) {
                assertThat(sessions.transcripts().count(SessionId.parse(id))).isEqualTo(1);
            }
            assertThat(storage.diagnostics().run()).allSatisfy(c -> assertThat(c.ok()).as(c.toString()).isTrue());
            assertThat(maintenance(storage).sizes().sessions()).isEqualTo(202);
        }
    }

    @Test
    void twoPurgesInTwoProcessesCountEverySessionOnce() throws Exception {
        Path db = dir.resolve("two.db");
        int n = 400;
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            oldTerminated(sessions(storage, new TestClock(Instant.now().minus(Duration.ofDays(90)), 1_000)), n);
        }
        String cutoff = Instant.now().minus(Duration.ofDays(1)).toString();
        Worker first = Worker.start(List.of(), "purge", db.toString(), cutoff);
        Worker second = Worker.start(List.of(), "purge", db.toString(), cutoff);
        first.go();
        second.go();
        long total = 0;
        for (Worker w : List.of(first, second)) {
            total += w.finish().lines().filter(l -> l.startsWith("purged ")).mapToLong(l -> Long.parseLong(l.substring(7)))
                    .sum();
        }
        assertThat(total).isEqualTo(n);
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            assertThat(maintenance(storage).sizes().sessions()).isZero();
            assertThat(maintenance(storage).sizes().transcriptItems()).isZero();
        }
    }

    @Test
    void aBackupTakenWhileAnotherProcessWritesOpensAndPassesItsChecks() throws Exception {
        Path db = dir.resolve("live.db");
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            oldTerminated(sessions(storage, new TestClock()), 50);
        }
        Worker daemon = Worker.start(List.of(), "write", db.toString(), "400");
        Path backup = dir.resolve("copy.db");
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            daemon.go();
            // Wait until the daemon is writing, so that the copy is taken in the middle of it.
            for (String line; (line = daemon.output().readLine()) != null; ) {
                daemon.lines().append(line).append('\n');
                if (line.startsWith("wrote ")) {
                    break;
                }
            }
            maintenance(storage).backup(backup);
            assertThatThrownBy(() -> maintenance(storage).backup(backup)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("exists already");
        }
        daemon.finish();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup))).isEqualTo("rw-------");
        try (SqliteStorage copy = SqliteStorage.open(backup)) {
            assertThat(copy.diagnostics().run()).allSatisfy(c -> assertThat(c.ok()).as(c.toString()).isTrue());
            SessionService sessions = sessions(copy, new TestClock());
            long count = maintenance(copy).sizes().sessions();
            assertThat(count).isBetween(51L, 450L);
            // One snapshot: every daemon session in the copy is whole (a session and its transcript
            // are written in separate transactions, so a copy may hold a session before its item,
            // never an item without its session).
            for (var s : sessions.list(SessionQuery.all().withLimit(500)).sessions()) {
                assertThat(sessions.transcripts().count(s.id())).isBetween(0L, 1L);
            }
        }
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
                .as("no scratch file left").noneMatch(name -> name.startsWith(".copy.db"));
    }

    @Test
    void aBackupNeverOverwritesAFileAndNeedsItsDirectory() throws Exception {
        Path db = dir.resolve("s.db");
        Path existing = Files.writeString(dir.resolve("existing.db"), "keep me");
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            assertThatThrownBy(() -> maintenance(storage).backup(existing)).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> maintenance(storage).backup(dir.resolve("no/such/dir/x.db")))
                    .isInstanceOf(InvalidInputException.class);
        }
        assertThat(Files.readString(existing)).isEqualTo("keep me");
    }

    @Test
    void anExportOf10000SessionsRunsInAHeapSmallerThanTheExport() throws Exception {
        Path db = dir.resolve("big.db");
        int sessions = 10_000;
        int itemsEach = 5;
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            sessions(storage, new TestClock()).create("/srv/first", "t");
        }
        fill(db, sessions - 1, itemsEach);
        Path out = dir.resolve("export.jsonl");
        Worker exporter = Worker.start(List.of("-Xmx48m", "-XX:TieredStopAtLevel=1"), "export", db.toString(), out.toString());
        exporter.go();
        String printed = exporter.finish();
        assertThat(printed).contains("exported " + sessions + " items " + (long) (sessions - 1) * itemsEach);
        long bytes = Files.size(out);
        assertThat(bytes).as("the export is larger than the child's whole heap").isGreaterThan(60L * 1024 * 1024);
        try (var lines = Files.lines(out)) {
            assertThat(lines.count()).isEqualTo(sessions);
        }
    }

    /**
     * Sessions with a 2 KiB context and items of 1.2 KiB, written with plain SQL in one transaction: a
     * quick way to a big store (the API would take one transaction per session).
     */
    private static void fill(Path db, int sessions, int itemsEach) throws Exception {
        String context = "{\"notes\":\"" + "c".repeat(2048) + "\"}";
        String item = "{\"role\":\"assistant\",\"content\":\"" + "i".repeat(1200) + "\"}";
        String at = "2026-01-01T00:00:00.000000Z";
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.setAutoCommit(false);
            try (PreparedStatement session = c.prepareStatement("INSERT INTO sessions (id, project_path, thread_id, "
                    + "status, created_at, updated_at, version, context) VALUES (?, '/srv/big', ?, 'TERMINATED', ?, ?, 1, ?)");
                    PreparedStatement transcript = c.prepareStatement(
                            "INSERT INTO transcripts (session_id, last_seq) VALUES (?, ?)");
                    PreparedStatement items = c.prepareStatement("INSERT INTO transcript_items (session_id, seq, "
                            + "item_key, appended_at, item) VALUES (?, ?, NULL, ?, ?)")) {
                for (int i = 0; i < sessions; i++) {
                    String id = SessionId.random().toString();
                    session.setString(1, id);
                    session.setString(2, "t" + i);
                    session.setString(3, at);
                    session.setString(4, at);
                    session.setString(5, context);
                    session.executeUpdate();
                    transcript.setString(1, id);
                    transcript.setLong(2, itemsEach);
                    transcript.executeUpdate();
                    for (int seq = 1; seq <= itemsEach; seq++) {
                        items.setString(1, id);
                        items.setLong(2, seq);
                        items.setString(3, at);
                        items.setString(4, item);
                        items.executeUpdate();
                    }
                }
            }
            c.commit();
        }
    }
}
