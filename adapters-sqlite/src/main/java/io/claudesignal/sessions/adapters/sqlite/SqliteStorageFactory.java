package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.application.port.out.StorageAdapter;
import io.claudesignal.sessions.application.port.out.StorageFactory;
import io.claudesignal.sessions.application.port.out.StoreMetrics;
import io.claudesignal.sessions.domain.InvalidInputException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Opens a SQLite file named by its path: every location that is not a URL. Registered for
 * {@link java.util.ServiceLoader}; loads nothing of SQLite until {@link #open} is called.
 *
 * <p>Settings: {@value #ALLOW_FOREIGN_OWNER} ({@code true} or {@code false}, the CLI's
 * {@code --allow-foreign-owner}); everything else is {@link SqliteSettings#defaults()}. An embedder who
 * needs other settings opens {@link SqliteStorage#open(Path, SqliteSettings)} itself.
 */
public final class SqliteStorageFactory implements StorageFactory {

    /** Accept a file owned by another user ({@link SqliteSettings#allowForeignOwner(boolean)}). */
    public static final String ALLOW_FOREIGN_OWNER = "allowForeignOwner";

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public boolean accepts(String location) {
        return location != null && !location.isBlank() && !StorageFactory.isUrl(location);
    }

    @Override
    public StorageAdapter open(String location, Map<String, String> settings, StoreMetrics metrics) {
        Objects.requireNonNull(location, "location");
        StorageFactory.requireKnown(settings, Set.of(ALLOW_FOREIGN_OWNER), name());
        SqliteSettings chosen = SqliteSettings.defaults()
                .allowForeignOwner(StorageFactory.flag(settings, ALLOW_FOREIGN_OWNER, false));
        Path file;
        try {
            file = Path.of(location);
        } catch (InvalidPathException e) {
            throw new InvalidInputException("location", "not a valid path: " + e.getMessage());
        }
        return SqliteStorage.open(file, chosen, metrics);
    }
}
