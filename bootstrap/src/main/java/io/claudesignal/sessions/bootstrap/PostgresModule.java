package io.claudesignal.sessions.bootstrap;

import io.claudesignal.sessions.adapters.postgres.PostgresSettings;
import io.claudesignal.sessions.adapters.postgres.PostgresStorage;
import io.claudesignal.sessions.application.port.out.StorageAdapter;
import io.claudesignal.sessions.application.port.out.StoreMetrics;
import java.util.Objects;

/**
 * Stores sessions in a PostgreSQL database that several daemons share. Beside {@link ApplicationModule},
 * the pool is opened, and the schema checked and migrated, when the injector is created. Needs the
 * artifact {@code sessions-adapters-postgres}, which {@code sessions-bootstrap} does not bring.
 */
public final class PostgresModule extends StorageModule {

    private final String url;
    private final PostgresSettings settings;

    /**
     * @param url {@code jdbc:postgresql://host:5432/db?user=u} or {@code postgresql://u@host:5432/db}
     */
    public PostgresModule(String url, PostgresSettings settings) {
        this.url = Objects.requireNonNull(url, "url");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public PostgresModule(String url) {
        this(url, PostgresSettings.defaults());
    }

    @Override
    protected StorageAdapter open(StoreMetrics metrics) {
        return PostgresStorage.open(url, settings);
    }
}
