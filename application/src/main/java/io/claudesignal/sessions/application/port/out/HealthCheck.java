package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.SessionsException;
import java.util.Objects;
import java.util.function.Supplier;

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

    /**
     * The finding of {@code check}, or a failed finding carrying its message when the check itself
     * is refused by the store: one broken check must not hide the others.
     */
    public static HealthCheck guarded(String name, Supplier<HealthCheck> check) {
        try {
            return check.get();
        } catch (SessionsException e) {
            return failed(name, e.getMessage());
        }
    }
}
