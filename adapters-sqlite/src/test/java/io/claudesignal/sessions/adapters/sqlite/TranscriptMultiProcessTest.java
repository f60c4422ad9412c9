package io.claudesignal.sessions.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.tck.TestClock;
import io.claudesignal.sessions.application.port.in.TranscriptMatch;
import io.claudesignal.sessions.application.port.in.TranscriptQuery;
import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several JVMs appending to one session's transcript in one database file, each append retried once
 * with its key: every number is given out once, with no gap, and no retry appends twice.
 */
class TranscriptMultiProcessTest {

    private static final int PROCESSES = 3;
    private static final int ITEMS = 100;

    @TempDir
    Path dir;

    @Test
    void processesAppendingToOneSessionGetEveryNumberOnce() throws Exception {
        Path db = dir.resolve("shared.db");
        Session session;
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            session = new SessionService(storage.persistence(), new TestClock(), SessionIdGenerator.random(),
                    new ContextJson()).create("/p", "t");
        }
        List<Process> children = new ArrayList<>();
        List<BufferedReader> outputs = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            Process child = new ProcessBuilder(MultiProcessTest.javaBinary(), "-cp", System.getProperty("java.class.path"),
                    TranscriptWorker.class.getName(), db.toString(), session.id().toString(), Integer.toString(ITEMS),
                    "w" + i).redirectErrorStream(true).start();
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
            for (String line; (line = outputs.get(i).readLine()) != null; ) {
                all.append(line).append('\n');
            }
            assertThat(children.get(i).waitFor(3, TimeUnit.MINUTES)).as("child finished").isTrue();
            assertThat(children.get(i).exitValue()).as(all.toString()).isZero();
        }
        String output = all.toString();
        assertThat(output).doesNotContain("retry-got", "error:");
        List<Long> got = output.lines().filter(l -> l.startsWith("seq ")).map(l -> Long.parseLong(l.substring(4))).toList();
        List<Long> expected = LongStream.rangeClosed(1, (long) PROCESSES * ITEMS).boxed().toList();
        assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            Transcripts transcripts = new SessionService(storage.persistence(), new TestClock(),
                    SessionIdGenerator.random(), new ContextJson()).transcripts();
            List<TranscriptItem> stored = transcripts.after(session.id(), 0, PROCESSES * ITEMS + 1);
            assertThat(stored).extracting(TranscriptItem::seq).containsExactlyElementsOf(expected);
            assertThat(stored).allSatisfy(item -> assertThat(item.json()).contains(item.key().orElseThrow()));
            // The search index changed in each append's transaction, whichever process made it.
            for (int i = 0; i < PROCESSES; i++) {
                String worker = "w" + i;
                assertThat(transcripts.search(TranscriptQuery.of(worker).withLimit(TranscriptQuery.MAX_LIMIT)).matches())
                        .extracting(TranscriptMatch::seq).hasSize(ITEMS).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(stored.stream()
                                .filter(item -> item.key().orElseThrow().startsWith(worker + "-")).map(TranscriptItem::seq).toList());
            }
        }
    }
}
