package io.claudesignal.sessions.cli;

import static io.claudesignal.sessions.cli.CliHarness.assertSession;
import static io.claudesignal.sessions.cli.CliHarness.assertSummary;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claudesignal.sessions.domain.NewerSchemaException;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.application.port.out.HealthCheck;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.cli.CliHarness.Result;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.SessionId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real CLI, end to end, over in-memory storage shared by the runs of each test. */
class SessionsCliTest {

    private static final String PROJECT = "/home/ana/code/webapp";
    private static final String THREAD = "+15551234567";
    private static final String NO_SUCH_ID = "4c59f0d2-1b1c-4f5e-9a1e-2f7f2b1d0c11";

    private final SharedStorage storage = new SharedStorage();
    private final CliHarness cli = new CliHarness(storage);

    @AfterEach
    void everyStoreOpenedWasClosed() {
        assertThat(storage.closed.get()).as("stores closed").isEqualTo(storage.opened.size());
    }

    @Nested
    class Basics {

        @Test
        void versionPrintsTheProjectVersionWithoutOpeningTheStore() {
            Result r = cli.run("--version").succeeds();
            assertThat(r.out()).matches("sessions \\d+\\.\\d+\\.\\d+\\S*\\n");
            assertThat(storage.opened).isEmpty();
        }

        @Test
        void helpListsEveryCommandAndTheExitCodes() {
            Result r = cli.run("--help").succeeds();
            for (String command : List.of("create", "show", "list", "transition", "activate", "pause", "resume",
                    "terminate", "context", "delete", "check", "demo")) {
                assertThat(r.out()).containsPattern("(?m)^  " + command + " ");
            }
            assertThat(r.out()).contains("Exit codes:", "--db", "--json", "--debug", "--version");
            for (int code = 0; code <= 6; code++) {
                assertThat(r.out()).containsPattern("(?m)^  " + code + " ");
            }
            assertThat(storage.opened).isEmpty();
        }

        @Test
        void everyCommandHasHelp() {
            Result r = cli.run("transition", "--help").succeeds();
            assertThat(r.out()).contains("--to=STATUS", "--expect=STATUS", "Exit codes:");
            assertThat(cli.run("demo", "--help").succeeds().out()).contains("SESSIONS_DB are ignored");
        }

        @Test
        void noCommandIsAUsageError() {
            Result r = cli.run().failsReadably(2);
            assertThat(r.err()).contains("a command is required", "create", "demo");
        }

        @Test
        void anUnknownCommandIsAUsageErrorWithASuggestion() {
            assertThat(cli.run("lst").failsReadably(2).err()).contains("'lst'", "list");
        }

        @Test
        void anUnknownOptionIsAUsageError() {
            assertThat(cli.run("list", "--colour").failsReadably(2).err()).contains("--colour");
        }

        @Test
        void aMissingRequiredOptionIsAUsageError() {
            assertThat(cli.run("create", "--project", PROJECT).failsReadably(2).err()).contains("--thread");
            assertThat(storage.opened).isEmpty();
        }

        @Test
        void aMissingParameterIsAUsageError() {
            cli.run("show").failsReadably(2);
        }

        @Test
        void withJsonAUsageErrorIsAJsonObjectOnStderr() {
            JsonNode error = cli.run("--json", "frobnicate").failsWith(2).errorJson().get("error");
            assertThat(CliHarness.fieldNames(error)).containsExactly("code", "type", "message");
            assertThat(error.get("code").asInt()).isEqualTo(2);
            assertThat(error.get("type").asText()).isEqualTo("usage");
        }

        @Test
        void globalOptionsWorkBeforeAndAfterTheCommand(@TempDir Path dir) {
            Path db = dir.resolve("a.db");
            assertSession(cli.run("--json", "--db", db.toString(), "create", "--project", PROJECT, "--thread", THREAD)
                    .succeeds().json());
            assertSession(cli.run("create", "--project", PROJECT, "--thread", THREAD, "--db", db.toString(), "--json")
                    .succeeds().json());
            assertThat(storage.opened).containsExactly(db, db);
        }

