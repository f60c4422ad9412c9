package io.claudesignal.sessions.adapters.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;

/** Who this process is, as the file system sees it. */
final class Owners {

    private Owners() {
    }

    /**
     * The effective user of this process: the owner of {@code /proc/self} (Linux). Empty where that
     * cannot be known; the checks that need it are then skipped rather than guessed.
     */
    static Optional<UserPrincipal> currentUser() {
        try {
            return Optional.of(Files.getOwner(Path.of("/proc/self")));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }
}
