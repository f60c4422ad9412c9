package io.claudesignal.sessions.tck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.IllegalTransitionException;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.LeaseHeldException;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionsException;
import io.claudesignal.sessions.domain.StaleVersionException;
import io.claudesignal.sessions.domain.StatusMismatchException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of the sessions API, written as plainly as possible: maps and lists, no locks, no SQL, no
 * shared code with any adapter or with the service. {@link SessionsModelProperties} asks it the same
 * questions as a real store and compares the answers. A refusal is thrown as a {@link Refused}
 * naming the exception class the API must throw.
 */
final class SessionsModel {

    /** The API refuses: the real call must throw exactly {@code type}. */
    static final class Refused extends RuntimeException {
        final Class<? extends SessionsException> type;

        Refused(Class<? extends SessionsException> type) {
            super(type.getSimpleName(), null, false, false);
            this.type = type;
        }
    }

    record SessionView(SessionId id, String projectPath, String threadId, SessionStatus status, JsonNode context,
            Instant createdAt, Instant updatedAt, long version) {}

    record SummaryView(SessionId id, String projectPath, String threadId, SessionStatus status, Instant createdAt,
            Instant updatedAt, long version) {}

    record ActivityView(SessionId id, long seq, String type, JsonNode details, Instant at) {}

    record TransitionView(SessionStatus from, SessionStatus to, Instant at, String reason, Actor actor) {}

    record LeaseView(SessionId id, Actor owner, long token, Instant expiresAt) {
        boolean liveAt(Instant now) {
            return now.isBefore(expiresAt);
        }

        boolean sameClaimAs(LeaseView other) {
            return other != null && owner.equals(other.owner) && token == other.token && id.equals(other.id);
        }
    }

    record CatchUpView(long acknowledgedSeq, long throughSeq, List<ActivityView> activities) {}

    private static final class Row {
        SessionView session;
        final List<TransitionView> history = new ArrayList<>();
        final List<ActivityView> log = new ArrayList<>();
        long lastSeq;
        long acknowledged;
        LeaseView lease;

        Row(SessionView session) {
            this.session = session;
        }
    }

    /** What one handle (one {@code SessionService}) remembers: the leases it holds and those it lost. */
    static final class Handle {
        final Actor actor;
        final Map<SessionId, LeaseView> held = new HashMap<>();
        final Map<SessionId, LeaseView> lost = new HashMap<>();

        Handle(Actor actor) {
            this.actor = actor;
        }

        LeaseView fence(SessionId id) {
            LeaseView lease = held.get(id);
            return lease != null ? lease : lost.get(id);
        }

        void forget(SessionId id) {
            held.remove(id);
            lost.remove(id);
        }
    }

    private final Map<SessionId, Row> rows = new LinkedHashMap<>();
    private final Duration leaseDuration;
    private final int activityLimit;
    private final int maxContextBytes;

    SessionsModel(Duration leaseDuration, int activityLimit, int maxContextBytes) {
        this.leaseDuration = leaseDuration;
        this.activityLimit = activityLimit;
        this.maxContextBytes = maxContextBytes;
    }

    SessionView create(SessionId id, String projectPath, String threadId, Instant now) {
        if (!projectPath.startsWith("/") || threadId.isBlank()) {
            throw new Refused(InvalidInputException.class);
        }
        Instant at = now.truncatedTo(ChronoUnit.MICROS);
        SessionView s = new SessionView(id, projectPath, threadId, SessionStatus.CREATED,
                JsonNodeFactory.instance.objectNode(), at, at, 1);
        rows.put(id, new Row(s));
        return s;
    }

    java.util.Optional<SessionView> find(SessionId id) {
        return java.util.Optional.ofNullable(rows.get(id)).map(r -> r.session);
    }

    SessionView transition(Handle h, SessionId id, SessionStatus expected, SessionStatus target, Instant now) {
        if (!allowed(expected, target)) {
            throw new Refused(IllegalTransitionException.class);
        }
        Row row = admitted(h, id, now);
        if (row.session.status() != expected) {
            throw new Refused(StatusMismatchException.class);
        }
        return move(h, row, target, now, "user");
    }

    SessionView transition(Handle h, SessionId id, SessionStatus target, Instant now) {
        Row row = admitted(h, id, now);
        if (!allowed(row.session.status(), target)) {
            throw new Refused(IllegalTransitionException.class);
        }
        return move(h, row, target, now, "user");
    }

