package io.claudesignal.sessions.bootstrap;

/**
 * For adapter modules, not embedders: what an adapter holds open (connections, threads) and must
 * release when its store is closed. Each adapter module binds one; {@link SessionStore#close()}
 * calls it. Embedders close the {@link SessionStore} (with Guice: the one the injector holds).
 */
@FunctionalInterface
public interface StoreResources extends AutoCloseable {

    @Override
    void close();
}
