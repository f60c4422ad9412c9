package io.claudesignal.sessions.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An embedder that depends on {@code sessions-bootstrap} alone has no PostgreSQL adapter, driver or pool
 * on its class path (the enforcer rule in this module's POM keeps them out of what it resolves). This
 * runs such an embedder: this module's test class path without them, in a child JVM. SQLite works, and
 * asking for PostgreSQL is a typed error naming the artifact to add, not a {@code NoClassDefFoundError}.
 */
class EmbedderClasspathTest {

    private static final List<String> NOT_AN_EMBEDDERS = List.of(
            "adapters-postgres", "/org/postgresql/", "/com/zaxxer/", "flyway-database-postgresql", "/info/picocli/");

    @Test
    void sqliteWorksAndPostgresIsATypedErrorWithoutTheAdapter(@TempDir Path dir) throws Exception {
        String full = System.getProperty("java.class.path");
        String embedder = Arrays.stream(full.split(File.pathSeparator))
                .filter(entry -> NOT_AN_EMBEDDERS.stream().noneMatch(entry.replace('\\', '/')::contains))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(full).as("the full class path has the adapter, so the filter removes something").contains("adapters-postgres");

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", embedder, EmbedderMain.class.getName(), dir.resolve("sessions.db").toString())
                .redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();

        assertThat(child.exitValue()).as(out).isZero();
        assertThat(out).as(out).contains("sqlite CREATED check=true")
                .contains("postgres StorageException UNAVAILABLE PostgreSQL needs the artifact "
                        + "io.claudesignal.sessions:sessions-adapters-postgres beside sessions-bootstrap");
    }
}
