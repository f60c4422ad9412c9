package io.claudesignal.sessions.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How long the CLI takes to answer, as people and scripts run it ({@code ./sessions show ID} and
 * {@code ./sessions list} on a file of 1,000 sessions), against how long the JVM takes to start at all
 * ({@code java -version}, the same JVM). The three are run in turn, {@link #ROUNDS} times, so that a
 * busy machine slows them alike; the medians are compared. One JSON line per command:
 * {@code {"workload": "cliShow", "runs": 5, "medianSeconds": X, "baseline": "java-version",
 * "baselineMedianSeconds": Y, "ratio": X/Y, "targetRatio": 8, "met": ...}}: here the ratio is a cost,
 * so lower is better, and the target is a ceiling.
 *
 * <p>{@code java -cp benchmarks.jar io.claudesignal.sessions.benchmarks.CliStartup LAUNCHER}, with
 * {@code -Dbench.dir} for the database file. A first, unmeasured run of each lets the launcher make
 * its start-up cache, as a user's first run after a build does.
 */
public final class CliStartup {

    static final int ROUNDS = 5;
    static final int SESSIONS = 1_000;
    /** The target: at most 8 times the JVM's own start-up. */
    static final double TARGET_RATIO = 8.0;
    private static final long TIMEOUT_SECONDS = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CliStartup() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: CliStartup LAUNCHER (the ./sessions script)");
        }
        // sqlite-jdbc would warn on stderr that SLF4J has no provider while the file is made.
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        String launcher = Path.of(args[0]).toAbsolutePath().toString();
        Path file = BenchFiles.shared("cli-startup", SESSIONS);
        String id = BenchFiles.ids(file, 1).get(0);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        List<String> baseline = List.of(java, "-version");
        List<String> show = List.of(launcher, "--db", file.toString(), "show", id);
        List<String> list = List.of(launcher, "--db", file.toString(), "list");
        for (List<String> command : List.of(baseline, show, list)) {
            seconds(command);
        }
        double[] base = new double[ROUNDS];
        double[] shows = new double[ROUNDS];
        double[] lists = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            base[round] = seconds(baseline);
            shows[round] = seconds(show);
            lists[round] = seconds(list);
        }
        double baseMedian = median(base);
        System.out.println(JSON.writeValueAsString(line("cliShow", median(shows), baseMedian)));
        System.out.println(JSON.writeValueAsString(line("cliList", median(lists), baseMedian)));
    }

    /** Wall-clock seconds from starting {@code command} to its exit; it must succeed. */
    static double seconds(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                // java -version writes to stderr; a failing command is named below, to be rerun by hand.
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove("SESSIONS_DB");
        // The launcher's java is the baseline's.
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        long elapsed = System.nanoTime() - start;
        if (process.exitValue() != 0) {
            throw new IllegalStateException(command + " failed with exit code " + process.exitValue());
        }
        return elapsed / 1e9;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static ObjectNode line(String workload, double median, double baseMedian) {
        ObjectNode line = JSON.createObjectNode();
        line.put("workload", workload);
        line.put("runs", ROUNDS);
        line.put("medianSeconds", Math.round(median * 1000) / 1000.0);
        line.put("baseline", "java-version");
        line.put("baselineMedianSeconds", Math.round(baseMedian * 1000) / 1000.0);
        double ratio = median / baseMedian;
        line.put("ratio", Math.round(ratio * 100) / 100.0);
        line.put("targetRatio", TARGET_RATIO);
        line.put("met", ratio <= TARGET_RATIO);
        return line;
    }
}
