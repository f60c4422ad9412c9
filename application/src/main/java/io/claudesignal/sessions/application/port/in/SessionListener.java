package io.claudesignal.sessions.application.port.in;

/**
 * Told of each {@link SessionEvent} after the change is committed, on the thread that made it, in the
 * order of the changes that thread made. Keep it quick (hand slow work to an executor). What it
 * throws is reported to the JDK's {@link System.Logger} and otherwise ignored: the change stands.
 */
@FunctionalInterface
public interface SessionListener {

    void on(SessionEvent event);
}
