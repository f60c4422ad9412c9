package io.claudesignal.sessions.adapters.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real PostgreSQL server the tests run against, never a mock: the one named by the JDBC URL in
 * {@code SESSIONS_TEST_POSTGRES_URL} when it is set; else one started with Testcontainers when a
 * Docker engine is reachable; else the conventional local server ({@value #LOCAL_URL}) when it
 * answers, so that a plain {@code ./mvnw -B verify} on a machine that runs one tests against it; else
 * the tests are skipped, saying why. Under {@code CI=true} they fail
 * instead: a CI run in which they skip has not tested this adapter.
 *
 * <p>Each test works in a schema of its own ({@link #freshSchema()}), dropped afterwards
 * ({@link #dropSchema(String)}), so test classes and runs sharing the server never see each other.
 */
public final class PostgresServer implements ExecutionCondition {

    public static final String URL_VARIABLE = "SESSIONS_TEST_POSTGRES_URL";
    /** Where a developer's machine (and this project's CI machine) runs PostgreSQL: local, trust auth. */
    static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private static final Object LOCK = new Object();
    private static String url;
    private static String unavailable;
    private static PostgreSQLContainer container;

    /** Runs the tests when there is a server; else disables them with the reason (each is reported skipped). */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String reason = unavailableReason();
        if (reason == null) {
            return ConditionEvaluationResult.enabled("PostgreSQL server available");
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true and " + reason + ": " + URL_VARIABLE
                    + " must name a running server (.ci/run starts the local one and sets it); a CI run that skips"
                    + " the PostgreSQL tests has failed");
        }
        return ConditionEvaluationResult.disabled("PostgreSQL tests skipped: " + reason + " (set " + URL_VARIABLE
                + " to a JDBC URL such as jdbc:postgresql://127.0.0.1:5432/test?user=postgres)");
    }

    /** The server's JDBC URL; call from a test class that uses this extension. */
    public static String url() {
        String reason = unavailableReason();
        if (reason != null) {
            throw new IllegalStateException(reason);
        }
        return url;
    }

    /** A new, unused schema name: the store creates the schema on open. */
    public static String freshSchema() {
        return "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20).toLowerCase(Locale.ROOT);
    }

    public static void dropSchema(String schema) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url());
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    /** Runs one statement on a connection of its own (to set up what a test needs). */
    public static void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static String unavailableReason() {
        synchronized (LOCK) {
            if (url == null && unavailable == null) {
                find();
            }
            return url != null ? null : unavailable;
        }
    }

    private static void find() {
        String fromEnvironment = System.getenv(URL_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            try {
                DriverManager.getConnection(fromEnvironment).close();
                url = fromEnvironment;
            } catch (SQLException e) {
                unavailable = URL_VARIABLE + " names a server that cannot be reached (" + e.getMessage() + ")";
            }
            return;
        }
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            docker = false;
        }
        if (!docker) {
            try {
                DriverManager.getConnection(LOCAL_URL + "&connectTimeout=3").close();
                url = LOCAL_URL;
            } catch (SQLException e) {
                unavailable = URL_VARIABLE + " is not set, no Docker engine is reachable for Testcontainers, and no"
                        + " server answers at " + LOCAL_URL;
            }
            return;
        }
        container = new PostgreSQLContainer("postgres:15-alpine");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        url = container.getJdbcUrl() + (container.getJdbcUrl().contains("?") ? "&" : "?")
                + "user=" + container.getUsername() + "&password=" + container.getPassword();
    }
}
