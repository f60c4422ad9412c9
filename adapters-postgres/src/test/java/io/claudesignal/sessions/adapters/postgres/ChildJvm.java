package io.claudesignal.sessions.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A worker of a kill test in a JVM of its own, and every complete line it printed: the workers end
 * each report with {@code " ."}, so a line that a kill cut short is no report and is left out.
 */
final class ChildJvm {

    final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;
    private volatile IOException readFailure;

    private ChildJvm(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.endsWith(" .")) {
                        synchronized (lines) {
                            lines.add(line);
                        }
                    }
                }
            } catch (IOException e) {
                readFailure = e; // lines may be lost: the test must not take this for the end of the output
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code main} with {@code args}; its standard error goes to the build's. */
    static ChildJvm start(Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** The complete lines so far. */
    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    boolean printed(String line) {
        synchronized (lines) {
            return lines.contains(line);
        }
    }

    /**
     * SIGKILL through the handle ({@link Process#destroyForcibly()} would also close this side of its
     * pipe, and throw away lines it had already written), then its end and its last output.
     */
    void kill() throws Exception {
        process.toHandle().destroyForcibly();
        finish();
    }

    /** Waits for the process to end and for its output to be read to the end. */
    void finish() throws Exception {
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("the child ended").isTrue();
        reader.join(TimeUnit.MINUTES.toMillis(1));
        assertThat(reader.isAlive()).as("the child's output was read to its end").isFalse();
        assertThat(readFailure).as("the child's output could be read").isNull();
    }
}
