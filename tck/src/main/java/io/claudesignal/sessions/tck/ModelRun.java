package io.claudesignal.sessions.tck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.SessionPage;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.CatchUp;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import io.claudesignal.sessions.domain.SessionsException;
import io.claudesignal.sessions.domain.Transition;
import io.claudesignal.sessions.tck.SessionsModel.ActivityView;
import io.claudesignal.sessions.tck.SessionsModel.CatchUpView;
import io.claudesignal.sessions.tck.SessionsModel.LeaseView;
import io.claudesignal.sessions.tck.SessionsModel.Refused;
import io.claudesignal.sessions.tck.SessionsModel.SessionView;
import io.claudesignal.sessions.tck.SessionsModel.SummaryView;
import io.claudesignal.sessions.tck.SessionsModel.TransitionView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** One script of {@link SessionsModelProperties}: three handles on the store, and the model, compared step by step. */
final class ModelRun {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SessionId UNKNOWN = new SessionId(UUID.fromString("00000000-0000-4000-8000-0000000000ff"));

    private final TestClock clock = TestClock.frozen(Instant.parse("2026-01-26T01:58:12.123456Z"));
    private final SessionsModel model = new SessionsModel(Kit.LEASE, Kit.ACTIVITY_LIMIT, Kit.MAX_CONTEXT_BYTES);
    private final List<SessionService> handles = new ArrayList<>();
    private final List<SessionsModel.Handle> modelHandles = new ArrayList<>();
    private final List<SessionId> created = new ArrayList<>();
    private int nextId;

    ModelRun(Persistence first, Persistence second) {
        handles.add(service(first, Actor.CLI));
        handles.add(service(first, Actor.daemon("model-a")));
        handles.add(service(second, Actor.daemon("model-b")));
        handles.forEach(h -> modelHandles.add(new SessionsModel.Handle(h.config().actor())));
    }

    private SessionService service(Persistence persistence, Actor actor) {
        // Ids are a pure function of their number, so the model and the store agree on them.
        return new SessionService(persistence, clock,
                () -> new SessionId(UUID.nameUUIDFromBytes(("model-session-" + nextId++).getBytes())),
                new ContextJson(Kit.MAX_CONTEXT_BYTES, Kit.MAX_DEPTH),
                new SessionsConfig(actor, Kit.LEASE, Kit.HEARTBEAT, Kit.ACTIVITY_LIMIT));
    }

    /**
     * Three sessions to start with, two of them ACTIVE and one claimed by the first daemon, so that
     * most steps act on a session that exists and lease steps have leases to act on.
     */
    static final List<ModelOp> START = List.of(new ModelOp.Create(true), new ModelOp.Create(true),
            new ModelOp.Create(true), new ModelOp.Transition(0, 0, null, SessionStatus.ACTIVE),
            new ModelOp.Transition(1, 0, SessionStatus.CREATED, SessionStatus.ACTIVE), new ModelOp.Claim(0, 1));

    static List<ModelOp> withStart(List<ModelOp> script) {
        return Stream.concat(START.stream(), script.stream()).toList();
    }

    /** The session a step names: the last number names an id that never existed. */
    private SessionId id(int s) {
        return s == ModelOp.SESSIONS || created.isEmpty() ? UNKNOWN : created.get(s % created.size());
    }

