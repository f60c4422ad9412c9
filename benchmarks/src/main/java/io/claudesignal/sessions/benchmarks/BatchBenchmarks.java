package io.claudesignal.sessions.benchmarks;

import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Issue 25's batch target on SQLite: 100 items appended by one {@code appendAll} against the same 100
 * items by 100 single {@code append} calls (each its own durable transaction). Both sides append 100
 * items per operation, so the ratio of their operations per second is the ratio of their cost per item
 * (target: the batch at least 20 times cheaper).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BatchBenchmarks {

    static final int BATCH = 100;
    static final List<String> ITEMS = Collections.nCopies(BATCH, TranscriptFiles.ITEM);

    @State(Scope.Benchmark)
    public static class BatchFile {
        Path file;
        SessionStore store;
        Transcripts transcripts;
        SessionId id;

        @Setup(Level.Trial)
        public void open() {
            file = BenchFiles.fresh("transcript-batch");
            id = SessionId.parse(TranscriptFiles.sessions(file, 1).get(0));
            store = SessionStore.openSqlite(file);
            transcripts = store.transcripts();
        }

        @TearDown(Level.Trial)
        public void close() {
            store.close();
            BenchFiles.delete(file);
        }
    }

    @Benchmark
    @Threads(1)
    public List<TranscriptItem> appendBatch100_library_1(BatchFile f) {
        return f.transcripts.appendAll(f.id, ITEMS);
    }

    @Benchmark
    @Threads(1)
    public long appendBatch100_singleAppends_1(BatchFile f) {
        long last = 0;
        for (String item : ITEMS) {
            last = f.transcripts.append(f.id, item).seq();
        }
        return last;
    }
}
