package io.claudesignal.sessions.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.InboxMessage;
import io.claudesignal.sessions.domain.Reply;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a daemon between {@code next} and {@code done}, and of a sender between {@code claim} and
 * {@code sent} (issue 24): child JVMs ({@link MessagesWorker}) are SIGKILLed at random moments and
 * started again until their queue is empty. Afterwards every message is handled (in the transcript
 * exactly once, by its key) and every reply sent; a reply is delivered twice only when a killed sender
 * had delivered it without recording it sent, and each session's replies first went out in order.
 * Nothing is timed: a child is killed a random while after its first report, and a round that finished
 * before the kill simply counts as a round without one. {@code -Dmessages.kills=N} (default 8),
 * {@code -Dmessages.seed=S}.
 */
class MessagesKillTest {

    private static final int MESSAGES = 60;
    private static final int SESSIONS = 3;
    private static final int REPLIES_EACH = 12;

    @TempDir
    Path dir;

    private final int kills = Integer.getInteger("messages.kills", 8);
    private final long seed = Long.getLong("messages.seed", System.nanoTime());
    private final Random random = new Random(seed);

    private SessionService open(SqliteStorage storage) {
        return new SessionService(storage.persistence(), Clock.systemUTC(), SessionIdGenerator.random(),
                new ContextJson(), SessionsConfig.cli());
    }

    /** One run of the worker, killed a random while after its first report unless it ends first. */
    private List<String> run(int round, boolean kill, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(MultiProcessTest.javaBinary(), "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"), MessagesWorker.class.getName()));
        command.addAll(List.of(args));
        try (Child child = Child.start(command, dir.resolve("stderr-" + args[0] + "-" + round))) {
            String first = child.awaitLine("TAKEN", "DELIVER", "EMPTY");
            if (kill && !first.startsWith("EMPTY")) {
                Thread.sleep(random.nextInt(60));
                child.kill();
            } else {
                child.drain();
            }
            synchronized (child.all) {
                // A line the kill cut short is no report.
                return child.all.stream().filter(l -> l.endsWith(" .")).toList();
            }
        }
    }

    private static boolean finished(List<String> lines) {
        return lines.contains("EMPTY .");
    }

    @Test
    void aDaemonKilledBetweenNextAndDoneLeavesEveryMessageHandledOnce() throws Exception {
        System.out.println("messages kill (inbox): seed " + seed + ", " + kills + " kills");
        Path db = dir.resolve("inbox.db");
        SessionId id;
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            SessionService cli = open(storage);
            id = cli.activate(cli.create("/home/ana/code/webapp", "+15551234567").id()).id();
            for (int i = 1; i <= MESSAGES; i++) {
                cli.inbox().receive(id, "{\"text\":\"message " + i + "\"}", "signal-" + i);
            }
            cli.close();
        }
        int killedHolding = 0;
        Set<Long> acknowledgedDone = new HashSet<>();
        int round = 0;
        for (boolean done = false; !done; round++) {
            List<String> lines = run(round, round < kills, "daemon", db.toString(), id.toString());
            Set<String> taken = new HashSet<>();
            for (String line : lines) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "TAKEN" -> taken.add(f[1]);
                    case "DONE" -> {
                        taken.remove(f[1]);
                        acknowledgedDone.add(Long.parseLong(f[1]));
                    }
                    default -> { }
                }
            }
            killedHolding += taken.isEmpty() ? 0 : 1;
            done = finished(lines);
        }
        System.out.println("messages kill (inbox): " + round + " runs, " + killedHolding
                + " killed between next and done; seed " + seed);
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            SessionService cli = open(storage);
            List<InboxMessage> all = cli.inbox().list(id, true, 1000);
            assertThat(all).as("seed " + seed).hasSize(MESSAGES)
                    .allSatisfy(m -> assertThat(m.state()).isEqualTo(InboxMessage.State.DONE));
            assertThat(acknowledgedDone).as("every DONE reported was kept").allSatisfy(seq ->
                    assertThat(cli.inbox().find(id, seq).orElseThrow().state()).isEqualTo(InboxMessage.State.DONE));
            List<TranscriptItem> transcript = cli.transcripts().after(id, 0, 1000);
            assertThat(transcript).as("each message in the transcript once, in order, whatever was redone")
                    .extracting(item -> item.key().orElseThrow())
                    .containsExactlyElementsOf(all.stream().map(InboxMessage::key).toList());
            cli.close();
        }
    }

    @Test
    void aSenderKilledBetweenClaimAndSentLeavesEveryReplySentDuplicatesOnlyWhereItDied() throws Exception {
        System.out.println("messages kill (outbox): seed " + seed + ", " + kills + " kills");
        Path db = dir.resolve("outbox.db");
        Map<Long, String> sessionOf = new HashMap<>();
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            SessionService cli = open(storage);
            List<SessionId> ids = new ArrayList<>();
            for (int s = 0; s < SESSIONS; s++) {
                ids.add(cli.create("/home/ana/code/webapp", "+1555000000" + s).id());
            }
            for (int i = 0; i < REPLIES_EACH; i++) {
                for (int s = 0; s < SESSIONS; s++) {
                    Reply r = cli.outbox().enqueue(ids.get(s), "{\"text\":\"reply " + i + "\"}", "reply-" + s + "-" + i);
                    sessionOf.put(r.id(), ids.get(s).toString());
                }
            }
            cli.close();
        }
        Map<Long, Integer> deliveries = new HashMap<>();
        Set<Long> diedHolding = new HashSet<>();
        Map<String, List<Long>> firstDeliveries = new LinkedHashMap<>();
        int round = 0;
        for (boolean done = false; !done; round++) {
            List<String> lines = run(round, round < kills, "sender", db.toString());
            Set<Long> unrecorded = new HashSet<>();
            for (String line : lines) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "DELIVER" -> {
                        long replyId = Long.parseLong(f[1]);
                        assertThat(f[2]).as("the key travels with the reply").startsWith("reply-");
                        if (deliveries.merge(replyId, 1, Integer::sum) == 1) {
                            firstDeliveries.computeIfAbsent(f[3], k -> new ArrayList<>()).add(replyId);
                        }
                        unrecorded.add(replyId);
                    }
                    case "SENT" -> unrecorded.remove(Long.parseLong(f[1]));
                    default -> { }
                }
            }
            diedHolding.addAll(unrecorded);
            done = finished(lines);
        }
        System.out.println("messages kill (outbox): " + round + " runs, " + diedHolding.size()
                + " replies delivered by a sender killed before it recorded them sent; seed " + seed);
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            SessionService cli = open(storage);
            assertThat(cli.outbox().list(Optional.empty(), false, 1000)).as("nothing unsent, seed " + seed).isEmpty();
            for (long replyId : sessionOf.keySet()) {
                assertThat(cli.outbox().find(replyId).map(Reply::state)).contains(Reply.State.SENT);
            }
            cli.close();
        }
        assertThat(deliveries.keySet()).as("every reply delivered").isEqualTo(sessionOf.keySet());
        deliveries.forEach((replyId, times) -> {
            if (times > 1) {
                assertThat(diedHolding).as("reply " + replyId + " delivered " + times + " times").contains(replyId);
            }
        });
        Function<List<Long>, List<Long>> sorted = l -> l.stream().sorted().toList();
        firstDeliveries.forEach((session, order) ->
                assertThat(order).as("session " + session + "'s replies first went out in order").isEqualTo(sorted.apply(order)));
    }
}
