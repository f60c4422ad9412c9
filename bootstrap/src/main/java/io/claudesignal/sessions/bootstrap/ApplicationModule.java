package io.claudesignal.sessions.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.claudesignal.sessions.application.port.in.Maintenance;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.port.out.SessionRepository;
import io.claudesignal.sessions.application.port.out.StorageDiagnostics;
import io.claudesignal.sessions.application.service.ContextJson;
import io.claudesignal.sessions.application.service.MaintenanceService;
import io.claudesignal.sessions.application.service.SessionService;
import java.time.Clock;

/**
 * The use cases, over whichever adapter module is installed beside this one. The clock and the id
 * generator are bound here; to make them deterministic in a test, override this module
 * ({@code Modules.override(new ApplicationModule()).with(...)}).
 */
public final class ApplicationModule extends AbstractModule {

    private final int maxContextBytes;

    /** With the default context size limit ({@value ContextJson#DEFAULT_MAX_BYTES} bytes). */
    public ApplicationModule() {
        this(ContextJson.DEFAULT_MAX_BYTES);
    }

    public ApplicationModule(int maxContextBytes) {
        this.maxContextBytes = maxContextBytes;
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
    @Singleton
    Sessions sessions(SessionRepository repository, Clock clock, SessionIdGenerator ids, ContextJson json) {
        return new SessionService(repository, clock, ids, json);
    }

    @Provides
    @Singleton
    Maintenance maintenance(StorageDiagnostics diagnostics) {
        return new MaintenanceService(diagnostics);
    }
}
