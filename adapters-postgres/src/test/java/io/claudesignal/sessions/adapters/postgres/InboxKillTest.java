package io.claudesignal.sessions.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.InboxMessage;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * kill -9 of a daemon between {@code next} and {@code done} on PostgreSQL (issue 24): two daemon
 * processes ({@link InboxDaemonProcess}, {@code daemon:a} and {@code daemon:b}) share the sessions of
 * one schema; again and again the one that just took a message is SIGKILLed a random while later and
 * started again under its name, either at once (its open fences the dead run and its first
 * {@code recover()} takes its sessions back) or once the other one has recovered them after their
 * leases expired. Afterwards every message is DONE, each session's transcript holds each message's key
 * once and in order, every DONE a process reported is kept, and no message was reported DONE twice.
 * Nothing is timed. {@code -Dmessages.kills=N} (default 8), {@code -Dmessages.seed=S}.
 */
@ExtendWith(PostgresServer.class)
class InboxKillTest {

    private static final int SESSIONS = 4;
    private static final int MESSAGES_EACH = 80;
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration HEARTBEAT = Duration.ofMillis(500);
    private static final long PATIENCE = TimeUnit.MINUTES.toNanos(3);

    private final String schema = PostgresServer.freshSchema();
    private final List<ChildJvm> started = new ArrayList<>();
    private final int kills = Integer.getInteger("messages.kills", 8);
    private final long seed = Long.getLong("messages.seed", System.nanoTime());
    private final Random random = new Random(seed);
    private String sessionArg;

    @AfterEach
    void cleanUp() throws Exception {
        for (ChildJvm child : started) {
            child.process.toHandle().destroyForcibly();
            child.process.waitFor(1, TimeUnit.MINUTES);
        }
        PostgresServer.dropSchema(schema);
    }

    private PostgresStorage open() {
        return PostgresStorage.open(PostgresServer.url(), PostgresSettings.defaults().withSchema(schema).withMaxPoolSize(2));
    }

    private static SessionService cli(PostgresStorage storage) {
        return new SessionService(storage.persistence(), Clock.systemUTC(), SessionIdGenerator.random(),
                new ContextJson(), SessionsConfig.cli());
    }

