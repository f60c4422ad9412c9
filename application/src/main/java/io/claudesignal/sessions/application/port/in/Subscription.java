package io.claudesignal.sessions.application.port.in;

/** A listener's registration; closing it stops the events. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    @Override
    void close();
}
