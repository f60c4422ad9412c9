package io.claudesignal.sessions.bootstrap;

import io.claudesignal.sessions.adapters.sqlite.SqliteSettings;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.Session;
import java.nio.file.Path;

/**
 * A child process for {@link ApprovalKillTest}: a daemon that runs one session and asks for approvals
 * without end, printing {@code session ID} once and then {@code asked ID} after each request returned
 * (was acknowledged), until it is killed.
 *
 * <p>Arguments: the database file and the daemon's name.
 */
public final class ApprovalAskerWorker {

    private ApprovalAskerWorker() {
    }

    public static void main(String[] args) {
        SessionStore store = SessionStore.openSqlite(Path.of(args[0]), SqliteSettings.defaults(),
                SessionsConfig.daemon(args[1]));
        Session s = store.sessions().activate(store.sessions().create("/home/ana/code/webapp", "+15551234567").id());
        store.leases().claim(s.id());
        System.out.println("session " + s.id());
        for (long n = 1; ; n++) {
            Approval asked = store.approvals().request(s.id(), "{\"tool\":\"Bash\",\"n\":" + n + "}", "toolu_" + n);
            System.out.println("asked " + asked.id());
            System.out.flush();
        }
    }
}
