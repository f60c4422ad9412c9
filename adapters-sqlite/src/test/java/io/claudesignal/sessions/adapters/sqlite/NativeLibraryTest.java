package io.claudesignal.sessions.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Item 7 of issue 13: sqlite-jdbc's native library. Left alone it is extracted into
 * {@code java.io.tmpdir} by every JVM, and a killed JVM leaves it there for good. The store extracts it
 * once into a private directory of the user's cache and reuses it; a killed JVM leaves nothing in its
 * temporary directory. The children get a temporary directory and a cache of their own, never the
 * real {@code ~/.cache}.
 */
class NativeLibraryTest {

    @TempDir
    Path dir;

    @Test
    void aKilledJvmLeavesNothingInTmpAndTheCachedLibraryIsReused() throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path cache = dir.resolve("cache");
        String platform = LibraryLoaderUtil.getNativeLibResourcePath().replaceFirst("^/org/sqlite/native/", "").replace('/', '-');
        Path nativeRoot = cache.resolve("native");
        Path libraryDir = nativeRoot.resolve(SQLiteJDBCLoader.getVersion()).resolve(platform);
        // What older versions and a process killed while extracting left.
        Path stale = Files.createDirectories(nativeRoot.resolve("3.0.0.0").resolve(platform));
        Files.write(stale.resolve(LibraryLoaderUtil.getNativeLibName()), new byte[1024]);
        Files.createDirectories(libraryDir);
        Path halfWritten = libraryDir.resolve(".extracting-" + UpgradeTest.deadPid() + "-12345");
        Files.write(halfWritten, new byte[100]);

        runAndKill(dir.resolve("a/sessions.db"), tmp, cache);
        assertThat(names(tmp)).as("java.io.tmpdir of a killed JVM").noneMatch(n -> n.startsWith("sqlite-"));
        Path library = libraryDir.resolve(LibraryLoaderUtil.getNativeLibName());
        assertThat(library).isRegularFile();
        assertThat(Files.size(library)).isGreaterThan(100_000);
        for (Path d = libraryDir; !d.equals(cache.getParent()); d = d.getParent()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).as(d.toString()).isEqualTo("rwx------");
        }
        assertThat(names(nativeRoot)).containsExactly(SQLiteJDBCLoader.getVersion());
        assertThat(names(libraryDir)).containsExactly(LibraryLoaderUtil.getNativeLibName());

        Object first = Files.readAttributes(library, BasicFileAttributes.class).fileKey();
        runAndKill(dir.resolve("b/sessions.db"), tmp, cache);
        assertThat(Files.readAttributes(library, BasicFileAttributes.class).fileKey()).as("the same file, reused")
                .isEqualTo(first);
        assertThat(names(tmp)).noneMatch(n -> n.startsWith("sqlite-"));
    }

    @Test
    void aLibraryPathTheUserChoseIsLeftAlone() throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path cache = dir.resolve("cache");
        Path chosen = Files.createDirectory(dir.resolve("chosen"));
        runAndKill(dir.resolve("c/sessions.db"), tmp, cache, "-Dorg.sqlite.lib.path=" + chosen, "-Dorg.sqlite.tmpdir=" + chosen);
        assertThat(cache).doesNotExist();
    }

    private void runAndKill(Path db, Path tmp, Path cache, String... more) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(MultiProcessTest.javaBinary(), "-XX:-UsePerfData",
                "-Djava.io.tmpdir=" + tmp, "-D" + NativeLibrary.CACHE_PROPERTY + "=" + cache));
        command.addAll(List.of(more));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), OpenWorker.class.getName(), db.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile());
        builder.environment().remove("XDG_CACHE_HOME");
        Process child = builder.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("OPENED") && !line.startsWith("ERR"));
            assertThat(line).as("the child opened the store; stderr: " + Files.readString(dir.resolve("stderr.txt")))
                    .startsWith("OPENED");
        } finally {
            child.toHandle().destroyForcibly();
            assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
        }
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
