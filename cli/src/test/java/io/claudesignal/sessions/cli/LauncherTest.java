package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./sessions} launcher and its start-up cache (class-data archive, unpacked sqlite library),
 * run on a copy of a checkout: the script and a {@code cli/target/sessions.jar} made here from this
 * module's class path (its classes, and the dependency jars linked under {@code lib/}), since the
 * shaded jar is made after the tests. Whatever happens to the cache, the command answers, stdout holds
 * exactly its JSON and stderr nothing. No timing is asserted.
 */
class LauncherTest {

    private static final long TIMEOUT_SECONDS = 180;
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @TempDir
    static Path shared;
    private static Path jar;
    private static List<Path> dependencies;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildTheJar() throws IOException {
        jar = shared.resolve("sessions.jar");
        dependencies = new ArrayList<>();
        List<Path> classDirs = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath();
            if (Files.isDirectory(p) && !p.endsWith("test-classes")) {
                classDirs.add(p);
            } else if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
                dependencies.add(p);
            }
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, SessionsCli.class.getName());
        List<String> classPath = new ArrayList<>();
        for (int i = 0; i < dependencies.size(); i++) {
            classPath.add("lib/" + i + "-" + dependencies.get(i).getFileName());
        }
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            for (Path classes : classDirs) {
                try (Stream<Path> files = Files.walk(classes)) {
                    // Directories get entries too, as in a jar Maven packs: Flyway finds its migrations
                    // through ClassLoader.getResources(folder), which sees a folder of a jar only by its entry.
                    for (Path f : files.filter(f -> !f.equals(classes)).sorted().toList()) {
                        String name = classes.relativize(f).toString().replace(File.separatorChar, '/');
                        if (name.equals("META-INF/MANIFEST.MF")) {
                            continue;
                        }
                        if (Files.isDirectory(f)) {
                            try {
                                out.putNextEntry(new JarEntry(name + "/"));
                                out.closeEntry();
                            } catch (java.util.zip.ZipException duplicate) {
                                // the same folder in another module's classes
                            }
                            continue;
                        }
                        try {
                            out.putNextEntry(new JarEntry(name));
                        } catch (java.util.zip.ZipException duplicate) {
                            continue;
                        }
                        Files.copy(f, out);
                        out.closeEntry();
                    }
                }
            }
        }
    }

    /** The links into ~/.m2 go first: JUnit would warn about each when it cleans up. */
    @AfterEach
    void removeTheLinks() throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path link : paths.filter(Files::isSymbolicLink).toList()) {
                Files.delete(link);
            }
        }
    }

    /** A checkout with a built jar: the launcher, {@code cli/target/sessions.jar} and its {@code lib/}. */
    private Path checkout(String name) throws IOException {
        Path root = Files.createDirectories(dir.resolve(name));
        Path script = Path.of("..", "sessions").toAbsolutePath().normalize();
        assertThat(script).as("the launcher at the repository's root").isRegularFile();
        Files.copy(script, root.resolve("sessions"));
        Files.setPosixFilePermissions(root.resolve("sessions"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path target = Files.createDirectories(root.resolve("cli/target"));
        Files.copy(jar, target.resolve("sessions.jar"));
        Path lib = Files.createDirectories(target.resolve("lib"));
        for (int i = 0; i < dependencies.size(); i++) {
            Files.createSymbolicLink(lib.resolve(i + "-" + dependencies.get(i).getFileName()), dependencies.get(i));
        }
        return root;
    }

    record Exit(int code, String out, String err) {

        /** Succeeded, printed exactly one JSON document on stdout and nothing on stderr. */
        JsonNode json() throws IOException {
            assertThat(err).as("stderr").isEmpty();
            assertThat(code).as("exit code; stderr: " + err).isZero();
            assertThat(out).as("stdout: one line").endsWith("\n").containsOnlyOnce("\n");
            return JSON.readTree(out);
        }
    }

    private Exit run(Path checkout, Map<String, String> env, boolean asUser, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (asUser && isRoot()) {
            // Root writes anywhere; without these capabilities the file modes apply to it too.
            command.addAll(List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search",
                    "--inh-caps=-dac_override,-dac_read_search"));
        }
        command.add(checkout.resolve("sessions").toString());
        command.addAll(List.of(args));
        return start(command, env);
    }

    private Exit start(List<String> command, Map<String, String> env) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().remove("SESSIONS_DB");
        builder.environment().remove("XDG_CACHE_HOME");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("HOME", Files.createDirectories(dir.resolve("home")).toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        return new Exit(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static boolean isRoot() throws Exception {
        Process id = new ProcessBuilder("id", "-u").start();
        String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        id.waitFor();
        return uid.equals("0");
    }

    private static boolean canDropCapabilities() {
        try {
            return new ProcessBuilder("setpriv", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static List<Path> archives(Path under) throws IOException {
        if (!Files.isDirectory(under)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(under)) {
            return files.filter(p -> p.getFileName().toString().matches("sessions-\\d+\\.jsa")).toList();
        }
    }

    @Test
    void theFirstRunMakesTheCacheBesideTheJarAndLaterRunsUseIt() throws Exception {
        Path checkout = checkout("writable");
        String db = dir.resolve("s.db").toString();
        JsonNode created = run(checkout, Map.of(), false, "--db", db, "--json", "create", "--project", "/p", "--thread", "t").json();
        List<Path> made = archives(checkout.resolve("cli/target/startup-cache"));
        assertThat(made).as("one archive, in cli/target").hasSize(1);
        long size = Files.size(made.get(0));
        assertThat(made.get(0).getFileName().toString()).isEqualTo("sessions-" + size + ".jsa");

        JsonNode shown = run(checkout, Map.of(), false, "--db", db, "show", created.get("id").asText(), "--json").json();
        assertThat(shown.get("id")).isEqualTo(created.get("id"));
        assertThat(archives(checkout.resolve("cli/target/startup-cache"))).as("used, not made again").isEqualTo(made);
    }

    @Test
    void aDamagedArchiveIsNotUsedAndTheCommandStillAnswers() throws Exception {
        Path checkout = checkout("damaged");
        String db = dir.resolve("s.db").toString();
        run(checkout, Map.of(), false, "--db", db, "--json", "create", "--project", "/p", "--thread", "t").json();
        Path archive = archives(checkout.resolve("cli/target/startup-cache")).get(0);
        long size = Files.size(archive);
        archive.toFile().setWritable(true);

        // Garbage of the right size: the JVM refuses its header and runs without it.
        byte[] garbage = new byte[(int) size];
        new Random(16).nextBytes(garbage);
        Files.write(archive, garbage);
        assertThat(run(checkout, Map.of(), false, "--db", db, "--json", "list").json().get("sessions")).hasSize(1);

        // Cut short (JDK 17 would crash on it): not used, and made again.
        try (OutputStream out = Files.newOutputStream(archive)) {
            out.write(garbage, 0, 100_000);
        }
        assertThat(run(checkout, Map.of(), false, "--db", db, "--json", "list").json().get("sessions")).hasSize(1);
        assertThat(archives(checkout.resolve("cli/target/startup-cache"))).singleElement()
                .satisfies(p -> assertThat(Files.size(p)).as("made again, whole").isGreaterThan(100_000));
    }

    @Test
    void aNewJarGetsANewArchiveAndTheStaleOneGoes() throws Exception {
        Path checkout = checkout("stale");
        String db = dir.resolve("s.db").toString();
        run(checkout, Map.of(), false, "--db", db, "--json", "list").json();
        Path before = archives(checkout.resolve("cli/target/startup-cache")).get(0);
        Path jarInCheckout = checkout.resolve("cli/target/sessions.jar");
        Files.setLastModifiedTime(jarInCheckout, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(jarInCheckout).toMillis() + 5_000));

        run(checkout, Map.of(), false, "--db", db, "--json", "list").json();
        List<Path> after = archives(checkout.resolve("cli/target/startup-cache"));
        assertThat(after).hasSize(1).doesNotContain(before);
        assertThat(before.getParent()).as("the stale entry is removed").doesNotExist();
    }

    @Test
    void aReadOnlyCheckoutKeepsItsCacheInTheUsersCacheDirectory() throws Exception {
        Path checkout = checkout("read-only");
        Path cache = Files.createDirectories(dir.resolve("xdg-cache"));
        Path data = Files.createDirectories(dir.resolve("data"));
        makeReadOnly(checkout);
        boolean modesApply = !isRoot() || canDropCapabilities();
        try {
            Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString());
            String db = data.resolve("s.db").toString();
            JsonNode created = run(checkout, env, true, "--db", db, "--json", "create", "--project", "/p", "--thread", "t").json();
            run(checkout, env, true, "--db", db, "--json", "show", created.get("id").asText()).json();
            if (modesApply) {
                assertThat(checkout.resolve("cli/target/startup-cache")).doesNotExist();
                assertThat(archives(cache.resolve("claude-signal-sessions"))).hasSize(1);
            }
        } finally {
            makeWritable(checkout);
        }
    }

    @Test
    void withNoWritableCacheAnywhereTheCommandRunsWithout() throws Exception {
        Path checkout = checkout("nowhere");
        makeReadOnly(checkout);
        try {
            Path data = Files.createDirectories(dir.resolve("data2"));
            Map<String, String> env = Map.of("XDG_CACHE_HOME", "/proc/no-cache-here");
            run(checkout, env, true, "--db", data.resolve("s.db").toString(), "--json", "list").json();
        } finally {
            makeWritable(checkout);
        }
    }

    @Test
    void theJarRunsWithoutTheLauncherAndTheCacheCanBeTurnedOff() throws Exception {
        Path checkout = checkout("plain");
        String db = dir.resolve("s.db").toString();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        start(List.of(java, "-jar", checkout.resolve("cli/target/sessions.jar").toString(), "--db", db, "--json", "list"),
                Map.of()).json();
        run(checkout, Map.of("SESSIONS_STARTUP_CACHE", "off"), false, "--db", db, "--json", "list").json();
        assertThat(checkout.resolve("cli/target/startup-cache")).doesNotExist();
    }

    private static void makeReadOnly(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(p -> !Files.isSymbolicLink(p)).toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "r-xr-xr-x" : "r--r--r--"));
            }
        }
        Files.setPosixFilePermissions(root.resolve("sessions"), PosixFilePermissions.fromString("r-xr-xr-x"));
    }

    private static void makeWritable(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(p -> !Files.isSymbolicLink(p)).sorted(Comparator.naturalOrder()).toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwx------" : "rw-------"));
            }
        }
    }
}
