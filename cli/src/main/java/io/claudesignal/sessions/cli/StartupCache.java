package io.claudesignal.sessions.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Fills the start-up cache of the {@code ./sessions} launcher, which runs it once per jar under
 * {@code -XX:ArchiveClassesAtExit}: it runs the everyday commands on a scratch database, so that the
 * class-data archive the JVM writes when it exits holds the classes they load, already parsed and
 * verified. Most of a short command's start-up is loading classes (picocli, jOOQ, Jackson); the
 * archive turns that into mapping one file.
 *
 * <p>Prints nothing; exits 0 when the cache is filled, 1 otherwise (the launcher then runs without
 * one). Not a user command: {@code java -cp sessions.jar io.claudesignal.sessions.cli.StartupCache DIR};
 * with {@code --check} instead of {@code DIR} it only exits 0, for trying an archive.
 */
public final class StartupCache {

    private StartupCache() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.exit(ExitCode.USAGE.code());
        }
        if (args[0].equals("--check")) {
            // The launcher's trial of a new archive: the JVM got this far with it mapped.
            System.exit(0);
        }
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        int code;
        try {
            code = exerciseCommands() ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            code = 1;
        }
        System.exit(code);
    }

    /** Runs what scripts and people run most, in both output modes; true when every command succeeded. */
    static boolean exerciseCommands() throws IOException {
        Path scratch = Files.createTempDirectory("sessions-startup-");
        try {
            String db = scratch.resolve("training.db").toString();
            PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
            String id = null;
            boolean ok = true;
            // JSON first: its output gives the id the other commands use.
            for (boolean json : new boolean[] {true, false}) {
                ByteCollector created = new ByteCollector();
                ok &= run(created.stream(), json, db, "create", "--project", "/startup/cache", "--thread", "+1") == 0;
                if (id == null) {
                    id = created.text().replaceAll("(?s).*\"id\"\\s*:\\s*\"([0-9a-f-]{36})\".*", "$1");
                }
                ok &= run(sink, json, db, "show", id) == 0;
                ok &= run(sink, json, db, "list") == 0;
                ok &= run(sink, json, db, "history", id) == 0;
            }
            ok &= run(sink, false, db, "activate", id) == 0;
            // A refusal and the help: their classes are on the paths people hit too.
            ok &= run(sink, false, db, "show", "00000000-0000-0000-0000-000000000000") == ExitCode.NOT_FOUND.code();
            ok &= run(sink, false, db, "--help") == 0;
            return ok;
        } finally {
            deleteTree(scratch);
        }
    }

    private static int run(PrintStream out, boolean json, String db, String... words) {
        List<String> args = new ArrayList<>(List.of("--db", db));
        if (json) {
            args.add("--json");
        }
        args.addAll(List.of(words));
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        return SessionsCli.run(args.toArray(String[]::new), new SessionsCli.Io(InputStream.nullInputStream(), out, sink, Map.of(),
                StoreOpener.standard(), false));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** What one command printed. */
    private static final class ByteCollector {
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        PrintStream stream() {
            return stream;
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
