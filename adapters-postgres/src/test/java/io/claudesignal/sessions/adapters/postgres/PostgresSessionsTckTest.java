package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.application.port.out.StorageAdapter;
import io.claudesignal.sessions.tck.SessionsTck;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The PostgreSQL adapter against the kit every adapter passes, on a real server, each test in a
 * schema of its own that is dropped afterwards. The second handle is a second store (its own
 * connection pool) on the same schema, as another daemon would open it, so the races run between
 * pools that only the server's locks keep apart.
 */
@ExtendWith(PostgresServer.class)
class PostgresSessionsTckTest extends SessionsTck {

    private PostgresSettings settings;

    @Override
    protected StorageAdapter openStorage() {
        String schema = PostgresServer.freshSchema();
        closeAfterwards(() -> PostgresServer.dropSchema(schema)); // registered first, so closed after the stores
        settings = PostgresSettings.defaults().withSchema(schema)
                .withLeaseTimeFromCaller(); // the kits move lease time with their own clock
        return open();
    }

    @Override
    protected StorageAdapter openSecondHandle() {
        return open();
    }

    private StorageAdapter open() {
        return PostgresStorage.open(PostgresServer.url(), settings);
    }
}
