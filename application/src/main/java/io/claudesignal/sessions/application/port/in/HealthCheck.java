package io.claudesignal.sessions.application.port.in;

import java.util.Objects;

/** One finding of a health check: what was checked, whether it is as it should be, and what was seen. */
public record HealthCheck(String name, boolean ok, String detail) {

    public HealthCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(detail, "detail");
    }

    public static HealthCheck ok(String name, String detail) {
        return new HealthCheck(name, true, detail);
    }

    public static HealthCheck failed(String name, String detail) {
        return new HealthCheck(name, false, detail);
    }
}
