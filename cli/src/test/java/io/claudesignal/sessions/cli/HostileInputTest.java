package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claudesignal.sessions.adapters.sqlite.SqliteSettings;
import io.claudesignal.sessions.application.port.in.SessionPage;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.cli.CliHarness.Result;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 8 of the reliability suite: a seeded fuzz test of hostile input (malformed and oversized ids,
 * paths, thread ids, statuses, cursors and JSON: deep nesting, huge strings, NUL, lone surrogates,
 * SQL fragments, {@code ../}) through the library and the CLI, on one real SQLite store. Each case is
 * either accepted and reads back exactly, or rejected with {@link InvalidInputException} (CLI exit
 * 5; 3 for an id that parses but names nothing) and the database files are unchanged by the
 * rejection: a checksum of the database and its -wal is taken before a run of rejections and compared
 * after it, before the next accepted write. Nothing else may escape.
 * {@code -Dreliability.fuzz.api=N} (9000), {@code -Dreliability.fuzz.cli=N} (300 on SQLite),
 * {@code -Dreliability.fuzz.cli.memory=N} (700 over in-memory storage), {@code -Dreliability.seed=S}.
 */
class HostileInputTest {

    private static final String[] NASTY = {
        "", " ", "\t", "\n", "\u0000", "a\u0000b", "\uD800", "x\uDC00y", "\uDBFF\uDFFF", "😀", "é", "\u202E", "\uFEFF",
        "'; DROP TABLE sessions; --", "\" OR 1=1 --", "') UNION SELECT * FROM sqlite_master --", "%", "_", "\\",
        "../", "../../etc/passwd", "/..", "/./", "//", "/", "~", "~/x", "?", "?mode=ro", ":memory:", "file:x.db",
        "null", "true", "{}", "[]", "{\"a\":1}", "@", "@/etc/passwd", "@nonexistent", "-", "--json", "--db=/tmp/x",
        "4c59adf8-6832-4cfa-92f4-4ee146654006", "4C59ADF8-6832-4CFA-92F4-4EE146654006", "00000000-0000-0000-0000-000000000000",
        "4c59adf8683249cfa92f44ee146654006", "{4c59adf8-6832-4cfa-92f4-4ee146654006}", "ACTIVE", "active", "PAUSED ",
        "CREATED", "TERMINATED", "DELETED", "+15551234567", "group.dGhyZWFk", "/home/ana/code/webapp",
    };

    @TempDir
    Path dir;
    private Path db;
    private Random random;
    private String checksum;          // of the files before the current run of rejections; null after a write
    private int pending;              // rejections since the checksum was taken
    private final List<String> failures = new ArrayList<>();
    private int accepted;
    private int rejected;
    private int checksums;

