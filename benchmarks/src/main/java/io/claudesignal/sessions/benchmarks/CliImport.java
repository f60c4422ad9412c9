package io.claudesignal.sessions.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Issue 25's import target: {@code ./sessions transcript import ID FILE} of a 10,000-line Claude Code
 * session file against appending its lines with one {@code ./sessions transcript append ID LINE} call
 * each. Running 10,000 JVMs would take most of an hour, so the per-line side is measured on the first
 * {@link #SAMPLE} lines and extrapolated to the file (median call time x lines): the line says so. One
 * JSON line: {@code {"workload": "cliImport", "lines": 10000, "seconds": X, "baseline":
 * "cli-append-per-line", "sampledCalls": 20, "baselineSeconds": Y (extrapolated), "ratio": Y/X,
 * "targetRatio": 50, "met": ...}}; here higher is better.
 *
 * <p>{@code java -cp benchmarks.jar io.claudesignal.sessions.benchmarks.CliImport LAUNCHER}, with
 * {@code -Dbench.dir} for the files.
 */
public final class CliImport {

    static final int LINES = 10_000;
    static final int SAMPLE = 20;
    static final double TARGET_RATIO = 50.0;
    private static final long TIMEOUT_SECONDS = 900;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CliImport() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: CliImport LAUNCHER (the ./sessions script)");
        }
        String launcher = Path.of(args[0]).toAbsolutePath().toString();
        Path dir = Files.createDirectories(Path.of(System.getProperty("bench.dir", "target/bench-data")));
        Path db = dir.resolve("cli-import-" + System.nanoTime() + ".db");
        Path file = dir.resolve("claude-session.jsonl");
        List<String> lines = new ArrayList<>(LINES);
        String text = "please run the tests and tell me which ones fail, then fix the first one. ".repeat(10);
        for (int n = 0; n < LINES; n++) {
            // The shape of a Claude Code entry: about 1 KB, the uuid last.
            lines.add("{\"parentUuid\":null,\"isSidechain\":false,\"type\":\"" + (n % 2 == 0 ? "user" : "assistant")
                    + "\",\"message\":{\"role\":\"user\",\"content\":\"" + n + " " + text + "\"},\"uuid\":\""
                    + UUID.randomUUID() + "\",\"timestamp\":\"2026-12-07T10:00:00.000Z\"}");
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
        try {
            String importInto = create(launcher, db);
            String appendInto = create(launcher, db);
            double importSeconds = seconds(List.of(launcher, "--db", db.toString(), "transcript", "import", importInto,
                    file.toString()));
            double[] calls = new double[SAMPLE];
            for (int n = 0; n < SAMPLE; n++) {
                calls[n] = seconds(List.of(launcher, "--db", db.toString(), "transcript", "append", appendInto,
                        lines.get(n)));
            }
            double perLine = CliStartup.median(calls) * LINES;
            ObjectNode line = JSON.createObjectNode();
            line.put("workload", "cliImport");
            line.put("lines", LINES);
            line.put("seconds", Math.round(importSeconds * 1000) / 1000.0);
            line.put("baseline", "cli-append-per-line");
            line.put("sampledCalls", SAMPLE);
            line.put("baselineSeconds", Math.round(perLine * 10) / 10.0);
            double ratio = perLine / importSeconds;
            line.put("ratio", Math.round(ratio * 10) / 10.0);
            line.put("targetRatio", TARGET_RATIO);
            line.put("met", ratio >= TARGET_RATIO);
            System.out.println(JSON.writeValueAsString(line));
        } finally {
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(Path.of(db + suffix));
            }
            Files.deleteIfExists(file);
        }
    }

    /** A new session's id, made through the CLI (whose first run also makes the launcher's start-up cache). */
    private static String create(String launcher, Path db) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(launcher, "--db", db.toString(), "create", "--project", "/p", "--thread", "t",
                "--json").redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("create failed: " + out);
        }
        return JSON.readTree(out).get("id").asText();
    }

    private static double seconds(List<String> command) throws IOException, InterruptedException {
        return CliStartup.seconds(command);
    }
}
