package io.claudesignal.sessions.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 1 of the reliability suite: a child JVM writes through {@code Sessions} and acknowledges each
 * write after it returned; it is killed with SIGKILL at a random moment (50-400 ms after its first
 * acknowledgement); the database must then open,
 * pass {@code PRAGMA integrity_check}, and hold every acknowledged write with its value. Rounds
 * alternate between SQLite's default checkpoint and a 2-page {@code wal_autocheckpoint}, so that kills
 * also land inside checkpoints. {@code -Dreliability.rounds=N} (default 20), {@code -Dreliability.seed=S}.
 */
class KillNineTest {

    @TempDir
    Path dir;

    @Test
    void killedMidWriteLosesNoAcknowledgedWriteAndStaysIntact() throws Exception {
        int rounds = Integer.getInteger("reliability.rounds", 20);
        long seed = Long.getLong("reliability.seed", System.nanoTime());
        System.out.println("kill -9: seed " + seed + " (-Dreliability.seed=" + seed + " repeats it), " + rounds + " rounds");
        Random random = new Random(seed);
        Path db = dir.resolve("kill.db");
        int acknowledged = 0;
        int passed = 0;
        List<String> failures = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            int checkpoint = round % 2 == 0 ? 2 : 1000;
            Map<String, Long> before = java.nio.file.Files.exists(db) ? Ledger.versions(db) : Map.of();
            Ledger ledger = new Ledger();
            long delay = 50 + random.nextInt(351);
            try (Child child = Child.start(Child.javaCommand(db, checkpoint, random.nextLong(), "burst"),
                    dir.resolve("stderr-" + round))) {
                assertThat(child.awaitReady()).as(child.describe()).isEqualTo("READY");
                // From its first acknowledged write on, so that the kill lands in the stream of writes
                // and not in a JVM still warming up.
                child.awaitLine("ACK ");
                Thread.sleep(delay);
                child.kill();
                ledger.acceptAll(child.all);
            }
            // The application must open it again, as the daemon would after the crash.
            try (SqliteStorage reopened = SqliteStorage.open(db)) {
                assertThat(reopened.repository()).isNotNull();
            }
            List<String> problems = ledger.verify(db, before);
            acknowledged += ledger.acknowledged();
            if (problems.isEmpty()) {
                passed++;
            } else {
                failures.add("round " + round + " (checkpoint " + checkpoint + ", killed after " + delay + " ms): " + problems);
            }
        }
        System.out.println("kill -9: " + passed + "/" + rounds + " rounds passed, " + acknowledged
                + " acknowledged writes checked, " + (rounds - passed) + " rounds with a lost write or damage; seed " + seed);
        assertThat(failures).as("seed " + seed).isEmpty();
        assertThat(acknowledged).as("the children acknowledged writes before they were killed").isGreaterThan(rounds);
    }
}