        @Test
        void outputIsNeverColouredWhenNotATerminal() {
            cli.create(PROJECT, THREAD);
            assertThat(cli.run("list").succeeds().out()).doesNotContain("\u001b[");
        }
    }

    @Nested
    class Database {

        @Test
        void dbOptionWinsAndARelativePathIsRelativeToTheCurrentDirectory() {
            cli.env(Map.of("SESSIONS_DB", "/elsewhere/env.db")).run("--db", "rel/x.db", "list").succeeds();
            assertThat(storage.opened).containsExactly(Path.of("rel/x.db").toAbsolutePath());
        }

        @Test
        void theEnvironmentVariableIsUsedWithoutDbOption() {
            cli.env(Map.of("SESSIONS_DB", "/elsewhere/env.db")).run("list").succeeds();
            assertThat(storage.opened).containsExactly(Path.of("/elsewhere/env.db"));
        }

        @Test
        void theDefaultIsInTheHomeDirectory() {
            cli.env(Map.of("SESSIONS_DB", "")).run("list").succeeds();
            assertThat(storage.opened).containsExactly(
                    Path.of(System.getProperty("user.home"), ".claude-signal", "sessions.db"));
        }

        @Test
        void aLeadingTildeIsTheHomeDirectory() {
            cli.run("--db=~/s.db", "list").succeeds();
            assertThat(storage.opened).containsExactly(Path.of(System.getProperty("user.home"), "s.db"));
        }

        @Test
        void aBadPathIsInvalidInput() {
            assertThat(cli.run("--db=", "list").failsReadably(5).err()).contains("--db");
            assertThat(cli.run("--db", "a\u0000b", "list").failsReadably(5).err()).contains("--db");
            assertThat(storage.opened).isEmpty();
        }

        @Test
        void eachRunClosesTheStoreItOpened() {
            String id = cli.create(PROJECT, THREAD);
            cli.run("show", id).succeeds();
            cli.run("show", NO_SUCH_ID).failsReadably(3);
            assertThat(storage.opened).hasSize(3);
            // everyStoreOpenedWasClosed checks the count
        }
    }

    @Nested
    class Create {

        @Test
        void printsTheNewSessionAsJson() {
            JsonNode s = cli.run("--json", "create", "--project", PROJECT, "--thread", THREAD).succeeds().json();
            assertSession(s);
            assertThat(s.get("projectPath").asText()).isEqualTo(PROJECT);
            assertThat(s.get("threadId").asText()).isEqualTo(THREAD);
            assertThat(s.get("status").asText()).isEqualTo("CREATED");
            assertThat(s.get("context").size()).isZero();
            assertThat(s.get("version").asLong()).isEqualTo(1);
            assertThat(s.get("createdAt")).isEqualTo(s.get("updatedAt"));
        }

        @Test
        void printsTheNewSessionForPeople() {
            String out = cli.run("create", "--project", PROJECT, "--thread", THREAD).succeeds().out();
            assertThat(out).containsPattern("(?m)^id +[0-9a-f-]{36}$")
                    .containsPattern("(?m)^status +CREATED$")
                    .containsPattern("(?m)^project +" + PROJECT + "$")
                    .containsPattern("(?m)^thread +\\" + THREAD + "$")
                    .containsPattern("(?m)^version +1$")
                    .containsPattern("(?m)^context +\\{}$");
        }

        @Test
        void aRelativeProjectPathIsInvalidInput() {
            assertThat(cli.run("create", "--project", "code/webapp", "--thread", THREAD).failsReadably(5).err())
                    .contains("projectPath");
        }

        @Test
        void withJsonInvalidInputIsAJsonErrorOnStderr() {
            JsonNode error = cli.run("create", "--json", "--project", "x", "--thread", THREAD)
                    .failsWith(5).errorJson().get("error");
            assertThat(error.get("code").asInt()).isEqualTo(5);
            assertThat(error.get("type").asText()).isEqualTo("invalid_input");
            assertThat(error.get("message").asText()).contains("projectPath");
        }
    }

    @Nested
    class Show {

