package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.bootstrap.SessionStore;
import java.nio.file.Path;

/**
 * A child process for {@link PermissionsTest}: opens the store at {@code args[0]} through the library
 * and, with {@code args[1]} = {@code write}, creates a session; prints {@code OK}, or
 * {@code ERR <reason> <message>} for a {@link StorageException}.
 */
public final class PermissionProbe {

    private PermissionProbe() {
    }

    public static void main(String[] args) {
        try (SessionStore store = SessionStore.openSqlite(Path.of(args[0]))) {
            if (args.length > 1 && args[1].equals("write")) {
                store.sessions().create("/p", "t");
            } else {
                store.sessions().list(io.claudesignal.sessions.application.port.in.SessionQuery.all());
            }
            System.out.println("OK");
        } catch (StorageException e) {
            System.out.println("ERR " + e.reason() + " " + e.getMessage());
        }
    }
}
