package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.tck.SessionsModelProperties;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * The PostgreSQL adapter against the model of the rules, each try in a schema of its own (dropped
 * afterwards); the second daemon works through a second pool on the same schema. jqwik does not run
 * JUnit's conditions, so a hook of its own skips the properties when there is no server, as
 * {@link PostgresServer} skips the JUnit tests (and fails them under {@code CI=true}).
 */
@AddLifecycleHook(PostgresSessionsModelTest.ServerAvailable.class)
class PostgresSessionsModelTest extends SessionsModelProperties {

    static final class ServerAvailable implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            String reason = PostgresServer.unavailableReason();
            if (reason == null) {
                return SkipResult.doNotSkip();
            }
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true and " + reason + ": the PostgreSQL properties must run");
            }
            return SkipResult.skip("PostgreSQL tests skipped: " + reason);
        }
    }

    private PostgresSettings settings;

    @Override
    protected Persistence openPersistence() {
        String schema = PostgresServer.freshSchema();
        closeAfterwards(() -> PostgresServer.dropSchema(schema)); // registered first, so dropped after the stores
        settings = PostgresSettings.defaults().withSchema(schema).withMaxPoolSize(2);
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
