package io.claudesignal.sessions.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.claudesignal.sessions.application.contract.TestClock;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.ContextJson;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several JVMs (the daemon and the CLI, say) doing read-modify-write on one database file. */
class MultiProcessTest {

    private static final int PROCESSES = 3;
    private static final int INCREMENTS = 150;

    @TempDir
    Path dir;

    @Test
    void processesReadModifyWriteOneFileWithoutLockErrorsOrLostUpdates() throws Exception {
        Path db = dir.resolve("shared.db");
        Session session;
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            SessionService sessions = new SessionService(storage.persistence(), new TestClock(),
                    SessionIdGenerator.random(), new ContextJson());
            session = sessions.create("/p", "t");
            sessions.mergeContext(session.id(), "{\"count\":0}");
        }

        List<Process> children = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            children.add(new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                    CounterWorker.class.getName(), db.toString(), session.id().toString(), Integer.toString(INCREMENTS))
                    .redirectErrorStream(true).start());
        }
        List<String> outputs = new ArrayList<>();
        for (Process child : children) {
            assertThat(child.waitFor(3, TimeUnit.MINUTES)).as("child finished").isTrue();
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            outputs.add(output);
            assertThat(child.exitValue()).as(output).isZero();
        }
        assertThat(String.join("\n", outputs)).doesNotContain("locked").contains("failures 0");

        try (SqliteStorage storage = SqliteStorage.open(db)) {
            String context = storage.repository().findById(session.id()).orElseThrow().context();
            assertThat(new ObjectMapper().readTree(context).get("count").asLong()).isEqualTo((long) PROCESSES * INCREMENTS);
        }
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
