package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A refused value is one line on the CLI's stderr and nothing else: no library may print beside it
 * on the process's own System.err (found by the hostile-input test: picocli warned about an
 * unbalanced quote in a --status value).
 */
class CliQuietStderrTest {

    @Test
    void anUnbalancedQuoteInAStatusIsOneLineOfInvalidInputAndNothingOnSystemErr() {
        CliHarness cli = new CliHarness(new SharedStorage());
        PrintStream original = System.err;
        ByteArrayOutputStream stray = new ByteArrayOutputStream();
        CliHarness.Result r;
        System.setErr(new PrintStream(stray, true, StandardCharsets.UTF_8));
        try {
            r = cli.run("list", "--status", "\" OR 1=1 --");
        } finally {
            System.setErr(original);
        }
        r.failsReadably(5);
        assertThat(stray.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void severalStatusesSeparatedByCommasStillWork() {
        SharedStorage storage = new SharedStorage();
        CliHarness cli = new CliHarness(storage);
        String id = cli.create("/p", "t");
        cli.run("activate", id).succeeds();
        assertThat(cli.run("--json", "list", "--status", "paused,active").succeeds().json().get("sessions")).hasSize(1);
        assertThat(cli.run("--json", "list", "--status", "paused,created").succeeds().json().get("sessions")).isEmpty();
        cli.run("list", "--status", "active,").failsReadably(5);
    }
}
