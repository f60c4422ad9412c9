package io.claudesignal.sessions.bootstrap;

import io.claudesignal.sessions.adapters.sqlite.SqliteSettings;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Session;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A child process for {@link CrashRecoveryProcessTest}: a daemon that opens the store under its own
 * identity, runs {@code n} sessions (create, activate, claim, some context), prints {@code owned ID}
 * for each and then {@code ready}, and keeps its leases alive by heartbeat until it is killed.
 */
public final class DaemonWorker {

    static final Duration LEASE = Duration.ofSeconds(3);
    static final Duration HEARTBEAT = Duration.ofMillis(300);

    private DaemonWorker() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        String name = args[1];
        int sessions = Integer.parseInt(args[2]);
        SessionsConfig config = SessionsConfig.of(Actor.daemon(name)).withLease(LEASE, HEARTBEAT);
        SessionStore store = SessionStore.openSqlite(db, SqliteSettings.defaults(), config);
        for (int i = 0; i < sessions; i++) {
            Session s = store.sessions().create("/home/ana/code/" + name, "+1555000" + i);
            store.sessions().activate(s.id());
            store.leases().claim(s.id());
            store.sessions().mergeContext(s.id(), "{\"conversation_history\":{\"turns\":" + i + "}}");
            store.sessions().appendActivity(s.id(), "edit", "{\"n\":" + i + "}");
            System.out.println("owned " + s.id());
        }
        System.out.println("ready");
        System.out.flush();
        // Runs until killed; the store's heartbeat thread renews the leases meanwhile.
        Thread.sleep(Long.MAX_VALUE);
    }
}
