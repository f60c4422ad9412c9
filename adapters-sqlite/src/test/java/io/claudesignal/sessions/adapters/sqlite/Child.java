package io.claudesignal.sessions.adapters.sqlite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ReliabilityWorker} in its own JVM, optionally started under a wrapper ({@code strace},
 * {@code sh -c 'ulimit ...'}, {@code unshare}). Collects its output line by line; its standard error
 * goes to a file that failure messages quote.
 */
final class Child implements AutoCloseable {

    private static final String EOF = "\u0000EOF";

    final Process process;
    private final Path stderr;
    private final LinkedBlockingQueue<String> pending = new LinkedBlockingQueue<>();
    final List<String> all = Collections.synchronizedList(new ArrayList<>());
    private final Writer stdin;
    /** What broke the reading of the child's output, if anything did: a round whose output was cut is void. */
    private volatile IOException readFailure;

    private Child(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    all.add(line);
                    pending.add(line);
                }
            } catch (IOException e) {
                // Not the end of the output: lines may be lost, so the ledger could not be trusted.
                readFailure = e;
            }
            pending.add(EOF);
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** The java command line that runs the worker; {@code wrapper} goes before it. */
    static List<String> javaCommand(Path db, int walAutocheckpoint, long seed, String mode) {
        return javaCommand(db, walAutocheckpoint, seed, mode, 600);
    }

    static List<String> javaCommand(Path db, int walAutocheckpoint, long seed, String mode, int pad) {
        return List.of(MultiProcessTest.javaBinary(), "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                "-cp", System.getProperty("java.class.path"), ReliabilityWorker.class.getName(),
                db.toString(), Integer.toString(walAutocheckpoint), Long.toString(seed), mode, Integer.toString(pad));
    }

    /** {@code wrapper} followed by {@code command}. */
    static List<String> wrapped(List<String> wrapper, List<String> command) {
        List<String> all = new ArrayList<>(wrapper);
        all.addAll(command);
        return all;
    }

    static Child start(List<String> command, Path stderr) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
        return new Child(builder.start(), stderr);
    }

    /** Waits for the worker's READY (or the error that stopped it opening); returns that line. */
    String awaitReady() throws Exception {
        return awaitLine("READY", "ERR ");
    }

    /** The next line starting with one of {@code prefixes}, skipping the others. */
    String awaitLine(String... prefixes) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            String line = pending.poll(1, TimeUnit.SECONDS);
            if (line == null) {
                continue;
            }
            if (line.equals(EOF)) {
                pending.add(EOF);
                throw new AssertionError("the child ended before printing " + List.of(prefixes) + ": " + describe());
            }
            for (String prefix : prefixes) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }
        throw new AssertionError("no " + List.of(prefixes) + " from the child within 2 minutes: " + describe());
    }

    /** Sends a command and returns the lines it printed, up to its DONE. */
    List<String> command(String command) throws Exception {
        int from = all.size();
        stdin.write(command + "\n");
        stdin.flush();
        awaitLine("DONE");
        synchronized (all) {
            return new ArrayList<>(all.subList(from, all.size() - 1));
        }
    }

    /**
     * SIGKILL, then waits for the process and for its last output. Kills through the {@link ProcessHandle}:
     * {@link Process#destroyForcibly()} also closes this side's ends of the child's pipes (JDK 17), which
     * throws away lines the child had already written, and the ledger would then flag acknowledged writes.
     */
    void kill() throws Exception {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.toHandle().destroyForcibly();
        drain();
    }

    /** Waits for the process to end and its output to be read entirely. */
    void drain() throws Exception {
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.toHandle().destroyForcibly();
            throw new AssertionError("the child did not end: " + describe());
        }
        awaitEof();
    }

    /** Waits until the child's output was read to its end; fails when it could not be read entirely. */
    private void awaitEof() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            String line = pending.poll(1, TimeUnit.SECONDS);
            if (EOF.equals(line)) {
                pending.add(EOF);
                if (readFailure != null) {
                    throw new AssertionError("the child's output could not be read to its end: " + readFailure
                            + "; " + describe(), readFailure);
                }
                return;
            }
        }
        throw new AssertionError("the child's output did not end within 2 minutes of its exit: " + describe());
    }

    String describe() {
        String err;
        try {
            err = Files.readString(stderr);
        } catch (IOException e) {
            err = "(no stderr: " + e + ")";
        }
        List<String> lines;
        synchronized (all) {
            lines = all.subList(Math.max(0, all.size() - 20), all.size()).stream()
                    .map(l -> l.length() > 160 ? l.substring(0, 160) + "..." : l).toList();
        }
        return "last output " + lines + "; stderr: " + (err.length() > 4000 ? err.substring(0, 4000) : err);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.toHandle().destroyForcibly();
    }
}
