package io.claudesignal.sessions.adapters.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Where sqlite-jdbc's native library comes from. Left alone, sqlite-jdbc extracts it into
 * {@code java.io.tmpdir} under a new name on every JVM start and removes it only at a normal exit, so
 * every killed JVM leaves about 1 MB (and a {@code .lck}) in {@code /tmp} for good. Instead it is
 * extracted once into a private directory of the user's cache,
 * {@code $XDG_CACHE_HOME/claude-signal-sessions/native/<version>/<platform>} (else
 * {@code ~/.cache/...}), published there whole by an atomic rename, reused by every later start, and
 * copies of other versions are removed. sqlite-jdbc is then pointed at it with
 * {@code org.sqlite.lib.path}, before it loads anything.
 *
 * <p>A user who set {@code org.sqlite.lib.path} keeps their choice. The system property
 * {@value #CACHE_PROPERTY} names another cache directory (tests point it at a temporary one). When the
 * cache cannot be used (no home, a read-only file system), sqlite-jdbc does as it always did.
 */
final class NativeLibrary {

    /** The directory that replaces {@code ~/.cache/claude-signal-sessions}. */
    static final String CACHE_PROPERTY = "claudesignal.sessions.cache";

    private static final String TEMP_PREFIX = ".extracting-";
    private static boolean prepared;

    private NativeLibrary() {
    }

    /** Points sqlite-jdbc at the cached library, extracting it first if need be. Idempotent. */
    static synchronized void prepare() {
        if (prepared) {
            return;
        }
        prepared = true;
        if (System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        try {
            Path cache = cacheRoot();
            if (cache == null) {
                return;
            }
            Path library = extract(cache.resolve("native"));
            if (library != null) {
                System.setProperty("org.sqlite.lib.path", library.getParent().toString());
                System.setProperty("org.sqlite.lib.name", library.getFileName().toString());
            }
        } catch (IOException | RuntimeException e) {
            // The cache is a convenience: without it sqlite-jdbc extracts into java.io.tmpdir as before.
        }
    }

    /** {@value #CACHE_PROPERTY}, else {@code $XDG_CACHE_HOME/claude-signal-sessions}, else {@code ~/.cache/...}. */
    static Path cacheRoot() {
        String chosen = System.getProperty(CACHE_PROPERTY);
        if (chosen != null && !chosen.isBlank()) {
            return Path.of(chosen).toAbsolutePath();
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        // The XDG spec ignores a relative value.
        if (xdg != null && xdg.startsWith("/")) {
            return Path.of(xdg, "claude-signal-sessions");
        }
        String home = System.getProperty("user.home");
        if (home == null || home.isBlank() || home.equals("?")) {
            return null;
        }
        return Path.of(home, ".cache", "claude-signal-sessions");
    }

    /** The library of this sqlite-jdbc under {@code nativeRoot}, extracted when missing or different. */
    static Path extract(Path nativeRoot) throws IOException {
        String resourceDir = LibraryLoaderUtil.getNativeLibResourcePath();
        String name = LibraryLoaderUtil.getNativeLibName();
        byte[] bytes;
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resourceDir + "/" + name)) {
            if (in == null) {
                return null;
            }
            bytes = in.readAllBytes();
        }
        String version = SQLiteJDBCLoader.getVersion();
        String platform = resourceDir.replaceFirst("^/org/sqlite/native/", "").replace('/', '-');
        Path versionDir = nativeRoot.resolve(version);
        Path dir = versionDir.resolve(platform);
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(StoreFiles.OWNER_ONLY_DIR));
        // A library is code: load it only from directories nobody else can write into.
        for (Path d = dir; d != null && d.startsWith(nativeRoot.getParent()); d = d.getParent()) {
            if (!ownedAndPrivate(d)) {
                return null;
            }
        }
        removeOtherVersions(nativeRoot, version);
        removeDeadTemporaries(dir);
        Path library = dir.resolve(name);
        if (Files.isRegularFile(library, LinkOption.NOFOLLOW_LINKS) && Files.size(library) == bytes.length
                && Arrays.equals(Files.readAllBytes(library), bytes)) {
            return library;
        }
        Path temp = dir.resolve(TEMP_PREFIX + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try (FileChannel out = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        try {
            Files.move(temp, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        return library;
    }

    /** Owned by this user; made owner-only (0700) if it was not. Another user's directory is not used. */
    private static boolean ownedAndPrivate(Path dir) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isDirectory() || !attributes.owner().equals(Owners.currentUser().orElse(attributes.owner()))) {
            return false;
        }
        if (!attributes.permissions().equals(StoreFiles.OWNER_ONLY_DIR)) {
            Files.setPosixFilePermissions(dir, StoreFiles.OWNER_ONLY_DIR);
        }
        return true;
    }

    /**
     * Copies of other sqlite-jdbc versions: a process still running one keeps its mapping after the
     * file is gone, and would extract it again at its next start.
     */
    private static void removeOtherVersions(Path nativeRoot, String version) {
        try (DirectoryStream<Path> versions = Files.newDirectoryStream(nativeRoot)) {
            for (Path other : versions) {
                if (!other.getFileName().toString().equals(version)) {
                    deleteTree(other);
                }
            }
        } catch (IOException ignored) {
            // Stale copies cost disk space only.
        }
    }

    /** Half-written copies of processes killed while extracting (their pid in the name is gone). */
    private static void removeDeadTemporaries(Path dir) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
            for (Path temp : files) {
                String rest = temp.getFileName().toString().substring(TEMP_PREFIX.length());
                long pid = Long.parseLong(rest.substring(0, rest.indexOf('-')));
                if (ProcessHandle.of(pid).isEmpty()) {
                    Files.deleteIfExists(temp);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // As above.
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
