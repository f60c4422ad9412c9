package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.adapters.sqlite.SqliteSettings;
import io.claudesignal.sessions.application.MessagesConfig;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.Reply;
import io.claudesignal.sessions.domain.SessionId;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
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
        for (String function : List.of("approve", "reject", "outbox_retry", "show")) {
            int start = script.indexOf("function _picocli_sessions_" + function + "() {");
            assertThat(script.substring(start, script.indexOf("\n}\n", start))).as(function)
                    .contains("_sessions_complete_ids \"${curr_word}\" " + (function.startsWith("outbox") ? "replies"
                            : function.equals("show") ? "sessions" : "approvals") + ")");
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
    void theIdsCommandPrintsPendingApprovalsAndDeadRepliesOfWhatWasTyped() {
        SessionService daemon = new SessionService(storage.repository.persistence(), Clock.systemUTC(),
                SessionIdGenerator.random(), new ContextJson(), oneAttempt(SessionsConfig.cli()));
        try {
            SessionId s = daemon.activate(SessionId.parse(cli.create("/p/a", "t"))).id();
            Approval pending = daemon.approvals().request(s, "{}", "t1");
            Approval decided = daemon.approvals().request(s, "{}", "t2");
            daemon.approvals().decide(decided.id(), Approval.Decision.APPROVE, Actor.CLI);
            Reply dead = daemon.outbox().enqueue(s, "{}", "r1");
            daemon.outbox().claim(1, Duration.ofMinutes(1));
            daemon.outbox().failed(dead.id(), "refused");
            daemon.outbox().enqueue(s, "{}", "r2");

            assertThat(cli.run("__complete-ids", "--of", "approvals").succeeds().out().lines())
                    .containsExactly(pending.id().toString());
            String typed = pending.id().toString().substring(0, 3).toUpperCase();
            assertThat(cli.run("__complete-ids", "--of", "approvals", "--", typed).succeeds().out().lines())
                    .containsExactly(pending.id().toString());
            assertThat(cli.run("__complete-ids", "--of", "replies").succeeds().out().lines())
                    .as("the DEAD one, not the pending one").containsExactly(String.valueOf(dead.id()));
            assertThat(cli.run("__complete-ids", "--of", "replies", "--", "x").succeeds().out()).isEmpty();
            assertThat(cli.run("__complete-ids", "--of", "sessions").succeeds().out().lines()).containsExactly(s.toString());
            cli.run("__complete-ids", "--of", "messages").failsReadably(5);
        } finally {
            daemon.close();
        }
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
        Path script = script();
        Path sessions = launcher();

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

    @Test
    void tabCompletesApprovalIdsAndReplyNumbersFromTheDatabase() throws Exception {
        Path db = dir.resolve("s.db");
        String approval;
        long reply;
        try (SessionStore store = SessionStore.openSqlite(db, SqliteSettings.defaults(), oneAttempt(SessionsConfig.cli()))) {
            SessionId s = store.sessions().activate(store.sessions().create("/p", "t").id()).id();
            approval = store.approvals().request(s, "{\"tool\":\"Bash\"}", "t1").id().toString();
            reply = store.outbox().enqueue(s, "{}", "r1").id();
            store.outbox().claim(1, Duration.ofMinutes(1));
            store.outbox().failed(reply, "refused");
        }
        Path script = script();
        String sessions = launcher().toString();
        assertThat(complete(script, sessions, "--db", db.toString(), "approve", approval.substring(0, 2)))
                .containsExactly(approval);
        assertThat(complete(script, sessions, "reject", "--db=" + db, "--note", "no", "")).containsExactly(approval);
        assertThat(complete(script, sessions, "--db", db.toString(), "outbox", "retry", ""))
                .containsExactly(String.valueOf(reply));
    }

    private static SessionsConfig oneAttempt(SessionsConfig config) {
        return config.withMessages(MessagesConfig.DEFAULTS.withRetries(1, Duration.ZERO, Duration.ZERO));
    }

    /** The script {@code sessions completion bash} prints, in a file. */
    private Path script() throws Exception {
        Path script = dir.resolve("sessions.bash");
        Files.writeString(script, cli.run("completion", "bash").succeeds().out());
        return script;
    }

    /** A {@code sessions} command that runs this build's CLI, as the script calls it to ask for ids. */
    private Path launcher() throws Exception {
        Path sessions = dir.resolve("sessions");
        Files.writeString(sessions, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '" + System.getProperty("java.class.path") + "' "
                + SessionsCli.class.getName() + " \"$@\"\n");
        Files.setPosixFilePermissions(sessions, PosixFilePermissions.fromString("rwx------"));
        return sessions;
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
