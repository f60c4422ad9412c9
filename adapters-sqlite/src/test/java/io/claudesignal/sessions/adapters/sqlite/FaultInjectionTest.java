package io.claudesignal.sessions.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Items 3, 4 and 5 of the reliability suite: a child JVM writing through {@code Sessions} while the
 * disk fills up (a small tmpfs in a private mount namespace), while the disk fails (strace injecting
 * EIO into writes and into fdatasync of the -wal file), and under a file-size limit ({@code ulimit -f}).
 * Each ends in a typed {@link io.claudesignal.sessions.domain.StorageException}, never in a lost
 * acknowledged write or a damaged file. Where strace or user namespaces are missing the tests skip,
 * saying why ({@code .ci/run} installs strace).
 */
class FaultInjectionTest {

    @TempDir
    Path dir;

    // ---- 3. disk full ----

    @Test
    void aFullDiskIsAStorageFullErrorAndWritesResumeOnceSpaceIsFreed() throws Exception {
        assumeTrue(works("unshare", "-Urm", "true"), "user and mount namespaces are unavailable here (unshare -Urm failed)");
        Path mount = Files.createDirectory(dir.resolve("small-disk"));
        Path db = mount.resolve("sessions.db");
        List<String> command = Child.wrapped(List.of("unshare", "-Urm", "sh", "-c",
                        "mount -t tmpfs -o size=2m,mode=0700 tmpfs \"$0\" && exec \"$@\"", mount.toString()),
                Child.javaCommand(db, 1000, 3, "commands"));
        Ledger ledger = new Ledger();
        try (Child child = Child.start(command, dir.resolve("stderr"))) {
            assertThat(child.awaitReady()).as(child.describe()).isEqualTo("READY");
            // The file lives in the child's mount namespace: the parent sees it through /proc.
            Path seen = Path.of("/proc", Long.toString(child.process.pid()), "root").resolve(db.toString().substring(1));
            List<String> before = child.command("writes 30");
            ledger.acceptAll(before);
            assertThat(acks(before)).as(child.describe()).isEqualTo(30);

            assertThat(child.command("fill " + mount.resolve("filler"))).anyMatch(l -> l.startsWith("OK filled"));
            List<String> full = child.command("writes 200");
            ledger.acceptAll(full);
            assertThat(errors(full)).as(child.describe()).hasSize(1)
                    .allMatch(e -> e.startsWith("ERR FULL ") && e.contains(db.toString()) && e.contains("full"));

            assertThat(child.command("free " + mount.resolve("filler"))).contains("OK freed");
            List<String> after = child.command("writes 20");
            ledger.acceptAll(after);
            assertThat(acks(after)).as("writes work again without a restart: " + child.describe()).isEqualTo(20);

            // The parent cannot open the file through /proc/<pid>/root (SQLite resolves the link to the
            // path in the parent's namespace): close the store, which checkpoints the -wal into the
            // file, and look at a copy.
            assertThat(child.command("close")).contains("OK closed");
            Files.copy(seen, dir.resolve("copy.db"));
            assertThat(child.command("quit")).contains("BYE");
        }
        assertThat(ledger.verify(dir.resolve("copy.db"), Map.of())).isEmpty();
    }

    // ---- 4. I/O errors ----

    @Test
    void anIoErrorWritingTheWalFailsThatWriteOnlyAndTheStoreRefusesWritesUntilReopened() throws Exception {
        // A failed write of the -wal: the commit frame was not written, so the write is known to be lost.
        ioErrorScenario("pwrite64", "trace=pwrite64", "inject=pwrite64:error=EIO:when=150", "ERR IO ", "I/O error");
    }

    @Test
    void aFailedFsyncFailsThatWriteOnlyAndTheStoreRefusesWritesUntilReopened() throws Exception {
        // A failed sync comes after the commit frame was written: the write may or may not be in the file.
        ioErrorScenario("fdatasync", "trace=fdatasync,fsync", "inject=fdatasync,fsync:error=EIO:when=60",
                "ERR COMMIT_UNKNOWN ", "may or may not have been written");
    }