    @Test
    void daemonsKilledBetweenNextAndDoneLeaveEveryMessageHandledOnceInOrder() throws Exception {
        System.out.println("inbox kill (PostgreSQL): seed " + seed + ", " + kills + " kills");
        List<SessionId> ids = new ArrayList<>();
        try (PostgresStorage storage = open()) {
            SessionService cli = cli(storage);
            for (int s = 0; s < SESSIONS; s++) {
                SessionId id = cli.activate(cli.create("/home/ana/code/webapp" + s, "+1555000000" + s).id()).id();
                for (int i = 1; i <= MESSAGES_EACH; i++) {
                    cli.inbox().receive(id, "{\"text\":\"message " + i + "\"}", "signal-" + s + "-" + i);
                }
                cli.pause(id); // waiting for a daemon to take it up
                ids.add(id);
            }
            cli.close();
        }
        sessionArg = ids.stream().map(SessionId::toString).collect(Collectors.joining(","));

        Map<String, ChildJvm> live = new HashMap<>();
        for (String name : List.of("a", "b")) {
            live.put(name, startDaemon(name));
        }
        List<ChildJvm> ended = new ArrayList<>();
        int killed = 0;
        int killedHolding = 0;
        int restartedAtOnce = 0;
        Map<String, Integer> seen = new HashMap<>(Map.of("a", 0, "b", 0));
        while (killed < kills) {
            // The daemon that takes the 1st to 3rd message from now is the victim, a random while later.
            long deadline = System.nanoTime() + PATIENCE;
            String victim = awaitTaken(live, seen, deadline);
            for (int skip = random.nextInt(3); victim != null && skip > 0; skip--) {
                victim = awaitTaken(live, seen, deadline);
            }
            if (victim == null) {
                break; // both finished: nothing left to take
            }
            Thread.sleep(random.nextInt(40));
            ChildJvm dead = live.get(victim);
            String other = victim.equals("a") ? "b" : "a";
            int survivorLinesBefore = live.get(other).lines().size();
            dead.kill();
            ended.add(dead);
            killed++;
            killedHolding += holding(dead.lines()).isEmpty() ? 0 : 1;
            if (dead.printed("EMPTY .")) {
                live.remove(victim);
                break; // it finished before the kill: so is everything
            }
            Set<String> itsSessions = sessionsHeld(dead.lines());
            if (random.nextBoolean() || itsSessions.isEmpty()) {
                restartedAtOnce++;
            } else {
                awaitRecoveredBy(live.get(other), survivorLinesBefore, itsSessions);
            }
            live.put(victim, startDaemon(victim));
            seen.put(victim, 0);
        }
        for (ChildJvm daemon : live.values()) {
            daemon.finish();
            assertThat(daemon.process.exitValue()).as("a daemon left alive ends on its own, seed " + seed).isZero();
            assertThat(daemon.lines()).as("seed " + seed).contains("EMPTY .");
            ended.add(daemon);
        }

        Map<String, Integer> doneReports = new HashMap<>();
        int recoveries = 0;
        int lost = 0;
        for (ChildJvm run : ended) {
            for (String line : run.lines()) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "DONE" -> doneReports.merge(f[1] + " " + f[2], 1, Integer::sum);
                    case "RECOVERED" -> recoveries++;
                    case "LOST" -> lost++;
                    default -> { }
                }
            }
        }
        System.out.println("inbox kill (PostgreSQL): " + started.size() + " daemon runs, " + killed + " kills, "
                + killedHolding + " killed between next and done, " + restartedAtOnce + " restarted at once, "
                + recoveries + " recoveries, " + lost + " leases lost to a peer; seed " + seed);
        assertThat(doneReports).as("no message reported DONE twice, seed " + seed).allSatisfy((m, times) ->
                assertThat(times).as(m).isEqualTo(1));
        try (PostgresStorage storage = open()) {
            SessionService cli = cli(storage);
            for (SessionId id : ids) {
                List<InboxMessage> all = cli.inbox().list(id, true, 1000);
                assertThat(all).as("session " + id + ", seed " + seed).hasSize(MESSAGES_EACH)
                        .allSatisfy(m -> assertThat(m.state()).isEqualTo(InboxMessage.State.DONE));
                List<TranscriptItem> transcript = cli.transcripts().after(id, 0, 1000);
                assertThat(transcript).as("each message in the transcript once, in order, whatever was redone; seed " + seed)
                        .extracting(item -> item.key().orElseThrow())
                        .containsExactlyElementsOf(all.stream().map(InboxMessage::key).toList());
            }
            assertThat(doneReports.keySet()).as("every DONE reported was kept, seed " + seed).allSatisfy(m -> {
                String[] f = m.split(" ");
                assertThat(cli.inbox().find(SessionId.parse(f[0]), Long.parseLong(f[1])).orElseThrow().state())
                        .isEqualTo(InboxMessage.State.DONE);
            });
            cli.close();
        }
    }

    /** Starts a daemon under {@code name}, again while the server still holds the name for a killed one. */
    private ChildJvm startDaemon(String name) throws Exception {
        long deadline = System.nanoTime() + PATIENCE;
        while (true) {
            ChildJvm daemon = ChildJvm.start(InboxDaemonProcess.class, PostgresServer.url(), schema, name,
                    Long.toString(LEASE.toMillis()), Long.toString(HEARTBEAT.toMillis()), sessionArg);
            started.add(daemon);
            while (daemon.lines().isEmpty() && daemon.process.isAlive()) {
                Thread.sleep(5);
            }
            if (!daemon.printed("REFUSED .")) {
                assertThat(daemon.lines()).as("daemon " + name + " started").isNotEmpty();
                return daemon;
            }
            daemon.finish();
            assertThat(System.nanoTime()).as("the server never freed the name of the killed daemon " + name)
                    .isLessThan(deadline);
            Thread.sleep(100); // the server has not yet noticed that the killed one's lock connection is gone
        }
    }

    /** The name of a daemon that printed a TAKEN line not seen before, or null when both finished. */
    private static String awaitTaken(Map<String, ChildJvm> live, Map<String, Integer> seen, long deadline)
            throws InterruptedException {
        while (System.nanoTime() < deadline) {
            boolean running = false;
            for (Map.Entry<String, ChildJvm> e : live.entrySet()) {
                List<String> lines = e.getValue().lines();
                int from = seen.get(e.getKey());
                for (int i = from; i < lines.size(); i++) {
                    if (lines.get(i).startsWith("TAKEN ")) {
                        seen.put(e.getKey(), i + 1);
                        return e.getKey();
                    }
                }
                seen.put(e.getKey(), lines.size());
                running |= e.getValue().process.isAlive();
            }
            if (!running) {
                return null;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no daemon took a message within 3 minutes");
    }

    /** Waits until {@code survivor} recovered one of {@code sessions} (after line {@code from}), or finished. */
    private void awaitRecoveredBy(ChildJvm survivor, int from, Set<String> sessions) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE;
        while (survivor.process.isAlive() && survivor.lines().stream().skip(from)
                .noneMatch(l -> l.startsWith("RECOVERED ") && sessions.contains(l.split(" ")[1]))) {
            assertThat(System.nanoTime()).as("the survivor never recovered the dead daemon's sessions, seed " + seed)
                    .isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /** The messages a run held when it ended: taken, not reported done, the session not lost ("sid seq"). */
    private static Set<String> holding(List<String> lines) {
        Set<String> open = new HashSet<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "TAKEN" -> open.add(f[1] + " " + f[2]);
                case "DONE" -> open.remove(f[1] + " " + f[2]);
                case "LOST", "RECOVERED" -> open.removeIf(m -> m.startsWith(f[1] + " "));
                default -> { }
            }
        }
        return open;
    }

    /** The sessions a run held at its end, as far as it reported. */
    private static Set<String> sessionsHeld(List<String> lines) {
        Set<String> held = new LinkedHashSet<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "CLAIMED" -> held.add(f[1]);
                case "LOST", "RECOVERED" -> held.remove(f[1]);
                default -> { }
            }
        }
        return held;
    }
}