        @Test
        void printsOneSessionWithItsContextAsJson() {
            String id = cli.create(PROJECT, THREAD);
            cli.run("context", id, "--merge", "{\"turns\": [1, 3.141592653589793238462643383279], \"big\": 12345678901234567890123}").succeeds();
            Result r = cli.run("show", id, "--json").succeeds();
            JsonNode s = r.json();
            assertSession(s);
            assertThat(s.get("id").asText()).isEqualTo(id);
            // Exact numbers: no rounding through double on the way out (the raw text, not a parse of it).
            assertThat(r.out()).contains(
                    "\"context\":{\"turns\":[1,3.141592653589793238462643383279],\"big\":12345678901234567890123}");
            assertThat(s.get("version").asLong()).isEqualTo(2);
        }

        @Test
        void printsTheContextIndentedForPeople() {
            String id = cli.create(PROJECT, THREAD);
            cli.run("context", id, "--merge", "{\"a\": {\"b\": 1}}").succeeds();
            String out = cli.run("show", id).succeeds().out();
            assertThat(out).contains("context  {\n           \"a\": {\n             \"b\": 1\n           }\n         }\n");
        }

        @Test
        void anUnknownIdIsNotFound() {
            assertThat(cli.run("show", NO_SUCH_ID).failsReadably(3).err())
                    .isEqualTo("sessions: no session " + NO_SUCH_ID + "\n");
            JsonNode error = cli.run("--json", "show", NO_SUCH_ID).failsWith(3).errorJson().get("error");
            assertThat(error.get("type").asText()).isEqualTo("not_found");
        }

        @Test
        void aMalformedIdIsInvalidInput() {
            assertThat(cli.run("show", "4c59").failsReadably(5).err()).contains("not a session id");
        }
    }

    @Nested
    class ListCommandTest {

        @Test
        void listsNewestFirstWithoutContextsAsJson() {
            String first = cli.create("/p/one", "t1");
            String second = cli.create("/p/two", "t2");
            cli.run("context", first, "--merge", "{\"secret\": 1}").succeeds();
            JsonNode page = cli.run("--json", "list").succeeds().json();
            assertThat(CliHarness.fieldNames(page)).containsExactly("sessions", "nextCursor");
            assertThat(page.get("nextCursor").isNull()).isTrue();
            List<String> ids = new ArrayList<>();
            for (JsonNode s : page.get("sessions")) {
                assertSummary(s);
                ids.add(s.get("id").asText());
            }
            assertThat(ids).containsExactly(second, first);
        }

        @Test
        void pagesWithACursor() {
            String a = cli.create("/p/a", "t");
            String b = cli.create("/p/b", "t");
            String c = cli.create("/p/c", "t");
            JsonNode first = cli.run("--json", "list", "--limit", "2").succeeds().json();
            assertThat(first.get("sessions")).extracting(s -> s.get("id").asText()).containsExactly(c, b);
            String cursor = first.get("nextCursor").asText();
            JsonNode second = cli.run("--json", "list", "--limit", "2", "--cursor", cursor).succeeds().json();
            assertThat(second.get("sessions")).extracting(s -> s.get("id").asText()).containsExactly(a);
            assertThat(second.get("nextCursor").isNull()).isTrue();
        }

        @Test
        void printsATableAndTheCommandForTheNextPageForPeople() {
            cli.create("/p/a", "t");
            String b = cli.create("/p/b", "t");
            String c = cli.create("/p/c", "t");
            cli.run("activate", b).succeeds();
            String out = cli.run("list", "--limit", "2", "--status", "created,active").succeeds().out();
            List<String> lines = out.lines().toList();
            assertThat(lines.get(0)).matches("ID +STATUS +UPDATED +THREAD +PROJECT");
            assertThat(lines.get(1)).startsWith(c).contains("CREATED", "/p/c");
            assertThat(lines.get(2)).startsWith(b).contains("ACTIVE", "/p/b");
            assertThat(lines).hasSize(4);
            assertThat(lines.get(3)).matches(
                    "more: sessions list --status created --status active --limit 2 --cursor [A-Za-z0-9_-]+");

            String[] next = lines.get(3).substring("more: sessions ".length()).split(" ");
            String rest = cli.run(next).succeeds().out();
            assertThat(rest.lines()).hasSize(2).last().asString().contains("/p/a");
        }

