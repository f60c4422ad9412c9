package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.Session;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24's approvals across processes: a daemon in this JVM asks, the person runs
 * {@code sessions approve ID} (a short prefix) in a JVM of its own, and the daemon's listener hears
 * {@code ApprovalDecided} with the CLI as actor, the approval as decided. The only time asserted is a
 * generous ceiling.
 */
class ApprovalsAcrossProcessesTest {

    @TempDir
    Path dir;

    @Test
    void aDaemonOnSqliteHearsTheCliApproveItsRequest() throws Exception {
        CrossProcess.onSqlite(dir, this::hearsTheDecision);
    }

    @Test
    void aDaemonOnPostgresHearsTheCliApproveItsRequest() throws Exception {
        CrossProcess.onPostgres("approvals_", "approvals across processes on PostgreSQL", this::hearsTheDecision);
    }

    private void hearsTheDecision(SessionStore daemon, String... dbOption) throws Exception {
        Session s = daemon.sessions().activate(daemon.sessions().create("/home/ana/code/webapp", "+15551234567").id());
        daemon.leases().claim(s.id());
        Approval asked = daemon.approvals().request(s.id(), "{\"tool\": \"Bash\", \"input\": {\"command\": \"npm test\"}}",
                "toolu_01");
        BlockingQueue<SessionEvent.ApprovalDecided> heard = new LinkedBlockingQueue<>();
        daemon.sessions().subscribe(event -> {
            if (event instanceof SessionEvent.ApprovalDecided decided) {
                heard.add(decided);
            }
        });

        List<String> args = new ArrayList<>(List.of(dbOption));
        args.addAll(List.of("approve", asked.id().toString().substring(0, 8), "--note", "go ahead"));
        assertThat(CrossProcess.runCli(dir, args)).as("the CLI's exit code").isZero();

        SessionEvent.ApprovalDecided decided = heard.poll(CrossProcess.CEILING.toSeconds(), TimeUnit.SECONDS);
        assertThat(decided).as("heard within " + CrossProcess.CEILING).isNotNull();
        assertThat(decided.actor()).isEqualTo(Actor.CLI);
        assertThat(decided.approval().id()).isEqualTo(asked.id());
        assertThat(decided.approval().state()).isEqualTo(Approval.State.APPROVED);
        assertThat(decided.approval().note()).contains("go ahead");
        assertThat(daemon.approvals().find(asked.id())).contains(decided.approval());
        assertThat(daemon.leases().held(s.id())).as("a decision does not touch the lease").isPresent();
    }
}
