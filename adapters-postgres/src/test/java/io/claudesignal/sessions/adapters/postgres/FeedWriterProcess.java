package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.SessionId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * A child process for {@link FeedAcrossProcessesTest}: a daemon that writes, one thread per session,
 * for one round after another (a JVM per round would cost more than the round). On
 * {@code write <schema> <shared ids, comma-separated>} it opens the store on that schema; on each of
 * its private sessions it creates, activates, appends transcript items and activities (merging the
 * context now and then), and pauses; on each shared session (made by the parent, written by both
 * writers) it appends transcript items. After each write returns (committed) it prints an
 * acknowledgement {@code <session> <kind> <number> <actor>}: {@code C -} created, {@code S FROM>TO} a
 * transition, {@code T n} transcript item n, {@code A n} activity n, {@code X -} a context change.
 * Then {@code done} (or {@code failed}, the stack trace on standard error). It ends when its input ends.
 */
public final class FeedWriterProcess {

    private FeedWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String name = args[1];
        int privateSessions = Integer.parseInt(args[2]);
        int appends = Integer.parseInt(args[3]);
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String command = commands.readLine(); command != null; command = commands.readLine()) {
            String[] words = command.split(" ");
            List<SessionId> shared = Stream.of(words[2].split(",")).map(SessionId::parse).toList();
            try {
                round(url, words[1], name, privateSessions, appends, shared);
                ack("done");
            } catch (Exception | AssertionError e) {
                e.printStackTrace();
                ack("failed");
            }
        }
    }

    private static void round(String url, String schema, String name, int privateSessions, int appends,
            List<SessionId> shared) throws Exception {
        try (PostgresStorage storage = PostgresStorage.open(url, PostgresSettings.defaults().withSchema(schema)
                .withMaxPoolSize(privateSessions + shared.size()))) {
            SessionService daemon = new SessionService(storage.persistence(), Clock.systemUTC(),
                    SessionIdGenerator.random(), new ContextJson(), new SessionsConfig(Actor.daemon(name),
                    Duration.ofSeconds(30), Duration.ofSeconds(10), SessionsConfig.DEFAULT_ACTIVITY_LIMIT));
            String actor = " " + daemon.config().actor().value();
            ExecutorService threads = Executors.newFixedThreadPool(privateSessions + shared.size());
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int p = 0; p < privateSessions; p++) {
                    int project = p;
                    running.add(threads.submit(() -> {
                        writePrivate(daemon, actor, "/home/" + name + "/project" + project, appends);
                        return null;
                    }));
                }
                for (SessionId id : shared) {
                    running.add(threads.submit(() -> {
                        for (int i = 0; i < appends; i++) {
                            ack(id + " T " + daemon.transcripts().append(id, "{\"w\":\"" + name + "\"}").seq() + actor);
                        }
                        return null;
                    }));
                }
                for (Future<?> thread : running) {
                    thread.get();
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    private static void writePrivate(SessionService daemon, String actor, String project, int appends) {
        SessionId id = daemon.create(project, "+15550001").id();
        ack(id + " C -" + actor);
        daemon.activate(id);
        ack(id + " S CREATED>ACTIVE" + actor);
        for (int i = 0; i < appends; i++) {
            ack(id + " T " + daemon.transcripts().append(id, "{\"i\":" + i + "}").seq() + actor);
            ack(id + " A " + daemon.appendActivity(id, "edit", "{\"i\":" + i + "}").seq() + actor);
            if (i % 10 == 9) {
                daemon.mergeContext(id, "{\"i\":" + i + "}");
                ack(id + " X -" + actor);
            }
        }
        daemon.pause(id);
        ack(id + " S ACTIVE>PAUSED" + actor);
    }

    /** One line, whole (println is atomic per call), flushed: the parent counts only complete lines. */
    private static void ack(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