        @Test
        void filtersByStatusProjectAndThread() {
            String a = cli.create("/p/a", "t1");
            String b = cli.create("/p/b", "t2");
            cli.create("/p/a", "t2");
            cli.run("terminate", a).succeeds();
            cli.run("activate", b).succeeds();
            assertThat(ids(cli.run("--json", "list", "--status", "TERMINATED", "--status", "active"))).containsExactly(b, a);
            assertThat(ids(cli.run("--json", "list", "--status", "terminated,ACTIVE"))).containsExactly(b, a);
            assertThat(ids(cli.run("--json", "list", "--project", "/p/a", "--thread", "t1"))).containsExactly(a);
            assertThat(ids(cli.run("--json", "list", "--thread", "t2", "--status", "active"))).containsExactly(b);
        }

        private List<String> ids(Result r) {
            List<String> ids = new ArrayList<>();
            r.succeeds().json().get("sessions").forEach(s -> ids.add(s.get("id").asText()));
            return ids;
        }

        @Test
        void sayWhenThereIsNothing() {
            assertThat(cli.run("list").succeeds().out()).isEqualTo("no sessions\n");
            assertThat(cli.run("list", "--json").succeeds().out()).isEqualTo("{\"sessions\":[],\"nextCursor\":null}\n");
        }

        @Test
        void refusesBadValues() {
            assertThat(cli.run("list", "--status", "sleeping").failsReadably(5).err()).contains("sleeping");
            assertThat(cli.run("list", "--limit", "0").failsReadably(5).err()).contains("limit");
            assertThat(cli.run("list", "--cursor", "nonsense!").failsReadably(5).err()).contains("cursor");
            cli.run("list", "--limit", "ten").failsReadably(2);
        }
    }

    @Nested
    class Transition {

        @Test
        void withoutExpectMovesFromWhateverStatusItIsIn() {
            String id = cli.create(PROJECT, THREAD);
            JsonNode s = cli.run("--json", "transition", id, "--to", "active").succeeds().json();
            assertSession(s);
            assertThat(s.get("status").asText()).isEqualTo("ACTIVE");
            assertThat(s.get("version").asLong()).isEqualTo(2);
        }

        @Test
        void withExpectMovesOnlyFromThatStatus() {
            String id = cli.create(PROJECT, THREAD);
            assertThat(cli.run("transition", id, "--expect", "PAUSED", "--to", "ACTIVE").failsReadably(4).err())
                    .isEqualTo("sessions: session " + id + " is CREATED, not PAUSED\n");
            String out = cli.run("transition", id, "--expect", "CREATED", "--to", "ACTIVE").succeeds().out();
            assertThat(out).containsPattern("(?m)^status +ACTIVE$").doesNotContain("context");
        }

        @Test
        void anIllegalTransitionIsAConflict() {
            String id = cli.create(PROJECT, THREAD);
            JsonNode error = cli.run("--json", "transition", id, "--to", "PAUSED").failsWith(4).errorJson().get("error");
            assertThat(error.get("type").asText()).isEqualTo("conflict");
        }

        @Test
        void refusesBadValues() {
            String id = cli.create(PROJECT, THREAD);
            cli.run("transition", id, "--to", "asleep").failsReadably(5);
            cli.run("transition", id, "--to", "ACTIVE", "--expect", "x").failsReadably(5);
            cli.run("transition", id).failsReadably(2);
            cli.run("transition", NO_SUCH_ID, "--to", "ACTIVE").failsReadably(3);
        }
    }

    @Nested
    class Lifecycle {

        @Test
        void activatePauseResumeTerminate() {
            String id = cli.create(PROJECT, THREAD);
            assertStatus(cli.run("--json", "activate", id), "ACTIVE", 2);
            assertStatus(cli.run("--json", "pause", id), "PAUSED", 3);
            assertStatus(cli.run("--json", "resume", id), "ACTIVE", 4);
            assertStatus(cli.run("--json", "terminate", id), "TERMINATED", 5);
            assertThat(cli.run("terminate", id).succeeds().out()).containsPattern("(?m)^status +TERMINATED$");
        }

