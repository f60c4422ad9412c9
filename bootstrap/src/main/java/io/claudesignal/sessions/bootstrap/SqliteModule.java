package io.claudesignal.sessions.bootstrap;

import io.claudesignal.sessions.adapters.sqlite.SqliteSettings;
import io.claudesignal.sessions.adapters.sqlite.SqliteStorage;
import io.claudesignal.sessions.application.port.out.StorageAdapter;
import io.claudesignal.sessions.application.port.out.StoreMetrics;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Stores sessions in one SQLite file: the embedded default. Beside {@link ApplicationModule}, the file is
 * opened when the injector is created (see {@link SessionStore#createInjector} for its typed errors).
 */
public final class SqliteModule extends StorageModule {

    private final Path file;
    private final SqliteSettings settings;

    public SqliteModule(Path file, SqliteSettings settings) {
        this.file = Objects.requireNonNull(file, "file");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public SqliteModule(Path file) {
        this(file, SqliteSettings.defaults());
    }

    @Override
    protected StorageAdapter open(StoreMetrics metrics) {
        return SqliteStorage.open(file, settings, metrics);
    }
}
