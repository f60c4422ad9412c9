package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claudesignal.sessions.application.MessagesConfig;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Reply;
import io.claudesignal.sessions.domain.SessionId;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code sessions inbox} and {@code sessions outbox [retry]}, end to end over shared in-memory storage. */
class MessagesCliTest {

    private static final String PROJECT = "/home/ana/code/webapp";
    private static final String THREAD = "+15551234567";
    private static final String NO_SUCH_ID = "4c59f0d2-1b1c-4f5e-9a1e-2f7f2b1d0c11";

    private final SharedStorage storage = new SharedStorage();
    private final CliHarness cli = new CliHarness(storage);
    /** What the daemon does, through the API on the same storage; one attempt, so a failure is DEAD. */
    private final SessionService daemon = new SessionService(storage.repository.persistence(), Clock.systemUTC(),
            SessionIdGenerator.random(), new ContextJson(),
            SessionsConfig.cli().withMessages(MessagesConfig.DEFAULTS.withRetries(1, Duration.ZERO, Duration.ZERO)));

    @AfterEach
    void everyStoreOpenedWasClosed() {
        daemon.close();
        assertThat(storage.closed.get()).as("stores closed").isEqualTo(storage.opened.size());
    }

    @Test
    void everyMessagesCommandHasHelp() {
        assertThat(cli.run("--help").succeeds().out()).containsPattern("(?m)^  inbox ").containsPattern("(?m)^  outbox ");
        assertThat(cli.run("inbox", "--help").succeeds().out()).contains("--all", "--limit=N", "Exit codes:");
        assertThat(cli.run("outbox", "--help").succeeds().out()).contains("--dead", "retry");
        assertThat(cli.run("outbox", "retry", "--help").succeeds().out()).contains("REPLY");
        assertThat(storage.opened).isEmpty();
    }

    @Test
    void inboxListsTheUnhandledMessagesByShortIdAndAsJson() {
        String id = cli.create(PROJECT, THREAD);
        SessionId session = SessionId.parse(id);
        daemon.inbox().receive(session, "{\"text\":\"Fix the login form\"}", "signal-1");
        daemon.inbox().receive(session, "{\"text\":\"and the tests\"}", "signal-2");
        daemon.inbox().done(session, daemon.inbox().next(session).orElseThrow().seq());

        String human = cli.run("inbox", id.substring(0, 8)).succeeds().out();
        assertThat(human).contains("#2", "WAITING", "and the tests").doesNotContain("Fix the login form");
        assertThat(cli.run("inbox", id, "--all").succeeds().out()).contains("#1", "DONE", "Fix the login form");

        JsonNode json = cli.run("--json", "inbox", id).succeeds().json();
        assertThat(json.get("id").asText()).isEqualTo(id);
        assertThat(json.get("messages")).hasSize(1);
        JsonNode m = json.get("messages").get(0);
        assertThat(CliHarness.fieldNames(m)).containsExactly("seq", "state", "key", "receivedAt", "message");
        assertThat(m.get("key").asText()).isEqualTo("signal-2");
        assertThat(m.get("message").get("text").asText()).isEqualTo("and the tests");
    }

    @Test
    void outboxListsUnsentAndDeadRepliesAndRetryMakesADeadOneDue() {
        String a = cli.create(PROJECT, THREAD);
        String b = cli.create(PROJECT, "+15550000000");
        Reply ra = daemon.outbox().enqueue(SessionId.parse(a), "{\"text\":\"Done: the tests pass\"}", "reply-1");
        Reply rb = daemon.outbox().enqueue(SessionId.parse(b), "{\"text\":\"Which branch?\"}", "reply-2");
        daemon.outbox().claim(10, Duration.ofMinutes(1));
        daemon.outbox().failed(ra.id(), "signal-cli: rate limited");

        assertThat(cli.run("outbox").succeeds().out()).contains(ra.id() + "  " + a.substring(0, 8), "DEAD",
                "rate limited", "Which branch?");
        assertThat(cli.run("outbox", b).succeeds().out()).contains("Which branch?").doesNotContain("tests pass");
        JsonNode dead = cli.run("--json", "outbox", "--dead").succeeds().json();
        assertThat(dead.get("replies")).hasSize(1);
        assertThat(dead.get("replies").get(0).get("id").asLong()).isEqualTo(ra.id());
        assertThat(dead.get("replies").get(0).get("key").asText()).isEqualTo("reply-1");
        assertThat(dead.get("replies").get(0).get("lastError").asText()).isEqualTo("signal-cli: rate limited");

        JsonNode retried = cli.run("--json", "outbox", "retry", String.valueOf(ra.id())).succeeds().json();
        assertThat(retried.get("state").asText()).isEqualTo("PENDING");
        assertThat(cli.run("outbox", "--dead").succeeds().out()).isEqualTo("no replies\n");
        assertThat(daemon.outbox().claim(10, Duration.ofMinutes(1))).extracting(Reply::id).containsExactly(ra.id());
        assertThat(daemon.outbox().find(rb.id())).map(Reply::state).isEqualTo(Optional.of(Reply.State.CLAIMED));
    }

    @Test
    void unknownIdsAndBadArgumentsGetTheirExitCodes() {
        cli.run("inbox", NO_SUCH_ID).failsReadably(3);
        cli.run("outbox", NO_SUCH_ID).failsReadably(3);
        cli.run("outbox", "retry", "424242").failsReadably(3);
        cli.run("outbox", "retry", "seven").failsReadably(5);
        cli.run("inbox", "not-an-id").failsReadably(5);
        cli.run("inbox").failsReadably(2);
        String id = cli.create(PROJECT, THREAD);
        cli.run("inbox", id, "--limit", "0").failsReadably(5);
        JsonNode error = JsonText.parse(cli.run("--json", "outbox", "retry", "424242").failsWith(3).err());
        assertThat(error.toString()).contains("not_found");
    }
}
