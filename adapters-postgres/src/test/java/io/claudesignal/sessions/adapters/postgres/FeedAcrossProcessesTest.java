package io.claudesignal.sessions.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.SessionId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The change feed across three JVMs on one schema: two writer processes ({@link FeedWriterProcess})
 * write private sessions and two sessions they share, while a listener process
 * ({@link FeedListenerProcess}) prints every change it hears. Each session's commit order is known:
 * a private session is written by one thread, which acknowledges each change once committed; on a
 * shared one, transcript item numbers are the commit order. The listener must hear, per session,
 * exactly that sequence (no duplicate, no gap, no order break, no Resync), and the acknowledgements
 * must agree with what the store holds. Repeated, each round on a fresh schema with a fresh
 * subscription, since an ordering bug shows only in some runs; the three JVMs serve every round.
 */
@ExtendWith(PostgresServer.class)
class FeedAcrossProcessesTest {

    private static final int PRIVATE_SESSIONS = 2; // per writer
    private static final int SHARED_SESSIONS = 2;
    /** Per thread: about 200 changes per writer and round, small enough for 20 rounds on a busy machine. */
    private static final int APPENDS = 40;
    /** Generous: a child's whole round on a loaded machine; only a hang takes this long. */
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    private static final List<Child> children = new ArrayList<>();
    private static Child listener;
    private static Child writerA;
    private static Child writerB;
    private final List<String> schemas = new ArrayList<>();

    @BeforeAll
    static void startTheProcesses() throws IOException {
        listener = start("listener", FeedListenerProcess.class);
        writerA = start("writer-a", FeedWriterProcess.class, "writer-a", Integer.toString(PRIVATE_SESSIONS),
                Integer.toString(APPENDS));
        writerB = start("writer-b", FeedWriterProcess.class, "writer-b", Integer.toString(PRIVATE_SESSIONS),
                Integer.toString(APPENDS));
    }

    @AfterAll
    static void stopTheProcesses() throws Exception {
        for (Child child : children) {
            child.process.getOutputStream().close(); // each ends when its input ends
        }
        for (Child child : children) {
            if (!child.process.waitFor(1, TimeUnit.MINUTES)) {
                child.process.toHandle().destroyForcibly();
            }
        }
    }

    @AfterEach
    void dropTheSchema() throws Exception {
        for (String schema : schemas) {
            PostgresServer.dropSchema(schema);
        }
    }

    @RepeatedTest(value = 20, name = "round {currentRepetition} of {totalRepetitions}")
    void aListenerProcessHearsBothWriterProcessesChangesOnceEachInEachSessionsCommitOrder() throws Exception {
        String schema = PostgresServer.freshSchema();
        schemas.add(schema);
        try (PostgresStorage storage = PostgresStorage.open(PostgresServer.url(),
                PostgresSettings.defaults().withSchema(schema).withMaxPoolSize(2))) {
            SessionService cli = new SessionService(storage.persistence(), Clock.systemUTC(),
                    SessionIdGenerator.random(), new ContextJson());
            List<String> shared = new ArrayList<>();
            for (int i = 0; i < SHARED_SESSIONS; i++) {
                shared.add(cli.create("/home/ana/shared" + i, "+15551234567").id().toString());
            }
            int heardFrom = listener.lines.size();
            listener.send("follow " + schema);
            try {
                listener.await(heardFrom, "ready");
                List<String> acks = new ArrayList<>();
                int aFrom = writerA.lines.size();
                int bFrom = writerB.lines.size();
                writerA.send("write " + schema + " " + String.join(",", shared));
                writerB.send("write " + schema + " " + String.join(",", shared));
                for (Child writer : List.of(writerA, writerB)) {
                    List<String> round = writer.await(writer == writerA ? aFrom : bFrom, "done");
                    acks.addAll(round.subList(0, round.size() - 1));
                }
                check(cli, heardFrom, acks, shared);
            } finally {
                listener.send("stop");
                listener.await(heardFrom, "stopped");
            }
        }
    }

