package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.tck.TranscriptContract;
import io.claudesignal.sessions.application.port.out.Persistence;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The PostgreSQL adapter against the transcript contract every adapter passes, on a real server, each test in a
 * schema of its own that is dropped afterwards. The second handle is a second store (its own
 * connection pool) on the same schema, as another daemon would open it, so the races run between
 * pools that only the server's locks keep apart.
 */
@ExtendWith(PostgresServer.class)
class PostgresTranscriptTest extends TranscriptContract {

    private String schema;
    private PostgresStorage first;
    private PostgresStorage second;

    private PostgresSettings settings() {
        return PostgresSettings.defaults().withSchema(schema)
                .withLeaseTimeFromCaller(); // the kits move lease time with their own clock
    }

    @Override
    protected Persistence openRepository() {
        schema = PostgresServer.freshSchema();
        first = PostgresStorage.open(PostgresServer.url(), settings());
        return first.persistence();
    }

    @Override
    protected Persistence openSecondHandle() {
        second = PostgresStorage.open(PostgresServer.url(), settings());
        return second.persistence();
    }

    @Override
    protected void closeRepositories() throws Exception {
        try {
            if (second != null) {
                second.close();
            }
            if (first != null) {
                first.close();
            }
        } finally {
            if (schema != null) {
                PostgresServer.dropSchema(schema);
            }
        }
    }
}
