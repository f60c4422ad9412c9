package io.claudesignal.sessions.adapters.sqlite;

import static io.claudesignal.sessions.adapters.sqlite.SqliteStorageTest.listing;
import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.port.out.HealthCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 4 of issue 13: the pre-upgrade backup. Its name never collides with another's, what a killed
 * upgrade left is removed at the next open, and {@code check} verifies the newest backup instead of
 * trusting it. {@link UpgradeKillTest} kills upgrades at random moments.
 */
class UpgradeTest {

    static final ReferenceDatabase.Row ROW = new ReferenceDatabase.Row("4c59adf8-6832-4cfa-92f4-4ee146654006",
            "/home/ana/p", "+15551234567", "ACTIVE", "{\"a\":1}", "2026-01-26T01:58:12Z", "2026-01-26T01:58:12Z");

    @TempDir
    Path dir;

    @Test
    void upgradesInTheSameSecondWriteBackupsUnderDifferentNames() throws Exception {
        Path file = dir.resolve("sessions.db");
        for (int round = 0; round < 3; round++) {
            Files.deleteIfExists(file);
            ReferenceDatabase.write(file, ROW);
            SqliteStorage.open(file).close();
        }
        assertThat(backups()).hasSize(3);
        try (SqliteStorage storage = SqliteStorage.open(file)) {
            assertThat(storage.diagnostics().run()).allSatisfy(c -> assertThat(c.ok()).as(c.toString()).isTrue());
        }
    }

    @Test
    void whatAKilledUpgradeLeftIsRemovedAtTheNextOpen() throws Exception {
        Path file = dir.resolve("sessions.db");
        SqliteStorage.open(file).close();
        long dead = deadPid();
        // A trial copy and an unfinished backup of a process that is gone, a scratch database with its
        // journal, and the pid-less trial copy an earlier version left, an hour old.
        List<Path> leftovers = List.of(
                dir.resolve(".sessions.db.upgrade-trial-" + dead + "-" + UUID.randomUUID()),
                dir.resolve(".sessions.db.backup-" + dead + "-" + UUID.randomUUID()),
                dir.resolve(".sessions.db.new-" + dead + "-" + UUID.randomUUID()),
                dir.resolve(".sessions.db.upgrade-trial-" + UUID.randomUUID()));
        for (Path p : leftovers) {
            Files.write(p, new byte[4096]);
        }
        Files.write(Path.of(leftovers.get(2) + "-journal"), new byte[512]);
        Files.setLastModifiedTime(leftovers.get(3), FileTime.from(Instant.now().minus(2, ChronoUnit.HOURS)));
        // Kept: the scratch of a process that is alive (this one), and a fresh pid-less one.
        Path live = dir.resolve(".sessions.db.new-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
        Path recent = dir.resolve(".sessions.db.upgrade-trial-" + UUID.randomUUID());
        Path unrelated = dir.resolve(".other.db.upgrade-trial-" + dead + "-" + UUID.randomUUID());
        for (Path p : List.of(live, recent, unrelated)) {
            Files.write(p, new byte[16]);
        }
        SqliteStorage.open(file).close();
        assertThat(listing(dir)).filteredOn(n -> !n.endsWith("-wal") && !n.endsWith("-shm")).containsExactlyInAnyOrder(
                "sessions.db", live.getFileName().toString(), recent.getFileName().toString(),
                unrelated.getFileName().toString());
    }

    @Test
    void checkVerifiesTheNewestBackupAndSaysWhenItIsDamaged() throws Exception {
        Path file = dir.resolve("sessions.db");
        ReferenceDatabase.write(file, ROW);
        SqliteStorage.open(file).close();
        Path backup = backups().get(0);
        try (SqliteStorage storage = SqliteStorage.open(file)) {
            HealthCheck check = backupCheck(storage);
            assertThat(check.ok()).as(check.toString()).isTrue();
            assertThat(check.detail()).contains(backup.getFileName().toString()).contains("1 sessions");
        }
        // As a kill in the middle of writing it left backups before: cut in half.
        byte[] bytes = Files.readAllBytes(backup);
        Files.write(backup, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        try (SqliteStorage storage = SqliteStorage.open(file)) {
            HealthCheck check = backupCheck(storage);
            assertThat(check.ok()).as(check.toString()).isFalse();
            assertThat(check.detail()).contains(backup.toString());
        }
    }

    private static HealthCheck backupCheck(SqliteStorage storage) {
        return storage.diagnostics().run().stream().filter(c -> c.name().equals("backup")).findFirst()
                .orElseThrow(() -> new AssertionError("check does not look at the backup"));
    }

    private List<Path> backups() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("sessions.db.pre-upgrade-"))
                    .sorted().collect(Collectors.toList());
        }
    }

    /** The pid of a process that has ended. */
    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long pid = p.pid();
        assertThat(ProcessHandle.of(pid)).isEmpty();
        return pid;
    }
}
