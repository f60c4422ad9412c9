package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.domain.StorageException;
import java.nio.file.Path;

/**
 * A child process that opens the store at {@code args[0]} (creating or upgrading it), prints
 * {@code START}, then {@code OPENED} or {@code ERR <reason> <message>}, and then waits until its standard input closes or
 * it is killed. The upgrade and native-library tests kill it at chosen moments.
 */
public final class OpenWorker {

    private OpenWorker() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("START");
        System.out.flush();
        try (SqliteStorage storage = SqliteStorage.open(Path.of(args[0]))) {
            System.out.println("OPENED " + storage.file());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Waits to be killed, or for the parent to close our stdin.
            }
        } catch (StorageException e) {
            System.out.println("ERR " + e.reason() + " " + e.getMessage().replace('\n', ' '));
            System.out.flush();
        }
    }
}
