package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claudesignal.sessions.domain.SessionId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sessions transcript ...} and {@code sessions fork}, end to end over shared in-memory storage. */
class TranscriptCliTest {

    private static final String PROJECT = "/home/ana/code/webapp";
    private static final String THREAD = "+15551234567";
    private static final String NO_SUCH_ID = "4c59f0d2-1b1c-4f5e-9a1e-2f7f2b1d0c11";

    private final SharedStorage storage = new SharedStorage();
    private final CliHarness cli = new CliHarness(storage);

    @AfterEach
    void everyStoreOpenedWasClosed() {
        assertThat(storage.closed.get()).as("stores closed").isEqualTo(storage.opened.size());
    }

    private static String turn(String role, String content) {
        return "{\"role\":\"" + role + "\",\"content\":\"" + content + "\"}";
    }

    @Test
    void everyTranscriptCommandHasHelp() {
        assertThat(cli.run("--help").succeeds().out()).containsPattern("(?m)^  transcript ").containsPattern("(?m)^  fork ");
        String group = cli.run("transcript", "--help").succeeds().out();
        for (String command : List.of("show", "append", "pop", "clear")) {
            assertThat(group).containsPattern("(?m)^  " + command + " ");
        }
        assertThat(cli.run("transcript", "show", "--help").succeeds().out()).contains("--tail=N", "--after=SEQ", "--limit=N",
                "Exit codes:");
        assertThat(cli.run("transcript", "append", "--help").succeeds().out()).contains("--key=K", "@FILE");
        assertThat(cli.run("fork", "--help").succeeds().out()).contains("--at=SEQ", "Exit codes:");
        assertThat(storage.opened).isEmpty();
    }

    @Test
    void appendPrintsTheStoredItemAndKeepsItsBytes() {
        String id = cli.create(PROJECT, THREAD);
        String exact = "{ \"role\": \"user\", \"content\": \"Fix the test\", \"n\": 1.50 }";
        CliHarness.Result appended = cli.run("--json", "transcript", "append", id, exact).succeeds();
        assertThat(appended.out()).as("the item's bytes are kept").contains("\"item\":" + exact + "}");
        JsonNode first = appended.json();
        assertThat(CliHarness.fieldNames(first)).containsExactly("seq", "at", "key", "item");
        assertThat(first.get("seq").asLong()).isEqualTo(1);
        assertThat(first.get("key").isNull()).isTrue();
        assertThat(cli.run("transcript", "append", id, turn("assistant", "Done."), "--key", "m2").succeeds().out())
                .startsWith("#2  ").contains("assistant", "Done.");
        assertThat(storage.repository.transcripts().tail(SessionId.parse(id), 5)
                .get(0).json()).isEqualTo(exact);
    }

    @Test
    void appendWithAKnownKeyAppendsOnce() {
        String id = cli.create(PROJECT, THREAD);
        JsonNode first = cli.run("--json", "transcript", "append", id, turn("user", "hi"), "--key", "sig-1").succeeds().json();
        JsonNode again = cli.run("--json", "transcript", "append", id, turn("user", "other"), "--key", "sig-1").succeeds().json();
        assertThat(again).isEqualTo(first);
        assertThat(again.get("key").asText()).isEqualTo("sig-1");
        assertThat(cli.run("--json", "transcript", "show", id).succeeds().json().get("items")).hasSize(1);
    }

    @Test
    void appendReadsAFileOrStandardInput(@TempDir Path dir) throws Exception {
        String id = cli.create(PROJECT, THREAD);
        Path file = dir.resolve("turn.json");
        Files.writeString(file, turn("user", "from a file"), StandardCharsets.UTF_8);
        cli.run("transcript", "append", id, "@" + file).succeeds();
        cli.runWithInput(turn("user", "from stdin"), "transcript", "append", id, "-").succeeds();
        JsonNode items = cli.run("--json", "transcript", "show", id).succeeds().json().get("items");
        assertThat(items.get(0).get("item").get("content").asText()).isEqualTo("from a file");
        assertThat(items.get(1).get("item").get("content").asText()).isEqualTo("from stdin");
        cli.run("transcript", "append", id, "@" + dir.resolve("missing.json")).failsReadably(5);
    }

    @Test
    void showPagesForwardAndTails() {
        String id = cli.create(PROJECT, THREAD);
        for (int i = 1; i <= 5; i++) {
            cli.run("transcript", "append", id, turn("user", "turn " + i)).succeeds();
        }
        JsonNode page = cli.run("--json", "transcript", "show", id, "--limit", "2").succeeds().json();
        assertThat(page.get("items").findValuesAsText("seq")).containsExactly("1", "2");
        assertThat(page.get("next").asLong()).isEqualTo(2);
        page = cli.run("--json", "transcript", "show", id, "--after", "4", "--limit", "2").succeeds().json();
        assertThat(page.get("items").findValuesAsText("seq")).containsExactly("5");
        assertThat(page.get("next").isNull()).isTrue();
        page = cli.run("--json", "transcript", "show", id, "--tail", "2").succeeds().json();
        assertThat(page.get("items").findValuesAsText("seq")).containsExactly("4", "5");
        assertThat(page.get("next").isNull()).isTrue();

        String human = cli.run("transcript", "show", id, "--limit", "3").succeeds().out();
        List<String> lines = human.lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("#1  ").contains("  user  turn 1");
        assertThat(lines.get(3)).isEqualTo("more: sessions transcript show " + id + " --after 3");
    }