    SessionView merge(Handle h, SessionId id, ObjectNode patch, Long expectedVersion, Instant now) {
        Row row = admitted(h, id, now);
        if (expectedVersion != null && expectedVersion != row.session.version()) {
            throw new Refused(StaleVersionException.class);
        }
        ObjectNode merged = (ObjectNode) mergePatch(row.session.context(), patch);
        if (merged.equals(row.session.context())) {
            return row.session;
        }
        if (merged.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxContextBytes) {
            throw new Refused(InvalidInputException.class);
        }
        SessionView s = row.session;
        row.session = new SessionView(s.id(), s.projectPath(), s.threadId(), s.status(), merged, s.createdAt(),
                later(s, now), s.version() + 1);
        return row.session;
    }

    void delete(Handle h, SessionId id) {
        Row row = existing(id);
        if (row.session.status() != SessionStatus.TERMINATED) {
            throw new Refused(StatusMismatchException.class);
        }
        rows.remove(id);
        h.forget(id);
    }

    List<TransitionView> history(SessionId id) {
        return List.copyOf(existing(id).history);
    }

    /** All pages of a listing, newest first (ties broken by id, highest first), {@code limit} per page. */
    List<List<SummaryView>> list(SessionStatus status, int limit) {
        List<SummaryView> all = rows.values().stream().map(r -> r.session)
                .filter(s -> status == null || s.status() == status)
                .sorted(Comparator.comparing(SessionView::createdAt).thenComparing(s -> s.id().toString()).reversed())
                .map(s -> new SummaryView(s.id(), s.projectPath(), s.threadId(), s.status(), s.createdAt(),
                        s.updatedAt(), s.version()))
                .toList();
        List<List<SummaryView>> pages = new ArrayList<>();
        for (int i = 0; i < all.size(); i += limit) {
            pages.add(all.subList(i, Math.min(all.size(), i + limit)));
        }
        if (pages.isEmpty()) {
            pages.add(List.of());
        }
        return pages;
    }

    ActivityView append(Handle h, SessionId id, String type, JsonNode details, Instant now) {
        Row row = admitted(h, id, now);
        ActivityView a = new ActivityView(id, ++row.lastSeq, type, details, now.truncatedTo(ChronoUnit.MICROS));
        row.log.add(a);
        while (row.log.size() > activityLimit) {
            row.log.remove(0);
        }
        return a;
    }

    List<ActivityView> activities(SessionId id) {
        return List.copyOf(existing(id).log);
    }

    CatchUpView catchUp(SessionId id) {
        Row row = existing(id);
        return new CatchUpView(row.acknowledged, row.lastSeq,
                row.log.stream().filter(a -> a.seq() > row.acknowledged).toList());
    }

    CatchUpView acknowledge(SessionId id, long throughSeq) {
        Row row = existing(id);
        row.acknowledged = Math.max(row.acknowledged, Math.min(throughSeq, row.lastSeq));
        return catchUp(id);
    }

    java.util.Optional<LeaseView> lease(SessionId id) {
        return java.util.Optional.ofNullable(rows.get(id)).map(r -> r.lease);
    }

    /**
     * A claim. {@code newToken} is the token the real store handed out, when it did: tokens are random,
     * so the model takes the real one for a fresh claim and checks only that a renewed claim kept its own.
     */
    LeaseView claim(Handle h, SessionId id, long newToken, Instant now) {
        Row row = existing(id);
        if (row.session.status() != SessionStatus.ACTIVE) {
            throw new Refused(StatusMismatchException.class);
        }
        LeaseView current = row.lease;
        Instant expires = now.plus(leaseDuration).truncatedTo(ChronoUnit.MICROS);
        LeaseView claimed;
        if (current != null && current.liveAt(now)) {
            if (!current.owner().equals(h.actor)) {
                throw new Refused(LeaseHeldException.class);
            }
            claimed = new LeaseView(id, h.actor, current.token(), expires);
        } else {
            claimed = new LeaseView(id, h.actor, newToken, expires);
        }
        row.lease = claimed;
        h.held.put(id, claimed);
        h.lost.remove(id);
        return claimed;
    }

    /**
     * Renews the leases the handle holds; returns the sessions whose lease it found lost. A held claim
     * that is still the stored one is renewed even when it expired: nobody took it, so nobody wrote
     * under another lease meanwhile.
     */
    List<SessionId> renew(Handle h, Instant now) {
        Instant expires = now.plus(leaseDuration).truncatedTo(ChronoUnit.MICROS);
        List<SessionId> lostNow = new ArrayList<>();
        for (Iterator<Map.Entry<SessionId, LeaseView>> it = h.held.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<SessionId, LeaseView> e = it.next();
            Row row = rows.get(e.getKey());
            LeaseView stored = row == null ? null : row.lease;
            if (stored != null && stored.owner().equals(h.actor) && stored.sameClaimAs(e.getValue())) {
                row.lease = new LeaseView(stored.id(), h.actor, stored.token(), expires);
                e.setValue(row.lease);
            } else {
                it.remove();
                h.lost.put(e.getKey(), e.getValue());
                lostNow.add(e.getKey());
            }
        }
        return lostNow;
    }

