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
import io.claudesignal.sessions.application.port.out.DuplicateSessionException;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.port.out.SessionRepository;
import io.claudesignal.sessions.application.service.ContextJson;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.IllegalTransitionException;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import io.claudesignal.sessions.domain.StaleVersionException;
import io.claudesignal.sessions.domain.StatusMismatchException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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

    protected TestClock clock;
    protected SessionRepository repository;
    protected Sessions sessions;

    /** A new, empty store. Called before each test. */
    protected abstract SessionRepository openRepository() throws Exception;

    /**
     * A second handle on the same store, as a second process would open it (a second connection pool
     * for a database). Race tests spread their threads over both. By default, the same handle.
     */
    protected SessionRepository openSecondHandle() throws Exception {
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

    protected Sessions service(SessionRepository repo, SessionIdGenerator ids) {
        return new SessionService(repo, clock, ids, new ContextJson(MAX_CONTEXT_BYTES, MAX_DEPTH));
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
}
