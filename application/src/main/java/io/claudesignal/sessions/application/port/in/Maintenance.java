package io.claudesignal.sessions.application.port.in;

/** What the person who runs the daemon asks of the store itself, rather than of one session. */
public interface Maintenance {

    /** Checks the store (integrity, schema version, settings, file modes) and reports every finding. */
    HealthReport check();
}
