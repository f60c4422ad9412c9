package io.claudesignal.sessions.adapters.sqlite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.SessionId;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A child process for {@link MultiProcessTest}: reads a counter from a session's context, adds one
 * and writes it back, as one read-modify-write, {@code n} times; prints how many attempts failed.
 * Prints READY once open and starts when a line arrives on standard input, so that all start together.
 */
public final class CounterWorker {

    private CounterWorker() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        SessionId id = SessionId.parse(args[1]);
        int increments = Integer.parseInt(args[2]);
        ObjectMapper json = new ObjectMapper();
        int failures = 0;
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            System.out.println("READY");
            System.out.flush();
            System.in.read(); // start together with the others
            for (int i = 0; i < increments; i++) {
                try {
                    storage.repository().update(id, s -> {
                        try {
                            ObjectNode context = (ObjectNode) json.readTree(s.context());
                            context.put("count", context.path("count").asLong() + 1);
                            return s.withContext(json.writeValueAsString(context), Instant.now());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, WriteContext.by(Actor.CLI, Instant.now()));
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
