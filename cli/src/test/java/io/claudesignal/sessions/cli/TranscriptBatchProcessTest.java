package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches from several CLI processes at once on one SQLite file: each {@code append --jsonl} is one
 * run of consecutive numbers, never interleaved with another process's; two processes importing the
 * same Claude Code file append each entry once.
 */
class TranscriptBatchProcessTest {

    /** Only a hang detector: JVMs starting at once on a loaded 2-core machine are slow. */
    private static final long TIMEOUT_SECONDS = 600;
    private static final int PROCESSES = 4;
    private static final int LINES = 500;

    @TempDir
    Path dir;

    record Exit(int code, String out, String err) {
    }

    private static Exit exit(Process p) throws Exception {
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.toHandle().destroyForcibly();
            throw new AssertionError("the child did not finish in " + TIMEOUT_SECONDS + " s");
        }
        return new Exit(p.exitValue(), "", "");
    }

    private Exit run(String... args) throws Exception {
        Path out = dir.resolve("run-" + System.nanoTime() + ".out");
        Path err = dir.resolve("run-" + System.nanoTime() + ".err");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + dir, "-Djava.io.tmpdir=" + dir, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), SessionsCli.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        exit(p);
        return new Exit(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private List<Exit> runAtOnce(List<String[]> commands) throws Exception {
        List<Path[]> files = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        for (String[] args : commands) {
            Path out = dir.resolve("race-" + System.nanoTime() + ".out");
            Path err = dir.resolve("race-" + System.nanoTime() + ".err");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Duser.home=" + dir, "-Djava.io.tmpdir=" + dir, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"), SessionsCli.class.getName()));
            command.addAll(List.of(args));
            processes.add(new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start());
            files.add(new Path[] {out, err});
        }
        List<Exit> exits = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            exit(processes.get(i));
            exits.add(new Exit(processes.get(i).exitValue(), Files.readString(files.get(i)[0], StandardCharsets.UTF_8),
                    Files.readString(files.get(i)[1], StandardCharsets.UTF_8)));
        }
        return exits;
    }

    private String createSession(Path db) throws Exception {
        Exit created = run("--db", db.toString(), "--json", "create", "--project", "/p", "--thread", "t");
        assertThat(created.code()).as(created.err()).isZero();
        return CliHarness.parse(created.out()).get("id").asText();
    }

    @Test
    void batchesFromSeveralProcessesNeverInterleave() throws Exception {
        Path db = dir.resolve("shared.db");
        String id = createSession(db);
        List<String[]> commands = new ArrayList<>();
        for (int p = 0; p < PROCESSES; p++) {
            int process = p;
            Path lines = dir.resolve("batch-" + p + ".jsonl");
            Files.writeString(lines, IntStream.range(0, LINES)
                    .mapToObj(n -> "{\"p\":" + process + ",\"n\":" + n + "}").collect(Collectors.joining("\n")));
            commands.add(new String[] {"--db", db.toString(), "--json", "transcript", "append", id, "@" + lines, "--jsonl"});
        }
        List<Long> firsts = new ArrayList<>();
        for (Exit exit : runAtOnce(commands)) {
            assertThat(exit.code()).as(exit.err()).isZero();
            JsonNode report = CliHarness.parse(exit.out());
            assertThat(report.get("appended").asLong()).isEqualTo(LINES);
            assertThat(report.get("last").asLong() - report.get("first").asLong()).isEqualTo(LINES - 1);
            firsts.add(report.get("first").asLong());
        }
        assertThat(firsts).containsExactlyInAnyOrderElementsOf(
                LongStream.range(0, PROCESSES).map(p -> 1 + p * LINES).boxed().toList());
        List<String> exported = run("--db", db.toString(), "transcript", "export", id).out().lines().toList();
        assertThat(exported).hasSize(PROCESSES * LINES);
        for (int from = 0; from < exported.size(); from += LINES) {
            String process = CliHarness.parse(exported.get(from)).get("p").asText();
            for (int n = 0; n < LINES; n++) {
                assertThat(exported.get(from + n)).isEqualTo("{\"p\":" + process + ",\"n\":" + n + "}");
            }
        }
    }

    @Test
    void twoProcessesImportingOneFileAppendEachEntryOnce() throws Exception {
        Path db = dir.resolve("shared.db");
        String id = createSession(db);
        String text = IntStream.range(0, 3 * LINES)
                .mapToObj(n -> "{\"type\":\"user\",\"uuid\":\"u-" + n + "\",\"n\":" + n + "}")
                .collect(Collectors.joining("\n", "", "\n"));
        Path file = dir.resolve("session.jsonl");
        Files.writeString(file, text);
        String[] command = {"--db", db.toString(), "--json", "transcript", "import", id, file.toString()};
        long appended = 0;
        for (Exit exit : runAtOnce(List.of(command, command))) {
            assertThat(exit.code()).as(exit.err()).isZero();
            JsonNode report = CliHarness.parse(exit.out());
            assertThat(report.get("appended").asLong() + report.get("skipped").asLong()).isEqualTo(3 * LINES);
            appended += report.get("appended").asLong();
        }
        assertThat(appended).isEqualTo(3 * LINES);
        List<String> exported = run("--db", db.toString(), "transcript", "export", id).out().lines().toList();
        assertThat(exported).hasSize(3 * LINES).doesNotHaveDuplicates();
        assertThat(exported).containsExactlyInAnyOrderElementsOf(text.lines().toList());
    }
}
