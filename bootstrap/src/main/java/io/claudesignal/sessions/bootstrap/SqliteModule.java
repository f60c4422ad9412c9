package io.claudesignal.sessions.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.claudesignal.sessions.adapters.sqlite.SqliteSettings;
import io.claudesignal.sessions.adapters.sqlite.SqliteStorage;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.StoreMetrics;
import io.claudesignal.sessions.application.port.out.StorageDiagnostics;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Stores sessions in one SQLite file: the embedded default. Beside {@link ApplicationModule}, the file is
 * opened when the injector is created (see {@link SessionStore#createInjector} for its typed errors).
 */
public final class SqliteModule extends AbstractModule {

    private final Path file;
    private final SqliteSettings settings;

    public SqliteModule(Path file, SqliteSettings settings) {
        this.file = Objects.requireNonNull(file, "file");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public SqliteModule(Path file) {
        this(file, SqliteSettings.defaults());
    }

    @Provides
    @Singleton
    SqliteStorage storage(StoreMetrics metrics) {
        return SqliteStorage.open(file, settings, metrics);
    }

    @Provides
    Persistence persistence(SqliteStorage storage) {
        return storage.persistence();
    }

    @Provides
    StorageDiagnostics diagnostics(SqliteStorage storage) {
        return storage.diagnostics();
    }

    @Provides
    StoreOperations operations(SqliteStorage storage) {
        return storage.operations();
    }

    @Provides
    StoreResources resources(SqliteStorage storage) {
        return storage::close;
    }
}
