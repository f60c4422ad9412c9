package io.claudesignal.sessions.cli;

import static io.claudesignal.sessions.cli.CliHarness.assertSession;
import static io.claudesignal.sessions.cli.CliHarness.assertSummary;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as a user runs it: a JVM of its own, with {@code main} choosing the real store
 * ({@code SessionStore.openSqlite}). Each child gets a scratch home directory ({@code user.home} and
 * {@code HOME}) and temporary directory, so no test touches the real ones.
 */
class SessionsCliProcessTest {

    // Only a hang detector: eight JVMs starting at once on a loaded 2-core machine took over 60 s once.
    private static final long TIMEOUT_SECONDS = 600;

    @TempDir
    Path dir;
    private Path home;
    private Path tmp;

    @BeforeEach
    void scratchHome() throws IOException {
        home = Files.createDirectory(dir.resolve("home"));
        tmp = Files.createDirectory(dir.resolve("tmp"));
    }

    record Exit(int code, String out, String err) {
    }

    private final class Child {
        private final Process process;
        private final Path out;
        private final Path err;

        Child(String... args) throws IOException {
            String name = "child-" + System.nanoTime();
            out = dir.resolve(name + ".out");
            err = dir.resolve(name + ".err");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Duser.home=" + home,
                    "-Djava.io.tmpdir=" + tmp,
                    // A short-lived CLI: start fast, stay small (eight run at once on two cores).
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k",
                    "-cp", System.getProperty("java.class.path"),
                    SessionsCli.class.getName()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().put("HOME", home.toString());
            builder.environment().remove("SESSIONS_DB");
            process = builder.start();
        }

        Exit exit() throws Exception {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the child did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Exit(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        }
    }

    private Exit sessions(String... args) throws Exception {
        return new Child(args).exit();
    }

    private void assertHomeUntouched() throws IOException {
        assertThat(home.resolve(".claude-signal")).doesNotExist();
        try (Stream<Path> files = Files.list(home)) {
            assertThat(files).as("nothing written to the home directory").isEmpty();
        }
    }

    @Test
    void createsASessionInAChildProcess() throws Exception {
        Path db = dir.resolve("x.db");
        Exit exit = sessions("--db", db.toString(), "--json", "create", "--project", "/p", "--thread", "t");

        assertThat(exit.code()).as("exit code; stderr: " + exit.err()).isZero();
        assertThat(exit.err()).isEmpty();
        assertThat(exit.out()).endsWith("\n");
        assertThat(exit.out().lines()).hasSize(1);
        JsonNode session = CliHarness.parse(exit.out());
        assertSession(session);
        assertThat(session.get("projectPath").asText()).isEqualTo("/p");
        assertThat(session.get("threadId").asText()).isEqualTo("t");
        assertThat(session.get("status").asText()).isEqualTo("CREATED");
        assertHomeUntouched();
    }

    @Test
    void errorsInAChildProcessAreOneLineAndTheExitCode() throws Exception {
        Exit exit = sessions("--db", dir.resolve("x.db").toString(), "show", "not-an-id");
        assertThat(exit.code()).isEqualTo(5);
        assertThat(exit.out()).isEmpty();
        assertThat(exit.err()).startsWith("sessions: id: not a session id").endsWith("\n");
        assertThat(exit.err().lines()).hasSize(1);

        assertThat(sessions("--version").out()).startsWith("sessions ");
        assertHomeUntouched();
    }

    /**
     * Eight processes create at once on one database file; a ninth lists them all. Each process has
     * its own store, so this holds only with a store that shares a file (SQLite): on a branch where
     * {@code openSqlite} is still in memory, the final count cannot hold.
     */
    @Test
    void eightProcessesCreateAtOnceOnOneDatabase() throws Exception {
        Path db = dir.resolve("shared.db");
        List<Child> children = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            children.add(new Child("--db", db.toString(), "--json", "create", "--project", "/p/" + i, "--thread", "t" + i));
        }
        Set<String> created = new HashSet<>();
        for (Child child : children) {
            Exit exit = child.exit();
            assertThat(exit.code()).as("exit code; stderr: " + exit.err()).isZero();
            JsonNode session = CliHarness.parse(exit.out());
            assertSession(session);
            created.add(session.get("id").asText());
        }
        assertThat(created).hasSize(8);

        Exit list = sessions("--db", db.toString(), "--json", "list", "--limit", "100");
        assertThat(list.code()).as("exit code; stderr: " + list.err()).isZero();
        Set<String> listed = new HashSet<>();
        for (JsonNode summary : CliHarness.parse(list.out()).get("sessions")) {
            assertSummary(summary);
            listed.add(summary.get("id").asText());
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(created);
        assertHomeUntouched();
    }

    @Test
    void theDemoRunsAndLeavesNothingBehind() throws Exception {
        Exit exit = sessions("demo");

        assertThat(exit.code()).as("exit code; stderr: " + exit.err()).isZero();
        assertThat(exit.err()).isEmpty();
        assertThat(exit.out()).contains("scratch database", "Created session", "Refused:", "TERMINATED",
                "The scratch database is gone.");
        assertThat(exit.out()).doesNotContain("\u001b[");
        assertThat(exit.out()).as("the scratch database is in the temporary directory")
                .contains(tmp.resolve("sessions-demo-").toString());
        assertHomeUntouched();
        // Only the demo's own directory: a JDBC driver may unpack its native library into tmp.
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("the demo's temporary directory is deleted")
                    .noneMatch(name -> name.startsWith("sessions-demo-"));
        }
    }
}
