package io.claudesignal.sessions.benchmarks;

import io.claudesignal.sessions.adapters.postgres.PostgresSettings;
import io.claudesignal.sessions.application.port.in.TranscriptMatches;
import io.claudesignal.sessions.application.port.in.TranscriptQuery;
import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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

/**
 * Transcript search (issue 25): {@code search} over 100,000 items of about 2 KB in 1,000 sessions, a
 * two-word query with a limit of 20, on SQLite and PostgreSQL (target: at most 50 ms, reported as a
 * rate against 20 a second); and {@code append} of a 2 KB item with the search index against the same
 * store with the index taken out (SQLite: its triggers dropped; PostgreSQL: its generated column
 * dropped), target at least 0.75. The items are prose drawn from a 4,000-word vocabulary with Zipf's
 * law, as conversation is; the query's words are of ranks 40 and 150, each in a good share of the
 * items and both together in about 1 in 12 (the count is printed when the corpus is made).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SearchBenchmarks {

    static final int SESSIONS = 1_000;
    static final int ITEMS_PER_SESSION = 100;
    static final int ITEM_CHARS = 2_000;
    static final int VOCABULARY = 4_000;

    /** The corpus: the same words on every run (seeded), so that runs compare. */
    static final class Corpus {
        final List<String> words = new ArrayList<>(VOCABULARY);
        private final double[] cumulative = new double[VOCABULARY];
        private final Random random = new Random(25);

        Corpus() {
            String[] syllables = {"ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "de", "va", "zu", "bel", "gan", "tor", "vin"};
            while (words.size() < VOCABULARY) {
                StringBuilder word = new StringBuilder();
                for (int n = 2 + random.nextInt(3); n > 0; n--) {
                    word.append(syllables[random.nextInt(syllables.length)]);
                }
                if (!words.contains(word.toString())) {
                    words.add(word.toString());
                }
            }
            double total = 0;
            for (int rank = 0; rank < VOCABULARY; rank++) {
                total += 1.0 / (rank + 1);
                cumulative[rank] = total;
            }
            for (int rank = 0; rank < VOCABULARY; rank++) {
                cumulative[rank] /= total;
            }
        }

        String query() {
            return words.get(40) + " " + words.get(150);
        }

        String item() {
            StringBuilder text = new StringBuilder(ITEM_CHARS + 16);
            while (text.length() < ITEM_CHARS) {
                int rank = java.util.Arrays.binarySearch(cumulative, random.nextDouble());
                text.append(words.get(rank < 0 ? Math.min(-rank - 1, VOCABULARY - 1) : rank)).append(' ');
            }
            return "{\"role\":\"assistant\",\"content\":\"" + text.toString().strip() + ".\"}";
        }

        /** Fills {@code store} with the corpus, one session's items in one {@code appendAll}. */
        void fill(SessionStore store) {
            for (int s = 0; s < SESSIONS; s++) {
                SessionId id = store.sessions().create(BenchFiles.PROJECT, BenchFiles.THREAD).id();
                List<String> items = new ArrayList<>(ITEMS_PER_SESSION);
                for (int i = 0; i < ITEMS_PER_SESSION; i++) {
                    items.add(item());
                }
                store.transcripts().appendAll(id, items);
            }
            long matches = 0;
            TranscriptQuery all = TranscriptQuery.of(query()).withLimit(TranscriptQuery.MAX_LIMIT);
            for (TranscriptMatches page = store.transcripts().search(all); ;
                    page = store.transcripts().search(all.after(page.nextCursor().get()))) {
                matches += page.matches().size();
                if (page.nextCursor().isEmpty()) {
                    break;
                }
            }
            System.err.println("search corpus: " + SESSIONS * ITEMS_PER_SESSION + " items, \"" + query() + "\" matches "
                    + matches);
        }
    }

    private static PostgresSettings pg(String schema) {
        return PostgresSettings.defaults().withSchema(schema);
    }

    private static void dropSchemas(String url, String... schemas) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String schema : schemas) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @State(Scope.Benchmark)
    public static class SqliteCorpus {
        Path file;
        SessionStore store;
        TranscriptQuery query;

        @Setup(Level.Trial)
        public void open() {
            file = BenchFiles.fresh("search-corpus");
            store = SessionStore.openSqlite(file);
            Corpus corpus = new Corpus();
            corpus.fill(store);
            query = TranscriptQuery.of(corpus.query()).withLimit(20);
        }

        @TearDown(Level.Trial)
        public void close() {
            store.close();
            BenchFiles.delete(file);
        }
    }

    @State(Scope.Benchmark)
    public static class PostgresCorpus {
        static final String SCHEMA = "bench_search_corpus";
        String url;
        SessionStore store;
        TranscriptQuery query;

        @Setup(Level.Trial)
        public void open() {
            url = PostgresBenchmarks.url();
            dropSchemas(url, SCHEMA);
            store = SessionStore.openPostgres(url, pg(SCHEMA));
            Corpus corpus = new Corpus();
            corpus.fill(store);
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE " + SCHEMA + ".transcript_items"); // as autovacuum would, soon after
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            query = TranscriptQuery.of(corpus.query()).withLimit(20);
        }

        @TearDown(Level.Trial)
        public void close() {
            store.close();
            dropSchemas(url, SCHEMA);
        }
    }

    /** Two stores, one with the search index and one with it taken out; one session each. */
    abstract static class AppendPair {
        final String item = new Corpus().item();
        SessionStore indexed;
        SessionStore unindexed;
        Transcripts withIndex;
        Transcripts withoutIndex;
        SessionId indexedId;
        SessionId unindexedId;

        void sessions() {
            withIndex = indexed.transcripts();
            withoutIndex = unindexed.transcripts();
            indexedId = indexed.sessions().create(BenchFiles.PROJECT, BenchFiles.THREAD).id();
            unindexedId = unindexed.sessions().create(BenchFiles.PROJECT, BenchFiles.THREAD).id();
        }
    }

    @State(Scope.Benchmark)
    public static class SqliteAppend extends AppendPair {
        Path indexedFile;
        Path unindexedFile;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            indexedFile = BenchFiles.fresh("search-append-indexed");
            unindexedFile = BenchFiles.fresh("search-append-unindexed");
            SessionStore.openSqlite(unindexedFile).close();
            try (Connection c = BenchFiles.writer(unindexedFile); Statement s = c.createStatement()) {
                for (String trigger : List.of("transcript_items_indexed", "transcript_items_unindexed", "transcript_items_reindexed")) {
                    s.execute("DROP TRIGGER " + trigger);
                }
            }
            indexed = SessionStore.openSqlite(indexedFile);
            unindexed = SessionStore.openSqlite(unindexedFile);
            sessions();
        }

        @TearDown(Level.Trial)
        public void close() {
            indexed.close();
            unindexed.close();
            BenchFiles.delete(indexedFile);
            BenchFiles.delete(unindexedFile);
        }
    }

    @State(Scope.Benchmark)
    public static class PostgresAppend extends AppendPair {
        static final String INDEXED = "bench_search_indexed";
        static final String UNINDEXED = "bench_search_unindexed";
        String url;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            url = PostgresBenchmarks.url();
            dropSchemas(url, INDEXED, UNINDEXED);
            SessionStore.openPostgres(url, pg(UNINDEXED)).close();
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE " + UNINDEXED + ".transcript_items DROP COLUMN search_words");
            }
            indexed = SessionStore.openPostgres(url, pg(INDEXED));
            unindexed = SessionStore.openPostgres(url, pg(UNINDEXED));
            sessions();
        }

        @TearDown(Level.Trial)
        public void close() {
            indexed.close();
            unindexed.close();
            dropSchemas(url, INDEXED, UNINDEXED);
        }
    }

    @Benchmark
    public TranscriptMatches search_library_sqlite(SqliteCorpus c) {
        return c.store.transcripts().search(c.query);
    }

    @Benchmark
    public TranscriptMatches pgSearch_library_server(PostgresCorpus c) {
        return c.store.transcripts().search(c.query);
    }

    @Benchmark
    public TranscriptItem searchAppend_library_sqlite(SqliteAppend a) {
        return a.withIndex.append(a.indexedId, a.item);
    }

    @Benchmark
    public TranscriptItem searchAppend_unindexed_sqlite(SqliteAppend a) {
        return a.withoutIndex.append(a.unindexedId, a.item);
    }

    @Benchmark
    public TranscriptItem pgSearchAppend_library_server(PostgresAppend a) {
        return a.withIndex.append(a.indexedId, a.item);
    }

    @Benchmark
    public TranscriptItem pgSearchAppend_unindexed_server(PostgresAppend a) {
        return a.withoutIndex.append(a.unindexedId, a.item);
    }
}
