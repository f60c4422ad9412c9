package io.claudesignal.sessions.tck;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionStatus;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every kit works with, fresh for each test: a {@link TestClock}, the ports of the store the
 * enclosing {@link SessionsTck} opened, and a {@link Sessions} handle over them writing as the CLI.
 * A kit runs only as a {@code @Nested} class of a {@link SessionsTck}, which owns the store.
 */
@ExtendWith(EnclosingTck.class)
public abstract class Kit {

    /** Contexts are limited to 64 KiB here so that the size rules can be tested cheaply. */
    protected static final int MAX_CONTEXT_BYTES = 64 * 1024;
    protected static final int MAX_DEPTH = 32;
    protected static final int RACERS = 16;
    protected static final int ROUNDS = 10;
    // Reads numbers as exact decimals, so that a store that rounded one through double is caught.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    /** The lease settings of the durable-execution tests: long enough that no test races its clock. */
    protected static final Duration LEASE = Duration.ofSeconds(30);
    protected static final Duration HEARTBEAT = Duration.ofSeconds(10);
    protected static final int ACTIVITY_LIMIT = 5;

    private SessionsTck tck;
    protected TestClock clock;
    protected Persistence persistence;
    protected Sessions sessions;

    /** Runs after the enclosing {@link SessionsTck} opened the store for this test. */
    @BeforeEach
    final void useTheStoreOf(SessionsTck enclosing) {
        tck = enclosing;
        clock = new TestClock();
        persistence = enclosing.persistence();
        sessions = service(persistence, SessionIdGenerator.random());
    }

    protected Sessions service(Persistence handle, SessionIdGenerator ids) {
        return service(handle, ids, Actor.CLI);
    }

    protected SessionService service(Persistence handle, SessionIdGenerator ids, Actor actor) {
        return new SessionService(handle, clock, ids, new ContextJson(MAX_CONTEXT_BYTES, MAX_DEPTH),
                new SessionsConfig(actor, LEASE, HEARTBEAT, ACTIVITY_LIMIT));
    }

    /** A second handle on the same store; see {@link SessionsTck#openSecondHandle()}. */
    protected Persistence openSecondHandle() throws Exception {
        return tck.secondPersistence();
    }

    protected Session newSession() {
        return sessions.create("/home/ana/code/webapp", "+15551234567");
    }

    protected Session sessionIn(SessionStatus status) {
        Session s = newSession();
        return switch (status) {
            case CREATED -> s;
            case ACTIVE -> sessions.activate(s.id());
            case PAUSED -> sessions.pause(sessions.activate(s.id()).id());
            case TERMINATED -> sessions.terminate(s.id());
        };
    }

    protected static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** Racers alternate between the two handles, so that a race also runs between connections. */
    protected Sessions onHandle(int racer, Sessions first, Sessions second) {
        return racer % 2 == 0 ? first : second;
    }

    /** The store operations of this test's store. */
    protected StoreOperations operations() {
        return tck.operations();
    }

    protected StoreOperations secondOperations() throws Exception {
        return tck.secondOperations();
    }

    protected Sessions secondService() throws Exception {
        return service(openSecondHandle(), SessionIdGenerator.random());
    }

    protected SessionService daemon(String name) throws Exception {
        return service(persistence, SessionIdGenerator.random(), Actor.daemon(name));
    }

    protected SessionService daemonOnSecondHandle(String name) throws Exception {
        return service(openSecondHandle(), SessionIdGenerator.random(), Actor.daemon(name));
    }

    protected void advance(Duration d) {
        clock.advanceMicros(d.toNanos() / 1_000);
    }
}
