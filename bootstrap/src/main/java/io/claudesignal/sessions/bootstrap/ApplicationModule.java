package io.claudesignal.sessions.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Inject;
import com.google.inject.Provides;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.Singleton;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.Approvals;
import io.claudesignal.sessions.application.port.in.Leases;
import io.claudesignal.sessions.application.port.in.Maintenance;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.application.port.in.Inbox;
import io.claudesignal.sessions.application.port.in.Outbox;
import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.port.out.StorageDiagnostics;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.StoreMetrics;
import io.claudesignal.sessions.application.service.SessionService;
import java.time.Clock;
import java.util.Objects;

/**
 * The use cases, over whichever adapter module is installed beside this one. The clock and the id
 * generator are bound here; to make them deterministic in a test, override this module
 * ({@code Modules.override(new ApplicationModule()).with(...)}).
 *
 * <p>It also binds the {@link SessionStore} as an eager singleton: creating the injector opens the
 * storage (so a damaged file fails there, not at the first call) and, with a daemon's configuration,
 * starts the lease heartbeat, with no further call. {@code injector.getInstance(SessionStore.class).close()}
 * stops the heartbeat and closes the storage. {@link SessionStore#createInjector} creates the injector
 * with the library's typed errors instead of Guice's {@code CreationException}.
 */
public final class ApplicationModule extends AbstractModule {

    private final int maxContextBytes;
    private final SessionsConfig config;

    /**
     * For the command-line tool: writes as {@code cli}, with the default context size limit
     * ({@value ContextJson#DEFAULT_MAX_BYTES} bytes) and lease settings.
     */
    public ApplicationModule() {
        this(SessionsConfig.cli());
    }

    /** With the default context size limit, as {@code config} says (a daemon: {@link SessionsConfig#daemon()}). */
    public ApplicationModule(SessionsConfig config) {
        this(ContextJson.DEFAULT_MAX_BYTES, config);
    }

    public ApplicationModule(int maxContextBytes) {
        this(maxContextBytes, SessionsConfig.cli());
    }

    public ApplicationModule(int maxContextBytes, SessionsConfig config) {
        this.maxContextBytes = maxContextBytes;
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    protected void configure() {
        bind(StoreStarter.class).asEagerSingleton();
        // Nothing is measured unless a module (MetricsModule) sets a StoreMetrics.
        OptionalBinder.newOptionalBinder(binder(), StoreMetrics.class).setDefault().toInstance(StoreMetrics.NONE);
    }

    /**
     * Makes the store when the injector is made. (Binding {@code SessionStore} itself eagerly would have
     * Guice reflect over all its methods, whose PostgreSQL overloads name classes an embedder on SQLite
     * does not have; a provider method builds it without that.)
     */
    static final class StoreStarter {
        @Inject
        StoreStarter(SessionStore store) {
            Objects.requireNonNull(store, "store");
        }
    }

    /** Everything made at once, by the same code as the container-free path ({@link StoreAssembly}). */
    @Provides
    @Singleton
    StoreAssembly assembly(Persistence persistence, StorageDiagnostics diagnostics, StoreOperations operations,
            StoreResources resources, Clock clock, SessionIdGenerator ids, ContextJson json, StoreMetrics metrics) {
        return StoreAssembly.assemble(new StoreAssembly.Parts(persistence, diagnostics, operations, resources),
                config, json, clock, ids, metrics);
    }

    @Provides
    SessionStore store(StoreAssembly assembly) {
        return assembly.store();
    }

    @Provides
    SessionsConfig config() {
        return config;
    }

    @Provides
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Provides
    @Singleton
    SessionIdGenerator sessionIds() {
        return SessionIdGenerator.random();
    }

    @Provides
    @Singleton
    ContextJson contextJson() {
        return new ContextJson(maxContextBytes, ContextJson.DEFAULT_MAX_DEPTH);
    }

    @Provides
    Sessions sessions(StoreAssembly assembly) {
        return assembly.sessions();
    }

    @Provides
    Leases leases(StoreAssembly assembly) {
        return assembly.leases();
    }

    @Provides
    Transcripts transcripts(StoreAssembly assembly) {
        return assembly.transcripts();
    }

    @Provides
    Approvals approvals(StoreAssembly assembly) {
        return assembly.approvals();
    }

    @Provides
    Inbox inbox(StoreAssembly assembly) {
        return assembly.inbox();
    }

    @Provides
    Outbox outbox(StoreAssembly assembly) {
        return assembly.outbox();
    }

    @Provides
    SessionService service(StoreAssembly assembly) {
        return assembly.service();
    }

    @Provides
    Maintenance maintenance(StoreAssembly assembly) {
        return assembly.maintenance();
    }
}