    /**
     * strace counts calls per thread, and each store has its own writer thread: the injection must
     * come late enough in the first store's writes that the reopened store's ten writes, on a fresh
     * thread, never reach it.
     */
    private void ioErrorScenario(String what, String trace, String inject, String errorPrefix, String errorText)
            throws Exception {
        assumeTrue(works("strace", "-V"), "strace is not installed (.ci/run installs it): skipping EIO injection");
        Path db = dir.resolve("sessions.db");
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            assertThat(storage.file()).isEqualTo(db);
        }
        Map<String, Long> earlier = Ledger.versions(db);
        List<String> command = Child.wrapped(List.of("strace", "-f", "--seccomp-bpf", "-qq", "-o", "/dev/null",
                "-e", trace, "-e", inject, "-P", db + "-wal"), Child.javaCommand(db, 1000, 4, "commands"));
        Ledger ledger = new Ledger();
        try (Child child = Child.start(command, dir.resolve("stderr"))) {
            assertThat(child.awaitReady()).as(child.describe()).isEqualTo("READY");
            List<String> failing = child.command("writes 400");
            ledger.acceptAll(failing);
            assertThat(acks(failing)).as("writes before the injected " + what + " error succeed").isPositive();
            assertThat(errors(failing)).as(child.describe()).hasSize(1)
                    .allMatch(e -> e.startsWith(errorPrefix) && e.contains(db.toString()) && e.contains(errorText));

            List<String> refused = child.command("writes 3");
            ledger.acceptAll(refused);
            assertThat(refused).as("after an I/O error the store refuses writes").filteredOn(l -> l.startsWith("ACK")).isEmpty();
            assertThat(errors(refused)).hasSize(1).allMatch(e -> e.startsWith("ERR IO ") && e.contains("refuses writes until it is reopened"));

            assertThat(child.command("reopen")).contains("OK reopened");
            List<String> after = child.command("writes 10");
            ledger.acceptAll(after);
            assertThat(acks(after)).as("writes work after reopening: " + child.describe()).isEqualTo(10);
            assertThat(child.command("quit")).contains("BYE");
            child.drain();
        }
        assertThat(ledger.verify(db, earlier)).isEmpty();
    }

    // ---- 5. file-size limit ----

    @Test
    void theFileSizeLimitIsAStorageFullErrorLosingNothing() throws Exception {
        assumeTrue(works("sh", "-c", "ulimit -f 4096"), "no ulimit -f in sh here");
        Path db = dir.resolve("sessions.db");
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            assertThat(storage.file()).isEqualTo(db);
        }
        // 4096 blocks of 512 bytes: 2 MiB, room for the JVM's own files (sqlite-jdbc unpacks its 1 MiB
        // library); SIGXFSZ ignored, so the write past the limit fails instead of killing the process.
        // No checkpoint before the limit: the -wal file grows until it meets it.
        List<String> command = Child.wrapped(List.of("sh", "-c", "trap '' XFSZ; ulimit -f 4096; exec \"$@\"", "sh"),
                Child.javaCommand(db, 100_000, 5, "commands", 8000));
        Ledger ledger = new Ledger();
        try (Child child = Child.start(command, dir.resolve("stderr"))) {
            assertThat(child.awaitReady()).as(child.describe()).isEqualTo("READY");
            List<String> lines = child.command("writes 3000");
            ledger.acceptAll(lines);
            assertThat(acks(lines)).isPositive();
            assertThat(errors(lines)).as(child.describe()).hasSize(1)
                    .allMatch(e -> e.startsWith("ERR FULL ") && e.contains(db.toString()) && e.contains("file-size limit"));
            assertThat(child.command("quit")).contains("BYE");
        }
        assertThat(ledger.verify(db, Map.of())).isEmpty();
    }

    // ---- helpers ----

    private static long acks(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("ACK ")).count();
    }

    private static List<String> errors(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("ERR ")).toList();
    }

    /** Whether a command can run here (to skip, with a reason, where a tool is missing). */
    static boolean works(String... command) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
