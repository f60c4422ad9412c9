package io.claudesignal.sessions.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claudesignal.sessions.application.port.in.SessionPage;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap target: the daemon embedding ({@link SessionStore#openSqlite}) with 100,000 sessions in
 * the file, doing a steady mix of get, list (first and later pages), transition and merge from
 * several threads. Run it with {@code -Xmx64m}: it prints one JSON line with the peak heap used
 * (the sum of the heap pools' peaks, an upper bound) and the largest heap left after a collection
 * (the live set). Usage: {@code HeapCheck [seconds] [threads]}.
 */
public final class HeapCheck {

    private HeapCheck() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int sessionCount = 100_000;

        Path file = BenchFiles.fresh("heap");
        // Built before the store opens, with plain JDBC in one transaction; a sample of ids is kept.
        List<String> sample = BenchFiles.populate(file, sessionCount, "ACTIVE", BenchFiles.CONTEXT, 50);
        SessionId[] ids = sample.stream().map(SessionId::parse).toArray(SessionId[]::new);
        sample = null;
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }

        AtomicLong ops = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = new ArrayList<>();
        try (SessionStore store = SessionStore.openSqlite(file)) {
            Sessions sessions = store.sessions();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    try {
                        while (!stop.get()) {
                            SessionId id = ids[random.nextInt(ids.length)];
                            int pick = random.nextInt(10);
                            if (pick < 4) {
                                sessions.get(id);
                            } else if (pick < 6) {
                                SessionPage page = sessions.list(SessionQuery.all().withLimit(50));
                                page.nextCursor().ifPresent(c -> sessions.list(SessionQuery.all().withLimit(50).after(c)));
                            } else if (pick < 8) {
                                SessionStatus now = sessions.get(id).status();
                                if (now == SessionStatus.ACTIVE) {
                                    sessions.pause(id);
                                } else {
                                    sessions.activate(id);
                                }
                            } else {
                                sessions.mergeContext(id, "{\"notes\":\"step " + random.nextInt(1000) + "\"}");
                            }
                            ops.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                }, "heap-check-" + t);
                workers.add(worker);
                worker.start();
            }
            Thread.sleep(seconds * 1000L);
            stop.set(true);
            for (Thread worker : workers) {
                worker.join();
            }
        }

        long peakUsed = 0;
        long peakAfterGc = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakUsed += pool.getPeakUsage().getUsed();
                MemoryUsage afterGc = pool.getCollectionUsage();
                if (afterGc != null) {
                    peakAfterGc += afterGc.getUsed();
                }
            }
        }
        long max = Runtime.getRuntime().maxMemory();
        long limit = 64L * 1024 * 1024;
        ObjectMapper json = new ObjectMapper();
        ObjectNode line = json.createObjectNode();
        line.put("workload", "heap-steady-mix@" + sessionCount);
        line.put("threads", threads);
        line.put("opsPerSec", Math.round(ops.get() / (double) seconds));
        line.put("maxHeapMB", mb(max));
        line.put("peakUsedHeapMB", mb(peakUsed));
        line.put("heapAfterLastGcMB", mb(peakAfterGc));
        line.put("targetMB", 64);
        line.put("failures", failures.size());
        line.put("met", failures.isEmpty() && peakUsed < limit);
        System.out.println(json.writeValueAsString(line));
        BenchFiles.delete(file);
        if (!failures.isEmpty()) {
            failures.get(0).printStackTrace();
            System.exit(1);
        }
    }

    private static double mb(long bytes) {
        return Math.round(bytes / 1024.0 / 1024.0 * 10) / 10.0;
    }
}
