package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress bar of the long commands: drawn on the stream it is given, and only for people. */
class TerminalProgressTest {

    @Test
    void drawsTheCountOnTheStreamItIsGivenAndNothingElse() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8);
        try (TerminalProgress.Bar bar = new TerminalProgress(stream, 100).start("exporting")) {
            for (int done = 1; done <= 40; done++) {
                bar.advanced(done, 40);
            }
        }
        String drawn = err.toString(StandardCharsets.UTF_8);
        // Redrawn in place (carriage returns), never scrolling the terminal line by line.
        assertThat(drawn).contains("exporting", "40/40", "\r").doesNotContain("\u001b");
        assertThat(drawn.stripTrailing()).doesNotContain("\n");
    }

    @Test
    void anUnknownTotalIsACounter() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (TerminalProgress.Bar bar = new TerminalProgress(new PrintStream(err, true, StandardCharsets.UTF_8), 80)
                .start("importing")) {
            bar.advanced(7, -1);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("importing", "7");
    }

    @Test
    void onlyPeopleWatchingStandardErrorSeeIt() {
        assertThat(TerminalProgress.wanted(false, true)).isTrue();
        assertThat(TerminalProgress.wanted(true, true)).as("--json").isFalse();
        assertThat(TerminalProgress.wanted(false, false)).as("stderr redirected").isFalse();
        // Under the build, standard error is a pipe or a file.
        assertThat(TerminalProgress.stderrIsTerminal()).isFalse();
    }
}
