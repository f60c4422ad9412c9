package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.application.port.out.StorageAdapter;
import io.claudesignal.sessions.tck.SessionsModelProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The SQLite adapter against the model of the rules, each try on a new file in a directory of its
 * own; the second daemon works through a second store on the same file.
 */
class SqliteSessionsModelTest extends SessionsModelProperties {

    private Path file;

    @Override
    protected StorageAdapter openStorage() throws IOException {
        Path dir = Files.createTempDirectory("sessions-model");
        closeAfterwards(() -> deleteTree(dir)); // registered first, so removed after the stores are closed
        file = dir.resolve("sessions.db");
        return SqliteStorage.open(file);
    }

    @Override
    protected StorageAdapter openSecondHandle() {
        return SqliteStorage.open(file);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