        private void assertStatus(Result r, String status, long version) {
            JsonNode s = r.succeeds().json();
            assertSession(s);
            assertThat(s.get("status").asText()).isEqualTo(status);
            assertThat(s.get("version").asLong()).isEqualTo(version);
        }

        @Test
        void resumingASessionThatIsNotPausedIsAConflict() {
            String id = cli.create(PROJECT, THREAD);
            cli.run("resume", id).failsReadably(4);
            cli.run("terminate", id).succeeds();
            cli.run("activate", id).failsReadably(4);
            cli.run("pause", id).failsReadably(4);
        }

        @Test
        void unknownAndMalformedIds() {
            cli.run("activate", NO_SUCH_ID).failsReadably(3);
            cli.run("pause", "not-an-id").failsReadably(5);
            cli.run("resume").failsReadably(2);
        }
    }

    @Nested
    class Context {

        @Test
        void mergesAPatchGivenInline() {
            String id = cli.create(PROJECT, THREAD);
            cli.run("context", id, "--merge", "{\"a\": 1, \"b\": {\"c\": 2}}").succeeds();
            JsonNode s = cli.run("--json", "context", id, "--merge", "{\"a\": null, \"b\": {\"d\": 3}}").succeeds().json();
            assertSession(s);
            assertThat(s.get("context").toString()).isEqualTo("{\"b\":{\"c\":2,\"d\":3}}");
            assertThat(s.get("version").asLong()).isEqualTo(3);
        }

        @Test
        void printsTheMergedContextForPeople() {
            String id = cli.create(PROJECT, THREAD);
            assertThat(cli.run("context", id, "--merge", "{\"k\": \"v\"}").succeeds().out())
                    .contains("context  {\n           \"k\": \"v\"\n         }\n");
        }

        @Test
        void readsThePatchFromAFile(@TempDir Path dir) throws Exception {
            String id = cli.create(PROJECT, THREAD);
            Path patch = Files.writeString(dir.resolve("patch.json"), "{\"from\": \"file \u00e9\"}\n");
            JsonNode s = cli.run("--json", "context", id, "--merge", "@" + patch).succeeds().json();
            assertThat(s.get("context").get("from").asText()).isEqualTo("file \u00e9");
        }

        @Test
        void readsThePatchFromStandardInput() {
            String id = cli.create(PROJECT, THREAD);
            cli.runWithInput("{\"n\": 1}", "context", id, "--merge", "-").succeeds();
            JsonNode s = cli.runWithInput("{\"m\": 2}", "--json", "context", id, "--merge", "@-").succeeds().json();
            assertThat(s.get("context").toString()).isEqualTo("{\"n\":1,\"m\":2}");
        }

        @Test
        void anUnreadableFileIsInvalidInput(@TempDir Path dir) throws Exception {
            String id = cli.create(PROJECT, THREAD);
            assertThat(cli.run("context", id, "--merge", "@" + dir.resolve("missing.json")).failsReadably(5).err())
                    .contains("missing.json", "no such file");
            cli.run("context", id, "--merge", "@" + dir).failsReadably(5);
            Path latin1 = Files.write(dir.resolve("latin1.json"), "{\"x\": \"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(cli.run("context", id, "--merge", "@" + latin1).failsReadably(5).err()).contains("UTF-8");
        }

        @Test
        void badJsonIsInvalidInput() {
            String id = cli.create(PROJECT, THREAD);
            cli.run("context", id, "--merge", "{\"a\": ").failsReadably(5);
            cli.run("context", id, "--merge", "[1, 2]").failsReadably(5);
            JsonNode error = cli.run("--json", "context", id, "--merge", "nope").failsWith(5).errorJson().get("error");
            assertThat(error.get("type").asText()).isEqualTo("invalid_input");
            cli.run("context", NO_SUCH_ID, "--merge", "{}").failsReadably(3);
            cli.run("context", id).failsReadably(2);
        }

        @Test
        void aContextOverTheLimitIsInvalidInput() {
            CliHarness small = new CliHarness(new SharedStorage(64));
            String id = small.create(PROJECT, THREAD);
            small.run("context", id, "--merge", "{\"text\": \"" + "x".repeat(100) + "\"}").failsReadably(5);
        }
    }

