package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claudesignal.sessions.application.port.in.TranscriptMatch;
import io.claudesignal.sessions.application.port.in.TranscriptMatches;
import io.claudesignal.sessions.application.port.out.SearchRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code sessions search}, end to end over shared in-memory storage. */
class SearchCliTest {

    private static final String PROJECT = "/home/ana/code/webapp";
    private static final String THREAD = "+15551234567";

    private final SharedStorage storage = new SharedStorage();
    private final CliHarness cli = new CliHarness(storage);

    @AfterEach
    void everyStoreOpenedWasClosed() {
        assertThat(storage.closed.get()).as("stores closed").isEqualTo(storage.opened.size());
    }

    private void say(String id, String content) {
        cli.run("transcript", "append", id, "{\"role\":\"user\",\"content\":\"" + content + "\"}").succeeds();
    }

    @Test
    void printsOneLineAMatchNewestFirstAndPagesWithTheCommandForTheNext() {
        String first = cli.create(PROJECT, THREAD);
        String second = cli.create(PROJECT, THREAD);
        say(first, "Fix the login bug");
        say(second, "the login page has a bug too");
        say(second, "nothing to see");
        String out = cli.run("search", "login bug").succeeds().out();
        assertThat(cli.run("search", "login", "bug").succeeds().out()).as("words without quotes").isEqualTo(out);
        assertThat(out.lines()).hasSize(2);
        assertThat(out.lines().toList().get(0)).startsWith(second.substring(0, 8) + "  #1  ").endsWith("user the login page has a bug too");
        assertThat(out.lines().toList().get(1)).startsWith(first.substring(0, 8) + "  #1  ").endsWith("user Fix the login bug");

        String paged = cli.run("search", "login", "--limit", "1").succeeds().out();
        assertThat(paged.lines()).hasSize(2);
        String more = paged.lines().toList().get(1);
        assertThat(more).startsWith("more: sessions search login --limit 1 --cursor ");
        String cursor = more.substring(more.lastIndexOf(' ') + 1);
        assertThat(cli.run("search", "login", "--limit", "1", "--cursor", cursor).succeeds().out())
                .startsWith(first.substring(0, 8) + "  #1  ");
        assertThat(cli.run("search", "login", "--session", first.substring(0, 8)).succeeds().out().lines()).hasSize(1);
        assertThat(cli.run("search", "login", "--status", "paused").succeeds().out()).isEqualTo("no matches\n");
        assertThat(cli.run("search", "\"login\" OR -bug*").succeeds().out()).isEqualTo("no matches\n");
    }

    @Test
    void jsonGivesTheMatchesTheirMarksAndTheCursor() {
        String id = cli.create(PROJECT, THREAD);
        say(id, "Fix the login bug");
        JsonNode page = cli.run("--json", "search", "LOGIN").succeeds().json();
        assertThat(CliHarness.fieldNames(page)).containsExactly("matches", "nextCursor");
        JsonNode match = page.get("matches").get(0);
        assertThat(CliHarness.fieldNames(match)).containsExactly("session", "seq", "at", "snippet", "marks");
        assertThat(match.get("session").asText()).isEqualTo(id);
        assertThat(match.get("snippet").asText()).isEqualTo("user Fix the login bug");
        assertThat(match.get("marks").toString()).isEqualTo("[[13,18]]");
        assertThat(page.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void aTerminalSeesTheWordsHighlighted() {
        String id = cli.create(PROJECT, THREAD);
        say(id, "Fix the login bug");
        var page = storage.repository.transcripts().search(new SearchRequest(
                List.of("bug"), Optional.empty(), Set.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), 5));
        assertThat(page).hasSize(1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        var matches = new TranscriptMatches(List.of(
                new TranscriptMatch(page.get(0).item().sessionId(), 1,
                        page.get(0).item().at(), new TranscriptMatch.Snippet(
                                "Fix the login bug", List.of(new TranscriptMatch.Mark(14, 17))))),
                Optional.empty());
        SearchCommand.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), matches,
                Style.forTerminal(true, Map.of("TERM", "xterm")), c -> c);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("\u001b[1;33mbug\u001b[0m");
        assertThat(cli.run("search", "bug").succeeds().out()).doesNotContain("\u001b[");
    }

    @Test
    void badInputHasItsExitCode() {
        String id = cli.create(PROJECT, THREAD);
        cli.run("search", " ").failsReadably(5);
        cli.run("search", "x", "--limit", "0").failsReadably(5);
        cli.run("search", "x", "--cursor", "nonsense").failsReadably(5);
        cli.run("search", "x", "--since", "yesterday").failsReadably(5);
        cli.run("search", "x", "--status", "sleeping").failsReadably(5);
        cli.run("search", "x", "--session", "4c59f0d2-1b1c-4f5e-9a1e-2f7f2b1d0c11").failsReadably(3);
        cli.run("search").failsWith(2);
        assertThat(id).isNotEmpty();
    }
}
