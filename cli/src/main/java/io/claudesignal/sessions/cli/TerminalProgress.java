package io.claudesignal.sessions.cli;

import java.io.PrintStream;
import java.util.Objects;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

/**
 * The progress of a long command (export, import, purge) as a bar on standard error, drawn by the
 * {@code progressbar} library (over JLine) rather than by escape codes of our own. Standard output
 * is never written, so a command's output can still be piped. Whether to show one at all is
 * {@link #wanted}: never with {@code --json}, never when standard error is not a terminal.
 */
final class TerminalProgress {

    /** Columns when the terminal's width cannot be read. */
    static final int DEFAULT_WIDTH = 80;

    private final PrintStream err;
    private final int width;

    TerminalProgress(PrintStream err, int width) {
        this.err = Objects.requireNonNull(err, "err");
        this.width = width > 0 ? width : DEFAULT_WIDTH;
    }

    /** A bar on this process's standard error, as wide as its terminal. */
    static TerminalProgress onStandardError(PrintStream err) {
        return new TerminalProgress(err, stderrWidth());
    }

    /** Whether a command shows progress: only to a person watching standard error, never to a script. */
    static boolean wanted(boolean json, boolean stderrIsTerminal) {
        return !json && stderrIsTerminal;
    }

    /**
     * Whether this process's standard error is a terminal. Java 17 cannot tell for stderr alone
     * ({@code System.console()} looks at stdin and stdout), so JLine's provider asks the system.
     */
    static boolean stderrIsTerminal() {
        try {
            return TerminalProvider.load("exec").isSystemStream(SystemStream.Error);
        } catch (Exception | LinkageError e) {
            return false; // cannot tell: say nothing rather than garble a log file
        }
    }

    private static int stderrWidth() {
        try {
            return TerminalProvider.load("exec").systemStreamWidth(SystemStream.Error);
        } catch (Exception | LinkageError e) {
            return DEFAULT_WIDTH;
        }
    }

    /** Starts a bar for {@code label} ("exporting", "importing", "purging"); close it when the command ends. */
    Bar start(String label) {
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(label)
                .setInitialMax(-1) // unknown until the command says
                .setStyle(ProgressBarStyle.UNICODE_BLOCK) // no colour: the CLI writes none on stderr
                .setConsumer(new ConsoleProgressBarConsumer(err, width))
                .setUpdateIntervalMillis(200)
                .clearDisplayOnFinish()
                .build();
        return new Bar(bar);
    }

    /** One command's bar. */
    static final class Bar implements AutoCloseable {
        private final ProgressBar bar;

        private Bar(ProgressBar bar) {
            this.bar = bar;
        }

        /** {@code done} units of {@code total} ({@code -1}: not known), as the application's Progress reports them. */
        void advanced(long done, long total) {
            if (total >= 0 && total != bar.getMax()) {
                bar.maxHint(total);
            }
            bar.stepTo(done);
        }

        /** Removes the bar from the terminal. */
        @Override
        public void close() {
            bar.close();
        }
    }
}
