package io.claudesignal.sessions.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.adapters.sqlite.SqliteStorage;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.SessionId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java block of the README, compiled and run as it is written: a block that stops compiling or
 * throws fails here. Each becomes the body of a method that has {@code file} and
 * {@code databaseFile} (the names the README uses for a database path) and a {@code notifyPerson}
 * listener. The details they promise are asserted in {@link SessionStoreTest}.
 */
class ReadmeSnippetsTest {

    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final String IMPORTS = """
            import com.google.inject.Guice;
            import com.google.inject.Injector;
            import io.claudesignal.sessions.adapters.inmemory.InMemoryStorage;
            import io.claudesignal.sessions.adapters.sqlite.SqliteSettings;
            import io.claudesignal.sessions.adapters.sqlite.SqliteStorage;
            import io.claudesignal.sessions.application.SessionsConfig;
            import io.claudesignal.sessions.domain.StorageException;
            import io.claudesignal.sessions.application.port.in.*;
            import io.claudesignal.sessions.bootstrap.*;
            import io.claudesignal.sessions.domain.*;
            import java.nio.file.Path;
            import java.time.Duration;
            import java.util.List;
            """;

    @Test
    void everyJavaBlockOfTheReadmeCompilesAndRuns(@TempDir Path dir) throws Exception {
        String readme = Files.readString(readme());
        List<String> blocks = new ArrayList<>();
        for (Matcher m = JAVA_BLOCK.matcher(readme); m.find(); ) {
            blocks.add(m.group(1));
        }
        assertThat(blocks).as("the README's Java examples").hasSizeGreaterThanOrEqualTo(5);

        for (int i = 0; i < blocks.size(); i++) {
            String block = blocks.get(i);
            Path work = Files.createDirectories(dir.resolve("snippet" + i));
            Path file = work.resolve("sessions.db");
            if (block.contains("recover()") && block.contains("openSqlite(file")) {
                leaveAnOrphan(file); // what the daemon example recovers
            }
            if (block.contains("catch (StorageException")) {
                Files.writeString(file, "not a database ".repeat(100)); // what the typed-error example catches
            }
            String err = run(i, block, work, file);
            if (block.contains("catch (StorageException")) {
                assertThat(err).as("the typed error was caught and printed").startsWith("CORRUPT: ");
            }
        }
    }

    /** Compiles {@code block} as a method body and runs it with user.home in {@code work}; returns its stderr. */
    private static String run(int index, String block, Path work, Path file) throws Exception {
        String name = "ReadmeSnippet" + index;
        String source = "package snippets;\n" + IMPORTS + "public class " + name + " {\n"
                + "    static void notifyPerson(SessionEvent event) { }\n"
                + "    public static void run(Path file, Path databaseFile) throws Exception {\n" + block + "\n    }\n}\n";
        Path src = Files.createDirectories(work.resolve("src/snippets")).resolve(name + ".java");
        Files.writeString(src, source);
        Path classes = Files.createDirectories(work.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, diagnostics, diagnostics, "-d", classes.toString(),
                "-classpath", System.getProperty("java.class.path"), src.toString());
        assertThat(status).as("README block %d compiles:%n%s%n%s", index, source, diagnostics).isZero();

        String home = System.getProperty("user.home");
        PrintStream stderr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setProperty("user.home", work.toString());
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ReadmeSnippetsTest.class.getClassLoader())) {
            Method main = loader.loadClass("snippets." + name).getMethod("run", Path.class, Path.class);
            main.invoke(null, file, file);
        } catch (InvocationTargetException e) {
            throw new AssertionError("README block " + index + " threw:\n" + block, e.getCause());
        } finally {
            System.setErr(stderr);
            System.setProperty("user.home", home);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    /** An ACTIVE session whose daemon died an hour ago, leaving its expired lease. */
    private static void leaveAnOrphan(Path file) {
        SessionId orphan;
        try (SessionStore store = SessionStore.openSqlite(file)) {
            orphan = store.sessions().activate(store.sessions().create("/home/ana/code/webapp", "+1555").id()).id();
        }
        try (SqliteStorage storage = SqliteStorage.open(file)) {
            Instant past = Instant.now().minusSeconds(3600);
            storage.persistence().leases().claim(orphan, Actor.daemon("dead"), 1, 1, Clock.fixed(past, ZoneOffset.UTC),
                    Duration.ofSeconds(30));
        }
    }

    private static Path readme() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("bootstrap"))) {
                return dir.resolve("README.md");
            }
        }
        throw new AssertionError("README.md not found above " + Path.of("").toAbsolutePath());
    }
}
