package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Reply;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A sender in its own JVM for {@link OutboxKillTest}: claims and "sends" replies of the schema's
 * outbox until none is left unsent, printing {@code DELIVER id key .} once the reply reached "Signal"
 * (this output) and {@code SENT id .} once {@code sent} returned; {@code EMPTY .} at the end. Every line
 * ends with {@code " ."}: one that a kill cut short is no report. Arguments: {@code <url> <schema>
 * [pause]}: a sender given a pause (milliseconds) waits that long after each reply it sent, so that
 * the test's other sender finds work too.
 */
public final class OutboxSenderProcess {

    /** A dead sender's claims are claimable again this long after they were made. */
    static final Duration CLAIM = Duration.ofMillis(800);

    private OutboxSenderProcess() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        long pause = args.length > 2 ? Long.parseLong(args[2]) : 0;
        try (PostgresStorage storage = PostgresStorage.open(args[0],
                PostgresSettings.defaults().withSchema(args[1]).withMaxPoolSize(2))) {
            SessionService service = new SessionService(storage.persistence(), Clock.systemUTC(),
                    SessionIdGenerator.random(), new ContextJson(), SessionsConfig.cli());
            while (true) {
                List<Reply> claimed = service.outbox().claim(2, CLAIM);
                if (claimed.isEmpty()) {
                    if (service.outbox().list(Optional.empty(), false, 1).isEmpty()) {
                        break;
                    }
                    Thread.sleep(50); // another sender's claim, or a later reply waiting for it
                    continue;
                }
                for (Reply r : claimed) {
                    out.println("DELIVER " + r.id() + " " + r.key() + " .");
                    service.outbox().sent(r.id());
                    out.println("SENT " + r.id() + " .");
                    Thread.sleep(pause);
                }
            }
            out.println("EMPTY .");
            service.close();
        }
    }
}
