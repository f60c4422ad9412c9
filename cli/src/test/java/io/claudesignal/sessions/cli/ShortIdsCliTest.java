package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every command that takes an id takes a unique prefix of it; {@code list} shows people short ids. */
class ShortIdsCliTest {

    private static final String FIRST = "5eed0001-0000-4000-8000-000000000001";
    private static final String SECOND = "5eed0001-0000-4000-8000-000000000002";
    private static final String THIRD = "5eed0002-7777-4777-8777-777777777777";

    private final SharedStorage storage = new SharedStorage();
    private final CliHarness cli = new CliHarness(storage);

    @BeforeEach
    void sessionsThatShareAPrefix() {
        Instant at = Instant.parse("2026-11-30T05:00:00Z");
        for (String id : List.of(FIRST, SECOND, THIRD)) {
            storage.repository.insert(Session.create(SessionId.parse(id), "/home/ana/code/webapp", "+15551234567", at),
                    WriteContext.by(Actor.CLI, at));
            at = at.plusSeconds(1);
        }
    }

    @AfterEach
    void everyStoreOpenedWasClosed() {
        assertThat(storage.closed.get()).as("stores closed").isEqualTo(storage.opened.size());
    }

    @Test
    void everyCommandThatTakesAnIdTakesAUniquePrefix() {
        assertThat(cli.run("--json", "show", "5eed0002").succeeds().json().get("id").asText()).isEqualTo(THIRD);
        assertThat(cli.run("--json", "activate", "5EED0002-7").succeeds().json().get("status").asText()).isEqualTo("ACTIVE");
        cli.run("pause", "5eed0002").succeeds();
        cli.run("resume", "5eed0002").succeeds();
        cli.run("transition", "5eed0002", "--to", "paused").succeeds();
        cli.run("context", "5eed0002", "--merge", "{\"a\":1}").succeeds();
        cli.run("history", "5eed0002").succeeds();
        cli.run("activities", "5eed0002").succeeds();
        cli.run("catch-up", "5eed0002").succeeds();
        cli.run("transcript", "append", "5eed0002", "{\"role\":\"user\"}").succeeds();
        cli.run("transcript", "show", "5eed0002").succeeds();
        assertThat(cli.run("--json", "fork", "5eed0002", "--at", "1").succeeds().json().get("forkedFrom").toString())
                .contains(THIRD);
        cli.run("transcript", "pop", "5eed0002").succeeds();
        cli.run("transcript", "clear", "5eed0002").succeeds();
        cli.run("terminate", "5eed0001-0000-4000-8000-000000000002").succeeds();
        cli.run("delete", "5eed0001-0000-4000-8000-000000000002").succeeds();
        assertThat(cli.run("--json", "show", "5eed0001").succeeds().json().get("id").asText()).isEqualTo(FIRST);
    }

    @Test
    void anAmbiguousPrefixIsInvalidInputThatListsTheCandidates() {
        String err = cli.run("show", "5eed00").failsReadably(5).err();
        assertThat(err).contains("ambiguous", FIRST, SECOND, THIRD);
        assertThat(cli.run("--json", "show", "5eed0001").failsWith(5).errorJson().get("error").get("type").asText())
                .isEqualTo("invalid_input");
    }

    @Test
    void anUnknownPrefixIsNotFound() {
        assertThat(cli.run("show", "5eed0003").failsReadably(3).err()).contains("5eed0003");
        cli.run("terminate", "abcdef").failsReadably(3);
    }

    @Test
    void fewerThanSixCharactersOrSomethingNoIdStartsWithIsInvalidBeforeTheStoreOpens() {
        assertThat(cli.run("show", "5eed0").failsReadably(5).err()).contains("at least 6");
        cli.run("show", "5eed0g12").failsReadably(5);
        cli.run("transcript", "show", "xyz").failsReadably(5);
        assertThat(storage.opened).isEmpty();
    }

    @Test
    void listShowsShortIdsToPeopleAndWholeIdsWithLongOrJson() {
        List<String> lines = cli.run("list").succeeds().out().lines().toList();
        assertThat(lines.get(1)).startsWith("5eed0002  ");
        assertThat(lines.get(3)).startsWith("5eed0001  ");
        assertThat(cli.run("list", "--long").succeeds().out().lines().skip(1)).allSatisfy(line -> assertThat(line)
                .matches("5eed000[12]-[-0-9a-f]{27}  .*"));
        assertThat(cli.run("--json", "list").succeeds().json().get("sessions").get(0).get("id").asText()).isEqualTo(THIRD);
    }

    @Test
    void theNextPageCommandKeepsLong() {
        String out = cli.run("list", "--long", "--limit", "1").succeeds().out();
        assertThat(out.lines().reduce((a, b) -> b).orElseThrow()).contains("--long");
    }
}
