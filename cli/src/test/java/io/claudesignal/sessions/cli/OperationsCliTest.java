package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claudesignal.sessions.bootstrap.SessionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pin}, {@code purge}, {@code export}, {@code import}, {@code backup} and {@code check}'s sizes, on real SQLite files. */
class OperationsCliTest {

    private static final String PROJECT = "/home/ana/code/webapp";

    @TempDir
    Path dir;

    private final CliHarness cli = new CliHarness(SessionStore::openSqlite);

    private String db() {
        return dir.resolve("sessions.db").toString();
    }

    private CliHarness.Result run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--db";
        all[1] = db();
        System.arraycopy(args, 0, all, 2, args.length);
        return cli.run(all);
    }

    private String create(String thread) {
        return run("--json", "create", "--project", PROJECT, "--thread", thread).succeeds().json().get("id").asText();
    }

    @Test
    void pinIsShownByShowAndListAndKeepsASessionFromPurge() {
        String kept = create("t1");
        String gone = create("t2");
        run("terminate", kept).succeeds();
        run("terminate", gone).succeeds();
        JsonNode pinned = run("--json", "pin", kept).succeeds().json();
        CliHarness.assertSession(pinned);
        assertThat(pinned.get("pinned").asBoolean()).isTrue();
        assertThat(run("show", kept).succeeds().out()).contains("pinned   yes");
        assertThat(run("list").succeeds().out()).contains("TERMINATED pinned");
        JsonNode list = run("--json", "list").succeeds().json();
        list.get("sessions").forEach(CliHarness::assertSummary);

        JsonNode preview = run("--json", "purge", "--terminated-before", "0s", "--dry-run").succeeds().json();
        assertThat(preview.get("count").asInt()).isEqualTo(1);
        assertThat(preview.get("sessions").get(0).get("id").asText()).isEqualTo(gone);
        assertThat(run("--json", "show", gone).succeeds().json().get("id").asText()).isEqualTo(gone);

        assertThat(run("purge", "--terminated-before", "0s").succeeds().out()).startsWith("purged 1 session(s)");
        run("show", gone).failsReadably(3);
        run("show", kept).succeeds();
        assertThat(run("--json", "unpin", kept).succeeds().json().get("pinned").asBoolean()).isFalse();
        assertThat(run("--json", "purge", "--terminated-before", "0s").succeeds().json().get("purged").asLong()).isEqualTo(1);
        run("pin", "4c59f0d2-1b1c-4f5e-9a1e-2f7f2b1d0c11").failsReadably(3);
    }

    @Test
    void purgeTakesAnAgeOrAnInstantAndRefusesAnythingElse() {
        String id = create("t");
        run("terminate", id).succeeds();
        assertThat(run("--json", "purge", "--terminated-before", "30d").succeeds().json().get("purged").asLong()).isZero();
        assertThat(run("--json", "purge", "--terminated-before", "2000-01-01T00:00:00Z").succeeds().json()
                .get("purged").asLong()).isZero();
        for (String bad : List.of("30", "30y", "-1d", "yesterday", "2026-13-01T00:00:00Z")) {
            run("purge", "--terminated-before", bad).failsReadably(5);
        }
        run("purge").failsWith(2);
        assertThat(PurgeCommand.cutoff("12h", Instant.parse("2026-01-02T00:00:00Z")))
                .isEqualTo(Instant.parse("2026-01-01T12:00:00Z"));
        assertThat(PurgeCommand.cutoff("2w", Instant.parse("2026-01-15T00:00:00Z")))
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void exportToAFileImportElsewhereAndExportAgainGivesTheSameBytes() throws Exception {
        String a = create("t1");
        run("activate", a).succeeds();
        run("transcript", "append", a, "{ \"role\": \"user\", \"n\": 1.50 }", "--key", "m1").succeeds();
        run("context", a, "--merge", "{\"branch\":\"fix\"}").succeeds();
        String b = create("t2");
        run("pin", b).succeeds();
        Path file = dir.resolve("out.jsonl");
        JsonNode summary = run("--json", "export", "-o", file.toString()).succeeds().json();
        assertThat(summary.get("exported").asLong()).isEqualTo(2);
        assertThat(summary.get("transcriptItems").asLong()).isEqualTo(1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String exported = Files.readString(file);
        assertThat(exported.lines()).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("{\"format\":\"claude-signal-sessions/3\""));
        assertThat(exported).contains("\"item\":\"{ \\\"role\\\": \\\"user\\\", \\\"n\\\": 1.50 }\"");
        run("export", "-o", file.toString()).failsReadably(5);
        assertThat(run("export").succeeds().out()).as("to stdout, the same lines").isEqualTo(exported);

        String other = dir.resolve("other.db").toString();
        JsonNode imported = cli.run("--db", other, "--json", "import", file.toString()).succeeds().json();
        assertThat(imported.get("imported").asLong()).isEqualTo(2);
        JsonNode again = cli.run("--db", other, "--json", "import", file.toString()).succeeds().json();
        assertThat(again.get("imported").asLong()).isZero();
        assertThat(again.get("unchanged").asLong()).isEqualTo(2);
        assertThat(cli.run("--db", other, "export").succeeds().out()).isEqualTo(exported);

        cli.run("--db", other, "context", a, "--merge", "{\"local\":1}").succeeds();
        CliHarness.Result conflict = cli.run("--db", other, "--json", "import", file.toString());
        assertThat(conflict.code()).isEqualTo(4);
        assertThat(CliHarness.parse(conflict.out()).get("conflicts").get(0).asText()).isEqualTo(a);
        assertThat(CliHarness.parse(conflict.err()).get("error").get("type").asText()).isEqualTo("conflict");
    }

    @Test
    void exportFiltersByStatusAndSince() {
        String early = create("t1");
        run("terminate", early).succeeds();
        String since = Instant.now().toString();
        String late = create("t2");
        assertThat(ids(run("export", "--status", "terminated").succeeds().out())).containsExactly(early);
        assertThat(ids(run("export", "--since", since).succeeds().out())).containsExactly(late);
        run("export", "--since", "last week").failsReadably(5);
        run("export", "--status", "sleeping").failsReadably(5);
    }

    private static List<String> ids(String lines) {
        return lines.lines().map(l -> CliHarness.parse(l).get("id").asText()).toList();
    }

    @Test
    void aBadLineStopsTheImportWithItsNumberAndKeepsWhatCameBefore() throws Exception {
        create("t1");
        create("t2");
        String exported = run("export").succeeds().out();
        List<String> lines = exported.lines().toList();
        Path file = dir.resolve("broken.jsonl");
        Files.writeString(file, lines.get(0) + "\n{\"format\":\"claude-signal-sessions/1\"}\n" + lines.get(1) + "\n");
        String other = dir.resolve("other.db").toString();
        CliHarness.Result refused = cli.run("--db", other, "import", file.toString()).failsReadably(5);
        assertThat(refused.err()).startsWith("sessions: line 2: ");
        assertThat(ids(cli.run("--db", other, "export").succeeds().out()))
                .containsExactly(CliHarness.parse(lines.get(0)).get("id").asText());
        cli.run("--db", other, "import", dir.resolve("missing.jsonl").toString()).failsReadably(5);
        Files.write(dir.resolve("latin1.jsonl"), new byte[] {'{', (byte) 0xE9, '}', '\n'});
        cli.run("--db", other, "import", dir.resolve("latin1.jsonl").toString()).failsReadably(5);
    }

    @Test
    void backupMakesAPrivateCheckedCopyAndNeverOverwrites() throws Exception {
        String id = create("t1");
        Path copy = dir.resolve("copy.db");
        JsonNode done = run("--json", "backup", copy.toString()).succeeds().json();
        assertThat(done.get("backup").asText()).isEqualTo(copy.toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy))).isEqualTo("rw-------");
        cli.run("--db", copy.toString(), "check").succeeds();
        cli.run("--db", copy.toString(), "show", id).succeeds();
        run("backup", copy.toString()).failsReadably(5);
        run("backup", dir.resolve("no/such/dir/copy.db").toString()).failsReadably(5);
    }

    @Test
    void checkJsonReportsTheSizes() {
        String a = create("t1");
        create("t2");
        run("terminate", a).succeeds();
        String b = create("t3");
        run("transcript", "append", b, "{\"x\":1}").succeeds();
        JsonNode sizes = run("--json", "check").succeeds().json().get("sizes");
        assertThat(sizes.get("sessions").asLong()).isEqualTo(3);
        assertThat(sizes.get("sessionsByStatus").get("CREATED").asLong()).isEqualTo(2);
        assertThat(sizes.get("sessionsByStatus").get("TERMINATED").asLong()).isEqualTo(1);
        assertThat(sizes.get("sessionsByStatus").get("ACTIVE").asLong()).isZero();
        assertThat(sizes.get("transcriptItems").asLong()).isEqualTo(1);
        assertThat(sizes.get("fileBytes").asLong()).isPositive();
        assertThat(run("check").succeeds().out()).contains("3 session(s)");
    }
}
