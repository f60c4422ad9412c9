package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.application.port.out.StorageAdapter;
import io.claudesignal.sessions.tck.SessionsModelProperties;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The PostgreSQL adapter against the model of the rules, each script in a schema of its own (dropped
 * afterwards); the second daemon works through a second pool on the same schema.
 */
@ExtendWith(PostgresServer.class)
class PostgresSessionsModelTest extends SessionsModelProperties {

    private PostgresSettings settings;

    @Override
    protected StorageAdapter openStorage() {
        String schema = PostgresServer.freshSchema();
        closeAfterwards(() -> PostgresServer.dropSchema(schema)); // registered first, so dropped after the stores
        settings = PostgresSettings.defaults().withSchema(schema).withMaxPoolSize(2)
                .withLeaseTimeFromCaller(); // the model moves lease time with its own clock
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
