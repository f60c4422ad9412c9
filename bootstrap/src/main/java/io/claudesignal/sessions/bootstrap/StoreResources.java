package io.claudesignal.sessions.bootstrap;

/**
 * For adapter modules, not embedders: what an adapter holds open (connections, threads) and must
 * release when its store is closed. {@link StorageModule} binds one for its adapter (a module of
 * one's own that binds the parts itself binds one too); {@link SessionStore#close()} calls it. Embedders close the {@link SessionStore} (with Guice: the one the injector holds).
 */
@FunctionalInterface
public interface StoreResources extends AutoCloseable {

    @Override
    void close();
}
