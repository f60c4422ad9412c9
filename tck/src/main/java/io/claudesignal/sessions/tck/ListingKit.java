package io.claudesignal.sessions.tck;

import static io.claudesignal.sessions.domain.SessionStatus.ACTIVE;
import static io.claudesignal.sessions.domain.SessionStatus.PAUSED;
import static io.claudesignal.sessions.domain.SessionStatus.TERMINATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.port.in.SessionPage;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Listing: newest first, without the context, in pages that cover every session once, with
 * filters, and refusing cursors no page gave.
 */
public abstract class ListingKit extends Kit {

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
        sessions = service(persistence, SessionIdGenerator.random());
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
}
