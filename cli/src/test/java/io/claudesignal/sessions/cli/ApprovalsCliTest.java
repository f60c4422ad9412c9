package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.Session;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code sessions approvals}, {@code approve} and {@code reject}: pending by default, short ids, one
 * decision (the same again is harmless, another is exit 4 with one line naming the recorded state),
 * {@code --json}, and the exit codes for what is not there or not an id.
 */
class ApprovalsCliTest {

    private static final List<String> FIELDS = List.of("id", "sessionId", "seq", "key", "state", "request",
            "requestedBy", "requestedAt", "expiresAt", "decidedAt", "decidedBy", "note");
    private static final String ASK = "{\"tool\": \"Bash\", \"input\": {\"command\": \"rm -rf build\"}}";

    private final SharedStorage storage = new SharedStorage();
    private final CliHarness cli = new CliHarness(storage);
    private SessionStore daemon;
    private Session session;
    private Approval asked;

    @BeforeEach
    void theDaemonAsks() {
        daemon = storage.open(Path.of("daemon.db"));
        session = daemon.sessions().activate(daemon.sessions().create("/home/ana/code/webapp", "+15551234567").id());
        asked = daemon.approvals().request(session.id(), ASK, "toolu_01");
    }

    @AfterEach
    void closeTheDaemon() {
        daemon.close();
        assertThat(storage.closed.get()).as("stores closed").isEqualTo(storage.opened.size());
    }

    private String shortId() {
        return asked.id().toString().substring(0, 8);
    }

    @Test
    void approvalsListsThePendingOnesWithShortIdsSessionAgeAndWhatIsAsked() {
        String out = cli.run("approvals").succeeds().out();
        assertThat(out).contains("ID", "SESSION", "AGE", "ASKED", shortId(), session.id().toString().substring(0, 8),
                "PENDING", "Bash: {\"command\":\"rm -rf build\"}");
        JsonNode json = cli.run("--json", "approvals", "--session", session.id().toString().substring(0, 8))
                .succeeds().json();
        assertThat(json.get("approvals")).hasSize(1);
        JsonNode a = json.get("approvals").get(0);
        assertThat(CliHarness.fieldNames(a)).containsExactlyElementsOf(FIELDS);
        assertThat(a.get("request").get("input").get("command").asText()).isEqualTo("rm -rf build");
        assertThat(a.get("decidedAt").isNull()).isTrue();
    }

    @Test
    void approveRecordsTheOneDecisionAndRejectAfterItIsAConflictNamingIt() {
        JsonNode approved = cli.run("--json", "approve", shortId(), "--note", "go ahead").succeeds().json();
        assertThat(approved.get("state").asText()).isEqualTo("APPROVED");
        assertThat(approved.get("decidedBy").asText()).isEqualTo("cli");
        assertThat(approved.get("note").asText()).isEqualTo("go ahead");
        assertThat(cli.run("--json", "approve", asked.id().toString()).succeeds().json()).as("the same again: unchanged")
                .isEqualTo(approved);
        String refused = cli.run("reject", shortId()).failsReadably(ExitCode.CONFLICT.code()).err();
        assertThat(refused).contains("APPROVED", asked.id().toString());
        JsonNode error = cli.run("--json", "reject", shortId()).failsWith(4).errorJson().get("error");
        assertThat(error.get("type").asText()).isEqualTo("conflict");
        assertThat(cli.run("approvals").succeeds().out()).contains("no pending approvals");
        assertThat(cli.run("approvals", "--all").succeeds().out()).contains("APPROVED", shortId());
        assertThat(daemon.approvals().find(asked.id()).orElseThrow().state()).isEqualTo(Approval.State.APPROVED);
    }

    @Test
    void rejectSaysWhatWasRejected() {
        String out = cli.run("reject", shortId(), "--note", "not on main").succeeds().out();
        assertThat(out).contains("REJECTED", "by cli", "not on main", "rm -rf build");
    }

    @Test
    void whatIsNotThereOrNotAnIdHasItsExitCode() {
        cli.run("approve", "00000000-0000-4000-8000-000000000000").failsReadably(ExitCode.NOT_FOUND.code());
        String other = asked.id().toString().startsWith("f") ? "000000" : "ffffff";
        cli.run("approve", other).failsReadably(ExitCode.NOT_FOUND.code());
        assertThat(cli.run("approve", "xyz").failsReadably(ExitCode.INVALID_INPUT.code()).err()).contains("approval id");
        cli.run("approve", shortId(), "--note", "bad\u0007bell").failsReadably(ExitCode.INVALID_INPUT.code());
        cli.run("approvals", "--limit", "5").failsReadably(ExitCode.INVALID_INPUT.code());
        cli.run("approvals", "--session", "00000000-0000-4000-8000-000000000000").failsReadably(ExitCode.NOT_FOUND.code());
        cli.run("approve").failsReadably(ExitCode.USAGE.code());
    }

    @Test
    void pausingTheSessionCancelsWhatIsPending() {
        cli.run("pause", session.id().toString()).succeeds();
        assertThat(cli.run("approvals").succeeds().out()).contains("no pending approvals");
        assertThat(cli.run("approve", shortId()).failsReadably(ExitCode.CONFLICT.code()).err()).contains("CANCELLED");
    }
}