    @Test
    void hostileInputIsAcceptedExactlyOrRejectedWithoutTouchingTheFile() throws Exception {
        long seed = Long.getLong("reliability.seed", System.nanoTime());
        int apiCases = Integer.getInteger("reliability.fuzz.api", 9000);
        int cliCases = Integer.getInteger("reliability.fuzz.cli", 300);
        int memoryCliCases = Integer.getInteger("reliability.fuzz.cli.memory", 700);
        System.out.println("hostile input: seed " + seed + ", " + apiCases + " library cases, " + cliCases
                + " CLI cases on SQLite, " + memoryCliCases + " CLI cases in memory");
        random = new Random(seed);
        db = dir.resolve("fuzz.db");
        List<SessionId> known = new ArrayList<>();
        // NORMAL durability and a small checkpoint: no fsync per write, and a small -wal to checksum.
        // What is tested here is what gets in, not what survives a power cut.
        SqliteSettings settings = SqliteSettings.defaults().withSynchronous(SqliteSettings.Synchronous.NORMAL)
                .withWalAutocheckpoint(64);
        try (SessionStore store = SessionStore.openSqlite(db, settings)) {
            Sessions sessions = store.sessions();
            known.add(sessions.create("/home/ana/code/webapp", "+15551234567").id());
            long start = System.nanoTime();
            for (int i = 0; i < apiCases; i++) {
                apiCase(sessions, known, i);
            }
            System.out.println("hostile input: library cases took " + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
        // Closing checkpointed the -wal into the database: a new starting point.
        checksum = null;
        long start = System.nanoTime();
        CliHarness cli = new CliHarness(path -> SessionStore.openSqlite(path, settings));
        for (int i = 0; i < cliCases; i++) {
            cliCase(cli, known, i);
        }
        compareChecksum("the end of the SQLite cases");
        System.out.println("hostile input: CLI cases on SQLite took " + (System.nanoTime() - start) / 1_000_000 + " ms");

        // Opening a SQLite store for every CLI run costs ~50 ms: most CLI cases run over in-memory
        // storage shared by the runs, which checks the CLI's own parsing, exit codes and output.
        start = System.nanoTime();
        SharedStorage memory = new SharedStorage();
        CliHarness memoryCli = new CliHarness(memory);
        List<SessionId> inMemory = new ArrayList<>(List.of(SessionId.parse(memoryCli.create("/home/ana", "+1555"))));
        for (int i = 0; i < memoryCliCases; i++) {
            cliCase(memoryCli, inMemory, i);
        }
        assertThat(memory.closed.get()).as("every store the CLI opened was closed").isEqualTo(memory.opened.size());
        System.out.println("hostile input: CLI cases in memory took " + (System.nanoTime() - start) / 1_000_000 + " ms");
        cliCases += memoryCliCases;
        System.out.println("hostile input: " + (apiCases + cliCases) + " cases, " + accepted + " accepted and read back, "
                + rejected + " rejected as invalid input, " + checksums + " checksum comparisons, "
                + failures.size() + " failures; seed " + seed);
        assertThat(failures).as("seed " + seed).isEmpty();
        assertThat(accepted).as("some cases were accepted").isGreaterThan((apiCases + cliCases) / 20);
        assertThat(rejected).as("some cases were rejected").isGreaterThan((apiCases + cliCases) / 20);
    }

    // ---- through the library ----

    private void apiCase(Sessions sessions, List<SessionId> known, int n) {
        int kind = random.nextInt(6);
        String label = "api#" + n + " kind " + kind;
        try {
            switch (kind) {
                case 0 -> {
                    String project = path();
                    String thread = text(300);
                    Session s = write(() -> sessions.create(project, thread), label);
                    if (s != null) {
                        known.add(s.id());
                        expect(label, sessions.get(s.id()).equals(s) && s.projectPath().equals(project)
                                && s.threadId().equals(thread), "create read back differently");
                    }
                }
                case 1 -> {
                    SessionId id = known.get(random.nextInt(known.size()));
                    String patch = json();
                    Session s = write(() -> sessions.mergeContext(id, patch), label);
                    if (s != null) {
                        expect(label, sessions.get(id).equals(s), "merge read back differently");
                        expectPatchApplied(label, patch, s.context());
                    }
                }
                case 2 -> {
                    String text = random.nextBoolean() ? pick() : id();
                    SessionId id = reject(() -> SessionId.parse(text), label);
                    if (id != null) {
                        sessions.find(id).ifPresent(s -> expect(label, s.id().equals(id), "found another session"));
                    }
                }
                case 3 -> {
                    String status = random.nextBoolean() ? pick() : text(20);
                    SessionStatus target = reject(() -> SessionStatus.parse(status), label);
                    if (target != null) {
                        SessionId id = known.get(random.nextInt(known.size()));
                        write(() -> {
                            try {
                                return sessions.transition(id, target);
                            } catch (io.claudesignal.sessions.domain.ConflictException conflict) {
                                return null; // a legal refusal: nothing written
                            }
                        }, label);
                    }
                }
                case 4 -> {
                    String project = random.nextBoolean() ? path() : pick();
                    String thread = random.nextBoolean() ? text(300) : pick();
                    SessionPage page = reject(() -> sessions.list(SessionQuery.all()
                            .withProjectPath(project).withThreadId(thread).withLimit(1 + random.nextInt(50))), label);
                    if (page != null) {
                        for (SessionSummary s : page.sessions()) {
                            expect(label, s.projectPath().equals(project) && s.threadId().equals(thread), "list filter leaked");
                        }
                    }
                }
                default -> {
                    String cursor = random.nextBoolean() ? pick() : text(200);
                    reject(() -> sessions.list(SessionQuery.all().after(cursor)), label);
                }
            }
        } catch (Throwable e) {
            failures.add(label + ": " + e);
        }
    }

    /** A write: its result when accepted (checksum forgotten), null when rejected (files unchanged). */
    private <T> T write(java.util.function.Supplier<T> call, String label) {
        beforeWrite(label);
        try {
            T result = call.get();
            checksum = null;
            if (result != null) {
                accepted++;
            }
            return result;
        } catch (InvalidInputException e) {
            wasRejected(label);
            return null;
        }
    }

    /** Before a write that may be accepted: the rejections since the last one changed nothing. */
    private void beforeWrite(String label) {
        if (checksum == null) {
            checksum = checksumOfFiles();
            pending = 0;
        } else if (pending > 0) {
            compareChecksum(label + " (or a rejection before it)");
            pending = 0;
        }
    }

    private void wasRejected(String label) {
        rejected++;
        pending++;
        if (pending % 25 == 0) {
            compareChecksum(label + " (or a rejection before it)");
        }
    }

    /** A read or a parse: its result, or null when rejected as invalid input. */
    private <T> T reject(java.util.function.Supplier<T> call, String label) {
        try {
            T result = call.get();
            accepted++;
            return result;
        } catch (InvalidInputException e) {
            rejected++;
            return null;
        }
    }

    private void expectPatchApplied(String label, String patch, String context) throws Exception {
        JsonNode p = CliHarness.JSON.readTree(patch);
        JsonNode c = CliHarness.JSON.readTree(context);
        for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isNull()) {
                expect(label, !c.has(field.getKey()), "a key set to null is still there");
            } else if (!field.getValue().isObject()) {
                expect(label, field.getValue().equals(c.get(field.getKey())), "value " + field.getKey() + " not stored exactly");
            }
        }
    }

