package io.claudesignal.sessions.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.tck.TestClock;
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
 * Several JVMs (the daemon and the CLI, say) doing read-modify-write on one database file. The
 * children open the file first and start together, so that their writes really overlap.
 */
class MultiProcessTest {

    private static final int PROCESSES = 3;
    private static final int INCREMENTS = 150;

    @TempDir
    Path dir;

    @Test
    void processesReadModifyWriteOneFileWithoutLockErrorsOrLostUpdates() throws Exception {
        Path db = dir.resolve("shared.db");
        Session session = counterSession(db);

        String output = runTogether(CounterWorker.class, db, session);
        assertThat(output).doesNotContain("locked").contains("failures 0");
        assertThat(output.lines().filter(l -> l.equals("failures 0")).count()).isEqualTo(PROCESSES);
        assertThat(count(db, session)).isEqualTo((long) PROCESSES * INCREMENTS);
        System.out.println("multi-process: IMMEDIATE, " + PROCESSES + " x " + INCREMENTS
                + " read-modify-writes: 0 lock errors, count exactly " + PROCESSES * INCREMENTS);
    }

    /**
     * The negative control: the same work with DEFERRED transactions (sqlite-jdbc's default) fails
     * with "database is locked" and loses increments, so the test above does prove something.
     */
    @Test
    void theSameWorkWithDeferredTransactionsFailsWithDatabaseIsLocked() throws Exception {
        Path db = dir.resolve("deferred.db");
        Session session = counterSession(db);

        String output = runTogether(DeferredCounterWorker.class, db, session);
        long failures = output.lines().filter(l -> l.startsWith("failures "))
                .mapToLong(l -> Long.parseLong(l.split(" ")[1])).sum();
        System.out.println("multi-process control: DEFERRED, " + PROCESSES + " x " + INCREMENTS + " read-modify-writes: "
                + failures + " failed with 'database is locked', " + (PROCESSES * INCREMENTS - failures) + " counted");
        assertThat(failures).as(output).isPositive();
        assertThat(output).contains("database is locked");
        assertThat(count(db, session)).isEqualTo((long) PROCESSES * INCREMENTS - failures).isLessThan((long) PROCESSES * INCREMENTS);
    }

    private static Session counterSession(Path db) {
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            SessionService sessions = new SessionService(storage.persistence(), new TestClock(),
                    SessionIdGenerator.random(), new ContextJson());
            Session session = sessions.create("/p", "t");
            sessions.mergeContext(session.id(), "{\"count\":0}");
            return session;
        }
    }

    private static long count(Path db, Session session) throws Exception {
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            String context = storage.repository().findById(session.id()).orElseThrow().context();
            return new ObjectMapper().readTree(context).get("count").asLong();
        }
    }

    /** Starts the children, waits until each has opened the file, lets them go at once; their output. */
    private static String runTogether(Class<?> worker, Path db, Session session) throws Exception {
        List<Process> children = new ArrayList<>();
        List<BufferedReader> outputs = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            Process child = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                    worker.getName(), db.toString(), session.id().toString(), Integer.toString(INCREMENTS))
                    .redirectErrorStream(true).start();
            children.add(child);
            outputs.add(new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)));
        }
        StringBuilder all = new StringBuilder();
        for (BufferedReader output : outputs) {
            for (String line; (line = output.readLine()) != null && !line.equals("READY"); ) {
                all.append(line).append('\n');
            }
        }
        for (Process child : children) {
            child.getOutputStream().write('\n');
            child.getOutputStream().flush();
        }
        for (int i = 0; i < PROCESSES; i++) {
            Process child = children.get(i);
            for (String line; (line = outputs.get(i).readLine()) != null; ) {
                all.append(line).append('\n');
            }
            assertThat(child.waitFor(3, TimeUnit.MINUTES)).as("child finished").isTrue();
            assertThat(child.exitValue()).as(all.toString()).isIn(0, 1);
        }
        return all.toString();
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
