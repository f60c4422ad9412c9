package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.SessionId;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A child process for {@link TranscriptMultiProcessTest}: appends {@code n} items to one session's
 * transcript, each keyed {@code <worker>-<i>} and then once more with the same key (a retried
 * delivery), and prints the number each got. Prints READY once open and starts when a line arrives on
 * standard input, so that all start together.
 */
public final class TranscriptWorker {

    private TranscriptWorker() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        SessionId id = SessionId.parse(args[1]);
        int items = Integer.parseInt(args[2]);
        String worker = args[3];
        int failures = 0;
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            Transcripts transcripts = new SessionService(storage.persistence(), Clock.systemUTC(),
                    SessionIdGenerator.random(), new ContextJson()).transcripts();
            System.out.println("READY");
            System.out.flush();
            System.in.read(); // start together with the others
            for (int i = 0; i < items; i++) {
                String key = worker + "-" + i;
                String item = "{\"role\":\"user\",\"content\":\"" + key + "\"}";
                try {
                    long seq = transcripts.append(id, item, key).seq();
                    long again = transcripts.append(id, item, key).seq();
                    System.out.println("seq " + seq + (again == seq ? "" : " retry-got " + again));
                } catch (RuntimeException e) {
                    failures++;
                    System.out.println("error: " + e.getMessage());
                }
            }
        }
        System.out.println("failures " + failures);
        System.exit(failures == 0 ? 0 : 1);
    }
}