    // ---- through the CLI ----

    private void cliCase(CliHarness cli, List<SessionId> known, int n) {
        int kind = random.nextInt(4);
        String label = "cli#" + n + " kind " + kind;
        try {
            Result r;
            switch (kind) {
                case 0 -> {
                    String project = path();
                    String thread = text(300);
                    r = cliWrite(cli, label, "--json", "create", "--project=" + project, "--thread=" + thread);
                    if (r.code() == 0) {
                        JsonNode s = r.json();
                        expect(label, s.get("projectPath").asText().equals(project) && s.get("threadId").asText().equals(thread),
                                "create printed another value");
                        Result shown = cli.run("--db", db.toString(), "--json", "show", s.get("id").asText());
                        expect(label, shown.code() == 0 && shown.json().equals(s), "show differs from create");
                        known.add(SessionId.parse(s.get("id").asText()));
                    }
                }
                case 1 -> {
                    String id = known.get(random.nextInt(known.size())).toString();
                    String patch = json();
                    r = cliWrite(cli, label, "--json", "context", id, "--merge=" + patch);
                    if (r.code() == 0) {
                        Result shown = cli.run("--db", db.toString(), "--json", "show", id);
                        expect(label, shown.code() == 0 && shown.json().equals(r.json()), "show differs from merge");
                    }
                }
                case 2 -> {
                    String id = random.nextBoolean() ? pick() : id();
                    r = cli.run("--db", db.toString(), "show", "--", id);
                    expect(label, r.code() == 0 || r.code() == 3 || r.code() == 5, "show exit " + r.code() + ": " + r.err());
                    count(r);
                }
                default -> {
                    String[] args = {"--db", db.toString(), "--json", "list", "--project=" + (random.nextBoolean() ? path() : pick()),
                        "--thread=" + text(40), "--status=" + (random.nextBoolean() ? pick() : "active")};
                    r = cli.run(args);
                    expect(label, r.code() == 0 || r.code() == 5 || usageAllowed(r, args), "list exit " + r.code() + ": " + r.err());
                    count(r);
                }
            }
        } catch (Throwable e) {
            failures.add(label + ": " + e);
        }
    }

    private Result cliWrite(CliHarness cli, String label, String... args) throws Exception {
        beforeWrite(label);
        String[] all = new String[args.length + 2];
        all[0] = "--db";
        all[1] = db.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        Result r = cli.run(all);
        if (r.code() == 0) {
            checksum = null;
            accepted++;
        } else {
            expect(label, r.code() == 5 || usageAllowed(r, args), "exit " + r.code() + ": " + r.err());
            expect(label, r.out().isEmpty() && r.err().lines().count() == 1, "not one line: " + r.err());
            wasRejected(label);
        }
        return r;
    }

