package io.claudesignal.sessions.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.adapters.sqlite.SqliteSettings;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.ApprovalId;
import io.claudesignal.sessions.domain.SessionId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon asking for approvals is killed with SIGKILL in the middle of its requests: every request it
 * was told had succeeded is in the file afterwards, still PENDING; and the restarted daemon's first
 * {@code recover()} cancels them in the step that pauses their session.
 */
class ApprovalKillTest {

    private static final int ACKNOWLEDGED_BEFORE_THE_KILL = 30;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedRequestOutlivesAKillAndRecoveryCancelsThem() throws Exception {
        Path db = dir.resolve("sessions.db");
        SessionStore.openSqlite(db).close();
        Process asker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ApprovalAskerWorker.class.getName(), db.toString(), "asker")
                .redirectErrorStream(true).start();
        SessionId session = null;
        List<ApprovalId> acknowledged = new ArrayList<>();
        StringBuilder transcript = new StringBuilder();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(asker.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while (acknowledged.size() < ACKNOWLEDGED_BEFORE_THE_KILL && (line = out.readLine()) != null) {
                transcript.append(line).append('\n');
                if (line.startsWith("session ")) {
                    session = SessionId.parse(line.substring("session ".length()));
                } else if (line.startsWith("asked ")) {
                    acknowledged.add(ApprovalId.parse(line.substring("asked ".length())));
                }
            }
        } finally {
            asker.toHandle().destroyForcibly(); // SIGKILL, while it is asking
            assertThat(asker.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acknowledged).as("the worker asked:\n" + transcript).hasSize(ACKNOWLEDGED_BEFORE_THE_KILL);

        try (SessionStore restarted = SessionStore.openSqlite(db, SqliteSettings.defaults(),
                SessionsConfig.daemon("asker"))) {
            List<Approval> pending = restarted.approvals().pending(session);
            assertThat(pending).extracting(Approval::id).containsAll(acknowledged);
            assertThat(pending).extracting(Approval::seq).as("numbered without a gap")
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, pending.size()).boxed().toList());
            assertThat(restarted.sessions().recover()).containsExactly(session); // the dead incarnation's, at once
            for (ApprovalId id : acknowledged) {
                assertThat(restarted.approvals().find(id).orElseThrow().state()).isEqualTo(Approval.State.CANCELLED);
            }
            assertThat(restarted.approvals().pending()).isEmpty();
        }
    }
}
