package io.claudesignal.sessions.application.contract;

import static io.claudesignal.sessions.domain.SessionStatus.ACTIVE;
import static io.claudesignal.sessions.domain.SessionStatus.CREATED;
import static io.claudesignal.sessions.domain.SessionStatus.PAUSED;
import static io.claudesignal.sessions.domain.SessionStatus.TERMINATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.claudesignal.sessions.application.port.in.SessionPage;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.domain.DuplicateSessionException;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.SessionRepository;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.in.Subscription;
import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.CatchUp;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.LeaseHeldException;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.SessionsException;
import io.claudesignal.sessions.domain.Transition;
import io.claudesignal.sessions.domain.IllegalTransitionException;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import io.claudesignal.sessions.domain.StaleVersionException;
import io.claudesignal.sessions.domain.StatusMismatchException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules every {@link SessionRepository} must keep, stated as tests through the {@link Sessions}
 * API the daemon uses. An adapter subclasses this, says how to open a fresh, empty store, and must
 * pass it unchanged.
 *
 * <p>The race tests release all their threads through one barrier and repeat several rounds; they
 * fail if a store checks a status or version in one step and writes in another.
 */
public abstract class SessionRepositoryContract {

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

    protected TestClock clock;
    protected Persistence repository;
    protected Sessions sessions;

    /** A new, empty store: the ports of one adapter over it. Called before each test. */
    protected abstract Persistence openRepository() throws Exception;

    /**
     * A second handle on the same store, as a second process would open it (a second connection pool
     * for a database). Race tests spread their threads over both. By default, the same handle.
     */
    protected Persistence openSecondHandle() throws Exception {
        return repository;
    }

    /** Releases what {@link #openRepository()} and {@link #openSecondHandle()} opened. */
    protected void closeRepositories() throws Exception {
    }

    @BeforeEach
    final void openStore() throws Exception {
        clock = new TestClock();
        repository = openRepository();
        sessions = service(repository, SessionIdGenerator.random());
    }

    @AfterEach
    final void closeStore() throws Exception {
        closeRepositories();
    }

    protected Sessions service(Persistence repo, SessionIdGenerator ids) {
        return service(repo, ids, Actor.CLI);
    }

    protected SessionService service(Persistence repo, SessionIdGenerator ids, Actor actor) {
        return new SessionService(repo, clock, ids, new ContextJson(MAX_CONTEXT_BYTES, MAX_DEPTH),
                new SessionsConfig(actor, LEASE, HEARTBEAT, ACTIVITY_LIMIT));
    }

    private Session newSession() {
        return sessions.create("/home/ana/code/webapp", "+15551234567");
    }

