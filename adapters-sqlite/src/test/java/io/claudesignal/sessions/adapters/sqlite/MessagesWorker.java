package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.InboxMessage;
import io.claudesignal.sessions.domain.Reply;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A child process for {@link MessagesKillTest}: a daemon working through an inbox, or a sender working
 * through the outbox, on a SQLite file, reporting each step on standard output after the call returned.
 * Every line ends with {@code " ."}: a line the kill cut short is not a report.
 *
 * <pre>
 * daemon &lt;db&gt; &lt;session&gt;:  TAKEN seq . / HANDLED seq . (in the transcript) / DONE seq . / EMPTY .
 * sender &lt;db&gt;:            DELIVER id key session . (the reply reached "Signal") / SENT id . / EMPTY .
 * </pre>
 */
public final class MessagesWorker {

    static final String DAEMON = "messages-kill";
    /** A dead sender's claims are claimable again this long after they were made. */
    static final Duration CLAIM = Duration.ofMillis(700);

    private MessagesWorker() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Path db = Path.of(args[1]);
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            SessionsConfig config = SessionsConfig.daemon(DAEMON).withLease(Duration.ofSeconds(30), Duration.ofSeconds(5));
            SessionService service = new SessionService(storage.persistence(), Clock.systemUTC(),
                    SessionIdGenerator.random(), new ContextJson(), config);
            if (args[0].equals("daemon")) {
                daemon(service, SessionId.parse(args[2]), out);
            } else {
                sender(service, out);
            }
            out.println("EMPTY .");
            service.close();
        }
    }

    /** Recovers what its previous run (killed) left, then handles every message, in order. */
    private static void daemon(SessionService service, SessionId id, PrintStream out) {
        service.recover(); // opening fenced the previous run: its session comes back at once
        if (service.get(id).status() == SessionStatus.PAUSED) {
            service.resume(id);
        }
        service.leases().claim(id);
        for (Optional<InboxMessage> m = service.inbox().next(id); m.isPresent(); m = service.inbox().next(id)) {
            long seq = m.get().seq();
            out.println("TAKEN " + seq + " .");
            service.transcripts().append(id, m.get().json(), m.get().key()); // once per key, however often handled
            out.println("HANDLED " + seq + " .");
            service.inbox().done(id, seq);
            out.println("DONE " + seq + " .");
        }
    }

    /** Claims and "sends" until nothing is left unsent, waiting out the claims of a dead sender. */
    private static void sender(SessionService service, PrintStream out) throws InterruptedException {
        while (true) {
            List<Reply> claimed = service.outbox().claim(3, CLAIM);
            if (claimed.isEmpty()) {
                if (service.outbox().list(Optional.empty(), false, 1).isEmpty()) {
                    return;
                }
                Thread.sleep(50); // a dead sender's claim, or a later reply waiting for it
                continue;
            }
            for (Reply r : claimed) {
                out.println("DELIVER " + r.id() + " " + r.key() + " " + r.sessionId() + " .");
                service.outbox().sent(r.id());
                out.println("SENT " + r.id() + " .");
            }
        }
    }
}
