package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.claudesignal.sessions.bootstrap.SessionStore;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 7 of the reliability suite. The store's directory is 0700 and its files (-wal and -shm too,
 * while it is open) 0600, and another user ({@code setpriv --reuid=65534}) cannot read any of them.
 * A read-only file or directory is a clear storage error (PERMISSION; CLI exit 6, one line), with the
 * file unchanged and nothing left behind. The tests run as root here, who may read and write anything:
 * the read-only cases run the child with CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH dropped, so that the
 * file modes apply to it. Without setpriv (util-linux, which .ci/run installs) they skip, saying so.
 */
class PermissionsTest {

    private static final String NOBODY = "65534";

    @TempDir
    Path dir;
    private final List<Path> restore = new ArrayList<>();

    @BeforeEach
    void needsSetprivAndAWorldTraversableTempDir() throws Exception {
        assumeTrue(run(List.of("setpriv", "--version")).code == 0, "setpriv (util-linux) is not installed: skipping");
        // JUnit makes its directory 0700: open it up, so that only the store's own modes protect it.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void writableAgainForCleanUp() throws Exception {
        for (Path p : restore) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwx------" : "rw-------"));
        }
    }

    @Test
    void anotherUserCannotReadTheDatabaseOrItsCompanionsWhileTheStoreIsOpen() throws Exception {
        Path readable = Files.writeString(dir.resolve("readable.txt"), "anyone may read this");
        Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(asNobody("cat", readable.toString()).code).as("control: nobody reads a 0644 file here").isZero();

        Path db = dir.resolve("store/sessions.db");
        try (SessionStore store = SessionStore.openSqlite(db)) {
            store.sessions().create("/home/ana/private", "+15551234567");
            Path wal = Path.of(db + "-wal");
            Path shm = Path.of(db + "-shm");
            assertThat(mode(db.getParent())).isEqualTo("rwx------");
            for (Path f : List.of(db, wal, shm)) {
                assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
                assertThat(asNobody("cat", f.toString()).code).as("nobody reads " + f).isNotZero();
            }
            // Even with the directory opened up by hand, the files themselves keep others out.
            Files.setPosixFilePermissions(db.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
            for (Path f : List.of(db, wal, shm)) {
                Exit cat = asNobody("cat", f.toString());
                assertThat(cat.code).as("nobody reads " + f).isNotZero();
                assertThat(cat.out).contains("Permission denied");
            }
        }
    }

    @Test
    void aReadOnlyDatabaseFileIsAPermissionErrorAndStaysUnchanged() throws Exception {
        Path db = dir.resolve("store/sessions.db");
        try (SessionStore store = SessionStore.openSqlite(db)) {
            store.sessions().create("/p", "t");
        }
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("r--------"));
        restore.add(db);
        assertRefused(db, db.getParent());
    }

    @Test
    void aReadOnlyDirectoryIsAPermissionErrorAndLeavesNothing() throws Exception {
        Path db = dir.resolve("store/sessions.db");
        try (SessionStore store = SessionStore.openSqlite(db)) {
            store.sessions().create("/p", "t");
        }
        Files.setPosixFilePermissions(db.getParent(), PosixFilePermissions.fromString("r-x------"));
        restore.add(db.getParent());
        assertRefused(db, db.getParent());
        assertRefused(db.resolveSibling("new.db"), db.getParent());
    }

    /** The library (write and read) and the CLI refuse with a permission error; nothing changes. */
    private void assertRefused(Path db, Path folder) throws Exception {
        String before = Files.exists(db) ? CorruptionTest.sha256(db) : null;
        Set<String> listing = CorruptionTest.listing(folder);
        for (String mode : List.of("write", "read")) {
            Exit probe = withoutDacOverride(List.of(java(), "-cp", System.getProperty("java.class.path"),
                    PermissionProbe.class.getName(), db.toString(), mode));
            String verdict = probe.out.lines().filter(l -> l.startsWith("ERR ") || l.equals("OK")).findFirst().orElse(probe.out);
            assertThat(verdict).as(mode + " through the library: " + probe.out).startsWith("ERR PERMISSION ").contains(db.toString());
        }
        Exit cli = withoutDacOverride(List.of(java(), "-cp", System.getProperty("java.class.path"),
                SessionsCli.class.getName(), "--db", db.toString(), "create", "--project", "/p", "--thread", "t"));
        assertThat(cli.code).as(cli.out).isEqualTo(6);
        assertThat(cli.out.lines().toList()).as("one line").hasSize(1);
        assertThat(cli.out).startsWith("sessions: ").contains(db.toString()).doesNotContain("\tat ");
        if (before != null) {
            assertThat(CorruptionTest.sha256(db)).isEqualTo(before);
        }
        assertThat(CorruptionTest.listing(folder)).as("no stray files").isEqualTo(listing);
    }

    // ---- helpers ----

    record Exit(int code, String out) {
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Exit asNobody(String... command) throws Exception {
        List<String> all = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        all.addAll(List.of(command));
        return run(all);
    }

    /** Root without the capabilities that let it ignore file modes. */
    private static Exit withoutDacOverride(List<String> command) throws Exception {
        List<String> all = new ArrayList<>(List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search",
                "--inh-caps=-dac_override,-dac_read_search"));
        all.addAll(command);
        return run(all);
    }

    private static Exit run(List<String> command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (java.io.IOException e) {
            return new Exit(127, e.getMessage());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Exit(p.exitValue(), out);
    }
}
