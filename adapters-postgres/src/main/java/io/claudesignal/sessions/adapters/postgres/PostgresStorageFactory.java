package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.application.port.out.StorageAdapter;
import io.claudesignal.sessions.application.port.out.StorageFactory;
import io.claudesignal.sessions.application.port.out.StoreMetrics;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Opens the PostgreSQL database a URL names ({@code jdbc:postgresql://}, {@code postgresql://},
 * {@code postgres://}). Registered for {@link java.util.ServiceLoader}; loads neither the driver nor
 * the pool until {@link #open} is called. It takes no settings: the URL carries them
 * ({@code currentSchema}, {@code lockTimeout}, … as {@link PostgresStorage#open(String, PostgresSettings)} says).
 */
public final class PostgresStorageFactory implements StorageFactory {

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public boolean accepts(String location) {
        return isPostgres(location); // here, not in PostgresStorage: asking must not initialise the storage class
    }

    @Override
    public StorageAdapter open(String location, Map<String, String> settings, StoreMetrics metrics) {
        StorageFactory.requireKnown(settings, Set.of(), name());
        return PostgresStorage.open(location, PostgresSettings.defaults());
    }

    static boolean isPostgres(String text) {
        String lower = text == null ? "" : text.toLowerCase(Locale.ROOT);
        return lower.startsWith("jdbc:postgresql:") || lower.startsWith("postgresql://") || lower.startsWith("postgres://");
    }
}
