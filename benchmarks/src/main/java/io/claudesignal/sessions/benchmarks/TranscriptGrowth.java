package io.claudesignal.sessions.benchmarks;

import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.domain.SessionId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * How the cost of one more turn grows with the conversation, on the same workload as the LangGraph
 * comparison ({@code ../shared/bench/lg_growth.mjs}: turns of {@code {"role", "n", "text"}} with a
 * 2,000-byte text, durable commits): appends each turn through {@link Transcripts#append} and prints,
 * at 10, 100, 500, 1,000, 2,000 (and 4,000, 8,000) turns, the mean cost per turn over the window since
 * the previous mark and the size of the database file with its WAL.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.claudesignal.sessions.benchmarks.TranscriptGrowth [DIR] [TURN_BYTES=2000] [MAX_TURNS=2000]</pre>
 */
public final class TranscriptGrowth {

    private static final Set<Integer> MARKS = Set.of(10, 100, 500, 1000, 2000, 4000, 8000);

    private TranscriptGrowth() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/bench-data");
        int bytes = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int max = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        Files.createDirectories(dir);
        Path file = dir.resolve("growth-" + ProcessHandle.current().pid() + ".db");
        BenchFiles.delete(file);
        String filler = "x".repeat(bytes);
        try (SessionStore store = SessionStore.openSqlite(file)) {
            Transcripts transcripts = store.transcripts();
            SessionId id = store.sessions().create(BenchFiles.PROJECT, BenchFiles.THREAD).id();
            long last = System.nanoTime();
            int lastN = 0;
            for (int n = 1; n <= max; n++) {
                String role = n % 2 == 1 ? "user" : "assistant";
                transcripts.append(id, "{\"role\":\"" + role + "\",\"n\":" + n + ",\"text\":\"" + filler + "\"}");
                if (MARKS.contains(n)) {
                    long now = System.nanoTime();
                    System.out.printf("turns=%d ms/turn over last window=%.2f db=%.2f MB%n", n,
                            (now - last) / 1e6 / (n - lastN), size(file) / 1e6);
                    last = now;
                    lastN = n;
                }
            }
        } finally {
            BenchFiles.delete(file);
        }
    }

    /** The file and its write-ahead log: what the store occupies on disk. */
    private static long size(Path file) throws IOException {
        long size = Files.size(file);
        Path wal = Path.of(file + "-wal");
        return Files.exists(wal) ? size + Files.size(wal) : size;
    }
}
