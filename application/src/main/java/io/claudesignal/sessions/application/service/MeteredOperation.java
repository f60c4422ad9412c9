package io.claudesignal.sessions.application.service;

import io.claudesignal.sessions.application.port.in.Approvals;
import io.claudesignal.sessions.application.port.in.Inbox;
import io.claudesignal.sessions.application.port.in.Leases;
import io.claudesignal.sessions.application.port.in.Outbox;
import io.claudesignal.sessions.application.port.in.Maintenance;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.application.port.in.Transcripts;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * The operations {@link MeteredPorts} measures, each with the {@code kind} its meters carry. The names
 * are written out rather than derived from the methods': dashboards and alerts are built on them, so
 * renaming a method must not rename a meter. Overloads share one name. A port method without an
 * operation here is refused when the port is wrapped (and by {@code MeteredOperationTest}).
 */
public enum MeteredOperation {
    CREATE(Sessions.class, "create", "create"),
    FIND(Sessions.class, "find", "find"),
    GET(Sessions.class, "get", "get"),
    RESOLVE(Sessions.class, "resolve", "resolve"),
    LIST(Sessions.class, "list", "list"),
    TRANSITION(Sessions.class, "transition", "transition"),
    ACTIVATE(Sessions.class, "activate", "activate"),
    PAUSE(Sessions.class, "pause", "pause"),
    RESUME(Sessions.class, "resume", "resume"),
    TERMINATE(Sessions.class, "terminate", "terminate"),
    MERGE_CONTEXT(Sessions.class, "mergeContext", "merge_context"),
    DELETE(Sessions.class, "delete", "delete"),
    HISTORY(Sessions.class, "history", "history"),
    /** Its result also counts the sessions recovered. */
    RECOVER(Sessions.class, "recover", "recover"),
    APPEND_ACTIVITY(Sessions.class, "appendActivity", "append_activity"),
    ACTIVITIES(Sessions.class, "activities", "activities"),
    CATCH_UP(Sessions.class, "catchUp", "catch_up"),
    ACKNOWLEDGE(Sessions.class, "acknowledge", "acknowledge"),
    FORK(Sessions.class, "fork", "fork"),
    SUBSCRIBE(Sessions.class, "subscribe", "subscribe"),

    CLAIM(Leases.class, "claim", "claim"),
    /** Its result also counts the leases found lost. */
    RENEW(Leases.class, "renew", "renew"),
    RELEASE(Leases.class, "release", "release"),
    HELD(Leases.class, "held", "held"),
    LEASE(Leases.class, "lease", "lease"),
    HELD_LEASES(Leases.class, "heldLeases", "held_leases"),

    APPEND(Transcripts.class, "append", "append"),
    APPEND_ALL(Transcripts.class, "appendAll", "append_all"),
    APPEND_BATCH(Transcripts.class, "appendBatch", "append_batch"),
    COMPACT(Transcripts.class, "compact", "compact"),
    TAIL(Transcripts.class, "tail", "tail"),
    AFTER(Transcripts.class, "after", "after"),
    POP_LAST(Transcripts.class, "popLast", "pop_last"),
    CLEAR(Transcripts.class, "clear", "clear"),
    COUNT(Transcripts.class, "count", "count"),
    SEARCH(Transcripts.class, "search", "search"),

    REQUEST_APPROVAL(Approvals.class, "request", "request_approval"),
    DECIDE_APPROVAL(Approvals.class, "decide", "decide_approval"),
    PENDING_APPROVALS(Approvals.class, "pending", "pending_approvals"),
    FIND_APPROVAL(Approvals.class, "find", "find_approval"),
    ALL_APPROVALS(Approvals.class, "all", "all_approvals"),
    RECENT_APPROVALS(Approvals.class, "recent", "recent_approvals"),
    RESOLVE_APPROVAL(Approvals.class, "resolve", "resolve_approval"),
    RECEIVE(Inbox.class, "receive", "receive"),
    NEXT(Inbox.class, "next", "next"),
    DONE(Inbox.class, "done", "done"),
    MESSAGE(Inbox.class, "find", "message"),
    MESSAGES(Inbox.class, "list", "messages"),

    ENQUEUE(Outbox.class, "enqueue", "enqueue"),
    CLAIM_REPLIES(Outbox.class, "claim", "claim_replies"),
    SENT(Outbox.class, "sent", "sent"),
    FAILED(Outbox.class, "failed", "failed"),
    RETRY(Outbox.class, "retry", "retry"),
    REPLY(Outbox.class, "find", "reply"),
    REPLIES(Outbox.class, "list", "replies"),

    CHECK(Maintenance.class, "check", "check"),
    SIZES(Maintenance.class, "sizes", "sizes"),
    PIN(Maintenance.class, "pin", "pin"),
    UNPIN(Maintenance.class, "unpin", "unpin"),
    PREVIEW_PURGE(Maintenance.class, "previewPurge", "preview_purge"),
    PURGE(Maintenance.class, "purge", "purge"),
    EXPORT_TO(Maintenance.class, "exportTo", "export_to"),
    IMPORT_FROM(Maintenance.class, "importFrom", "import_from"),
    BACKUP(Maintenance.class, "backup", "backup");

    private final Class<?> port;
    private final String method;
    private final String meterName;

    MeteredOperation(Class<?> port, String method, String meterName) {
        this.port = port;
        this.method = method;
        this.meterName = meterName;
    }

    /** The {@code kind} of its meters ({@link io.claudesignal.sessions.application.port.out.StoreMetrics#operation}). */
    public String meterName() {
        return meterName;
    }

    /** The inbound port that declares it. */
    public Class<?> port() {
        return port;
    }

    /** The operation a port method is, if it is one. */
    public static Optional<MeteredOperation> of(Method method) {
        return Arrays.stream(values())
                .filter(op -> op.port == method.getDeclaringClass() && op.method.equals(method.getName()))
                .findFirst();
    }
}
