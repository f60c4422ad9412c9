package io.claudesignal.sessions.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 4 of issue 13: an upgrade of a reference (Python) database, killed with SIGKILL at random
 * moments, in a child JVM ({@link OpenWorker}). After each kill: whatever carries a backup's name is a
 * whole backup; the next open upgrades the file, losing nothing, and removes what the killed upgrade
 * left; the directory then holds the database and whole backups only. The kill moments are spread over
 * the time an upgrade takes on this machine, measured first. Rounds: {@code -DupgradeKill.rounds} (20).
 */
class UpgradeKillTest {

    private static final int ROWS = 1000;
    private static final Pattern ALLOWED_AFTER_KILL = Pattern.compile(
            "sessions\\.db(-wal|-shm|-journal)?|sessions\\.db\\.pre-upgrade-[0-9T.Z-]+\\.bak"
                    + "|\\.sessions\\.db\\.(upgrade-trial|backup|new)-(\\d+-)?[0-9a-f-]{36}(-wal|-shm|-journal)?");
    private static final Pattern ALLOWED_AFTER_OPEN = Pattern.compile(
            "sessions\\.db(-wal|-shm)?|sessions\\.db\\.pre-upgrade-[0-9T.Z-]+\\.bak");

    @TempDir
    Path dir;

    @Test
    void anUpgradeKilledAtAnyMomentLosesNothingAndLeavesNothingBehind() throws Exception {
        int rounds = Integer.getInteger("upgradeKill.rounds", 20);
        long seed = Long.getLong("upgradeKill.seed", System.nanoTime());
        Random random = new Random(seed);
        Path reference = dir.resolve("reference.db");
        List<ReferenceDatabase.Row> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(new ReferenceDatabase.Row(UUID.randomUUID().toString(), "/home/ana/p" + i, "+1555" + i, "PAUSED",
                    "{\"note\":\"" + "x".repeat(900 + random.nextInt(200)) + "\"}", "2026-01-26T01:58:12Z",
                    "2026-01-26T01:58:12Z"));
        }
        ReferenceDatabase.write(reference, rows.toArray(ReferenceDatabase.Row[]::new));
        Set<String> ids = rows.stream().map(ReferenceDatabase.Row::id).collect(Collectors.toCollection(TreeSet::new));

        long upgradeMillis = timeOneUpgrade(reference);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int round = 0; round < rounds; round++) {
            Path roundDir = Files.createDirectory(dir.resolve("round-" + round),
                    PosixFilePermissions.asFileAttribute(StoreFiles.OWNER_ONLY_DIR));
            Path db = roundDir.resolve("sessions.db");
            Files.copy(reference, db);
            long delay = (long) (random.nextDouble() * upgradeMillis * 1.2);
            String where = "round " + round + " (seed " + seed + ", kill " + delay + " ms into an upgrade of about "
                    + upgradeMillis + " ms)";
            killDuringOpen(db, delay);
            List<String> afterKill = names(roundDir);
            assertThat(afterKill).as(where + ": after the kill").allMatch(n -> ALLOWED_AFTER_KILL.matcher(n).matches());
            int backupsAfterKill = 0;
            for (String name : afterKill) {
                if (name.endsWith(".bak")) {
                    assertWholeBackup(roundDir.resolve(name), ids, where);
                    backupsAfterKill++;
                }
            }
            outcomes.merge(outcome(db, backupsAfterKill), 1, Integer::sum);

            try (SqliteStorage storage = SqliteStorage.open(db)) {
                assertThat(storage.diagnostics().run()).as(where)
                        .allSatisfy(c -> assertThat(c.ok()).as(where + ": " + c).isTrue());
            }
            assertThat(ids(db)).as(where + ": the sessions after the next open").isEqualTo(ids);
            List<String> afterOpen = names(roundDir);
            assertThat(afterOpen).as(where + ": after the next open")
                    .allMatch(n -> ALLOWED_AFTER_OPEN.matcher(n).matches())
                    .anyMatch(n -> n.endsWith(".bak"));
            for (String name : afterOpen) {
                if (name.endsWith(".bak")) {
                    assertWholeBackup(roundDir.resolve(name), ids, where);
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(roundDir.resolve(name))))
                            .as(where + ": mode of " + name).isEqualTo("rw-------");
                }
            }
        }
        System.out.println("upgrade kill rounds: " + rounds + ", seed " + seed + ", upgrade ~" + upgradeMillis
                + " ms, state found after the kill: " + outcomes);
    }

    /** Where the kill caught the upgrade, judged by what it left. */
    private static String outcome(Path db, int backups) throws Exception {
        if (backups == 0) {
            return "before the backup";
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db + "?open_mode=1");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            rs.next();
            return rs.getInt(1) == SchemaGuard.SCHEMA_VERSION ? "upgraded" : "backup made, not yet upgraded";
        }
    }

    private long timeOneUpgrade(Path reference) throws Exception {
        Path timing = Files.createDirectory(dir.resolve("timing"));
        Path db = timing.resolve("sessions.db");
        Files.copy(reference, db);
        Process child = start(db);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            await(out, "START", child);
            long started = System.nanoTime();
            String opened = await(out, "OPENED", child);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            child.getOutputStream().close();
            assertThat(child.waitFor(2, TimeUnit.MINUTES)).as("the timing child ends: " + opened).isTrue();
            return Math.max(millis, 20);
        } finally {
            child.toHandle().destroyForcibly();
        }
    }

    private void killDuringOpen(Path db, long delayMillis) throws Exception {
        Process child = start(db);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            await(out, "START", child);
            Thread.sleep(delayMillis);
        } finally {
            // Through the handle: Process.destroyForcibly() also closes our ends of its pipes (see Child).
            child.toHandle().destroyForcibly();
            assertThat(child.waitFor(2, TimeUnit.MINUTES)).as("the killed child ends").isTrue();
        }
    }

    private Process start(Path db) throws Exception {
        return new ProcessBuilder(MultiProcessTest.javaBinary(), "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                "-cp", System.getProperty("java.class.path"), OpenWorker.class.getName(), db.toString())
                .redirectError(dir.resolve("child-stderr.txt").toFile()).start();
    }

    private String await(BufferedReader out, String prefix, Process child) throws Exception {
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith(prefix)) {
                return line;
            }
            if (line.startsWith("ERR")) {
                throw new AssertionError("the child failed: " + line);
            }
        }
        throw new AssertionError("the child ended before " + prefix + ": "
                + Files.readString(dir.resolve("child-stderr.txt")));
    }

    private static void assertWholeBackup(Path backup, Set<String> ids, String where) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + backup + "?open_mode=1");
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                assertThat(rs.next() ? rs.getString(1) : "nothing").as(where + ": integrity of " + backup).isEqualTo("ok");
            }
        }
        assertThat(ids(backup)).as(where + ": the sessions in " + backup).isEqualTo(ids);
    }

    private static Set<String> ids(Path db) throws Exception {
        Set<String> found = new TreeSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db + "?open_mode=1");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT lower(id) FROM sessions")) {
            while (rs.next()) {
                found.add(rs.getString(1));
            }
        }
        return found;
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
