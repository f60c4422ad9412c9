package io.claudesignal.sessions.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.domain.NewerSchemaException;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import io.claudesignal.sessions.application.port.out.HealthCheck;
import io.claudesignal.sessions.domain.InvalidInputException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What opening a PostgreSQL store checks before it trusts or writes anything. */
@ExtendWith(PostgresServer.class)
class PostgresStorageTest {

    private final String schema = PostgresServer.freshSchema();

    @AfterEach
    void dropSchema() throws Exception {
        PostgresServer.dropSchema(schema);
    }

    private PostgresSettings settings() {
        return PostgresSettings.defaults().withSchema(schema).withMaxPoolSize(2);
    }

    @Test
    void aNewSchemaIsCreatedAndReportsHealthy() {
        try (PostgresStorage storage = PostgresStorage.open(PostgresServer.url(), settings())) {
            List<HealthCheck> checks = storage.diagnostics().run();
            assertThat(checks).extracting(HealthCheck::name).containsExactly("server", "schema", "settings");
            assertThat(checks).allSatisfy(c -> assertThat(c.ok()).as(c.toString()).isTrue());
            assertThat(checks.get(1).detail()).contains("version " + PostgresSchema.VERSION);
        }
    }

    @Test
    void storesOpeningAtOnceMigrateOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<PostgresStorage>> opening = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                opening.add(pool.submit(() -> PostgresStorage.open(PostgresServer.url(), settings())));
            }
            for (Future<PostgresStorage> f : opening) {
                f.get().close();
            }
        } finally {
            pool.shutdown();
        }
        try (PostgresStorage storage = PostgresStorage.open(PostgresServer.url(), settings())) {
            assertThat(PostgresSchema.appliedVersion(storage.databaseForTests(), schema)).hasValue(PostgresSchema.VERSION);
        }
    }

    @Test
    void aNewerSchemaIsRefusedAndLeftAlone() throws Exception {
        PostgresStorage.open(PostgresServer.url(), settings()).close();
        PostgresServer.execute("INSERT INTO " + schema + ".flyway_schema_history (installed_rank, version, description,"
                + " type, script, checksum, installed_by, execution_time, success) VALUES (99, '" + (PostgresSchema.VERSION + 1)
                + "', 'from the future', 'SQL', 'V2__future.sql', 0, 'test', 0, true)");
        assertThatThrownBy(() -> PostgresStorage.open(PostgresServer.url(), settings()))
                .isInstanceOfSatisfying(NewerSchemaException.class, e -> {
                    assertThat(e.foundVersion()).isEqualTo(PostgresSchema.VERSION + 1);
                    assertThat(e.supportedVersion()).isEqualTo(PostgresSchema.VERSION);
                    assertThat(e.getMessage()).contains("schema " + schema).doesNotContain("null");
                });
    }

    @Test
    void aSchemaHoldingSomeoneElsesTablesIsRefused() throws Exception {
        PostgresServer.execute("CREATE SCHEMA " + schema);
        PostgresServer.execute("CREATE TABLE " + schema + ".invoices (id int)");
        assertThatThrownBy(() -> PostgresStorage.open(PostgresServer.url(), settings()))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.FOREIGN));
    }

    @Test
    void aServerThatDoesNotMakeCommitsDurableIsRefused() throws Exception {
        // synchronous_commit = off for this role only while the test runs: the check reads what our
        // connections get.
        String role = "sessions_async_" + schema.substring(5);
        PostgresServer.execute("CREATE ROLE " + role + " LOGIN");
        try {
            PostgresServer.execute("ALTER ROLE " + role + " SET synchronous_commit = off");
            String url = PostgresServer.url().replaceAll("user=[^&]*", "user=" + role);
            assertThatThrownBy(() -> PostgresStorage.open(url, settings()))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("synchronous_commit is off");
        } finally {
            PostgresServer.execute("DROP ROLE " + role);
        }
    }

    @Test
    void anUnreachableServerIsUnavailable() {
        PostgresSettings quick = settings().withConnectTimeout(Duration.ofSeconds(1));
        assertThatThrownBy(() -> PostgresStorage.open("jdbc:postgresql://127.0.0.1:1/test?user=postgres", quick))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
    }

    @Test
    void aClosedStoreSaysSo() {
        PostgresStorage storage = PostgresStorage.open(PostgresServer.url(), settings());
        storage.close();
        assertThatThrownBy(() -> storage.repository().findById(io.claudesignal.sessions.domain.SessionId.random()))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CLOSED));
    }

    @Test
    void theUrlsCurrentSchemaChoosesTheSchema() {
        String url = PostgresServer.url() + "&currentSchema=" + schema;
        try (PostgresStorage storage = PostgresStorage.open(url, PostgresSettings.defaults().withMaxPoolSize(2))) {
            assertThat(PostgresSchema.appliedVersion(storage.databaseForTests(), schema)).hasValue(PostgresSchema.VERSION);
            assertThat(storage.diagnostics().run().get(1).detail()).contains("schema " + schema);
        }
        assertThatThrownBy(() -> PostgresStorage.open(PostgresServer.url() + "&currentSchema=a,b"))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void urlsInEitherFormBecomeJdbcUrlsAndNeverShowThePassword() {
        assertThat(PostgresStorage.jdbcUrl("postgresql://ana:s3cr%40t@db.example:5433/sessions?sslmode=require"))
                .isEqualTo("jdbc:postgresql://db.example:5433/sessions?sslmode=require&user=ana&password=s3cr%40t");
        assertThat(PostgresStorage.jdbcUrl("postgres://db.example/sessions")).isEqualTo("jdbc:postgresql://db.example/sessions");
        assertThat(PostgresStorage.describe(PostgresStorage.jdbcUrl("jdbc:postgresql://h/db?user=u&password=pw")))
                .isEqualTo("jdbc:postgresql://h/db?user=u&password=***");
        assertThat(PostgresStorage.redact("postgresql://ana:secret@h/db")).isEqualTo("postgresql://ana:***@h/db");
        assertThat(PostgresStorage.isPostgresUrl("/home/ana/sessions.db")).isFalse();
        assertThat(PostgresStorage.isPostgresUrl("POSTGRESQL://h/db")).isTrue();
        assertThatThrownBy(() -> PostgresStorage.jdbcUrl("mysql://h/db")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> PostgresSettings.defaults().withSchema("Robert'); DROP"))
                .isInstanceOf(InvalidInputException.class);
    }
}
