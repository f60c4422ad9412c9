package io.claudesignal.sessions.application.port.out;

import java.util.List;

/** What a store can tell about its own health: integrity, schema, settings, file permissions. */
@FunctionalInterface
public interface StorageDiagnostics {

    /** Runs every check the store has; never throws for a failed check, it reports it. */
    List<HealthCheck> run();
}
