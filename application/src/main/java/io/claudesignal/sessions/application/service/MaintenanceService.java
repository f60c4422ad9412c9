package io.claudesignal.sessions.application.service;

import io.claudesignal.sessions.application.port.in.HealthReport;
import io.claudesignal.sessions.application.port.in.Maintenance;
import io.claudesignal.sessions.application.port.out.StorageDiagnostics;
import java.util.Objects;

/** {@link Maintenance} over the diagnostics of whichever store is installed. */
public final class MaintenanceService implements Maintenance {

    private final StorageDiagnostics diagnostics;

    public MaintenanceService(StorageDiagnostics diagnostics) {
        this.diagnostics = Objects.requireNonNull(diagnostics, "diagnostics");
    }

    @Override
    public HealthReport check() {
        return new HealthReport(diagnostics.run());
    }
}
