package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON outputs embed stored JSON (contexts, activity details, transcript items) byte for byte: the
 * store keeps their spacing, escapes and number spelling, and so must what shows them.
 */
class StoredJsonCliTest {

    /** Every way a re-serialisation would change it: spacing, an escape, -0.0 and a number's exponent. */
    private static final String HOSTILE = "{\"x\": -0.0, \"n\": 1.50e0, \"s\": \"caf\\u00e9\"}";
    private static final String ID = "33474483-b8da-4fdd-afe9-787b9e3f4e1c";

    private final SharedStorage storage = new SharedStorage();
    private final CliHarness cli = new CliHarness(storage);

    @AfterEach
    void everyStoreOpenedWasClosed() {
        assertThat(storage.closed.get()).as("stores closed").isEqualTo(storage.opened.size());
    }

    @Test
    void transcriptShowEmbedsTheItemAsAppended() {
        String id = cli.create("/home/ana/code/webapp", "+15551234567");
        cli.run("transcript", "append", id, HOSTILE).succeeds();
        String out = cli.run("--json", "transcript", "show", id).succeeds().out();
        assertThat(out).contains("\"item\":" + HOSTILE + "}");
        assertThat(cli.run("--json", "transcript", "append", id, HOSTILE, "--key", "k").succeeds().out())
                .contains("\"item\":" + HOSTILE + "}");
    }

    @Test
    void showAndActivitiesEmbedTheContextAndDetailsAsStored(@TempDir Path dir) throws Exception {
        // Only an import stores a context or details that the API did not compact: a line says so.
        String line = "{\"format\":\"claude-signal-sessions/2\",\"id\":\"" + ID + "\",\"projectPath\":\"/tmp/p\","
                + "\"threadId\":\"t1\",\"status\":\"CREATED\",\"createdAt\":\"2026-11-30T05:20:45.389701Z\","
                + "\"updatedAt\":\"2026-11-30T05:20:45.389701Z\",\"version\":1,\"pinned\":false,\"forkedFrom\":null,"
                + "\"context\":" + quoted(HOSTILE) + ",\"history\":[],"
                + "\"activities\":{\"lastSeq\":1,\"acknowledgedSeq\":0,\"entries\":[{\"seq\":1,\"type\":\"edit\","
                + "\"at\":\"2026-11-30T05:21:00.000001Z\",\"details\":" + quoted(HOSTILE) + "}]},"
                + "\"transcript\":{\"lastSeq\":0,\"items\":[]}}\n";
        Path file = dir.resolve("one.jsonl");
        Files.writeString(file, line, StandardCharsets.UTF_8);
        cli.run("import", file.toString()).succeeds();
        assertThat(cli.run("--json", "show", ID).succeeds().out()).contains("\"context\":" + HOSTILE + ",");
        assertThat(cli.run("--json", "activities", ID).succeeds().out()).contains("\"details\":" + HOSTILE + "}");
    }

    private static String quoted(String json) {
        return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
