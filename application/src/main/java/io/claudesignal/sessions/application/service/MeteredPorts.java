package io.claudesignal.sessions.application.service;

import io.claudesignal.sessions.application.port.out.StoreMetrics;
import io.claudesignal.sessions.domain.ApprovalConflictException;
import io.claudesignal.sessions.domain.ApprovalNotFoundException;
import io.claudesignal.sessions.domain.ConflictException;
import io.claudesignal.sessions.domain.DaemonRequiredException;
import io.claudesignal.sessions.domain.DaemonRunningException;
import io.claudesignal.sessions.domain.DuplicateSessionException;
import io.claudesignal.sessions.domain.IllegalTransitionException;
import io.claudesignal.sessions.domain.InboxFullException;
import io.claudesignal.sessions.domain.LeaseHeldException;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionsException;
import io.claudesignal.sessions.domain.StaleVersionException;
import io.claudesignal.sessions.domain.StatusMismatchException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Wraps an inbound port ({@code Sessions}, {@code Leases}, {@code Transcripts}) so that every call is
 * reported to {@link StoreMetrics}: its kind, outcome and duration, the type of a conflict, a lost
 * lease, the sessions a recovery moved. One wrapper for every port and method; each method is a
 * {@link MeteredOperation}, which names its meters, and a port with a method that is none is refused.
 */
public final class MeteredPorts {

    /**
     * The {@code type} of each conflict's meter, written out as the operations' names are
     * ({@link MeteredOperation}); {@code MeteredOperationTest} checks that every conflict has one.
     */
    static final Map<Class<? extends ConflictException>, String> CONFLICT_TYPES = Map.of(
            StatusMismatchException.class, "status_mismatch",
            StaleVersionException.class, "stale_version",
            IllegalTransitionException.class, "illegal_transition",
            LeaseHeldException.class, "lease_held",
            LeaseLostException.class, "lease_lost",
            DuplicateSessionException.class, "duplicate_session",
            DaemonRequiredException.class, "daemon_required",
            DaemonRunningException.class, "daemon_running",
            ApprovalConflictException.class, "approval_decided",
            InboxFullException.class, "inbox_full");

    private MeteredPorts() {
    }

    /** {@code target} itself when {@code metrics} is {@link StoreMetrics#NONE}: no cost without metrics. */
    public static <T> T wrap(Class<T> port, T target, StoreMetrics metrics) {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(metrics, "metrics");
        if (metrics == StoreMetrics.NONE) {
            return target;
        }
        Map<Method, MeteredOperation> operations = new HashMap<>();
        for (Method method : port.getMethods()) {
            if (!Modifier.isStatic(method.getModifiers())) {
                // Refused here, at assembly, rather than measured under a made-up name.
                operations.put(method, MeteredOperation.of(method).orElseThrow(() -> new IllegalStateException(
                        port.getSimpleName() + "." + method.getName() + " has no MeteredOperation")));
            }
        }
        InvocationHandler handler = (proxy, method, args) -> method.getDeclaringClass() == Object.class
                ? method.invoke(target, args)
                : call(target, operations.get(method), method, args, metrics);
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, handler));
    }

    private static Object call(Object target, MeteredOperation operation, Method method, Object[] args,
            StoreMetrics metrics) throws Throwable {
        String kind = operation.meterName();
        long start = System.nanoTime();
        try {
            Object result = method.invoke(target, args);
            metrics.operation(kind, "ok", Duration.ofNanos(System.nanoTime() - start));
            if (operation == MeteredOperation.RECOVER && result instanceof List<?> recovered) {
                metrics.recovered(recovered.size());
            }
            if (operation == MeteredOperation.RENEW && result instanceof List<?> lost) {
                lost.forEach(id -> metrics.leaseLost()); // Leases.renew: the ids whose lease was lost
            }
            return result;
        } catch (InvocationTargetException e) {
            Throwable failure = e.getCause();
            metrics.operation(kind, outcome(failure), Duration.ofNanos(System.nanoTime() - start));
            if (failure instanceof ConflictException) {
                metrics.conflict(CONFLICT_TYPES.getOrDefault(failure.getClass(), "conflict"));
            }
            if (failure instanceof LeaseLostException) {
                metrics.leaseLost();
            }
            throw failure;
        }
    }

    /** The CLI's words for the outcomes, so that a dashboard and a script's exit codes agree. */
    static String outcome(Throwable failure) {
        if (failure instanceof SessionNotFoundException || failure instanceof ApprovalNotFoundException) {
            return "not_found";
        }
        if (failure instanceof ConflictException) {
            return "conflict";
        }
        if (failure instanceof InvalidInputException) {
            return "invalid_input";
        }
        // Every other typed error of the library is the store failing (StorageException and its kinds).
        return failure instanceof SessionsException ? "storage" : "error";
    }
}
