package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * A child process for {@link FeedAcrossProcessesTest}: a daemon that only listens, for one round after
 * another (a JVM per round would cost more than the round). On {@code follow <schema>} it opens the
 * store on that schema, subscribes and prints {@code ready}; then one line per change it hears, in the
 * order heard, in the format of {@link FeedWriterProcess}'s acknowledgements
 * ({@code <session> <kind> <number> <actor>}), or {@code - Resync <position> <reason>}; on
 * {@code stop} it closes the store and prints {@code stopped}. It ends when its input ends.
 */
public final class FeedListenerProcess {

    private FeedListenerProcess() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String command = commands.readLine(); command != null; command = commands.readLine()) {
            String schema = command.substring("follow ".length());
            try (PostgresStorage storage = PostgresStorage.open(url, PostgresSettings.defaults().withSchema(schema)
                    .withMaxPoolSize(2))) {
                SessionService daemon = new SessionService(storage.persistence(), Clock.systemUTC(),
                        SessionIdGenerator.random(), new ContextJson(), new SessionsConfig(Actor.daemon("listener"),
                        Duration.ofSeconds(30), Duration.ofSeconds(10), SessionsConfig.DEFAULT_ACTIVITY_LIMIT));
                // A backlog beyond the whole round: a slow machine must not earn a (legitimate) Resync here.
                daemon.subscribe(event -> {
                    synchronized (out) {
                        print(out, event);
                        out.flush(); // the parent polls what was heard so far
                    }
                }, 1_000_000);
                line(out, "ready");
                while (!"stop".equals(command)) {
                    command = commands.readLine();
                    if (command == null) {
                        return;
                    }
                }
                daemon.close();
            }
            line(out, "stopped");
        }
    }

    private static void line(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private static void print(PrintStream out, SessionEvent event) {
        String session = event.sessionId().toString();
        if (event instanceof SessionEvent.Created c) {
            out.println(session + " C - " + c.actor().value());
        } else if (event instanceof SessionEvent.Transitioned t) {
            out.println(session + " S " + t.transition().from() + ">" + t.transition().to() + " "
                    + t.transition().actor().value());
        } else if (event instanceof SessionEvent.ContextChanged c) {
            out.println(session + " X - " + c.actor().value());
        } else if (event instanceof SessionEvent.ActivityAppended a) {
            out.println(session + " A " + a.activity().seq() + " " + a.actor().value());
        } else if (event instanceof SessionEvent.TranscriptChanged t) {
            for (TranscriptItem item : t.appended()) {
                out.println(session + " T " + item.seq() + " " + t.actor().value());
            }
            if (t.removed() > 0) {
                out.println(session + " P " + t.removed() + " " + t.actor().value());
            }
        } else if (event instanceof SessionEvent.Resync r) {
            out.println("- Resync " + r.position() + " " + r.reason());
        } else {
            out.println(session + " " + event.getClass().getSimpleName() + " - -");
        }
    }
}