    @Nested
    class Delete {

        @Test
        void deletesATerminatedSession() {
            String id = cli.create(PROJECT, THREAD);
            cli.run("terminate", id).succeeds();
            JsonNode deleted = cli.run("--json", "delete", id).succeeds().json();
            assertThat(deleted.toString()).isEqualTo("{\"deleted\":\"" + id + "\"}");
            cli.run("show", id).failsReadably(3);
            cli.run("delete", id).failsReadably(3);
        }

        @Test
        void saysSoForPeople() {
            String id = cli.create(PROJECT, THREAD);
            cli.run("terminate", id).succeeds();
            assertThat(cli.run("delete", id).succeeds().out()).isEqualTo("deleted session " + id + "\n");
        }

        @Test
        void refusesALiveSession() {
            String id = cli.create(PROJECT, THREAD);
            assertThat(cli.run("delete", id).failsReadably(4).err()).contains("CREATED");
            cli.run("show", id).succeeds();
            cli.run("delete", "x").failsReadably(5);
        }
    }

    @Nested
    class Check {

        @Test
        void reportsEveryFindingForPeople() {
            storage.diagnostics = () -> List.of(HealthCheck.ok("integrity", "fine"), HealthCheck.ok("schema", "version 1"));
            String out = cli.run("check").succeeds().out();
            assertThat(out).isEqualTo("ok    integrity  fine\nok    schema     version 1\nall is well\n");
        }

        @Test
        void reportsEveryFindingAsJson() {
            JsonNode report = cli.run("check", "--json").succeeds().json();
            assertThat(CliHarness.fieldNames(report)).containsExactly("ok", "checks");
            assertThat(report.get("ok").asBoolean()).isTrue();
            assertThat(report.get("checks").size()).isPositive();
            for (JsonNode check : report.get("checks")) {
                assertThat(CliHarness.fieldNames(check)).containsExactly("name", "ok", "detail");
                assertThat(check.get("ok").isBoolean()).isTrue();
            }
        }

        @Test
        void aFailedCheckExitsWithSix() {
            storage.diagnostics = () -> List.of(
                    HealthCheck.ok("integrity", "fine"), HealthCheck.failed("file mode", "0644, expected 0600"));
            Result human = cli.run("check");
            assertThat(human.code()).isEqualTo(6);
            assertThat(human.out()).contains("ok    integrity", "FAIL  file mode  0644, expected 0600")
                    .doesNotContain("all is well");
            assertThat(human.err()).isEqualTo("sessions: check failed: file mode: 0644, expected 0600\n");

            Result json = cli.run("--json", "check");
            assertThat(json.code()).isEqualTo(6);
            JsonNode report = json.json();
            assertThat(report.get("ok").asBoolean()).isFalse();
            assertThat(report.get("checks").get(1).toString())
                    .isEqualTo("{\"name\":\"file mode\",\"ok\":false,\"detail\":\"0644, expected 0600\"}");
            assertThat(json.errorJson().get("error").get("code").asInt()).isEqualTo(6);
        }
    }

    @Nested
    class StoreFailures {

        @Test
        void aStorageProblemExitsWithSix() {
            CliHarness broken = new CliHarness(db -> {
                throw new StorageException(StorageException.Reason.CORRUPT, db, db + ": file is not a database");
            });
            assertThat(broken.run("--db", "/data/x.db", "list").failsReadably(6).err())
                    .isEqualTo("sessions: /data/x.db: file is not a database\n");
            JsonNode error = broken.run("--json", "--db", "/data/x.db", "show", NO_SUCH_ID)
                    .failsWith(6).errorJson().get("error");
            assertThat(error.get("type").asText()).isEqualTo("storage");
            broken.run("check").failsReadably(6);
        }

        @Test
        void aNewerSchemaExitsWithSix() {
            CliHarness newer = new CliHarness(db -> {
                throw new NewerSchemaException(db, 9, 1);
            });
            assertThat(newer.run("--db", "/data/x.db", "create", "--project", PROJECT, "--thread", THREAD)
                    .failsReadably(6).err()).contains("schema version 9", "upgrade");
        }

