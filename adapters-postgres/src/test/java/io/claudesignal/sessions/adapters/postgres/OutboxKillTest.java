package io.claudesignal.sessions.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Reply;
import io.claudesignal.sessions.domain.SessionId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two sender processes ({@link OutboxSenderProcess}) work through one outbox on PostgreSQL at once,
 * and one of them is SIGKILLed at a random moment, again and again, and started again. Afterwards
 * every reply is sent; a reply was delivered more than once only when a killed sender had delivered it
 * without recording it sent (so two live senders never held one reply at once); and the key travelled
 * with every delivery. Before each new sender starts, the test queues more replies, and the steady
 * sender pauses after each reply, so that every new sender finds work to be killed in. Nothing is
 * timed. {@code -Dmessages.kills=N} (default 6), {@code -Dmessages.seed=S}.
 */
@ExtendWith(PostgresServer.class)
class OutboxKillTest {

    private static final int SESSIONS = 8;
    /** Replies queued per session before the first sender starts, and again before each new one. */
    private static final int REPLIES_EACH = 16;
    /** How long the steady sender waits after each reply it sent, in milliseconds. */
    private static final String STEADY_PAUSE = "20";

    private final List<String> schemas = new ArrayList<>();
    private final int kills = Integer.getInteger("messages.kills", 6);
    private final long seed = Long.getLong("messages.seed", System.nanoTime());
    private final Random random = new Random(seed);

    @AfterEach
    void dropTheSchema() throws Exception {
        for (String schema : schemas) {
            PostgresServer.dropSchema(schema);
        }
    }

    @Test
    void twoSendersOneKilledAgainAndAgainSendEveryReplyDuplicatesOnlyWhereOneDied() throws Exception {
        System.out.println("outbox kill (PostgreSQL): seed " + seed + ", " + kills + " kills");
        String schema = PostgresServer.freshSchema();
        schemas.add(schema);
        Set<Long> all = new HashSet<>();
        List<ChildJvm> finished = new ArrayList<>();
        Set<Long> diedHolding = new HashSet<>();
        int killed = 0;
        try (PostgresStorage storage = PostgresStorage.open(PostgresServer.url(),
                PostgresSettings.defaults().withSchema(schema).withMaxPoolSize(2))) {
            SessionService cli = new SessionService(storage.persistence(), Clock.systemUTC(),
                    SessionIdGenerator.random(), new ContextJson());
            List<SessionId> ids = new ArrayList<>();
            for (int s = 0; s < SESSIONS; s++) {
                ids.add(cli.create("/home/ana/code/webapp", "+1555000000" + s).id());
            }
            queue(cli, ids, 0, all);
            ChildJvm steady = sender(schema, STEADY_PAUSE);
            ChildJvm victim = sender(schema, "0");
            for (int k = 0; k < kills; k++) {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                while (!delivered(victim) && victim.process.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                Thread.sleep(random.nextInt(40));
                victim.kill();
                killed++;
                diedHolding.addAll(unrecorded(victim.lines()));
                finished.add(victim);
                if (victim.printed("EMPTY .")) {
                    break; // it ended on its own first: nothing left to kill
                }
                queue(cli, ids, k + 1, all); // work for the next one, whatever the steady sender took meanwhile
                victim = sender(schema, "0");
            }
            if (!finished.contains(victim)) { // unless it ended on its own before its kill: counted once
                victim.finish();
                finished.add(victim);
            }
            steady.finish();
            finished.add(steady);
            cli.close();
        }

        Map<Long, Integer> deliveries = new HashMap<>();
        for (ChildJvm s : finished) {
            for (String line : s.lines()) {
                String[] f = line.split(" ");
                if (f[0].equals("DELIVER")) {
                    deliveries.merge(Long.parseLong(f[1]), 1, Integer::sum);
                    assertThat(f[2]).as("the key travels with the reply").startsWith("reply-");
                }
            }
        }
        System.out.println("outbox kill (PostgreSQL): " + killed + " kills, " + diedHolding.size()
                + " replies delivered by a killed sender before it recorded them sent; seed " + seed);
        try (PostgresStorage storage = PostgresStorage.open(PostgresServer.url(),
                PostgresSettings.defaults().withSchema(schema).withMaxPoolSize(2))) {
            SessionService cli = new SessionService(storage.persistence(), Clock.systemUTC(),
                    SessionIdGenerator.random(), new ContextJson());
            assertThat(cli.outbox().list(Optional.empty(), false, 1000)).as("nothing unsent, seed " + seed).isEmpty();
            for (long id : all) {
                assertThat(cli.outbox().find(id).map(Reply::state)).contains(Reply.State.SENT);
            }
            cli.close();
        }
        assertThat(deliveries.keySet()).as("every reply delivered, seed " + seed).isEqualTo(all);
        deliveries.forEach((id, times) -> {
            if (times > 1) {
                assertThat(diedHolding).as("reply " + id + " delivered " + times + " times, seed " + seed).contains(id);
            }
        });
    }

    private static ChildJvm sender(String schema, String pause) throws Exception {
        return ChildJvm.start(OutboxSenderProcess.class, PostgresServer.url(), schema, pause);
    }

    /** Queues round {@code round} of replies, {@link #REPLIES_EACH} per session, into {@code all}. */
    private static void queue(SessionService cli, List<SessionId> ids, int round, Set<Long> all) {
        for (int i = round * REPLIES_EACH; i < (round + 1) * REPLIES_EACH; i++) {
            for (int s = 0; s < ids.size(); s++) {
                all.add(cli.outbox().enqueue(ids.get(s), "{\"text\":\"reply " + i + "\"}", "reply-" + s + "-" + i).id());
            }
        }
    }

    private static boolean delivered(ChildJvm sender) {
        return sender.lines().stream().anyMatch(l -> l.startsWith("DELIVER"));
    }

    /** The replies a sender delivered without recording them sent. */
    private static Set<Long> unrecorded(List<String> lines) {
        Set<Long> open = new HashSet<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f[0].equals("DELIVER")) {
                open.add(Long.parseLong(f[1]));
            } else if (f[0].equals("SENT")) {
                open.remove(Long.parseLong(f[1]));
            }
        }
        return open;
    }
}
