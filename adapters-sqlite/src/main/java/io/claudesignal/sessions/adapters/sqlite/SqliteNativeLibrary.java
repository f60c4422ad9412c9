package io.claudesignal.sessions.adapters.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * sqlite-jdbc's native library, unpacked once into a directory of the caller's. Without it, every
 * process copies the library (about 1 MB) out of its jar into the temporary directory, compares the
 * copy byte by byte and deletes it at exit: a third of a short command's run (measured on the CLI).
 * A process started with {@code -Dorg.sqlite.lib.path=DIR} loads the library from {@code DIR}
 * instead, and falls back to unpacking its own when that fails (sqlite-jdbc tries the path first).
 */
public final class SqliteNativeLibrary {

    private SqliteNativeLibrary() {
    }

    /**
     * Copies the library for this platform into {@code dir} (created if needed), under the name
     * sqlite-jdbc looks for, replacing it atomically, and returns its path; empty when the jar has no
     * library for this platform.
     */
    public static Optional<Path> unpackInto(Path dir) throws IOException {
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
        try (InputStream in = LibraryLoaderUtil.class.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            Files.createDirectories(dir);
            Path target = dir.resolve(LibraryLoaderUtil.getNativeLibName());
            Path partial = Files.createTempFile(dir, "partial-", ".tmp");
            try {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(partial);
            }
            return Optional.of(target);
        }
    }
}
