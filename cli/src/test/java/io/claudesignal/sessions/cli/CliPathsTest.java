package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.claudesignal.sessions.cli.CliHarness.Result;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 5 of issue 13 through the CLI: a {@code --db} that cannot be a database file exits 5 at once
 * with one line saying why; a file this user may not reach, or another user's file, exits 6.
 */
class CliPathsTest {

    private static final Duration AT_ONCE = Duration.ofSeconds(30);
    private static final String NOBODY = "65534";

    @TempDir
    Path dir;

    private final CliHarness cli = new CliHarness(StoreOpener.sqlite());

    @Test
    void memoryIsRefusedWithAHintAndNoFileIsMade() {
        Path inCwd = Path.of(":memory:").toAbsolutePath();
        Result r = cli.run("--db", ":memory:", "list").failsReadably(5);
        assertThat(r.err()).contains("not an in-memory database").contains("name a file");
        assertThat(inCwd).doesNotExist();
    }

    @Test
    void aUrlNoAdapterRecognisesExitsFiveNamingItAndMakesNoFile() {
        Path asIfAFile = Path.of("mysql:").toAbsolutePath();
        assertThat(cli.run("--db", "mysql://ana@db/sessions", "list").failsReadably(5).err())
                .contains("mysql://ana@db/sessions").contains("no storage adapter");
        assertThat(asIfAFile).doesNotExist();
    }

    @Test
    void aFifoADeviceAndADirectoryExitFiveAtOnce() throws Exception {
        Path fifo = dir.resolve("pipe.db");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mkfifo.waitFor(5, TimeUnit.MINUTES) && mkfifo.exitValue() == 0, "mkfifo is not available");
        assertTimeoutPreemptively(AT_ONCE, () -> {
            assertThat(cli.run("--db", fifo.toString(), "list").failsReadably(5).err()).contains("a FIFO");
            assertThat(cli.run("--db", "/dev/null", "list").failsReadably(5).err()).contains("a character device");
            assertThat(cli.run("--db", dir.toString(), "list").failsReadably(5).err()).contains("a directory");
        });
    }

    @Test
    void aDanglingSymbolicLinkSaysSo() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("sessions.db"), dir.resolve("missing/real.db"));
        assertThat(cli.run("--db", link.toString(), "list").failsReadably(5).err())
                .contains("dangling symbolic link").contains("missing/real.db");
        assertThat(dir.resolve("missing")).doesNotExist();
    }

    @Test
    void aNewlineInThePathIsRefused() {
        assertThat(cli.run("--db", dir.resolve("a\nb.db").toString(), "list").failsReadably(5).err())
                .contains("control character");
        assertThat(dir.toFile().list()).isEmpty();
    }

    @Test
    void anotherUsersDatabaseExitsSixUnlessAllowed() throws Exception {
        assumeTrue(isRoot(), "only root can give a file to another user here: skipping");
        Path db = dir.resolve("theirs.db");
        cli.run("--db", db.toString(), "create", "--project", "/p", "--thread", "t").succeeds();
        Files.setAttribute(db, "unix:uid", Integer.parseInt(NOBODY));
        Path link = Files.createSymbolicLink(dir.resolve("link.db"), db);
        assertThat(cli.run("--db", link.toString(), "list").failsReadably(6).err())
                .contains("owned by").contains("--allow-foreign-owner");
        cli.run("--db", link.toString(), "--allow-foreign-owner", "list").succeeds();
    }

    @Test
    void aSymbolicLinkIntoADirectoryThisUserMayNotReadSaysSo() throws Exception {
        assumeTrue(isRoot(), "needs root to make a directory of another user: skipping");
        assumeTrue(run(List.of("setpriv", "--version")).code() == 0, "setpriv (util-linux) is not installed: skipping");
        Path secret = Files.createDirectory(dir.resolve("secret"));
        Files.setAttribute(secret, "unix:uid", Integer.parseInt(NOBODY));
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rwx------"));
        Path link = Files.createSymbolicLink(dir.resolve("sessions.db"), secret.resolve("sessions.db"));
        // Root without the capabilities that let it ignore file modes.
        Exit exit = run(List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search",
                "--inh-caps=-dac_override,-dac_read_search", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SessionsCli.class.getName(), "--db", link.toString(), "list"));
        assertThat(exit.code()).as(exit.out()).isEqualTo(6);
        assertThat(exit.out()).startsWith("sessions: ").contains("symbolic link").contains("permission denied");
        assertThat(exit.out().lines().count()).as(exit.out()).isEqualTo(1);
    }

    private static boolean isRoot() throws Exception {
        return Files.getOwner(Path.of("/proc/self")).getName().equals("root");
    }

    record Exit(int code, String out) {
    }

    private static Exit run(List<String> command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (java.io.IOException e) {
            return new Exit(127, e.getMessage());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Exit(p.exitValue(), out);
    }
}