    private Session sessionIn(SessionStatus status) {
        Session s = newSession();
        return switch (status) {
            case CREATED -> s;
            case ACTIVE -> sessions.activate(s.id());
            case PAUSED -> sessions.pause(sessions.activate(s.id()).id());
            case TERMINATED -> sessions.terminate(s.id());
        };
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    static Stream<Arguments> everyPair() {
        return Stream.of(SessionStatus.values())
                .flatMap(from -> Stream.of(SessionStatus.values()).map(to -> Arguments.of(from, to)));
    }

    // ---- creating ----

    @Test
    void aNewSessionIsCreatedEmptyAndCanBeFoundAgain() {
        Session created = newSession();
        assertThat(created.status()).isEqualTo(CREATED);
        assertThat(created.version()).isEqualTo(1);
        assertThat(json(created.context())).isEqualTo(json("{}"));
        assertThat(created.createdAt()).isEqualTo(created.updatedAt());
        assertThat(sessions.find(created.id())).contains(created);
        assertThat(sessions.get(created.id())).isEqualTo(created);
    }

    @Test
    void textOfEveryScriptIsStoredExactly() {
        Session created = sessions.create("/home/ана/日本語 🚀/it's \"quoted\"; DROP TABLE x;--/../y", "group.Zm9v+/=");
        Session found = sessions.get(created.id());
        assertThat(found.projectPath()).isEqualTo("/home/ана/日本語 🚀/it's \"quoted\"; DROP TABLE x;--/../y");
        assertThat(found.threadId()).isEqualTo("group.Zm9v+/=");
    }

    @Test
    void timestampsKeepMicroseconds() {
        clock = TestClock.frozen(Instant.parse("2026-03-01T12:00:00.123456Z"));
        sessions = service(repository, SessionIdGenerator.random());
        Session created = newSession();
        assertThat(sessions.get(created.id()).createdAt()).isEqualTo(Instant.parse("2026-03-01T12:00:00.123456Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "relative/dir", "/with\u0000nul", "/lone\ud800surrogate"})
    void anUnusablePathIsRefusedAndNothingIsStored(String path) {
        assertThatThrownBy(() -> sessions.create(path, "t")).isInstanceOf(InvalidInputException.class);
        assertThat(sessions.list(SessionQuery.all()).sessions()).isEmpty();
    }

    @Test
    void aBlankThreadIsRefused() {
        assertThatThrownBy(() -> sessions.create("/p", "")).isInstanceOf(InvalidInputException.class);
        assertThat(sessions.list(SessionQuery.all()).sessions()).isEmpty();
    }

    @Test
    void aSecondSessionWithTheSameIdIsRefusedAndTheFirstIsKept() {
        SessionId fixed = SessionId.random();
        Sessions sameIds = service(repository, () -> fixed);
        Session first = sameIds.create("/first", "t1");
        assertThatThrownBy(() -> sameIds.create("/second", "t2"))
                .isInstanceOfSatisfying(DuplicateSessionException.class, e -> assertThat(e.id()).isEqualTo(fixed));
        assertThat(sessions.get(fixed)).isEqualTo(first);
    }

    @Test
    void anUnknownIdIsNotFound() {
        SessionId unknown = SessionId.random();
        assertThat(sessions.find(unknown)).isEmpty();
        assertThatThrownBy(() -> sessions.get(unknown))
                .isInstanceOfSatisfying(SessionNotFoundException.class, e -> assertThat(e.id()).isEqualTo(unknown));
    }

    // ---- transitions ----

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void expectedFormFollowsTheLifecycle(SessionStatus from, SessionStatus to) {
        Session before = sessionIn(from);
        if (from.canTransitionTo(to)) {
            Session after = sessions.transition(before.id(), from, to);
            assertThat(after.status()).isEqualTo(to);
            assertThat(after.version()).isEqualTo(before.version() + 1);
            assertThat(after.updatedAt()).isAfter(before.updatedAt());
            assertThat(after.createdAt()).isEqualTo(before.createdAt());
            assertThat(after.context()).isEqualTo(before.context());
            assertThat(sessions.get(before.id())).isEqualTo(after);
        } else {
            assertThatThrownBy(() -> sessions.transition(before.id(), from, to))
                    .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                        assertThat(e.from()).isEqualTo(from);
                        assertThat(e.to()).isEqualTo(to);
                    });
            assertThat(sessions.get(before.id())).isEqualTo(before);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void currentFormFollowsTheLifecycle(SessionStatus from, SessionStatus to) {
        Session before = sessionIn(from);
        if (from.canTransitionTo(to)) {
            Session after = sessions.transition(before.id(), to);
            assertThat(after.status()).isEqualTo(to);
            assertThat(after.version()).isEqualTo(before.version() + 1);
            assertThat(sessions.get(before.id())).isEqualTo(after);
        } else {
            assertThatThrownBy(() -> sessions.transition(before.id(), to))
                    .isInstanceOf(IllegalTransitionException.class);
            assertThat(sessions.get(before.id())).isEqualTo(before);
        }
    }

    @Test
    void aWrongExpectationIsAMismatchAndChangesNothing() {
        Session paused = sessionIn(PAUSED);
        assertThatThrownBy(() -> sessions.transition(paused.id(), ACTIVE, TERMINATED))
                .isInstanceOfSatisfying(StatusMismatchException.class, e -> {
                    assertThat(e.id()).isEqualTo(paused.id());
                    assertThat(e.expected()).isEqualTo(ACTIVE);
                    assertThat(e.actual()).isEqualTo(PAUSED);
                });
        assertThat(sessions.get(paused.id())).isEqualTo(paused);
    }

    @Test
    void theConveniencesDoWhatTheySay() {
        Session s = newSession();
        assertThat(sessions.activate(s.id()).status()).isEqualTo(ACTIVE);
        assertThat(sessions.pause(s.id()).status()).isEqualTo(PAUSED);
        assertThat(sessions.pause(s.id()).status()).as("pausing twice is harmless").isEqualTo(PAUSED);
        assertThat(sessions.resume(s.id()).status()).isEqualTo(ACTIVE);
        assertThatThrownBy(() -> sessions.resume(s.id())).isInstanceOf(StatusMismatchException.class);
        assertThat(sessions.terminate(s.id()).status()).isEqualTo(TERMINATED);
        assertThat(sessions.terminate(s.id()).status()).isEqualTo(TERMINATED);
        assertThatThrownBy(() -> sessions.activate(s.id())).isInstanceOf(IllegalTransitionException.class);
        assertThat(sessions.get(s.id()).version()).isEqualTo(7);
    }

    @Test
    void pausingANewSessionIsRefused() {
        Session s = newSession();
        assertThatThrownBy(() -> sessions.pause(s.id())).isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void transitioningAnUnknownSessionIsNotFound() {
        SessionId unknown = SessionId.random();
        assertThatThrownBy(() -> sessions.transition(unknown, CREATED, ACTIVE))
                .isInstanceOf(SessionNotFoundException.class);
        assertThatThrownBy(() -> sessions.transition(unknown, ACTIVE)).isInstanceOf(SessionNotFoundException.class);
    }

    @Test
    void aClockThatStepsBackNeverMakesUpdatedAtGoBack() {
        Session s = newSession();
        clock.advanceMicros(-3_600_000_000L);
        Session active = sessions.activate(s.id());
        assertThat(active.updatedAt()).isEqualTo(s.updatedAt());
        Session paused = sessions.transition(s.id(), ACTIVE, PAUSED);
        assertThat(paused.updatedAt()).isEqualTo(s.updatedAt());
    }

    // ---- context ----

    @Test
    void aMergePatchAddsReplacesAndRemovesKeys() {
        Session s = newSession();
        sessions.mergeContext(s.id(), "{\"a\":1,\"nested\":{\"x\":1,\"y\":2},\"list\":[1,2],\"gone\":true}");
        Session merged = sessions.mergeContext(s.id(),
                "{\"a\":2,\"nested\":{\"y\":null,\"z\":3},\"list\":[3],\"gone\":null,\"new\":\"v\"}");
        assertThat(json(merged.context()))
                .isEqualTo(json("{\"a\":2,\"nested\":{\"x\":1,\"z\":3},\"list\":[3],\"new\":\"v\"}"));
        assertThat(merged.version()).isEqualTo(3);
        assertThat(merged.status()).isEqualTo(CREATED);
        assertThat(sessions.get(s.id())).isEqualTo(merged);
    }

    @Test
    void anObjectReplacesAScalarAndNullsInsideNewObjectsAreDropped() {
        Session s = newSession();
        sessions.mergeContext(s.id(), "{\"k\":\"scalar\"}");
        Session merged = sessions.mergeContext(s.id(), "{\"k\":{\"a\":1,\"b\":null}}");
        assertThat(json(merged.context())).isEqualTo(json("{\"k\":{\"a\":1}}"));
    }

    @Test
    void aPatchThatChangesNothingWritesNothing() {
        Session s = newSession();
        Session once = sessions.mergeContext(s.id(), "{\"a\":1}");
        Session again = sessions.mergeContext(s.id(), "{\"a\":1,\"missing\":null}");
        assertThat(again).isEqualTo(once);
        assertThat(sessions.get(s.id()).version()).isEqualTo(2);
    }

    @Test
    void valuesRoundTripExactly() {
        Session s = newSession();
        String patch = "{\"decimal\":1.10,\"big\":123456789012345678901234567890,\"tiny\":1E-400,"
                + "\"text\":\"日本語 🚀 \\u0000 \\\" \\\\ '; DROP TABLE sessions;--\",\"bool\":false,\"arr\":[[],{}]}";
        Session merged = sessions.mergeContext(s.id(), patch);
        JsonNode stored = json(sessions.get(s.id()).context());
        assertThat(stored).isEqualTo(json(merged.context()));
        assertThat(stored.get("decimal").decimalValue()).isEqualByComparingTo("1.10");
        assertThat(stored.get("big").bigIntegerValue().toString()).isEqualTo("123456789012345678901234567890");
        assertThat(stored.get("tiny").decimalValue()).isEqualByComparingTo("1E-400");
        assertThat(stored.get("text").textValue()).isEqualTo("日本語 🚀 \u0000 \" \\ '; DROP TABLE sessions;--");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "[]", "[1]", "42", "\"text\"", "{", "{\"a\":}", "{\"a\":1}x",
        "{\"a\":1,\"a\":2}", "{'a':1}", "{\"a\":\"\\ud800\"}", "{\"\\udc00\":1}"})
    void aPatchThatIsNotOneValidObjectIsRefusedAndChangesNothing(String patch) {
        Session s = newSession();
        assertThatThrownBy(() -> sessions.mergeContext(s.id(), patch))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("patch"));
        assertThat(sessions.get(s.id())).isEqualTo(s);
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        Session s = newSession();
        String deep = "{\"a\":".repeat(MAX_DEPTH + 1) + "1" + "}".repeat(MAX_DEPTH + 1);
        assertThatThrownBy(() -> sessions.mergeContext(s.id(), deep)).isInstanceOf(InvalidInputException.class);
        String fine = "{\"a\":".repeat(MAX_DEPTH - 1) + "1" + "}".repeat(MAX_DEPTH - 1);
        assertThat(sessions.mergeContext(s.id(), fine).version()).isEqualTo(2);
    }

    @Test
    void aContextCannotGrowPastTheLimit() {
        Session s = newSession();
        String half = "x".repeat(MAX_CONTEXT_BYTES / 2);
        Session first = sessions.mergeContext(s.id(), "{\"a\":\"" + half + "\"}");
        assertThatThrownBy(() -> sessions.mergeContext(s.id(), "{\"b\":\"" + half + "\"}"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("context"));
        assertThat(sessions.get(s.id())).isEqualTo(first);
        String tooBig = "{\"c\":\"" + "y".repeat(MAX_CONTEXT_BYTES) + "\"}";
        assertThatThrownBy(() -> sessions.mergeContext(s.id(), tooBig)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void theSizeLimitCountsUtf8Bytes() {
        Session s = newSession();
        String wide = "日".repeat(MAX_CONTEXT_BYTES / 3 + 1); // under the limit in chars, over it in bytes
        assertThatThrownBy(() -> sessions.mergeContext(s.id(), "{\"w\":\"" + wide + "\"}"))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void anExpectedVersionThatMovedOnIsStale() {
        Session s = newSession();
        Session v2 = sessions.mergeContext(s.id(), "{\"a\":1}", 1);
        assertThat(v2.version()).isEqualTo(2);
        assertThatThrownBy(() -> sessions.mergeContext(s.id(), "{\"b\":1}", 1))
                .isInstanceOfSatisfying(StaleVersionException.class, e -> {
                    assertThat(e.expectedVersion()).isEqualTo(1);
                    assertThat(e.actualVersion()).isEqualTo(2);
                });
        assertThat(sessions.get(s.id())).isEqualTo(v2);
    }

    @Test
    void contextSurvivesTransitions() {
        Session s = newSession();
        sessions.mergeContext(s.id(), "{\"history\":[\"hi\"]}");
        sessions.activate(s.id());
        Session paused = sessions.transition(s.id(), ACTIVE, PAUSED);
        assertThat(json(paused.context())).isEqualTo(json("{\"history\":[\"hi\"]}"));
    }

    @Test
    void mergingIntoAnUnknownSessionIsNotFound() {
        assertThatThrownBy(() -> sessions.mergeContext(SessionId.random(), "{\"a\":1}"))
                .isInstanceOf(SessionNotFoundException.class);
    }

    // ---- listing ----

    @Test
    void newestComesFirstAndContextIsNotPartOfTheList() {
        Session a = newSession();
        Session b = newSession();
        Session c = newSession();
        sessions.mergeContext(a.id(), "{\"big\":\"" + "x".repeat(1000) + "\"}");
        SessionPage page = sessions.list(SessionQuery.all());
        assertThat(page.sessions()).extracting(SessionSummary::id).containsExactly(c.id(), b.id(), a.id());
        assertThat(page.nextCursor()).isEmpty();
        assertThat(page.sessions().get(2).version()).isEqualTo(2);
    }

    @Test
    void pagesCoverEverySessionOnceInOrder() {
        List<SessionId> created = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            created.add(newSession().id());
        }
        List<SessionId> seen = new ArrayList<>();
        SessionQuery query = SessionQuery.all().withLimit(5);
        int pages = 0;
        while (true) {
            SessionPage page = sessions.list(query);
            pages++;
            page.sessions().forEach(s -> seen.add(s.id()));
            if (page.nextCursor().isEmpty()) {
                break;
            }
            assertThat(page.sessions()).hasSize(5);
            query = query.after(page.nextCursor().get());
        }
        assertThat(pages).isEqualTo(5);
        List<SessionId> newestFirst = new ArrayList<>(created);
        java.util.Collections.reverse(newestFirst);
        assertThat(seen).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void sessionsCreatedInTheSameMicrosecondArePagedByIdWithoutLossOrRepeat() {
        clock = TestClock.frozen(Instant.parse("2026-02-02T02:02:02.020202Z"));
        sessions = service(repository, SessionIdGenerator.random());
        Set<SessionId> created = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            created.add(newSession().id());
        }
        List<SessionId> seen = new ArrayList<>();
        SessionQuery query = SessionQuery.all().withLimit(5);
        Optional<String> cursor;
        do {
            SessionPage page = sessions.list(query);
            page.sessions().forEach(s -> seen.add(s.id()));
            cursor = page.nextCursor();
            if (cursor.isPresent()) {
                query = query.after(cursor.get());
            }
        } while (cursor.isPresent());
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
        assertThat(seen).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void filtersCombine() {
        Session webappActive = sessions.activate(sessions.create("/code/webapp", "+1").id());
        Session webappPaused = sessions.pause(sessions.activate(sessions.create("/code/webapp", "+2").id()).id());
        Session notesActive = sessions.activate(sessions.create("/code/notes", "+1").id());
        Session notesNew = sessions.create("/code/notes", "+2");

        assertThat(ids(SessionQuery.all().withStatus(ACTIVE)))
                .containsExactly(notesActive.id(), webappActive.id());
        assertThat(ids(SessionQuery.all().withStatus(ACTIVE, PAUSED)))
                .containsExactly(notesActive.id(), webappPaused.id(), webappActive.id());
        assertThat(ids(SessionQuery.all().withProjectPath("/code/notes")))
                .containsExactly(notesNew.id(), notesActive.id());
        assertThat(ids(SessionQuery.all().withThreadId("+2")))
                .containsExactly(notesNew.id(), webappPaused.id());
        assertThat(ids(SessionQuery.all().withThreadId("+1").withProjectPath("/code/webapp").withStatus(ACTIVE)))
                .containsExactly(webappActive.id());
        assertThat(ids(SessionQuery.all().withStatus(TERMINATED))).isEmpty();
        assertThat(ids(SessionQuery.all().withProjectPath("/code/none"))).isEmpty();
    }

    @Test
    void filtersAndPagingWorkTogether() {
        for (int i = 0; i < 9; i++) {
            Session s = newSession();
            if (i % 3 == 0) {
                sessions.activate(s.id());
            }
        }
        SessionQuery query = SessionQuery.all().withStatus(ACTIVE).withLimit(2);
        SessionPage first = sessions.list(query);
        assertThat(first.sessions()).hasSize(2);
        SessionPage second = sessions.list(query.after(first.nextCursor().orElseThrow()));
        assertThat(second.sessions()).hasSize(1);
        assertThat(second.nextCursor()).isEmpty();
    }

    @Test
    void aListShowsTheCurrentStatus() {
        Session s = newSession();
        sessions.activate(s.id());
        assertThat(sessions.list(SessionQuery.all()).sessions().get(0).status()).isEqualTo(ACTIVE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "bm90IGEgY3Vyc29y", "%%%", "MjAyNi0wMS0yNlQwMTo1ODoxMlp8bm90LWFuLWlk"})
    void aCursorThatNoPageGaveIsRefused(String cursor) {
        assertThatThrownBy(() -> sessions.list(SessionQuery.all().after(cursor)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
    }

    @Test
    void aLimitOutOfRangeIsRefused() {
        assertThatThrownBy(() -> SessionQuery.all().withLimit(0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> SessionQuery.all().withLimit(SessionQuery.MAX_LIMIT + 1))
                .isInstanceOf(InvalidInputException.class);
    }

    private List<SessionId> ids(SessionQuery query) {
        return sessions.list(query).sessions().stream().map(SessionSummary::id).toList();
    }

    // ---- deleting ----

    @Test
    void aTerminatedSessionIsGoneForGood() {
        Session s = sessionIn(TERMINATED);
        sessions.delete(s.id());
        assertThat(sessions.find(s.id())).isEmpty();
        assertThat(sessions.list(SessionQuery.all()).sessions()).isEmpty();
        assertThatThrownBy(() -> sessions.delete(s.id())).isInstanceOf(SessionNotFoundException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CREATED", "ACTIVE", "PAUSED"})
    void aLiveSessionMustBeTerminatedFirst(String status) {
        Session s = sessionIn(SessionStatus.valueOf(status));
        assertThatThrownBy(() -> sessions.delete(s.id()))
                .isInstanceOfSatisfying(StatusMismatchException.class, e -> {
                    assertThat(e.expected()).isEqualTo(TERMINATED);
                    assertThat(e.actual()).isEqualTo(s.status());
                });
        assertThat(sessions.get(s.id())).isEqualTo(s);
    }

    // ---- races ----

    private Sessions onHandle(int racer, Sessions first, Sessions second) {
        return racer % 2 == 0 ? first : second;
    }

    private Sessions secondService() throws Exception {
        return service(openSecondHandle(), SessionIdGenerator.random());
    }

    @Test
    void racingTheSameTransitionExactlyOneWins() throws Exception {
        Sessions other = secondService();
        for (int round = 0; round < ROUNDS; round++) {
            Session s = sessionIn(ACTIVE);
            List<Race.Outcome<Session>> outcomes = Race.run(RACERS,
                    i -> () -> onHandle(i, sessions, other).transition(s.id(), ACTIVE, i % 2 == 0 ? PAUSED : TERMINATED));
            assertThat(outcomes.stream().filter(Race.Outcome::won)).as("winners in round " + round).hasSize(1);
            assertThat(outcomes.stream().filter(o -> !o.won()).map(Race.Outcome::error))
                    .allSatisfy(e -> assertThat(e).isInstanceOf(StatusMismatchException.class));
            Session winner = outcomes.stream().filter(Race.Outcome::won).findFirst().orElseThrow().value();
            assertThat(sessions.get(s.id())).isEqualTo(winner);
            assertThat(winner.version()).isEqualTo(s.version() + 1);
        }
    }

    @Test
    void racingIdempotentTransitionsFromTheCurrentStatusLosesNoVersion() throws Exception {
        Sessions other = secondService();
        for (int round = 0; round < ROUNDS; round++) {
            Session s = sessionIn(ACTIVE);
            List<Race.Outcome<Session>> outcomes = Race.run(RACERS,
                    i -> () -> onHandle(i, sessions, other).transition(s.id(), PAUSED));
            assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
            assertThat(outcomes.stream().map(o -> o.value().version()).collect(Collectors.toSet()))
                    .as("every racer wrote its own version").hasSize(RACERS);
            assertThat(sessions.get(s.id()).version()).isEqualTo(s.version() + RACERS);
        }
    }

    @Test
    void mergingDifferentKeysAtOnceLosesNoKey() throws Exception {
        Sessions other = secondService();
        for (int round = 0; round < ROUNDS; round++) {
            Session s = newSession();
            List<Race.Outcome<Session>> outcomes = Race.run(RACERS,
                    i -> () -> onHandle(i, sessions, other).mergeContext(s.id(), "{\"k" + i + "\":" + i + "}"));
            assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
            Session after = sessions.get(s.id());
            JsonNode context = json(after.context());
            for (int i = 0; i < RACERS; i++) {
                assertThat(context.get("k" + i)).as("key k" + i + " in round " + round).isNotNull();
            }
            assertThat(after.version()).isEqualTo(1 + RACERS);
        }
    }

    @Test
    void racingWritesAgainstTheSameVersionExactlyOneWins() throws Exception {
        Sessions other = secondService();
        for (int round = 0; round < ROUNDS; round++) {
            Session s = newSession();
            List<Race.Outcome<Session>> outcomes = Race.run(RACERS,
                    i -> () -> onHandle(i, sessions, other).mergeContext(s.id(), "{\"winner\":" + i + "}", 1));
            assertThat(outcomes.stream().filter(Race.Outcome::won)).hasSize(1);
            assertThat(outcomes.stream().filter(o -> !o.won()).map(Race.Outcome::error))
                    .allSatisfy(e -> assertThat(e).isInstanceOf(StaleVersionException.class));
        }
    }

    @Test
    void readModifyWriteCountersLoseNoIncrement() throws Exception {
        Sessions other = secondService();
        Session s = newSession();
        sessions.mergeContext(s.id(), "{\"count\":0}");
        int perRacer = 10;
        List<Race.Outcome<Integer>> outcomes = Race.run(RACERS, i -> () -> {
            Sessions mine = onHandle(i, sessions, other);
            int retries = 0;
            for (int n = 0; n < perRacer; n++) {
                while (true) {
                    Session current = mine.get(s.id());
                    long count = json(current.context()).get("count").asLong();
                    try {
                        mine.mergeContext(s.id(), "{\"count\":" + (count + 1) + "}", current.version());
                        break;
                    } catch (StaleVersionException lost) {
                        retries++;
                    }
                }
            }
            return retries;
        });
        assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
        assertThat(json(sessions.get(s.id()).context()).get("count").asLong()).isEqualTo((long) RACERS * perRacer);
    }

    @Test
    void concurrentCreatesMakeDistinctSessions() throws Exception {
        Sessions other = secondService();
        int perRacer = 20;
        List<Race.Outcome<List<SessionId>>> outcomes = Race.run(RACERS, i -> () -> {
            List<SessionId> made = new ArrayList<>();
            for (int n = 0; n < perRacer; n++) {
                made.add(onHandle(i, sessions, other).create("/p/" + i, "t" + n).id());
            }
            return made;
        });
        assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
        Set<SessionId> all = outcomes.stream().flatMap(o -> o.value().stream()).collect(Collectors.toSet());
        assertThat(all).hasSize(RACERS * perRacer);
        Set<SessionId> listed = new HashSet<>();
        SessionQuery query = SessionQuery.all().withLimit(SessionQuery.MAX_LIMIT);
        sessions.list(query).sessions().forEach(x -> listed.add(x.id()));
        assertThat(listed).isEqualTo(all);
    }

    @Test
    void transitionsAndMergesInterleavedKeepBoth() throws Exception {
        Sessions other = secondService();
        for (int round = 0; round < ROUNDS; round++) {
            Session s = sessionIn(ACTIVE);
            List<Race.Outcome<Session>> outcomes = Race.run(RACERS, i -> () -> {
                Sessions mine = onHandle(i, sessions, other);
                return i % 2 == 0
                        ? mine.transition(s.id(), i % 4 == 0 ? PAUSED : ACTIVE)
                        : mine.mergeContext(s.id(), "{\"m" + i + "\":true}");
            });
            assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
            Session after = sessions.get(s.id());
            assertThat(after.version()).isEqualTo(s.version() + RACERS);
            JsonNode context = json(after.context());
            IntStream.range(0, RACERS).filter(i -> i % 2 == 1)
                    .forEach(i -> assertThat(context.has("m" + i)).as("m" + i).isTrue());
        }
    }

    // ---- durable execution: history ----

    private SessionService daemon(String name) throws Exception {
        return service(repository, SessionIdGenerator.random(), Actor.daemon(name));
    }

    private SessionService daemonOnSecondHandle(String name) throws Exception {
        return service(openSecondHandle(), SessionIdGenerator.random(), Actor.daemon(name));
    }

    private void advance(Duration d) {
        clock.advanceMicros(d.toNanos() / 1_000);
    }

    @Test
    void everyStatusChangeIsRecordedOldestFirstWithReasonAndActor() throws Exception {
        SessionService daemon = daemon("a");
        Session s = sessions.create("/p", "t");
        sessions.activate(s.id());
        daemon.transition(s.id(), ACTIVE, PAUSED, "idle-timeout");
        sessions.resume(s.id());
        sessions.terminate(s.id());
        List<Transition> history = sessions.history(s.id());
        assertThat(history).extracting(Transition::from, Transition::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(CREATED, ACTIVE),
                        org.assertj.core.groups.Tuple.tuple(ACTIVE, PAUSED),
                        org.assertj.core.groups.Tuple.tuple(PAUSED, ACTIVE),
                        org.assertj.core.groups.Tuple.tuple(ACTIVE, TERMINATED));
        assertThat(history).extracting(Transition::reason).containsExactly("user", "idle-timeout", "user", "user");
        assertThat(history).extracting(Transition::actor)
                .containsExactly(Actor.CLI, Actor.daemon("a"), Actor.CLI, Actor.CLI);
        assertThat(history).extracting(Transition::at).isSorted();
        assertThat(history.get(history.size() - 1).at()).isEqualTo(sessions.get(s.id()).updatedAt());
    }

    @Test
    void aRefusedOrIdleChangeRecordsNothing() {
        Session s = sessionIn(ACTIVE);
        assertThatThrownBy(() -> sessions.transition(s.id(), PAUSED, ACTIVE)).isInstanceOf(StatusMismatchException.class);
        sessions.activate(s.id()); // ACTIVE -> ACTIVE: no status change
        sessions.mergeContext(s.id(), "{\"a\":1}");
        assertThat(sessions.history(s.id())).hasSize(1);
        assertThat(sessions.history(newSession().id())).isEmpty();
    }

    @Test
    void historyOfAnUnknownSessionIsNotFoundAndGoesWithADeletedOne() {
        assertThatThrownBy(() -> sessions.history(SessionId.random())).isInstanceOf(SessionNotFoundException.class);
        Session s = sessionIn(TERMINATED);
        sessions.appendActivity(s.id(), "edit", "{}");
        sessions.delete(s.id());
        assertThatThrownBy(() -> sessions.history(s.id())).isInstanceOf(SessionNotFoundException.class);
        assertThatThrownBy(() -> sessions.activities(s.id())).isInstanceOf(SessionNotFoundException.class);
    }

    @Test
    void racingTransitionsRecordExactlyTheChangesThatHappened() throws Exception {
        Sessions other = secondService();
        Session s = sessionIn(ACTIVE);
        List<Race.Outcome<Session>> outcomes = Race.run(RACERS,
                i -> () -> onHandle(i, sessions, other).transition(s.id(), i % 2 == 0 ? PAUSED : ACTIVE));
        assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
        List<Transition> history = sessions.history(s.id());
        // Each entry starts where the previous one ended: nothing was lost or recorded twice.
        for (int i = 1; i < history.size(); i++) {
            assertThat(history.get(i).from()).isEqualTo(history.get(i - 1).to());
        }
        assertThat(history.get(history.size() - 1).to()).isEqualTo(sessions.get(s.id()).status());
    }

    // ---- durable execution: leases and fencing ----

    @Test
    void aDaemonClaimsAnActiveSessionAndAnotherCannotUntilTheLeaseExpires() throws Exception {
        SessionService a = daemon("a");
        SessionService b = daemonOnSecondHandle("b");
        Session s = sessionIn(ACTIVE);
        Lease lease = a.claim(s.id());
        assertThat(lease.owner()).isEqualTo(Actor.daemon("a"));
        assertThat(a.lease(s.id())).contains(lease);
        assertThatThrownBy(() -> b.claim(s.id()))
                .isInstanceOfSatisfying(LeaseHeldException.class, e -> assertThat(e.holder()).isEqualTo(lease));
        advance(LEASE);
        Lease taken = b.claim(s.id());
        assertThat(taken.owner()).isEqualTo(Actor.daemon("b"));
        assertThat(taken.token()).isNotEqualTo(lease.token());
    }

    @Test
    void onlyAnActiveSessionCanBeClaimed() throws Exception {
        SessionService a = daemon("a");
        assertThatThrownBy(() -> a.claim(newSession().id())).isInstanceOf(StatusMismatchException.class);
        assertThatThrownBy(() -> a.claim(sessionIn(PAUSED).id())).isInstanceOf(StatusMismatchException.class);
        assertThatThrownBy(() -> a.claim(SessionId.random())).isInstanceOf(SessionNotFoundException.class);
    }

    @Test
    void leavingActiveDropsTheLease() throws Exception {
        SessionService a = daemon("a");
        Session s = sessionIn(ACTIVE);
        a.claim(s.id());
        a.pause(s.id());
        assertThat(a.lease(s.id())).isEmpty();
        assertThat(a.held(s.id())).isEmpty();
        a.resume(s.id());
        assertThat(a.lease(s.id())).isEmpty();
    }

    @Test
    void aStaleOwnersWritesAreRefusedOnceItsSessionWasRecoveredAndReclaimed() throws Exception {
        SessionService a = daemon("a");
        SessionService b = daemonOnSecondHandle("b");
        Session s = sessionIn(ACTIVE);
        a.claim(s.id());
        a.mergeContext(s.id(), "{\"by\":\"a\"}");
        advance(LEASE); // a stalls past its lease
        assertThat(b.recover()).containsExactly(s.id());
        b.resume(s.id());
        b.claim(s.id());
        Session before = sessions.get(s.id());
        int activities = sessions.activities(s.id()).size();
        List<SessionEvent> events = new ArrayList<>();
        a.subscribe(events::add);
        assertThatThrownBy(() -> a.mergeContext(s.id(), "{\"by\":\"stale a\"}")).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> a.pause(s.id())).isInstanceOf(SessionsException.class);
        assertThatThrownBy(() -> a.appendActivity(s.id(), "edit", "{}")).isInstanceOf(SessionsException.class);
        assertThat(sessions.get(s.id())).isEqualTo(before);
        assertThat(sessions.activities(s.id())).hasSize(activities);
        assertThat(events).singleElement().isInstanceOf(SessionEvent.LeaseLost.class);
        assertThat(a.held(s.id())).isEmpty();
        // The new owner writes as usual.
        assertThat(json(b.mergeContext(s.id(), "{\"by\":\"b\"}").context()).get("by").asText()).isEqualTo("b");
    }

    @Test
    void anExpiredLeaseFencesWritesEvenBeforeAnyoneRecovers() throws Exception {
        SessionService a = daemon("a");
        Session s = sessionIn(ACTIVE);
        a.claim(s.id());
        advance(LEASE);
        assertThatThrownBy(() -> a.mergeContext(s.id(), "{\"x\":1}")).isInstanceOf(LeaseLostException.class);
        assertThat(json(sessions.get(s.id()).context()).has("x")).isFalse();
    }

    @Test
    void renewingKeepsLiveLeasesAndNeverRevivesAnExpiredOne() throws Exception {
        SessionService a = daemon("a");
        Session kept = sessionIn(ACTIVE);
        Session lost = sessionIn(ACTIVE);
        Lease first = a.claim(kept.id());
        a.claim(lost.id());
        advance(LEASE.minus(Duration.ofSeconds(1)));
        assertThat(a.renew()).isEmpty();
        Lease renewed = a.held(kept.id()).orElseThrow();
        assertThat(renewed.sameClaimAs(first)).isTrue();
        assertThat(renewed.expiresAt()).isAfter(first.expiresAt());
        a.release(lost.id());
        assertThat(a.lease(lost.id())).isEmpty();
        a.claim(lost.id());
        advance(LEASE.plus(Duration.ofSeconds(1)));
        assertThat(a.renew()).containsExactlyInAnyOrder(kept.id(), lost.id());
        assertThat(a.heldLeases()).isEmpty();
        assertThat(a.lease(kept.id())).hasValueSatisfying(l -> assertThat(l.isLiveAt(clock.instant())).isFalse());
    }

    @Test
    void theSameDaemonClaimingAgainKeepsItsClaim() throws Exception {
        SessionService a = daemon("a");
        Session s = sessionIn(ACTIVE);
        Lease first = a.claim(s.id());
        Lease again = a.claim(s.id());
        assertThat(again.sameClaimAs(first)).isTrue();
        a.mergeContext(s.id(), "{\"ok\":true}");
    }

    @Test
    void racingClaimsHaveExactlyOneWinner() throws Exception {
        Session s = sessionIn(ACTIVE);
        List<SessionService> daemons = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            daemons.add(i % 2 == 0 ? daemon("d" + i) : daemonOnSecondHandle("d" + i));
        }
        List<Race.Outcome<Lease>> outcomes = Race.run(RACERS, i -> () -> daemons.get(i).claim(s.id()));
        assertThat(outcomes.stream().filter(Race.Outcome::won)).hasSize(1);
        assertThat(outcomes.stream().filter(o -> !o.won()).map(Race.Outcome::error))
                .allSatisfy(e -> assertThat(e).isInstanceOf(LeaseHeldException.class));
    }

    // ---- durable execution: crash recovery ----

    @Test
    void recoveryPausesExactlyTheSessionsOfOwnersThatAreGone() throws Exception {
        SessionService dead = daemon("dead");
        SessionService alive = daemonOnSecondHandle("alive");
        Session orphan1 = sessionIn(ACTIVE);
        Session orphan2 = sessionIn(ACTIVE);
        Session living = sessionIn(ACTIVE);
        Session paused = sessionIn(PAUSED);
        dead.claim(orphan1.id());
        dead.claim(orphan2.id());
        alive.claim(living.id());
        advance(LEASE.minus(Duration.ofSeconds(5)));
        alive.renew();
        advance(Duration.ofSeconds(6)); // dead's leases are now expired, alive's are not
        Instant before = clock.instant();

        List<SessionId> recovered = alive.recover();

        assertThat(recovered).containsExactlyInAnyOrder(orphan1.id(), orphan2.id());
        for (SessionId id : recovered) {
            Session s = sessions.get(id);
            assertThat(s.status()).isEqualTo(PAUSED);
            assertThat(s.version()).isEqualTo(3);
            Instant stamped = Instant.parse(json(s.context()).get(Session.RECOVERED_AT).asText());
            assertThat(stamped).isAfter(before);
            assertThat(s.updatedAt()).isEqualTo(stamped);
            Transition last = sessions.history(id).get(sessions.history(id).size() - 1);
            assertThat(last).isEqualTo(new Transition(id, ACTIVE, PAUSED, stamped, Transition.CRASH_RECOVERY,
                    Actor.daemon("alive")));
            assertThat(alive.lease(id)).isEmpty();
        }
        assertThat(sessions.get(living.id()).status()).isEqualTo(ACTIVE);
        assertThat(sessions.get(living.id()).version()).isEqualTo(living.version());
        assertThat(sessions.get(paused.id())).isEqualTo(paused);
        assertThat(alive.held(living.id())).isPresent();
        assertThat(alive.recover()).as("idempotent").isEmpty();
    }

    @Test
    void anUnownedActiveSessionIsRecoveredOnlyOnceItHasBeenIdleForALease() throws Exception {
        Session fresh = sessionIn(ACTIVE); // activated by the CLI: nobody holds a lease
        assertThat(sessions.recover()).isEmpty();
        assertThat(sessions.get(fresh.id()).status()).isEqualTo(ACTIVE);
        advance(LEASE);
        assertThat(sessions.recover()).containsExactly(fresh.id());
        assertThat(sessions.history(fresh.id()).get(1).actor()).isEqualTo(Actor.CLI);
    }

    @Test
    void recoveryKeepsTheContextAndAddsTheStamp() throws Exception {
        Session s = sessionIn(ACTIVE);
        sessions.mergeContext(s.id(), "{\"conversation_history\":{\"turns\":[1,2.50,\"\u00e9\"]},\"n\":1}");
        advance(LEASE);
        sessions.recover();
        JsonNode context = json(sessions.get(s.id()).context());
        assertThat(context.get("conversation_history")).isEqualTo(json("{\"turns\":[1,2.50,\"\u00e9\"]}"));
        assertThat(context.get("n").asInt()).isEqualTo(1);
        assertThat(context.has(Session.RECOVERED_AT)).isTrue();
    }

    @Test
    void twoRecoveriesRacingRecoverEachSessionExactlyOnce() throws Exception {
        Sessions other = secondService();
        for (int round = 0; round < 3; round++) {
            List<SessionId> orphans = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                orphans.add(sessionIn(ACTIVE).id());
            }
            advance(LEASE);
            List<Race.Outcome<List<SessionId>>> outcomes = Race.run(RACERS,
                    i -> () -> onHandle(i, sessions, other).recover());
            assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
            List<SessionId> all = outcomes.stream().flatMap(o -> o.value().stream()).toList();
            assertThat(all).containsExactlyInAnyOrderElementsOf(orphans);
            for (SessionId id : orphans) {
                assertThat(sessions.history(id)).filteredOn(t -> t.reason().equals(Transition.CRASH_RECOVERY)).hasSize(1);
                assertThat(sessions.get(id).version()).isEqualTo(3);
            }
        }
    }

    // ---- durable execution: activity log and catch-up ----

    @Test
    void activitiesAreNumberedAndBoundedToTheNewest() {
        Session s = newSession();
        for (int i = 1; i <= ACTIVITY_LIMIT + 3; i++) {
            Activity a = sessions.appendActivity(s.id(), "edit", "{\"file\":\"f" + i + ".java\"}");
            assertThat(a.seq()).isEqualTo(i);
        }
        List<Activity> log = sessions.activities(s.id());
        assertThat(log).extracting(Activity::seq).containsExactly(4L, 5L, 6L, 7L, 8L);
        assertThat(json(log.get(4).details())).isEqualTo(json("{\"file\":\"f8.java\"}"));
        assertThat(log).extracting(Activity::at).isSorted();
        assertThat(sessions.get(s.id()).version()).as("the session itself is not rewritten").isEqualTo(1);
    }

    @Test
    void catchUpSummarisesWhatHappenedSinceTheLastAcknowledgement() {
        Session s = newSession();
        assertThat(sessions.catchUp(s.id()).count()).isZero();
        assertThat(sessions.catchUp(s.id()).summary()).isEqualTo("Nothing new since you last checked.");
        sessions.appendActivity(s.id(), "edit", "{}");
        sessions.appendActivity(s.id(), "test", "{\"passed\":true}");
        sessions.appendActivity(s.id(), "edit", "{}");
        CatchUp catchUp = sessions.catchUp(s.id());
        assertThat(catchUp.count()).isEqualTo(3);
        assertThat(catchUp.summary()).isEqualTo("While you were away, Claude completed 3 operations: 2 edit, 1 test.");
        sessions.appendActivity(s.id(), "command", "{}");
        CatchUp rest = sessions.acknowledge(s.id(), catchUp.throughSeq());
        assertThat(rest.acknowledgedSeq()).isEqualTo(3);
        assertThat(rest.activities()).extracting(Activity::type).containsExactly("command");
        assertThat(sessions.activities(s.id())).as("acknowledging deletes nothing").hasSize(4);
        assertThat(sessions.acknowledge(s.id(), 1).acknowledgedSeq()).as("never back").isEqualTo(3);
        assertThat(sessions.acknowledge(s.id(), 99).acknowledgedSeq()).as("never past the newest").isEqualTo(4);
    }

    @Test
    void aCatchUpCountsWhatTheBoundedLogDropped() {
        Session s = newSession();
        for (int i = 0; i < ACTIVITY_LIMIT * 2; i++) {
            sessions.appendActivity(s.id(), "edit", "{}");
        }
        CatchUp catchUp = sessions.catchUp(s.id());
        assertThat(catchUp.count()).isEqualTo(ACTIVITY_LIMIT * 2);
        assertThat(catchUp.activities()).hasSize(ACTIVITY_LIMIT);
        assertThat(catchUp.summary()).contains("completed 10 operations").contains("5 older ones");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "nope", "{\"a\":", "{\"a\":1} {}", "\"text\""})
    void badActivityDetailsAreRefusedAndNothingIsLogged(String details) {
        Session s = newSession();
        assertThatThrownBy(() -> sessions.appendActivity(s.id(), "edit", details)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> sessions.appendActivity(s.id(), " ", "{}")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> sessions.appendActivity(s.id(), "x".repeat(65), "{}"))
                .isInstanceOf(InvalidInputException.class);
        assertThat(sessions.activities(s.id())).isEmpty();
        assertThatThrownBy(() -> sessions.appendActivity(SessionId.random(), "edit", "{}"))
                .isInstanceOf(SessionNotFoundException.class);
        assertThatThrownBy(() -> sessions.catchUp(SessionId.random())).isInstanceOf(SessionNotFoundException.class);
        assertThatThrownBy(() -> sessions.acknowledge(SessionId.random(), 1)).isInstanceOf(SessionNotFoundException.class);
    }

    @Test
    void concurrentAppendsGetDistinctNumbersAndLoseNothing() throws Exception {
        Sessions other = secondService();
        Session s = newSession();
        List<Race.Outcome<Activity>> outcomes = Race.run(RACERS,
                i -> () -> onHandle(i, sessions, other).appendActivity(s.id(), "edit", "{\"i\":" + i + "}"));
        assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
        assertThat(outcomes.stream().map(o -> o.value().seq()).collect(Collectors.toSet()))
                .isEqualTo(LongStream.rangeClosed(1, RACERS).boxed().collect(Collectors.toSet()));
        assertThat(sessions.catchUp(s.id()).count()).isEqualTo(RACERS);
    }

    // ---- durable execution: listeners ----

    @Test
    void listenersHearOfEachCommittedChange() throws Exception {
        List<SessionEvent> events = new ArrayList<>();
        Subscription subscription = sessions.subscribe(events::add);
        Session s = newSession();
        sessions.activate(s.id());
        sessions.mergeContext(s.id(), "{\"a\":1}");
        sessions.mergeContext(s.id(), "{\"a\":1}"); // no change, no event
        sessions.appendActivity(s.id(), "edit", "{}");
        assertThatThrownBy(() -> sessions.transition(s.id(), PAUSED, ACTIVE)).isInstanceOf(StatusMismatchException.class);
        advance(LEASE);
        sessions.recover();
        subscription.close();
        sessions.terminate(s.id());
        assertThat(events).extracting(e -> e.getClass().getSimpleName()).containsExactly(
                "Created", "Transitioned", "ContextChanged", "ActivityAppended", "Recovered");
        assertThat(events).allSatisfy(e -> assertThat(e.sessionId()).isEqualTo(s.id()));
        SessionEvent.Transitioned activated = (SessionEvent.Transitioned) events.get(1);
        assertThat(activated.transition().to()).isEqualTo(ACTIVE);
        assertThat(activated.session().version()).isEqualTo(2);
    }

    @Test
    void aListenerThatThrowsDoesNotBreakTheWriteNorOtherListeners() {
        List<SessionEvent> heard = new ArrayList<>();
        sessions.subscribe(e -> {
            throw new IllegalStateException("listener bug");
        });
        sessions.subscribe(heard::add);
        Session s = newSession();
        Session active = sessions.activate(s.id());
        assertThat(sessions.get(s.id())).isEqualTo(active);
        assertThat(heard).hasSize(2);
    }

    @Test
    void aListenerSeesTheChangeAlreadyCommitted() {
        List<SessionStatus> seen = new ArrayList<>();
        sessions.subscribe(e -> {
            if (e instanceof SessionEvent.Transitioned t) {
                seen.add(sessions.get(t.sessionId()).status());
            }
        });
        Session s = newSession();
        sessions.activate(s.id());
        assertThat(seen).containsExactly(ACTIVE);
    }
}
