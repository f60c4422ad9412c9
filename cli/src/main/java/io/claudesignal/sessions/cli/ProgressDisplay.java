package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.application.port.in.Progress;

/**
 * Where the long commands (export, import, purge) send their progress: a display on standard error
 * opens one per command and closes it when the command ends. The CLI's display is chosen by
 * {@link SessionsCli#progress}: nothing when output is JSON or standard error is not a terminal.
 */
interface ProgressDisplay {

    /** Shows nothing. */
    ProgressDisplay NONE = label -> new Shown() {
        @Override
        public void advanced(long done, long total) {
        }

        @Override
        public void close() {
        }
    };

    /** Starts showing the progress of {@code label} ("exporting", "importing", "purging"). */
    Shown start(String label);

    /** One command's progress: fed as a {@link Progress}, closed (and cleared) when the command ends. */
    interface Shown extends Progress, AutoCloseable {
        @Override
        void close();
    }
}