        @Test
        void anUnexpectedErrorExitsWithOneAndShowsNoStackTrace() {
            CliHarness buggy = new CliHarness(db -> {
                throw new IllegalStateException("boom");
            });
            assertThat(buggy.run("list").failsReadably(1).err())
                    .isEqualTo("sessions: unexpected error: java.lang.IllegalStateException: boom "
                            + "(run again with --debug for details)\n");
            JsonNode error = buggy.run("list", "--json").failsWith(1).errorJson().get("error");
            assertThat(error.get("type").asText()).isEqualTo("unexpected");
        }

        @Test
        void debugShowsTheStackTrace() {
            CliHarness buggy = new CliHarness(db -> {
                throw new IllegalStateException("boom");
            });
            Result r = buggy.run("--debug", "list");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).startsWith("sessions: unexpected error: java.lang.IllegalStateException: boom\n")
                    .contains("\tat ");
        }

        @Test
        void commandsThatNeedNoStoreDoNotOpenIt() {
            CliHarness unusable = new CliHarness(db -> {
                throw new AssertionError("opened " + db);
            });
            unusable.run("--help").succeeds();
            unusable.run("--version").succeeds();
            unusable.run("show", "--help").succeeds();
            unusable.run("create").failsReadably(2);
        }
    }

    @Nested
    class Demo {

        @Test
        void tellsTheStoryOnAScratchDatabase() {
            Result r = cli.env(Map.of("SESSIONS_DB", "/must/not/be/used.db")).run("--db", "/nor/this.db", "demo").succeeds();
            assertThat(r.out()).contains("scratch database", "Created session", "ACTIVE", "PAUSED", "Refused:",
                    "While you were away, Claude completed 3 operations: 2 edit, 1 test.", "PAUSED     -> ACTIVE",
                    "TERMINATED", "Deleted. 1 session is left.", "The scratch database is gone.");
            assertThat(storage.opened).as("the demo opens its own database only").isEmpty();
        }

        @Test
        void withJsonTheStoryGoesToStderrAndTheListToStdout() {
            Result r = cli.run("--json", "demo");
            assertThat(r.code()).isZero();
            assertThat(r.err()).contains("Created session");
            JsonNode page = r.json();
            assertThat(page.get("sessions").size()).isEqualTo(1);
            assertSummary(page.get("sessions").get(0));
        }
    }

    @Test
    void coloursOnlyForATerminalWithoutNoColorOrADumbTerm() {
        assertThat(Style.forTerminal(true, Map.of()).colour()).isTrue();
        assertThat(Style.forTerminal(true, Map.of("TERM", "xterm-256color")).colour()).isTrue();
        assertThat(Style.forTerminal(true, Map.of("NO_COLOR", "1")).colour()).isFalse();
        assertThat(Style.forTerminal(true, Map.of("NO_COLOR", "")).colour()).isTrue();
        assertThat(Style.forTerminal(true, Map.of("TERM", "dumb")).colour()).isFalse();
        assertThat(Style.forTerminal(false, Map.of()).colour()).isFalse();
    }

    @Test
    void exitCodesAreTheDocumentedOnes() {
        assertThat(ExitCode.helpList()).containsOnlyKeys("0", "1", "2", "3", "4", "5", "6");
    }

    @Nested
    class History {

        @Test
        void printsEveryStatusChangeOldestFirst() {
            String id = cli.create(PROJECT, THREAD);
            cli.run("activate", id).succeeds();
            cli.run("pause", id).succeeds();
            JsonNode history = cli.run("--json", "history", id).succeeds().json();
            assertThat(history.get("id").asText()).isEqualTo(id);
            assertThat(history.get("history")).hasSize(2);
            JsonNode first = history.get("history").get(0);
            assertThat(CliHarness.fieldNames(first)).containsExactly("from", "to", "at", "reason", "actor");
            assertThat(first.get("from").asText()).isEqualTo("CREATED");
            assertThat(first.get("to").asText()).isEqualTo("ACTIVE");
            assertThat(first.get("reason").asText()).isEqualTo("user");
            assertThat(first.get("actor").asText()).isEqualTo("cli");
            String people = cli.run("history", id).succeeds().out();
            assertThat(people.lines()).hasSize(2);
            assertThat(people).contains("CREATED    -> ACTIVE", "ACTIVE     -> PAUSED", "user (cli)");
        }

