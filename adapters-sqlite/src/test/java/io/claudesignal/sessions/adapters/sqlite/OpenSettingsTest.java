package io.claudesignal.sessions.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.port.out.HealthCheck;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import org.jooq.DSLContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Item 10 of the reliability suite: the settings a store's connections really have once it is open,
 * read back from SQLite on the writer connection (and the readers), for every durability level.
 */
class OpenSettingsTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SqliteSettings.Synchronous.class)
    void theWriterRunsWithTheConfiguredSettings(SqliteSettings.Synchronous level) throws Exception {
        Path db = dir.resolve("s.db");
        SqliteSettings settings = SqliteSettings.defaults().withSynchronous(level).withBusyTimeout(Duration.ofSeconds(7));
        long expectedSync = switch (level) {
            case NORMAL -> 1;
            case FULL -> 2;
            case EXTRA -> 3;
        };
        try (SqliteStorage storage = SqliteStorage.open(db, settings)) {
            // Read on the store's own writer connection, by the health check.
            HealthCheck read = storage.diagnostics().run().stream()
                    .filter(c -> c.name().equals("settings")).findFirst().orElseThrow();
            assertThat(read.detail()).isEqualTo("journal_mode=wal synchronous=" + expectedSync
                    + " busy_timeout=7000ms foreign_keys=1 secure_delete=1");
            assertThat(read.ok()).isTrue();
        }
        // And on fresh connections of each kind the store opens.
        Connections connections = new Connections(db, settings);
        try (Connection writer = connections.writer()) {
            DSLContext ctx = SqliteDatabase.context(writer);
            assertThat(Pragmas.text(ctx, "journal_mode")).isEqualToIgnoringCase("wal");
            assertThat(Pragmas.number(ctx, "synchronous")).isEqualTo(expectedSync);
            assertThat(Pragmas.number(ctx, "busy_timeout")).isEqualTo(7000).isGreaterThanOrEqualTo(5000);
            assertThat(Pragmas.number(ctx, "foreign_keys")).isEqualTo(1);
            assertThat(Pragmas.number(ctx, "secure_delete")).isEqualTo(1);
            try (java.sql.Statement s = writer.createStatement(); java.sql.ResultSet rs = s.executeQuery("PRAGMA wal_autocheckpoint")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(settings.walAutocheckpoint());
            }
        }
        try (Connection reader = connections.reader()) {
            DSLContext ctx = SqliteDatabase.context(reader);
            assertThat(Pragmas.number(ctx, "busy_timeout")).isEqualTo(7000);
            assertThat(Pragmas.number(ctx, "foreign_keys")).isEqualTo(1);
            assertThat(Pragmas.text(ctx, "journal_mode")).isEqualToIgnoringCase("wal");
        }
    }
}