    /**
     * A value that starts with '-' may be taken by picocli for an option even in the --opt=value form
     * ("Expected parameter for option '--merge' but found '--json'"): a usage error, exit 2, one line.
     */
    private static boolean usageAllowed(Result r, String... args) {
        boolean optionLike = java.util.Arrays.stream(args).anyMatch(a -> a.startsWith("-") && a.contains("=-")
                || a.isEmpty() || (a.startsWith("-") && !a.startsWith("--")) || a.matches("--(json|db.*|debug|help|version)"));
        return r.code() == 2 && optionLike && r.err().lines().count() == 1;
    }

    private void count(Result r) {
        if (r.code() == 0) {
            accepted++;
        } else {
            expect("cli", r.out().isEmpty() && r.err().lines().count() == 1, "not one line: " + r.err());
            rejected++;
        }
    }

    // ---- the checksum of the files ----

    private void compareChecksum(String label) {
        if (checksum != null && pending > 0) {
            checksums++;
            String now = checksumOfFiles();
            expect(label, now.equals(checksum), "a rejected input changed the database files: " + checksum + " -> " + now);
            checksum = now; // one report per change
        }
    }

    /** CRC-32C of the database and its -wal (the -shm is an index SQLite may rewrite at will). */
    private String checksumOfFiles() {
        StringBuilder sum = new StringBuilder();
        for (Path f : List.of(db, Path.of(db + "-wal"))) {
            try {
                CRC32C crc = new CRC32C();
                crc.update(Files.readAllBytes(f));
                sum.append(Long.toHexString(crc.getValue())).append('/');
            } catch (java.io.IOException e) {
                sum.append("none/");
            }
        }
        return sum.toString();
    }

    private void expect(String label, boolean ok, String problem) {
        if (!ok) {
            failures.add(label + ": " + problem);
        }
    }

    // ---- generators ----

    private String pick() {
        return NASTY[random.nextInt(NASTY.length)];
    }

    private String id() {
        String uuid = java.util.UUID.randomUUID().toString();
        return switch (random.nextInt(5)) {
            case 0 -> uuid;
            case 1 -> uuid.toUpperCase();
            case 2 -> uuid.substring(0, random.nextInt(36));
            case 3 -> uuid + pick();
            default -> "x".repeat(random.nextInt(20_000));
        };
    }

    private String path() {
        return switch (random.nextInt(6)) {
            case 0 -> "/home/ana/code/" + text(40);
            case 1 -> "/" + "../".repeat(random.nextInt(10)) + text(20);
            case 2 -> text(60);
            case 3 -> "/" + "a".repeat(4000 + random.nextInt(200));
            case 4 -> "/home/" + pick() + "/" + pick();
            default -> pick();
        };
    }

    /** Up to {@code max} characters, mixing plain text, nasty fragments and random code units. */
    private String text(int max) {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(max + 1);
        while (s.length() < length) {
            switch (random.nextInt(4)) {
                case 0 -> s.append(pick());
                case 1 -> s.append((char) random.nextInt(0x10000));
                default -> s.append((char) ('a' + random.nextInt(26)));
            }
        }
        return s.toString();
    }

    private String json() {
        return switch (random.nextInt(8)) {
            case 0 -> "{" + "\"a\":{".repeat(random.nextInt(300)) + "\"x\":1" + "}".repeat(0) + "}";
            case 1 -> {
                int depth = 1 + random.nextInt(200);
                yield "{\"deep\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}";
            }
            case 2 -> "{\"big\":\"" + "b".repeat(random.nextInt(50_000)) + "\"}";
            case 3 -> "{\"" + jsonEscape(text(30)) + "\":\"" + jsonEscape(text(300)) + "\"}";
            case 4 -> "{\"nul\":\"a\\u0000b\",\"lone\":\"\\ud800\",\"pair\":\"\\ud83d\\ude00\",\"sql\":\"'; DROP TABLE sessions; --\"}";
            case 5 -> "{\"k\":" + (random.nextBoolean() ? "null" : "[1,2,{\"x\":\"../\"}]") + "}";
            case 6 -> pick();
            default -> text(100);
        };
    }

    /** Escapes quotes, backslashes and control characters; leaves surrogates as they are. */
    private static String jsonEscape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
