package io.claudesignal.sessions.bootstrap;

import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.Approvals;
import io.claudesignal.sessions.application.port.in.Leases;
import io.claudesignal.sessions.application.port.in.Maintenance;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.application.port.in.Inbox;
import io.claudesignal.sessions.application.port.in.Outbox;
import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.port.out.StorageAdapter;
import io.claudesignal.sessions.application.port.out.StorageDiagnostics;
import io.claudesignal.sessions.application.port.out.StoreMetrics;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import io.claudesignal.sessions.application.service.MaintenanceService;
import io.claudesignal.sessions.application.service.MeteredPorts;
import io.claudesignal.sessions.application.service.QueueGauges;
import io.claudesignal.sessions.application.service.SessionService;
import java.time.Clock;
import java.util.Objects;

/**
 * The one place where a store is put together from an adapter's parts: {@link ApplicationModule}'s
 * providers and {@link SessionStore#open}'s container-free path (the CLI's start-up) both call
 * it, so the two cannot drift apart (twice they did: metrics bypassed, a daemon's name not completed).
 *
 * @param service     the use cases, unmeasured (closing it stops the change feed)
 * @param sessions    {@code service} as bound: measured when metrics are on
 * @param leases      likewise
 * @param transcripts likewise
 * @param approvals   likewise
 * @param inbox       likewise
 * @param outbox      likewise
 * @param maintenance likewise, reporting purges and imports
 * @param store       the handle over all of them, which closes the adapter's {@code resources}
 */
record StoreAssembly(SessionService service, Sessions sessions, Leases leases, Transcripts transcripts,
        Approvals approvals, Inbox inbox, Outbox outbox, Maintenance maintenance, SessionStore store) {

    /** What an adapter gives: its ports and what must be closed with the store. */
    record Parts(Persistence persistence, StorageDiagnostics diagnostics, StoreOperations operations,
            StoreResources resources) {
    }

    /**
     * The store over {@code adapter}, without a container (building an injector was a fifth of the CLI's
     * start-up, and a store opened this way has nothing for Guice to choose); the store owns the adapter
     * from here on and closes it, also when assembling fails.
     */
    static SessionStore open(StorageAdapter adapter, SessionsConfig config, StoreMetrics metrics) {
        Objects.requireNonNull(adapter, "adapter");
        try {
            Objects.requireNonNull(config, "config");
            Parts parts = new Parts(adapter.persistence(), adapter.diagnostics(), adapter.operations(), adapter::close);
            return assemble(parts, config, new ContextJson(ContextJson.DEFAULT_MAX_BYTES, ContextJson.DEFAULT_MAX_DEPTH),
                    Clock.systemUTC(), SessionIdGenerator.random(), metrics).store();
        } catch (RuntimeException | Error e) {
            adapter.close();
            throw e;
        }
    }

    static StoreAssembly assemble(Parts parts, SessionsConfig config, ContextJson json, Clock clock,
            SessionIdGenerator ids, StoreMetrics metrics) {
        SessionService service = new SessionService(parts.persistence(), clock, ids, json, config);
        Sessions sessions = MeteredPorts.wrap(Sessions.class, service, metrics);
        Leases leases = MeteredPorts.wrap(Leases.class, service.leases(), metrics);
        Transcripts transcripts = MeteredPorts.wrap(Transcripts.class, service.transcripts(), metrics);
        Approvals approvals = MeteredPorts.wrap(Approvals.class, service.approvals(), metrics);
        Inbox inbox = MeteredPorts.wrap(Inbox.class, service.inbox(), metrics);
        Outbox outbox = MeteredPorts.wrap(Outbox.class, service.outbox(), metrics);
        // Read from the ports, unmeasured: a scrape is not a call of the API.
        metrics.queues(new QueueGauges(parts.persistence(), clock));
        Maintenance maintenance = MeteredPorts.wrap(Maintenance.class, new MaintenanceService(parts.diagnostics(),
                parts.operations(), parts.persistence(), json, metrics), metrics);
        // The service's change-feed thread stops before the connections it reads through close, also
        // when the bound Sessions is a measuring proxy that the store cannot close itself.
        StoreResources all = () -> {
            service.close();
            parts.resources().close();
        };
        // The service's configuration: a daemon's default name completed by the store it opened.
        SessionStore store = new SessionStore(sessions, maintenance, leases, transcripts, approvals, inbox, outbox,
                service.config(), all);
        return new StoreAssembly(service, sessions, leases, transcripts, approvals, inbox, outbox, maintenance, store);
    }
}
