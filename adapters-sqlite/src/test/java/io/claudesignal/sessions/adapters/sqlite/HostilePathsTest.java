package io.claudesignal.sessions.adapters.sqlite;

import static io.claudesignal.sessions.adapters.sqlite.SqliteStorageTest.listing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import io.claudesignal.sessions.domain.InvalidInputException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 5 of issue 13: a path that cannot name a database file is refused at once, with a message that
 * says why, and before any directory is made for it. Exit codes in the CLI follow from the types:
 * {@link InvalidInputException} 5, {@link StorageException} 6.
 */
class HostilePathsTest {

    private static final Duration AT_ONCE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aFifoIsRefusedAtOnceInsteadOfHangingForever() throws Exception {
        Path fifo = dir.resolve("pipe.db");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assumeTrue(mkfifo.waitFor(5, TimeUnit.MINUTES) && mkfifo.exitValue() == 0, "mkfifo is not available");
        assertRefusedAsInput(() -> SqliteStorage.open(fifo), "a FIFO");
        assertThat(listing(dir)).containsExactly("pipe.db");
    }

    @Test
    void aCharacterDeviceIsRefused() {
        assertRefusedAsInput(() -> SqliteStorage.open(Path.of("/dev/null")), "a character device");
    }

    @Test
    void aSocketIsRefused() throws Exception {
        Path socket = dir.resolve("s.db");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            assertRefusedAsInput(() -> SqliteStorage.open(socket), "a socket");
        }
    }

    @Test
    void aDirectoryIsRefusedAsABadPath() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("sessions.db"));
        assertRefusedAsInput(() -> SqliteStorage.open(directory), "a directory");
        assertThat(listing(directory)).isEmpty();
    }

    @Test
    void aSymbolicLinkToADirectoryIsRefusedToo() throws Exception {
        Path target = Files.createDirectory(dir.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(dir.resolve("sessions.db"), target);
        assertRefusedAsInput(() -> SqliteStorage.open(link), "a directory");
    }

    @Test
    void aDanglingSymbolicLinkSaysSo() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("sessions.db"), dir.resolve("gone/real.db"));
        assertRefusedAsInput(() -> SqliteStorage.open(link), "dangling symbolic link");
        assertThat(listing(dir)).containsExactly("sessions.db");
    }

    @Test
    void aControlCharacterInThePathIsRefusedAndNothingIsMade() throws Exception {
        Path file = dir.resolve("new\nline/sessions.db");
        assertRefusedAsInput(() -> SqliteStorage.open(file), "control character (U+000A)");
        assertThat(listing(dir)).isEmpty();
    }

    @Test
    void aPathTooLongForSqliteFailsCleanlyBeforeAnyDirectoryIsMade() throws Exception {
        Path file = dir;
        for (int i = 0; i < 30; i++) {
            file = file.resolve("d" + i + "-" + "x".repeat(18));
        }
        Path db = file.resolve("sessions.db");
        assertThat(db.toString().length()).isGreaterThan(600);
        assertRefusedAsInput(() -> SqliteStorage.open(db), "too long");
        assertThat(listing(dir)).isEmpty();
    }

    @Test
    void theLongestPathItAcceptsReallyOpensUpgradesAndBacksUp() throws Exception {
        // The limit is the real one: a path just under it works all the way, scratch names included.
        int room = StorePath.SQLITE_MAX_PATHNAME - 1 - StorePath.SUFFIX_ROOM;
        Path base = dir.toRealPath();
        StringBuilder path = new StringBuilder(base.toString());
        while (path.length() + 101 < room - "/sessions.db".length()) {
            path.append('/').append("y".repeat(100));
        }
        path.append('/').append("z".repeat(room - "/sessions.db".length() - path.length() - 1));
        Path db = Path.of(path.toString(), "sessions.db");
        assertThat(db.toString().length()).isEqualTo(room - 1);
        Files.createDirectories(db.getParent(), PosixFilePermissions.asFileAttribute(StoreFiles.OWNER_ONLY_DIR));
        ReferenceDatabase.write(db, new ReferenceDatabase.Row("4c59adf8-6832-4cfa-92f4-4ee146654006", "/p", "t",
                "ACTIVE", "{}", "2026-01-26T01:58:12Z", "2026-01-26T01:58:12Z"));
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            assertThat(storage.diagnostics().run()).allSatisfy(c -> assertThat(c.ok()).as(c.toString()).isTrue());
        }
    }

    @Test
    void aFileInPlaceOfADirectoryIsABadPath() throws Exception {
        Path file = Files.createFile(dir.resolve("plain"));
        assertRefusedAsInput(() -> SqliteStorage.open(file.resolve("sub/sessions.db")), "not a directory");
    }

    @Test
    void memoryIsRefusedWithAHint() throws Exception {
        assertRefusedAsInput(() -> SqliteStorage.open(dir.resolve(":memory:")), "not an in-memory database");
        assertThat(listing(dir)).isEmpty();
    }

    @Test
    void aDatabaseOwnedByAnotherUserIsRefusedUnlessAllowed() throws Exception {
        assumeTrue(Owners.currentUser().map(u -> u.getName().equals("root")).orElse(false),
                "only root can give a file to another user here: skipping");
        Path file = dir.resolve("theirs.db");
        SqliteStorage.open(file).close();
        Files.setAttribute(file, "unix:uid", 65534);
        UserPrincipal owner = Files.getOwner(file);
        Path link = Files.createSymbolicLink(dir.resolve("mine.db"), file);
        for (Path path : new Path[] {file, link}) {
            assertTimeoutPreemptively(AT_ONCE, () -> assertThatThrownBy(() -> SqliteStorage.open(path))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.PERMISSION);
                        assertThat(e.getMessage()).contains("owned by " + owner.getName()).contains("--allow-foreign-owner");
                    }));
        }
        try (SqliteStorage storage = SqliteStorage.open(link, SqliteSettings.defaults().allowForeignOwner(true))) {
            assertThat(storage.diagnostics().run()).allSatisfy(c -> assertThat(c.ok()).as(c.toString()).isTrue());
        }
    }

    private static void assertRefusedAsInput(ThrowingCallable open, String says) {
        assertTimeoutPreemptively(AT_ONCE, () -> assertThatThrownBy(open)
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getMessage()).contains(says)));
    }
}
