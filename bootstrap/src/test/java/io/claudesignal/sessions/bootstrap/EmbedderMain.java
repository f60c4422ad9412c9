package io.claudesignal.sessions.bootstrap;

import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.Session;
import java.nio.file.Path;

/**
 * A child process for {@link EmbedderClasspathTest}: what an embedder with only {@code sessions-bootstrap}
 * on its class path does. Opens a SQLite store and writes to it, then asks for PostgreSQL, and prints
 * what happened, one line each.
 */
public final class EmbedderMain {

    private EmbedderMain() {
    }

    public static void main(String[] args) {
        try (SessionStore store = SessionStore.openSqlite(Path.of(args[0]))) {
            Session s = store.sessions().create("/home/ana/code/webapp", "+15551234567");
            System.out.println("sqlite " + store.sessions().get(s.id()).status() + " check=" + store.maintenance().check().ok());
        }
        try {
            SessionStore.openPostgres("postgresql://postgres@127.0.0.1:5432/test").close();
            System.out.println("postgres opened");
        } catch (StorageException e) {
            System.out.println("postgres " + e.getClass().getSimpleName() + " " + e.reason() + " " + e.getMessage());
        }
    }
}
