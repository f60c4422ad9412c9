package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A child process for the reliability tests: writes through the {@code Sessions} API of a SQLite store
 * and reports each write on standard output, flushed, only after the call returned:
 *
 * <pre>
 * TRY create                     (a write is about to be made)
 * ACK create  &lt;id&gt; &lt;version&gt; &lt;status&gt;
 * ACK status  &lt;id&gt; &lt;version&gt; &lt;status&gt;
 * ACK merge   &lt;id&gt; &lt;version&gt; &lt;status&gt; &lt;key&gt; &lt;value&gt;
 * ACK delete  &lt;id&gt;
 * ERR &lt;reason&gt; &lt;message&gt;           (the write failed with a StorageException; nothing acknowledged)
 * </pre>
 *
 * <p>Arguments: {@code <db> <walAutocheckpoint> <seed> burst|commands [<pad>]}, where pad is the most
 * characters of filler in a merged value (600). {@code burst} writes until it
 * is killed; {@code commands} reads commands from standard input: {@code writes N} (up to N writes,
 * stopping at the first error), {@code reopen}, {@code close}, {@code fill <file>} (write a file until the disk is
 * full), {@code free <file>}, {@code quit}.
 */
public final class ReliabilityWorker {

    private final Path db;
    private final SqliteSettings settings;
    private final Random random;
    private final PrintStream out;
    private final List<Session> mine = new ArrayList<>();
    private SqliteStorage storage;
    private SessionService sessions;
    private long merges;
    private int pad = 600;

    private ReliabilityWorker(Path db, SqliteSettings settings, long seed, PrintStream out) {
        this.db = db;
        this.settings = settings;
        this.random = new Random(seed);
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        SqliteSettings settings = SqliteSettings.defaults().withWalAutocheckpoint(Integer.parseInt(args[1]));
        ReliabilityWorker worker = new ReliabilityWorker(Path.of(args[0]), settings, Long.parseLong(args[2]), out);
        if (args.length > 4) {
            worker.pad = Integer.parseInt(args[4]);
        }
        try {
            worker.open();
        } catch (StorageException e) {
            worker.error(e);
            System.exit(3);
        }
        out.println("READY");
        if (args[3].equals("burst")) {
            while (true) {
                worker.writeOne();
            }
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] command = line.trim().split(" ");
            switch (command[0]) {
                case "writes" -> {
                    int n = Integer.parseInt(command[1]);
                    for (int i = 0; i < n && worker.writeOne(); i++) {
                        // each write reports itself
                    }
                }
                case "reopen" -> worker.reopen();
                case "fill" -> fill(Path.of(command[1]), out);
                case "free" -> {
                    Files.deleteIfExists(Path.of(command[1]));
                    out.println("OK freed");
                }
                case "close" -> {
                    worker.storage.close();
                    out.println("OK closed");
                }
                case "quit" -> {
                    worker.storage.close();
                    out.println("BYE");
                    out.println("DONE");
                    System.exit(0);
                }
                default -> out.println("UNKNOWN " + line);
            }
            out.println("DONE");
        }
    }

    private void open() {
        storage = SqliteStorage.open(db, settings);
        sessions = new SessionService(storage.persistence(), Clock.systemUTC(), SessionIdGenerator.random(), new ContextJson());
    }

    private void reopen() {
        try {
            storage.close();
            open();
            out.println("OK reopened");
        } catch (StorageException e) {
            error(e);
        }
    }

    /** One random write; false when it failed (and was reported as ERR). */
    private boolean writeOne() {
        int live = mine.size();
        int pick = random.nextInt(100);
        try {
            if (live < 3 || pick < 15) {
                out.println("TRY create");
                Session s = sessions.create("/home/ana/code/p" + random.nextInt(1000), "+1555" + random.nextInt(10_000_000));
                mine.add(s);
                ack("create", s, "");
            } else if (pick < 55) {
                int index = random.nextInt(live);
                Session s = mine.get(index);
                String key = "k" + (merges++);
                String value = "v" + Long.toHexString(random.nextLong()) + "x".repeat(random.nextInt(pad + 1));
                out.println("TRY merge " + s.id());
                s = sessions.mergeContext(s.id(), "{\"" + key + "\":\"" + value + "\"}");
                mine.set(index, s);
                ack("merge", s, " " + key + " " + value);
            } else if (pick < 95) {
                int index = random.nextInt(live);
                Session s = mine.get(index);
                SessionStatus target = s.status() == SessionStatus.ACTIVE ? SessionStatus.PAUSED : SessionStatus.ACTIVE;
                out.println("TRY status " + s.id());
                s = sessions.transition(s.id(), s.status(), target);
                mine.set(index, s);
                ack("status", s, "");
            } else {
                int index = random.nextInt(live);
                SessionId id = mine.get(index).id();
                out.println("TRY delete " + id);
                sessions.terminate(id);
                sessions.delete(id);
                mine.remove(index);
                out.println("ACK delete " + id);
            }
            return true;
        } catch (StorageException e) {
            error(e);
            return false;
        }
    }

    private void ack(String op, Session s, String extra) {
        out.println("ACK " + op + " " + s.id() + " " + s.version() + " " + s.status() + extra);
    }

    private void error(StorageException e) {
        out.println("ERR " + e.reason() + " " + e.getMessage().replaceAll("\\s+", " "));
    }

    /** Writes zeros to {@code file} until the file system refuses more. */
    private static void fill(Path file, PrintStream out) throws IOException {
        long written = 0;
        byte[] block = new byte[4096];
        try (OutputStream o = Files.newOutputStream(file)) {
            while (true) {
                o.write(block);
                written += block.length;
            }
        } catch (IOException full) {
            out.println("OK filled " + written + " " + full.getMessage());
        }
    }
}