    void apply(ModelOp op) {
        Instant now = clock.instant();
        if (op instanceof ModelOp.Create c) {
            String path = c.valid() ? "/home/ana/code/p" + (created.size() % 3) : "relative/path";
            SessionId next = new SessionId(UUID.nameUUIDFromBytes(("model-session-" + nextId).getBytes()));
            Object real = compare(() -> view(handles.get(0).create(path, "+1555")),
                    () -> model.create(next, path, "+1555", now));
            if (real instanceof SessionView) {
                created.add(next);
            }
        } else if (op instanceof ModelOp.Transition t) {
            SessionService h = handles.get(t.handle());
            SessionsModel.Handle m = modelHandles.get(t.handle());
            SessionId id = id(t.s());
            if (t.expected() == null) {
                compare(() -> view(h.transition(id, t.target())), () -> model.transition(m, id, t.target(), now));
            } else {
                compare(() -> view(h.transition(id, t.expected(), t.target())),
                        () -> model.transition(m, id, t.expected(), t.target(), now));
            }
        } else if (op instanceof ModelOp.Merge mo) {
            SessionService h = handles.get(mo.handle());
            SessionsModel.Handle m = modelHandles.get(mo.handle());
            SessionId id = id(mo.s());
            Long expected = switch (mo.check()) {
                case NONE -> null;
                case CURRENT -> model.find(id).map(SessionView::version).orElse(1L);
                case STALE -> model.find(id).map(SessionView::version).orElse(1L) - 1;
            };
            compare(() -> view(expected == null ? h.mergeContext(id, mo.patch().json)
                            : h.mergeContext(id, mo.patch().json, expected)),
                    () -> model.merge(m, id, patch(mo.patch().json), expected, now));
        } else if (op instanceof ModelOp.Delete d) {
            SessionId id = id(d.s());
            compare(() -> {
                handles.get(d.handle()).delete(id);
                return "deleted";
            }, () -> {
                model.delete(modelHandles.get(d.handle()), id);
                return "deleted";
            });
        } else if (op instanceof ModelOp.Read r) {
            SessionId id = id(r.s());
            SessionService h = handles.get(0);
            compare(() -> h.find(id).map(ModelRun::view), () -> model.find(id));
            compare(() -> h.history(id).stream().map(ModelRun::view).toList(), () -> model.history(id));
            compare(() -> h.activities(id).stream().map(ModelRun::view).toList(), () -> model.activities(id));
            compare(() -> view(h.catchUp(id)), () -> model.catchUp(id));
            compare(() -> h.leases().lease(id).map(ModelRun::view), () -> model.lease(id));
        } else if (op instanceof ModelOp.ListAll l) {
            compare(() -> pages(l), () -> model.list(l.status(), l.limit()));
        } else if (op instanceof ModelOp.Append a) {
            SessionId id = id(a.s());
            String details = a.valid() ? "{\"n\":" + a.s() + ",\"what\":\"edit\"}" : "[\"not an object\"]";
            compare(() -> view(handles.get(a.handle()).appendActivity(id, "edit", details)), () -> {
                if (!a.valid()) {
                    throw new Refused(io.claudesignal.sessions.domain.InvalidInputException.class);
                }
                return model.append(modelHandles.get(a.handle()), id, "edit", json(details), now);
            });
        } else if (op instanceof ModelOp.Acknowledge a) {
            SessionId id = id(a.s());
            compare(() -> view(handles.get(0).acknowledge(id, a.throughSeq())),
                    () -> model.acknowledge(id, a.throughSeq()));
        } else if (op instanceof ModelOp.Claim c) {
            SessionId id = id(c.s());
            Lease[] real = new Lease[1];
            Object answer = outcome(() -> {
                real[0] = handles.get(c.daemon()).leases().claim(id);
                return view(real[0]);
            });
            long token = real[0] == null ? 0 : real[0].token();
            Object expected = outcome(() -> model.claim(modelHandles.get(c.daemon()), id, token, now));
            assertSame(answer, expected);
        } else if (op instanceof ModelOp.Renew r) {
            compare(() -> sorted(handles.get(r.daemon()).leases().renew()),
                    () -> sorted(model.renew(modelHandles.get(r.daemon()), now)));
            compare(() -> sortedLeases(handles.get(r.daemon()).leases().heldLeases().stream().map(ModelRun::view).toList()),
                    () -> sortedLeases(List.copyOf(modelHandles.get(r.daemon()).held.values())));
        } else if (op instanceof ModelOp.Release r) {
            SessionId id = id(r.s());
            compare(() -> {
                handles.get(r.daemon()).leases().release(id);
                return handles.get(0).leases().lease(id).map(ModelRun::view);
            }, () -> {
                model.release(modelHandles.get(r.daemon()), id);
                return model.lease(id);
            });
        } else if (op instanceof ModelOp.Advance a) {
            clock.advanceMicros(a.by().toNanos() / 1_000);
        } else if (op instanceof ModelOp.Recover r) {
            compare(() -> sorted(handles.get(r.handle()).recover()),
                    () -> sorted(model.recover(modelHandles.get(r.handle()), now)));
        }
    }

    private List<List<SummaryView>> pages(ModelOp.ListAll l) {
        SessionQuery query = SessionQuery.all().withLimit(l.limit());
        if (l.status() != null) {
            query = query.withStatus(l.status());
        }
        List<List<SummaryView>> pages = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            SessionPage page = handles.get(0).list(query);
            pages.add(page.sessions().stream().map(ModelRun::view).toList());
            if (page.nextCursor().isEmpty()) {
                return pages;
            }
            query = query.after(page.nextCursor().get());
        }
        throw new AssertionError("a listing never ended: " + pages);
    }

    /** Runs both sides and checks they agree; returns the real answer. */
    private static Object compare(Supplier<?> real, Supplier<?> modelled) {
        Object answer = outcome(real);
        assertSame(answer, outcome(modelled));
        return answer;
    }

    private static void assertSame(Object real, Object modelled) {
        if (!Objects.equals(real, modelled)) {
            throw new AssertionError("the store answered " + real + " where the model answered " + modelled);
        }
    }

    /** The value, or the refusal as {@code "refused: ExceptionClass"}. */
    private static Object outcome(Supplier<?> call) {
        try {
            return call.get();
        } catch (Refused e) {
            return "refused: " + e.type.getSimpleName();
        } catch (SessionsException e) {
            return "refused: " + e.getClass().getSimpleName();
        }
    }

    private static List<SessionId> sorted(List<SessionId> ids) {
        return ids.stream().sorted().toList();
    }

    private static List<LeaseView> sortedLeases(List<LeaseView> leases) {
        return leases.stream().sorted(java.util.Comparator.comparing(l -> l.id().toString())).toList();
    }

    static SessionView view(Session s) {
        return new SessionView(s.id(), s.projectPath(), s.threadId(), s.status(), json(s.context()), s.createdAt(),
                s.updatedAt(), s.version());
    }

    static SummaryView view(SessionSummary s) {
        return new SummaryView(s.id(), s.projectPath(), s.threadId(), s.status(), s.createdAt(), s.updatedAt(),
                s.version());
    }

    static TransitionView view(Transition t) {
        return new TransitionView(t.from(), t.to(), t.at(), t.reason(), t.actor());
    }

    static ActivityView view(Activity a) {
        return new ActivityView(a.sessionId(), a.seq(), a.type(), json(a.details()), a.at());
    }

    static CatchUpView view(CatchUp c) {
        return new CatchUpView(c.acknowledgedSeq(), c.throughSeq(), c.activities().stream().map(ModelRun::view).toList());
    }

    static LeaseView view(Lease l) {
        return new LeaseView(l.sessionId(), l.owner(), l.token(), l.expiresAt());
    }

    /** The model refuses the patches the API must refuse before looking at the store. */
    private static ObjectNode patch(String text) {
        if (text.length() > Kit.MAX_CONTEXT_BYTES) {
            throw new Refused(io.claudesignal.sessions.domain.InvalidInputException.class);
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (Exception e) {
            throw new Refused(io.claudesignal.sessions.domain.InvalidInputException.class);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new Refused(io.claudesignal.sessions.domain.InvalidInputException.class);
        }
        return object;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
