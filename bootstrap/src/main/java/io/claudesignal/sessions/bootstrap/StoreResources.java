package io.claudesignal.sessions.bootstrap;

/**
 * What an adapter holds open (connections, threads) and must release when its store is closed. Each
 * adapter module binds one; {@link SessionStore#close()} calls it.
 */
@FunctionalInterface
public interface StoreResources extends AutoCloseable {

    @Override
    void close();
}