    void release(Handle h, SessionId id) {
        LeaseView lease = h.held.get(id);
        h.forget(id);
        Row row = rows.get(id);
        if (lease != null && row != null && lease.sameClaimAs(row.lease)) {
            row.lease = null;
        }
    }

    /** Crash recovery by handle {@code h}: returns the sessions it paused. */
    List<SessionId> recover(Handle h, Instant now) {
        Instant unownedBefore = now.minus(leaseDuration);
        List<SessionId> recovered = new ArrayList<>();
        for (Row row : rows.values()) {
            SessionView s = row.session;
            if (s.status() != SessionStatus.ACTIVE) {
                continue;
            }
            boolean abandoned = row.lease == null ? !s.updatedAt().isAfter(unownedBefore) : !row.lease.liveAt(now);
            if (abandoned) {
                ObjectNode stamped = ((ObjectNode) s.context()).deepCopy();
                stamped.put("recovered_at", now.truncatedTo(ChronoUnit.MICROS).toString());
                Instant at = later(s, now);
                row.session = new SessionView(s.id(), s.projectPath(), s.threadId(), SessionStatus.PAUSED, stamped,
                        s.createdAt(), at, s.version() + 1);
                row.history.add(new TransitionView(SessionStatus.ACTIVE, SessionStatus.PAUSED,
                        now.truncatedTo(ChronoUnit.MICROS), "crash-recovery", h.actor));
                row.lease = null;
                h.forget(s.id());
                recovered.add(s.id());
            }
        }
        return recovered;
    }

    // ---- the rules every write shares ----

    /** The lifecycle: CREATED → ACTIVE | TERMINATED; ACTIVE, PAUSED → any but CREATED; TERMINATED → itself. */
    static boolean allowed(SessionStatus from, SessionStatus to) {
        return switch (from) {
            case CREATED -> to == SessionStatus.ACTIVE || to == SessionStatus.TERMINATED;
            case ACTIVE, PAUSED -> to != SessionStatus.CREATED;
            case TERMINATED -> to == SessionStatus.TERMINATED;
        };
    }

    private Row existing(SessionId id) {
        Row row = rows.get(id);
        if (row == null) {
            throw new Refused(SessionNotFoundException.class);
        }
        return row;
    }

    /**
     * The session, if the handle's write is admitted: a handle that holds (or held and lost) a lease on
     * it writes only while that very claim is stored, live or renewed on the spot when it ran out
     * untaken; a refused one keeps fencing as lost.
     */
    private Row admitted(Handle h, SessionId id, Instant now) {
        Row row = existing(id);
        LeaseView fence = h.fence(id);
        if (fence != null && fence.sameClaimAs(row.lease) && !row.lease.liveAt(now) && fence.equals(h.held.get(id))) {
            // Ran out, but nobody took it: the handle renews it and writes, as its heartbeat would have.
            row.lease = new LeaseView(id, h.actor, fence.token(), now.plus(leaseDuration).truncatedTo(ChronoUnit.MICROS));
            h.held.put(id, row.lease);
            return row;
        }
        if (fence != null && !(fence.sameClaimAs(row.lease) && row.lease.liveAt(now))) {
            if (h.held.remove(id, fence)) {
                h.lost.put(id, fence);
            }
            throw new Refused(LeaseLostException.class);
        }
        return row;
    }

    private SessionView move(Handle h, Row row, SessionStatus target, Instant now, String reason) {
        SessionView s = row.session;
        row.session = new SessionView(s.id(), s.projectPath(), s.threadId(), target, s.context(), s.createdAt(),
                later(s, now), s.version() + 1);
        if (s.status() != target) {
            row.history.add(new TransitionView(s.status(), target, now.truncatedTo(ChronoUnit.MICROS), reason, h.actor));
        }
        if (target != SessionStatus.ACTIVE) {
            row.lease = null;
            h.held.remove(s.id());
        }
        return row.session;
    }

    private static Instant later(SessionView s, Instant now) {
        Instant at = now.truncatedTo(ChronoUnit.MICROS);
        return at.isAfter(s.updatedAt()) ? at : s.updatedAt();
    }

    /** RFC 7396, as the RFC's own pseudo-code says it. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject()
                ? ((ObjectNode) target).deepCopy() : JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }
}