        @Test
        void anUnknownOrMalformedIdFails() {
            cli.run("history", NO_SUCH_ID).failsReadably(3);
            cli.run("history", "nope").failsReadably(5);
        }
    }

    @Nested
    class Recover {

        @Test
        void pausesTheSessionsOfADeadDaemonAndLeavesTheLiveOnesAlone() {
            String orphan = cli.create(PROJECT, THREAD);
            String living = cli.create(PROJECT, THREAD);
            cli.run("activate", orphan).succeeds();
            cli.run("activate", living).succeeds();
            Instant now = Instant.now();
            storage.repository.claim(SessionId.parse(orphan), Actor.daemon("dead"), 1, now.minusSeconds(60),
                    now.minusSeconds(30));
            storage.repository.claim(SessionId.parse(living), Actor.daemon("alive"), 2, now, now.plusSeconds(600));

            JsonNode recovered = cli.run("--json", "recover").succeeds().json();

            assertThat(recovered.toString()).isEqualTo("{\"recovered\":[\"" + orphan + "\"]}");
            JsonNode paused = cli.run("--json", "show", orphan).succeeds().json();
            assertThat(paused.get("status").asText()).isEqualTo("PAUSED");
            assertThat(paused.get("context").has("recovered_at")).isTrue();
            JsonNode last = cli.run("--json", "history", orphan).succeeds().json().get("history").get(1);
            assertThat(last.get("reason").asText()).isEqualTo("crash-recovery");
            assertThat(cli.run("--json", "show", living).succeeds().json().get("status").asText()).isEqualTo("ACTIVE");
            assertThat(cli.run("--json", "recover").succeeds().json().toString()).isEqualTo("{\"recovered\":[]}");
            assertThat(cli.run("recover").succeeds().out())
                    .isEqualTo("nothing to recover: every ACTIVE session has a live owner\n");
        }

        @Test
        void printsTheIdsForPeople() {
            String orphan = cli.create(PROJECT, THREAD);
            cli.run("activate", orphan).succeeds();
            Instant now = Instant.now();
            storage.repository.claim(SessionId.parse(orphan), Actor.daemon("dead"), 1, now.minusSeconds(60),
                    now.minusSeconds(30));
            assertThat(cli.run("recover").succeeds().out())
                    .isEqualTo("recovered 1 session (now PAUSED):\n" + orphan + "\n");
        }
    }

    @Nested
    class ActivityLog {

        @Test
        void listsTheLogAndSummarisesWhatIsNew() {
            String id = cli.create(PROJECT, THREAD);
            try (SessionStore direct = storage.open(Path.of("daemon.db"))) {
                direct.sessions().appendActivity(SessionId.parse(id), "edit", "{\"file\":\"a.java\"}");
                direct.sessions().appendActivity(SessionId.parse(id), "test", "{}");
            }
            JsonNode log = cli.run("--json", "activities", id).succeeds().json();
            assertThat(log.get("activities")).hasSize(2);
            assertThat(log.get("activities").get(0).get("details").get("file").asText()).isEqualTo("a.java");
            assertThat(cli.run("activities", id).succeeds().out()).contains("#1 ", "edit", "a.java", "#2 ");

            JsonNode catchUp = cli.run("--json", "catch-up", id, "--ack").succeeds().json();
            assertThat(catchUp.get("count").asLong()).isEqualTo(2);
            assertThat(catchUp.get("summary").asText())
                    .isEqualTo("While you were away, Claude completed 2 operations: 1 edit, 1 test.");
            assertThat(catchUp.get("acknowledged").asBoolean()).isTrue();
            assertThat(cli.run("catch-up", id).succeeds().out()).isEqualTo("Nothing new since you last checked.\n");
            assertThat(cli.run("--json", "activities", id).succeeds().json().get("activities")).hasSize(2);
            cli.run("catch-up", NO_SUCH_ID).failsReadably(3);
            cli.run("activities", "bad").failsReadably(5);
        }
    }
}
