package io.claudesignal.sessions.bootstrap;

import io.claudesignal.sessions.application.port.out.StorageAdapter;
import io.claudesignal.sessions.application.port.out.StorageFactory;
import io.claudesignal.sessions.application.port.out.StoreMetrics;
import io.claudesignal.sessions.domain.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Finds the adapter for a location among the {@link StorageFactory}s on the class path, so that
 * neither the bootstrap nor the CLI names one: an adapter that is not there (PostgreSQL is optional)
 * is simply not offered.
 */
final class StorageLocations {

    private StorageLocations() {
    }

    /**
     * @throws InvalidInputException when no adapter on the class path recognises {@code location}
     */
    static StorageAdapter open(String location, Map<String, String> settings, StoreMetrics metrics) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(metrics, "metrics");
        return factoryFor(location).open(location, Map.copyOf(settings), metrics);
    }

    /** The first registered factory that accepts {@code location}; they are made one at a time, as needed. */
    static StorageFactory factoryFor(String location) {
        List<String> offered = new ArrayList<>();
        for (StorageFactory factory : ServiceLoader.load(StorageFactory.class, StorageLocations.class.getClassLoader())) {
            if (factory.accepts(location)) {
                return factory;
            }
            offered.add(factory.name());
        }
        // PostgreSQL is the adapter an embedder most often lacks (bootstrap does not bring it): say which artifact.
        String hint = offered.contains("postgresql") ? ""
                : "; a PostgreSQL URL needs the artifact io.claudesignal.sessions:sessions-adapters-postgres";
        throw new InvalidInputException("location", "no storage adapter on the class path opens '"
                + StorageFactory.redact(location) + "' (adapters present: "
                + (offered.isEmpty() ? "none" : String.join(", ", offered)) + hint + ")");
    }
}
