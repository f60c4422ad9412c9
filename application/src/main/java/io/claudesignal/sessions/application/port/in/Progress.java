package io.claudesignal.sessions.application.port.in;

/**
 * Told how far a long operation (export, import, purge) has come, after each step; a terminal shows it
 * as a bar or a counter. Called on the thread that runs the operation; it should return quickly.
 */
@FunctionalInterface
public interface Progress {

    /** Reports nothing. */
    Progress NONE = (done, total) -> { };

    /**
     * @param done  how many units (sessions, lines) are finished
     * @param total how many there will be, or {@code -1} when that is not known in advance
     */
    void advanced(long done, long total);
}
