package io.claudesignal.sessions.tck;

import io.claudesignal.sessions.application.port.out.StorageAdapter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * The storage handles one test (or one model script) opened through the adapter's two hooks, and what
 * else it asked to close: closed together afterwards, newest first, so that a store registered after
 * its schema is closed before the schema is dropped. Shared by {@link SessionsTck} and
 * {@link SessionsModelProperties}, which ask an adapter the same two things.
 */
final class Handles {

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private StorageAdapter first;
    private StorageAdapter second;

    <T extends AutoCloseable> T closeAfterwards(T resource) {
        opened.push(Objects.requireNonNull(resource, "resource"));
        return resource;
    }

    StorageAdapter first(StorageAdapter opened) {
        first = closeAfterwards(Objects.requireNonNull(opened, "openStorage() returned null"));
        second = null;
        return first;
    }

    StorageAdapter second(StorageAdapter opened) {
        second = closeAfterwards(Objects.requireNonNull(opened, "openSecondHandle() returned null"));
        return second;
    }

    StorageAdapter first() {
        return first;
    }

    /** The second handle opened last, else the first: what a test that opened none shares. */
    StorageAdapter latestSecond() {
        return second != null ? second : first;
    }

    /** Closes everything, even when one close fails: a leaked pool would outlive the test. */
    void closeAll() throws Exception {
        first = null;
        second = null;
        Exception failure = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
