package io.claudesignal.sessions.application.port.in;

import io.claudesignal.sessions.application.port.out.HealthCheck;
import java.util.List;

/** The findings of {@link Maintenance#check()}; {@link #ok()} only when every one of them is. */
public record HealthReport(List<HealthCheck> checks) {

    public HealthReport {
        checks = List.copyOf(checks);
    }

    public boolean ok() {
        return checks.stream().allMatch(HealthCheck::ok);
    }
}
