package io.claudesignal.sessions.bootstrap;

import io.claudesignal.sessions.adapters.sqlite.SqliteSettings;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.domain.DaemonRunningException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A child process for {@link CrashRecoveryProcessTest} and {@link RestartProcessTest}: a daemon that
 * opens the store under its name and starts as the README's daemon example does (every session
 * {@code recover()} returns is resumed and claimed, printed as {@code recovered ID}), then runs
 * {@code n} new sessions (create, activate, claim, some context), prints {@code owned ID} for each and
 * then {@code ready}, and keeps its leases alive by heartbeat until it is killed. When another live
 * process runs under its name it prints {@code refused <message>} and exits with 3.
 *
 * <p>Arguments: the database file, the daemon's name, {@code n}, and optionally the lease in ms.
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
        Duration lease = args.length > 3 ? Duration.ofMillis(Long.parseLong(args[3])) : LEASE;
        SessionsConfig config = SessionsConfig.daemon(name).withLease(lease, HEARTBEAT);
        SessionStore store;
        try {
            store = SessionStore.openSqlite(db, SqliteSettings.defaults(), config);
        } catch (DaemonRunningException e) {
            System.out.println("refused " + e.getMessage());
            System.out.flush();
            System.exit(3);
            return;
        }
        // The README's daemon example: what this name's previous run left comes back at once.
        for (SessionId id : store.sessions().recover()) {
            Session s = store.sessions().resume(id);
            store.leases().claim(s.id());
            store.sessions().appendActivity(s.id(), "resumed", "{}");
            System.out.println("recovered " + id);
        }
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