    @Test
    void showShortensLongTextToOneLine() {
        String id = cli.create(PROJECT, THREAD);
        cli.run("transcript", "append", id, "{\"type\":\"tool_result\",\"content\":[{\"type\":\"text\",\"text\":\"line one\\nline two "
                + "x".repeat(300) + "\"}]}").succeeds();
        String line = cli.run("transcript", "show", id).succeeds().out();
        assertThat(line.lines()).hasSize(1);
        assertThat(line).contains("tool_result", "line one line two").endsWith("…\n");
        cli.run("transcript", "show", NO_SUCH_ID).failsReadably(3);
    }

    @Test
    void popAndClearRemoveItemsAndNumbersGoOn() {
        String id = cli.create(PROJECT, THREAD);
        cli.run("transcript", "append", id, turn("user", "a")).succeeds();
        cli.run("transcript", "append", id, turn("assistant", "b")).succeeds();
        JsonNode popped = cli.run("--json", "transcript", "pop", id).succeeds().json();
        assertThat(popped.get("popped").get("seq").asLong()).isEqualTo(2);
        assertThat(cli.run("transcript", "pop", id).succeeds().out()).startsWith("removed #1  ");
        assertThat(cli.run("--json", "transcript", "pop", id).succeeds().json().get("popped").isNull()).isTrue();
        cli.run("transcript", "append", id, turn("user", "c")).succeeds();
        assertThat(cli.run("--json", "transcript", "clear", id).succeeds().json().get("cleared").asLong()).isEqualTo(1);
        assertThat(cli.run("transcript", "clear", id).succeeds().out()).isEqualTo("removed 0 items from session " + id + "\n");
        assertThat(cli.run("--json", "transcript", "append", id, turn("user", "d")).succeeds().json().get("seq").asLong())
                .isEqualTo(4);
    }

    @Test
    void badInputIsRefusedWithOneReadableLine() {
        String id = cli.create(PROJECT, THREAD);
        cli.run("transcript", "append", id, "[1,2]").failsReadably(5);
        cli.run("transcript", "append", id, "{nope").failsReadably(5);
        cli.run("transcript", "append", id, "{}", "--key", " ").failsReadably(5);
        cli.run("transcript", "append", NO_SUCH_ID, "{}").failsReadably(3);
        cli.run("transcript", "show", id, "--limit", "0").failsReadably(5);
        cli.run("transcript", "show", id, "--tail", "2", "--limit", "3").failsReadably(5);
        cli.run("transcript", "show", id, "--tail", "2", "--after", "3").failsWith(2);
        cli.run("transcript", "show", "bad").failsReadably(5);
        cli.run("transcript").failsWith(2);
        cli.run("--json", "transcript", "pop", NO_SUCH_ID).failsWith(3);
    }

    @Test
    void forkCopiesUpToTheNewestItemByDefaultAndShowSaysWhereFrom() {
        String id = cli.create(PROJECT, THREAD);
        cli.run("context", id, "--merge", "{\"model\":\"opus\"}").succeeds();
        for (int i = 1; i <= 3; i++) {
            cli.run("transcript", "append", id, turn("user", "turn " + i)).succeeds();
        }
        JsonNode all = cli.run("--json", "fork", id).succeeds().json();
        assertThat(all.get("status").asText()).isEqualTo("CREATED");
        assertThat(all.get("context").get("model").asText()).isEqualTo("opus");
        assertThat(all.get("forkedFrom").get("id").asText()).isEqualTo(id);
        assertThat(all.get("forkedFrom").get("seq").asLong()).isEqualTo(3);
        String child = all.get("id").asText();
        assertThat(cli.run("--json", "show", child).succeeds().json().get("forkedFrom")).isEqualTo(all.get("forkedFrom"));
        assertThat(cli.run("--json", "show", id).succeeds().json().has("forkedFrom")).isFalse();
        assertThat(cli.run("show", child).succeeds().out()).contains("forked   from " + id + " at item #3");
        assertThat(cli.run("--json", "transcript", "show", child).succeeds().json().get("items")).hasSize(3);
        assertThat(cli.run("history", child).succeeds().out()).contains("CREATED", "fork");

        JsonNode early = cli.run("--json", "fork", id, "--at", "1").succeeds().json();
        assertThat(cli.run("--json", "transcript", "show", early.get("id").asText()).succeeds().json().get("items")
                .findValuesAsText("seq")).containsExactly("1");
        JsonNode bare = cli.run("--json", "fork", id, "--at", "0").succeeds().json();
        assertThat(cli.run("--json", "transcript", "show", bare.get("id").asText()).succeeds().json().get("items")).isEmpty();
        cli.run("fork", id, "--at", "4").failsReadably(5);
        cli.run("fork", NO_SUCH_ID).failsReadably(3);
    }

    @Test
    void forkOfASessionWithoutItemsCopiesTheContext() {
        String id = cli.create(PROJECT, THREAD);
        JsonNode fork = cli.run("--json", "fork", id).succeeds().json();
        assertThat(fork.get("forkedFrom").get("seq").asLong()).isZero();
    }
}
