package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claudesignal.sessions.domain.SessionId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code transcript append --jsonl}, {@code transcript import|export|compact}, {@code show --tail 0} and
 * {@code create --id}, end to end over shared in-memory storage.
 */
class TranscriptBatchCliTest {

    private static final String PROJECT = "/home/ana/code/webapp";
    private static final String THREAD = "+15551234567";
    private static final String NO_SUCH_ID = "4c59f0d2-1b1c-4f5e-9a1e-2f7f2b1d0c11";

    private final SharedStorage storage = new SharedStorage();
    private final CliHarness cli = new CliHarness(storage);

    @TempDir
    Path dir;

    @AfterEach
    void everyStoreOpenedWasClosed() {
        assertThat(storage.closed.get()).as("stores closed").isEqualTo(storage.opened.size());
    }

    private static String turn(String id, String content) {
        return "{\"id\":\"" + id + "\",\"role\":\"user\",\"content\":\"" + content + "\"}";
    }

    private Path file(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private long count(String id) {
        return storage.repository.transcripts().count(SessionId.parse(id));
    }

    @Test
    void appendJsonlAppendsEveryLineInOneStepAndCountsTheKnownKeys() throws Exception {
        String id = cli.create(PROJECT, THREAD);
        Path lines = file("items.jsonl", turn("a", "one") + "\n\n" + turn("b", "two") + "\n" + turn("c", "three") + "\n");
        JsonNode report = cli.run("--json", "transcript", "append", id, "@" + lines, "--jsonl", "--key-field", "id")
                .succeeds().json();
        assertThat(CliHarness.fieldNames(report)).containsExactly("appended", "skipped", "first", "last");
        assertThat(report.get("appended").asLong()).isEqualTo(3);
        assertThat(report.get("skipped").asLong()).isZero();
        assertThat(report.get("first").asLong()).isEqualTo(1);
        assertThat(report.get("last").asLong()).isEqualTo(3);
        JsonNode again = cli.runWithInput(turn("c", "three") + "\n" + turn("d", "four") + "\n",
                "--json", "transcript", "append", id, "-", "--jsonl", "--key-field", "id").succeeds().json();
        assertThat(again.get("appended").asLong()).isEqualTo(1);
        assertThat(again.get("skipped").asLong()).isEqualTo(1);
        assertThat(again.get("first").asLong()).isEqualTo(4);
        JsonNode none = cli.run("--json", "transcript", "append", id, "@" + lines, "--jsonl", "--key-field", "id")
                .succeeds().json();
        assertThat(none.get("appended").asLong()).isZero();
        assertThat(none.get("first").isNull()).isTrue();
        assertThat(cli.run("transcript", "append", id, "@" + lines, "--jsonl").succeeds().out())
                .isEqualTo("appended 3 items (#5 to #7) to session " + id + "\n");
        assertThat(count(id)).isEqualTo(7);
        assertThat(storage.repository.transcripts().tail(SessionId.parse(id), 1).get(0).json()).isEqualTo(turn("c", "three"));
    }

    @Test
    void aBadLineRefusesTheWholeCallNamingIt() throws Exception {
        String id = cli.create(PROJECT, THREAD);
        Path bad = file("bad.jsonl", turn("a", "one") + "\n" + turn("b", "two") + "\n\n[1]\n" + turn("c", "three") + "\n");
        assertThat(cli.run("transcript", "append", id, "@" + bad, "--jsonl").failsReadably(5).err())
                .contains("line 4", "nothing was appended");
        Path notString = file("n.jsonl", turn("a", "one") + "\n{\"id\": 7}\n");
        assertThat(cli.run("transcript", "append", id, "@" + notString, "--jsonl", "--key-field", "id")
                .failsReadably(5).err()).contains("line 2", "\"id\" is not a string");
        Path duplicate = file("d.jsonl", turn("a", "one") + "\n{\"a\":1,\"a\":2}\n");
        assertThat(cli.run("transcript", "append", id, "@" + duplicate, "--jsonl").failsReadably(5).err()).contains("line 2");
        cli.run("transcript", "append", id, "{}", "--jsonl", "--key", "k").failsWith(2);
        cli.run("transcript", "append", NO_SUCH_ID, "{}", "--jsonl").failsReadably(3);
        assertThat(count(id)).isZero();
    }

    @Test
    void aClaudeCodeFileImportedAndExportedComesBackByteForByte() throws Exception {
        String id = cli.create(PROJECT, THREAD);
        String text = IntStream.range(0, 2_500).mapToObj(n -> n % 500 == 0
                        ? "{\"type\":\"summary\",\"summary\":\"part " + n + "\",\"leafUuid\":\"" + UUID.randomUUID() + "\"}"
                        : "{\"parentUuid\":null,\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"héllo "
                                + n + " \\u00e9 \\\"q\\\"\"},\"uuid\":\"" + UUID.randomUUID() + "\",\"n\":1.50}")
                .collect(Collectors.joining("\n", "", "\n"));
        Path session = file("session.jsonl", text);
        JsonNode report = cli.run("--json", "transcript", "import", id, session.toString()).succeeds().json();
        assertThat(report.get("appended").asLong()).isEqualTo(2_500);
        assertThat(report.get("first").asLong()).isEqualTo(1);
        assertThat(report.get("last").asLong()).isEqualTo(2_500);
        String exported = cli.run("transcript", "export", id).succeeds().out();
        assertThat(exported).isEqualTo(text);
        // Again: the entries with a uuid are skipped; the five summaries have none and come again.
        JsonNode twice = cli.run("--json", "transcript", "import", id, session.toString()).succeeds().json();
        assertThat(twice.get("appended").asLong()).isEqualTo(5);
        assertThat(twice.get("skipped").asLong()).isEqualTo(2_495);
        assertThat(cli.run("transcript", "import", id, session.toString()).succeeds().out())
                .startsWith("imported 5 items (#2506 to #2510) to session " + id + ", skipped 2495 already there");
    }

    @Test
    void aRepeatedUuidIsKeptOnceAndABadLineIsNamed() throws Exception {
        String id = cli.create(PROJECT, THREAD);
        String a = "{\"uuid\":\"u1\",\"message\":\"first\"}";
        String b = "{\"uuid\":\"u2\",\"message\":\"second\"}";
        Path session = file("s.jsonl", a + "\n" + b + "\n{\"uuid\":\"u1\",\"message\":\"again\"}\n");
        JsonNode report = cli.run("--json", "transcript", "import", id, session.toString()).succeeds().json();
        assertThat(report.get("appended").asLong()).isEqualTo(2);
        assertThat(report.get("skipped").asLong()).isEqualTo(1);
        assertThat(cli.run("transcript", "export", id).succeeds().out()).isEqualTo(a + "\n" + b + "\n");
        Path bad = file("bad.jsonl", "{\"uuid\":\"u3\"}\nnot json\n");
        assertThat(cli.run("transcript", "import", id, bad.toString()).failsReadably(5).err())
                .contains("line 2", "nothing was imported");
        cli.run("transcript", "import", id, dir.resolve("missing.jsonl").toString()).failsReadably(5);
        assertThat(count(id)).isEqualTo(2);
    }

    @Test
    void aBadLineInALaterChunkSaysTheLinesBeforeItStay() throws Exception {
        String id = cli.create(PROJECT, THREAD);
        String text = IntStream.range(0, 1_500).mapToObj(n -> n == 1_200 ? "{\"uuid\":\"u\",\"a\":1,\"a\":2}"
                : "{\"uuid\":\"u-" + n + "\"}").collect(Collectors.joining("\n", "", "\n"));
        Path session = file("late.jsonl", text);
        assertThat(cli.run("transcript", "import", id, session.toString()).failsReadably(5).err())
                .contains("line 1201", "the lines before it were imported");
        assertThat(count(id)).isEqualTo(TranscriptBatches.IMPORT_CHUNK);
    }

    @Test
    void anItemWithARawLineBreakIsExportedOnOneLine() {
        String id = cli.create(PROJECT, THREAD);
        cli.run("transcript", "append", id, "{\n  \"role\": \"user\",\r\n  \"content\": \"a\\nb\"\n}").succeeds();
        assertThat(cli.run("transcript", "export", id).succeeds().out())
                .isEqualTo("{   \"role\": \"user\",    \"content\": \"a\\nb\" }\n");
        assertThat(cli.run("transcript", "export", cli.create(PROJECT, THREAD)).succeeds().out()).isEmpty();
        cli.run("transcript", "export", NO_SUCH_ID).failsReadably(3);
    }

    @Test
    void oneItemTakesItsKeyFromItsField() {
        String id = cli.create(PROJECT, THREAD);
        JsonNode first = cli.run("--json", "transcript", "append", id, turn("m1", "hi"), "--key-field", "id").succeeds().json();
        assertThat(first.get("key").asText()).isEqualTo("m1");
        JsonNode again = cli.run("--json", "transcript", "append", id, turn("m1", "other"), "--key-field", "id")
                .succeeds().json();
        assertThat(again).isEqualTo(first);
        JsonNode keyless = cli.run("--json", "transcript", "append", id, "{\"role\":\"user\"}", "--key-field", "id")
                .succeeds().json();
        assertThat(keyless.get("key").isNull()).isTrue();
        cli.run("transcript", "append", id, "{\"id\":[1]}", "--key-field", "id").failsReadably(5);
        cli.run("transcript", "append", id, "{}", "--key-field", "id", "--key", "k").failsWith(2);
        assertThat(count(id)).isEqualTo(2);
    }

    @Test
    void tailZeroIsAnEmptyList() {
        String id = cli.create(PROJECT, THREAD);
        cli.run("transcript", "append", id, "{}").succeeds();
        JsonNode page = cli.run("--json", "transcript", "show", id, "--tail", "0").succeeds().json();
        assertThat(page.get("items")).isEmpty();
        assertThat(page.get("next").isNull()).isTrue();
        assertThat(cli.run("transcript", "show", id, "--tail", "0").succeeds().out()).isEqualTo("no items\n");
        cli.run("transcript", "show", NO_SUCH_ID, "--tail", "0").failsReadably(3);
        cli.run("transcript", "show", id, "--tail", "-1").failsReadably(5);
    }

    @Test
    void compactReplacesTheOldestItemsByTheSummary() throws Exception {
        String id = cli.create(PROJECT, THREAD);
        for (int i = 1; i <= 4; i++) {
            cli.run("transcript", "append", id, turn("m" + i, "turn " + i)).succeeds();
        }
        String summary = "{\"role\":\"system\",\"content\":\"the first three turns\"}";
        JsonNode done = cli.run("--json", "transcript", "compact", id, "--through", "3", "@" + file("s.json", summary))
                .succeeds().json();
        assertThat(CliHarness.fieldNames(done)).containsExactly("id", "through", "removed", "summary");
        assertThat(done.get("removed").asLong()).isEqualTo(3);
        assertThat(done.get("summary").get("seq").asLong()).isEqualTo(3);
        JsonNode items = cli.run("--json", "transcript", "show", id).succeeds().json().get("items");
        assertThat(items.findValuesAsText("seq")).containsExactly("3", "4");
        assertThat(cli.run("transcript", "export", id).succeeds().out()).startsWith(summary + "\n");
        assertThat(cli.run("transcript", "compact", id, "--through", "4", summary).succeeds().out())
                .startsWith("replaced 2 items by the summary #4  ");
        cli.run("transcript", "compact", id, "--through", "9", summary).failsReadably(5);
        cli.run("transcript", "compact", id, "--through", "2", summary).failsReadably(5);
        cli.run("transcript", "compact", id, "--through", "4", "[1]").failsReadably(5);
        cli.run("transcript", "compact", id, summary).failsWith(2);
        cli.run("transcript", "compact", NO_SUCH_ID, "--through", "1", summary).failsReadably(3);
    }

    @Test
    void createWithAnIdIsIdempotentAndRefusesAnotherProject() {
        String id = UUID.randomUUID().toString();
        JsonNode first = cli.run("--json", "create", "--id", id, "--project", PROJECT, "--thread", THREAD).succeeds().json();
        assertThat(first.get("id").asText()).isEqualTo(id);
        JsonNode again = cli.run("--json", "create", "--id", id, "--project", PROJECT, "--thread", THREAD).succeeds().json();
        assertThat(again).isEqualTo(first);
        assertThat(cli.run("create", "--id", id, "--project", "/other", "--thread", THREAD).failsReadably(4).err())
                .contains("another project or thread");
        cli.run("create", "--id", "not-a-uuid", "--project", PROJECT, "--thread", THREAD).failsReadably(5);
        assertThat(cli.run("--json", "list").succeeds().json().get("sessions")).hasSize(1);
    }
}
