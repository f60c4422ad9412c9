package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.application.port.out.Persistence;
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
    protected Persistence openPersistence() {
        String schema = PostgresServer.freshSchema();
        closeAfterwards(() -> PostgresServer.dropSchema(schema)); // registered first, so dropped after the stores
        settings = PostgresSettings.defaults().withSchema(schema).withMaxPoolSize(2)
                .withLeaseTimeFromCaller(); // the model moves lease time with its own clock
        return open();
    }

    @Override
    protected Persistence openSecondHandle() {
        return open();
    }

    private Persistence open() {
        return closeAfterwards(PostgresStorage.open(PostgresServer.url(), settings)).persistence();
    }
}
