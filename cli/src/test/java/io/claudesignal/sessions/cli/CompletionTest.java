package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.bootstrap.SessionStore;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sessions completion bash|zsh}: picocli's script, valid bash, with ids completed from the store. */
class CompletionTest {

    private static final long TIMEOUT_SECONDS = 120;

    @TempDir
    Path dir;

    private final SharedStorage storage = new SharedStorage();
    private final CliHarness cli = new CliHarness(storage);

    @Test
    void printsAScriptThatBashAccepts() throws Exception {
        String script = cli.run("completion", "bash").succeeds().out();
        assertThat(script).contains("picocli", "complete -F _complete_sessions", "function _sessions_complete_ids()",
                "__complete-ids");
        for (String function : List.of("show", "activate", "delete", "catchup", "fork", "transcript_show", "transcript_append")) {
            int start = script.indexOf("function _picocli_sessions_" + function + "() {");
            assertThat(start).as(function).isPositive();
            assertThat(script.substring(start, script.indexOf("\n}\n", start))).as(function).contains("_sessions_complete_ids");
        }
        int create = script.indexOf("function _picocli_sessions_create() {");
        assertThat(script.substring(create, script.indexOf("\n}\n", create))).doesNotContain("_sessions_complete_ids");
        assertThat(script).doesNotContain("_picocli_sessions___complete");
        Path file = dir.resolve("sessions.bash");
        Files.writeString(file, script);
        assertThat(run(List.of("bash", "-n", file.toString()))).isEqualTo("");
        assertThat(storage.opened).as("no store is opened to print a script").isEmpty();
    }

    @Test
    void zshGetsTheScriptItsBashcompinitRuns() {
        assertThat(cli.run("completion", "zsh").succeeds().out()).contains("ZSH_VERSION", "bashcompinit", "_sessions_complete_ids");
    }

    @Test
    void otherShellsAreAUsageError() {
        assertThat(cli.run("completion", "fish").failsReadably(2).err()).contains("fish");
        cli.run("completion").failsReadably(2);
    }

    @Test
    void theHiddenIdsCommandIsNotOfferedToPeople() {
        assertThat(cli.run("--help").succeeds().out()).contains("completion").doesNotContain("__complete-ids");
        assertThat(cli.run().failsReadably(2).err()).doesNotContain("__complete-ids");
    }

    @Test
    void theIdsCommandPrintsTheIdsThatStartWithWhatWasTyped() {
        String a = cli.create("/p/a", "t");
        String b = cli.create("/p/b", "t");
        assertThat(cli.run("__complete-ids").succeeds().out().lines()).containsExactly(b, a);
        assertThat(cli.run("__complete-ids", "--", a.substring(0, 9).toUpperCase()).succeeds().out().lines()).contains(a);
        assertThat(cli.run("__complete-ids", "--", "zz").succeeds().out()).isEmpty();
    }

    @Test
    void tabCompletesSessionIdsFromTheDatabaseOnTheCommandLine() throws Exception {
        Path db = dir.resolve("s.db");
        List<String> ids = new ArrayList<>();
        try (SessionStore store = SessionStore.openSqlite(db)) {
            for (int i = 0; i < 5; i++) {
                ids.add(store.sessions().create("/p/" + i, "t").id().toString());
            }
        }
        Path script = dir.resolve("sessions.bash");
        Files.writeString(script, cli.run("completion", "bash").succeeds().out());
        Path sessions = dir.resolve("sessions");
        Files.writeString(sessions, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '" + System.getProperty("java.class.path") + "' "
                + SessionsCli.class.getName() + " \"$@\"\n");
        Files.setPosixFilePermissions(sessions, PosixFilePermissions.fromString("rwx------"));

        String first = ids.get(0);
        String typed = first.substring(0, 1);
        List<String> expected = ids.stream().filter(id -> id.startsWith(typed)).toList();
        assertThat(complete(script, sessions.toString(), "--db", db.toString(), "show", typed))
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(complete(script, sessions.toString(), "--db", db.toString(), "transcript", "append", ""))
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(complete(script, sessions.toString(), "catch-up", "--db", "=", db.toString(), first.substring(0, 8)))
                .containsExactly(first);
        assertThat(complete(script, sessions.toString(), "history", "--db=" + db, "--json", first.substring(0, 8)))
                .containsExactly(first);
        // Only the first parameter is an id: after it, nothing is offered.
        assertThat(complete(script, sessions.toString(), "--db", db.toString(), "transcript", "append", first, ""))
                .doesNotContain(first);
    }

    /** What bash offers for the command line {@code words}, the last being the word under the cursor. */
    private List<String> complete(Path script, String... words) throws Exception {
        StringBuilder array = new StringBuilder();
        for (String word : words) {
            array.append(" '").append(word.replace("'", "'\\''")).append("'");
        }
        // compopt works only inside a completion bash itself started; here it is a no-op.
        String program = "source '" + script + "'\ncompopt() { return 0; }\n"
                + "COMP_WORDS=(" + array + " )\n"
                + "COMP_CWORD=" + (words.length - 1) + "\n"
                + "COMP_LINE=\"${COMP_WORDS[*]}\"\nCOMP_POINT=${#COMP_LINE}\n"
                + "_complete_sessions\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        return run(List.of("bash", "-c", program)).lines().filter(line -> !line.isEmpty()).toList();
    }

    private String run(List<String> command) throws Exception {
        Path out = dir.resolve("out-" + System.nanoTime());
        Path err = dir.resolve("err-" + System.nanoTime());
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bash did not finish in " + TIMEOUT_SECONDS + " s");
        }
        String errors = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("exit of " + command.get(0) + "; stderr: " + errors).isZero();
        assertThat(errors).as("stderr").isEmpty();
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
