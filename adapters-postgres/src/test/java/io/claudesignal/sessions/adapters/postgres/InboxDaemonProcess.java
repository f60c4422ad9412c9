package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.LeaseHeartbeat;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.ConflictException;
import io.claudesignal.sessions.domain.DaemonRunningException;
import io.claudesignal.sessions.domain.InboxMessage;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A daemon in its own JVM for {@link InboxKillTest}, sharing the schema with another one under another
 * name. It runs the sessions it holds leases on, and takes a session over only as the docs say: its
 * own {@code recover()} (a dead predecessor of its name at once, another daemon's once its lease
 * expired) pauses an abandoned session and puts its taken messages back; a PAUSED session is resumed
 * and claimed by whichever daemon resumes it first. For each message of a session it holds:
 * {@code next}, append to the transcript under the message's key, {@code done}, until no session has
 * an unhandled message. It reports each step on standard output after the call returned; every line
 * ends with {@code " ."}, so a line a kill cut short is no report:
 *
 * <pre>
 * STARTED incarnation . / REFUSED .  (the name's lock is still held for a killed predecessor: exit 3)
 * RECOVERED sid . / CLAIMED sid . / LOST sid .  (a write refused: the lease was taken)
 * TAKEN sid seq . / HANDLED sid seq . / DONE sid seq . / EMPTY .
 * </pre>
 *
 * Arguments: {@code <url> <schema> <name> <lease ms> <heartbeat ms> <session ids, comma-separated>}.
 */
public final class InboxDaemonProcess {

    /** Messages of one session handled before the daemon looks at its other sessions again. */
    private static final int BATCH = 2;

    private InboxDaemonProcess() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Duration lease = Duration.ofMillis(Long.parseLong(args[3]));
        Duration heartbeat = Duration.ofMillis(Long.parseLong(args[4]));
        List<SessionId> sessions = Arrays.stream(args[5].split(",")).map(SessionId::parse).toList();
        try (PostgresStorage storage = PostgresStorage.open(args[0],
                PostgresSettings.defaults().withSchema(args[1]).withMaxPoolSize(4))) {
            SessionService daemon;
            try {
                daemon = new SessionService(storage.persistence(), Clock.systemUTC(), SessionIdGenerator.random(),
                        new ContextJson(), new SessionsConfig(Actor.daemon(args[2]), lease, heartbeat,
                                SessionsConfig.DEFAULT_ACTIVITY_LIMIT));
            } catch (DaemonRunningException e) {
                out.println("REFUSED .");
                System.exit(3);
                return;
            }
            out.println("STARTED " + daemon.incarnation() + " .");
            try (LeaseHeartbeat renewing = LeaseHeartbeat.start(daemon.leases(), heartbeat)) {
                run(daemon, sessions, out);
            }
            out.println("EMPTY .");
            daemon.close();
        }
    }

    private static void run(SessionService daemon, List<SessionId> sessions, PrintStream out) throws InterruptedException {
        Set<SessionId> running = new LinkedHashSet<>();
        while (true) {
            for (SessionId id : daemon.recover()) {
                running.remove(id); // ours too, if our own lease ran out unrenewed: it is PAUSED now
                out.println("RECOVERED " + id + " .");
            }
            takeUpOne(daemon, sessions, running, out);
            boolean worked = false;
            for (SessionId id : List.copyOf(running)) {
                if (daemon.leases().held(id).isEmpty()) { // the heartbeat found it taken
                    lose(daemon, id, running, out);
                    continue;
                }
                try {
                    for (int i = 0; i < BATCH; i++) {
                        Optional<InboxMessage> m = daemon.inbox().next(id);
                        if (m.isEmpty()) {
                            break;
                        }
                        worked = true;
                        long seq = m.get().seq();
                        out.println("TAKEN " + id + " " + seq + " .");
                        daemon.transcripts().append(id, m.get().json(), m.get().key()); // once per key
                        out.println("HANDLED " + id + " " + seq + " .");
                        daemon.inbox().done(id, seq);
                        out.println("DONE " + id + " " + seq + " .");
                    }
                } catch (LeaseLostException e) {
                    lose(daemon, id, running, out);
                }
            }
            if (sessions.stream().allMatch(id -> daemon.inbox().list(id, false, 1).isEmpty())) {
                return;
            }
            if (!worked) {
                Thread.sleep(20); // nothing of ours waits: a peer's session, or one to recover later
            }
        }
    }

    /** Resumes and claims one PAUSED session, if there is one and no other daemon resumes it first. */
    private static void takeUpOne(SessionService daemon, List<SessionId> sessions, Set<SessionId> running,
            PrintStream out) {
        for (SessionId id : sessions) {
            if (running.contains(id) || daemon.get(id).status() != SessionStatus.PAUSED) {
                continue;
            }
            try {
                daemon.resume(id);
            } catch (ConflictException e) {
                continue; // another daemon resumed it first: it claims it
            }
            try {
                daemon.leases().claim(id);
            } catch (ConflictException e) {
                continue; // recovered again meanwhile (our resume got no lease in time): the next pass sees it
            }
            running.add(id);
            out.println("CLAIMED " + id + " .");
            return;
        }
    }

    /** The session was taken from us: forget the lost lease, so that we may take it up again later. */
    private static void lose(SessionService daemon, SessionId id, Set<SessionId> running, PrintStream out) {
        daemon.leases().release(id);
        running.remove(id);
        out.println("LOST " + id + " .");
    }
}