    /** Waits until the listener heard as much as was acknowledged, then compares, session by session. */
    private static void check(SessionService cli, int heardFrom, List<String> acks, List<String> shared)
            throws InterruptedException {
        Map<String, List<String>> expected = expected(acks, shared);
        List<String> problems = new ArrayList<>(storeDisagreements(cli, expected, shared));
        // The bound is a fraction of a second; wait generously until as much was heard as written.
        int total = expected.values().stream().mapToInt(List::size).sum();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (listener.lines.size() - heardFrom - 1 < total && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(500); // anything told twice would be here by now
        List<String> all = List.copyOf(listener.lines);
        List<String> lines = all.subList(heardFrom, all.size());
        Map<String, List<String>> heard = new LinkedHashMap<>();
        for (String line : lines.subList(lines.indexOf("ready") + 1, lines.size())) {
            if (line.startsWith("- ")) {
                problems.add("a resync, with no reason for one: " + line);
            } else {
                heard.computeIfAbsent(line.substring(0, line.indexOf(' ')), k -> new ArrayList<>()).add(line);
            }
        }
        for (String session : union(heard.keySet(), expected.keySet())) {
            String problem = difference(heard.getOrDefault(session, List.of()), expected.getOrDefault(session, List.of()));
            if (problem != null) {
                problems.add(session + (shared.contains(session) ? " (shared): " : ": ") + problem);
            }
        }
        assertThat(problems).as("%d changes acknowledged", total).isEmpty();
    }

    /**
     * Per session, the changes in commit order: a private session's acknowledgements as its one thread
     * printed them; a shared session's items by number (both writers append to it).
     */
    private static Map<String, List<String>> expected(List<String> acks, List<String> shared) {
        Map<String, List<String>> bySession = acks.stream()
                .collect(Collectors.groupingBy(ack -> ack.substring(0, ack.indexOf(' ')), LinkedHashMap::new,
                        Collectors.toList()));
        for (String session : shared) {
            bySession.computeIfPresent(session, (k, items) -> items.stream()
                    .sorted(Comparator.comparingLong(FeedAcrossProcessesTest::number)).toList());
        }
        return bySession;
    }

    /** Where the acknowledgements disagree with the store: they must be its exact history. */
    private static List<String> storeDisagreements(SessionService store, Map<String, List<String>> expected,
            List<String> shared) {
        List<String> problems = new ArrayList<>();
        expected.forEach((session, changes) -> {
            SessionId id = SessionId.parse(session);
            List<Long> items = numbers(changes, "T");
            if (!items.equals(LongStream.rangeClosed(1, store.transcripts().count(id)).boxed().toList())) {
                problems.add(session + ": items acknowledged " + items + ", stored " + store.transcripts().count(id));
            }
            if (!shared.contains(session)) {
                List<Long> activities = store.activities(id).stream().map(Activity::seq).toList();
                if (!numbers(changes, "A").equals(activities)) {
                    problems.add(session + ": activities acknowledged " + numbers(changes, "A") + ", stored " + activities);
                }
                List<String> transitions = store.history(id).stream().map(t -> t.from() + ">" + t.to()).toList();
                List<String> acked = changes.stream().filter(c -> kind(c).equals("S")).map(c -> c.split(" ")[2]).toList();
                if (!acked.equals(transitions)) {
                    problems.add(session + ": transitions acknowledged " + acked + ", stored " + transitions);
                }
            }
        });
        return problems;
    }

    /** Null when {@code heard} is exactly {@code expected}; else counts and the first difference. */
    private static String difference(List<String> heard, List<String> expected) {
        if (heard.equals(expected)) {
            return null;
        }
        Set<String> seen = new HashSet<>();
        long twice = heard.stream().filter(h -> !seen.add(h)).count();
        long missing = expected.stream().filter(e -> !seen.contains(e)).count();
        long unexpected = seen.stream().filter(h -> !expected.contains(h)).count();
        int breaks = 0;
        int previous = -1;
        for (String h : heard.stream().distinct().toList()) { // a repeat counts as twice, not as a break
            int at = expected.indexOf(h);
            if (at >= 0 && at < previous) {
                breaks++;
            }
            previous = Math.max(previous, at);
        }
        int first = 0;
        while (first < Math.min(heard.size(), expected.size()) && heard.get(first).equals(expected.get(first))) {
            first++;
        }
        return "heard " + heard.size() + " of " + expected.size() + ": " + breaks + " out of order, " + twice
                + " twice, " + missing + " missing, " + unexpected + " unexpected; first difference at " + first
                + ": heard " + around(heard, first) + ", expected " + around(expected, first);
    }

    private static List<String> around(List<String> changes, int at) {
        return changes.subList(Math.min(at, changes.size()), Math.min(changes.size(), at + 3)).stream()
                .map(c -> c.substring(c.indexOf(' ') + 1)).toList();
    }

    private static List<Long> numbers(List<String> changes, String kind) {
        return changes.stream().filter(c -> kind(c).equals(kind)).map(FeedAcrossProcessesTest::number).toList();
    }

    private static String kind(String change) {
        return change.split(" ")[1];
    }

    private static long number(String change) {
        return Long.parseLong(change.split(" ")[2]);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        return Stream.concat(a.stream(), b.stream()).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    private static Child start(String name, Class<?> main, String... more) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Children on a shared 2-core machine: quick start-up matters more than peak speed.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), main.getName(), PostgresServer.url()));
        command.addAll(List.of(more));
        Child child = new Child(name, new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        children.add(child);
        return child;
    }

    /** A child process and the lines it printed whole: a line cut off by its end is no acknowledgement. */
    private static final class Child {
        final String name;
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        private final Writer in;

        Child(String name, Process process) {
            this.name = name;
            this.process = process;
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(this::read, "read-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        void send(String command) throws IOException {
            in.write(command + "\n");
            in.flush();
        }

        /**
         * The lines printed since {@code from}, up to {@code last} (or {@code failed}), once printed;
         * fails if the process ends or takes longer than the patience.
         */
        List<String> await(int from, String last) throws InterruptedException {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (true) {
                List<String> all = List.copyOf(lines); // a view of a list that grows would not survive
                List<String> since = all.subList(from, all.size());
                int at = since.indexOf(last);
                if (at >= 0) {
                    return List.copyOf(since.subList(0, at + 1));
                }
                if (since.contains("failed") || !process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError(name + " did not print " + last + " (alive: " + process.isAlive()
                            + ", failed: " + since.contains("failed") + "; see its standard error)");
                }
                Thread.sleep(20);
            }
        }

        private void read() {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try (InputStream out = process.getInputStream()) {
                for (int b = out.read(); b >= 0; b = out.read()) {
                    if (b == '\n') {
                        lines.add(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else {
                        line.write(b);
                    }
                }
            } catch (IOException ended) {
                // the process is gone: what it printed whole is kept, the rest never counted
            }
        }
    }
}
