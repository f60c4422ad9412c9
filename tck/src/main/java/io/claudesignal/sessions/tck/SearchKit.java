package io.claudesignal.sessions.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.port.in.TranscriptMatch;
import io.claudesignal.sessions.application.port.in.TranscriptMatches;
import io.claudesignal.sessions.application.port.in.TranscriptQuery;
import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.application.port.out.SearchText;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Searching the transcripts ({@link Transcripts#search}): what matches (every word, whole words, any
 * case, only the items' string values), the order (newest stored first), paging by cursor without a
 * duplicate or a gap, the filters, removed items gone from the results in the step that removed
 * them, hostile text taken literally, and appends racing a search over two handles.
 */
public abstract class SearchKit extends TranscriptFixture {

    private static String say(String text) {
        return "{\"role\":\"user\",\"content\":\"" + text + "\"}";
    }

    private TranscriptMatches search(TranscriptQuery query) {
        return transcripts.search(query);
    }

    private List<String> found(TranscriptQuery query) {
        return search(query).matches().stream().map(m -> where(m.sessionId(), m.seq())).toList();
    }

    private static String where(SessionId id, long seq) {
        return id + "/" + seq;
    }

    private static String where(TranscriptItem item) {
        return where(item.sessionId(), item.seq());
    }

    @Test
    void findsTheItemsHoldingEveryWordInAnyCaseNewestFirstWithTheWordsMarked() {
        Session a = newSession();
        Session b = newSession();
        TranscriptItem fix = transcripts.append(a.id(), say("Fix the login bug, please"));
        transcripts.append(a.id(), say("the login form is fine"));
        transcripts.append(b.id(), say("no match here"));
        TranscriptItem again = transcripts.append(b.id(), say("LOGIN: another Bug in the login page"));

        TranscriptMatches page = search(TranscriptQuery.of("login bug"));
        assertThat(page.matches()).extracting(m -> where(m.sessionId(), m.seq()))
                .containsExactly(where(again), where(fix));
        assertThat(page.nextCursor()).isEmpty();
        TranscriptMatch newest = page.matches().get(0);
        assertThat(newest.at()).isEqualTo(again.at());
        assertThat(newest.snippet().marked("[", "]")).isEqualTo("user [LOGIN]: another [Bug] in the [login] page");
        assertThat(page.matches().get(1).snippet().toString()).isEqualTo("user Fix the [login] [bug], please");
        assertThat(found(TranscriptQuery.of("LOG"))).as("whole words only").isEmpty();
        assertThat(found(TranscriptQuery.of("naïve"))).isEmpty();
    }

    @Test
    void onlyTheTextOfStringValuesIsSearchedNotKeysOrNumbers() {
        Session s = newSession();
        TranscriptItem nested = transcripts.append(s.id(),
                "{\"login\": 404, \"tokens\": 123456, \"ok\": true, \"content\": [{\"type\": \"text\", \"text\": \"a quokka, naïve\"}]}");
        TranscriptItem numberInText = transcripts.append(s.id(), say("error 404 on src/App.java"));
        assertThat(found(TranscriptQuery.of("login"))).as("a key").isEmpty();
        assertThat(found(TranscriptQuery.of("123456"))).as("a number").isEmpty();
        assertThat(found(TranscriptQuery.of("true"))).as("a boolean").isEmpty();
        assertThat(found(TranscriptQuery.of("quokka"))).containsExactly(where(nested));
        assertThat(found(TranscriptQuery.of("NAÏVE quokka"))).containsExactly(where(nested));
        assertThat(found(TranscriptQuery.of("404"))).containsExactly(where(numberInText));
        assertThat(found(TranscriptQuery.of("app java"))).as("a path is words").containsExactly(where(numberInText));
    }

    @Test
    void itemsWithEscapesAnywhereAreAppendedAndFound() {
        Session s = newSession();
        TranscriptItem nul = transcripts.append(s.id(), "{\"content\": \"nul\\u0000zebra \\\\u0000x \\\"quoted\\\" tab\\tend\"}");
        assertThat(found(TranscriptQuery.of("zebra"))).containsExactly(where(nul));
        assertThat(found(TranscriptQuery.of("u0000x quoted end"))).containsExactly(where(nul));
    }

    @Test
    void cursorsPageThroughEveryMatchOnceWhileItemsAreAppended() {
        List<Session> all = List.of(newSession(), newSession(), newSession());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            Session s = all.get(i % 3);
            TranscriptItem item = transcripts.append(s.id(), say("needle number " + i));
            transcripts.append(s.id(), say("hay " + i));
            expected.add(0, where(item));
        }
        TranscriptQuery query = TranscriptQuery.of("needle").withLimit(4);
        List<String> paged = new ArrayList<>();
        TranscriptMatches page = search(query);
        while (true) {
            assertThat(page.matches()).hasSizeLessThanOrEqualTo(4);
            page.matches().forEach(m -> paged.add(where(m.sessionId(), m.seq())));
            // Appended meanwhile: newer than the first page, so on none of the later ones.
            transcripts.append(all.get(0).id(), say("needle appended later"));
            if (page.nextCursor().isEmpty()) {
                break;
            }
            page = search(query.after(page.nextCursor().get()));
        }
        assertThat(paged).containsExactlyElementsOf(expected);
        assertThat(found(TranscriptQuery.of("needle").withLimit(1000))).hasSize(23 + paged.size() / 4 + 1);
    }

    @Test
    void filtersBySessionStatusAndTimeWindow() {
        Session active = sessionIn(SessionStatus.ACTIVE);
        Session paused = sessionIn(SessionStatus.PAUSED);
        List<TranscriptItem> items = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            items.add(transcripts.append((i % 2 == 0 ? active : paused).id(), say("deploy step " + i)));
        }
        assertThat(found(TranscriptQuery.of("deploy").inSession(paused.id())))
                .containsExactly(where(items.get(5)), where(items.get(3)), where(items.get(1)));
        assertThat(found(TranscriptQuery.of("deploy").withStatus(SessionStatus.ACTIVE)))
                .containsExactly(where(items.get(4)), where(items.get(2)), where(items.get(0)));
        assertThat(found(TranscriptQuery.of("deploy").withStatus(SessionStatus.ACTIVE, SessionStatus.PAUSED))).hasSize(6);
        assertThat(found(TranscriptQuery.of("deploy").withStatus(SessionStatus.TERMINATED))).isEmpty();
        assertThat(found(TranscriptQuery.of("deploy").inSession(active.id()).withStatus(SessionStatus.PAUSED))).isEmpty();
        assertThat(found(TranscriptQuery.of("deploy").since(items.get(2).at()).until(items.get(4).at())))
                .as("since inclusive, until exclusive").containsExactly(where(items.get(3)), where(items.get(2)));
        sessions.terminate(paused.id());
        assertThat(found(TranscriptQuery.of("deploy").withStatus(SessionStatus.TERMINATED)))
                .as("the status when the search runs").hasSize(3);
    }

    @Test
    void poppedClearedAndDeletedItemsAreGoneAndAForkFindsItsCopies() {
        Session s = newSession();
        TranscriptItem first = transcripts.append(s.id(), say("walrus one"));
        TranscriptItem second = transcripts.append(s.id(), say("walrus two"));
        transcripts.popLast(s.id());
        assertThat(found(TranscriptQuery.of("walrus"))).containsExactly(where(first));
        assertThat(found(TranscriptQuery.of("walrus two"))).isEmpty();

        Session fork = sessions.fork(s.id(), 1);
        assertThat(found(TranscriptQuery.of("walrus")))
                .as("a fork's copy counts as stored at the fork").containsExactly(where(fork.id(), 1), where(first));
        transcripts.clear(s.id());
        assertThat(found(TranscriptQuery.of("walrus"))).containsExactly(where(fork.id(), 1));
        TranscriptItem readded = transcripts.append(s.id(), say("walrus three"));
        assertThat(readded.seq()).isEqualTo(second.seq() + 1);
        sessions.terminate(fork.id());
        sessions.delete(fork.id());
        assertThat(found(TranscriptQuery.of("walrus"))).containsExactly(where(readded));
        assertThatThrownBy(() -> search(TranscriptQuery.of("walrus").inSession(fork.id())))
                .isInstanceOf(SessionNotFoundException.class);
    }

    @Test
    void aCompactionTakesItsItemsOutOfTheResultsAndPutsItsSummaryIn() {
        Session s = newSession();
        transcripts.append(s.id(), say("narwhal tusk one"));
        transcripts.append(s.id(), say("narwhal tusk two"));
        TranscriptItem kept = transcripts.append(s.id(), say("narwhal three"));
        transcripts.compact(s.id(), 2, say("summary of the sea unicorn talk"));

        assertThat(found(TranscriptQuery.of("tusk"))).as("the replaced items are gone").isEmpty();
        assertThat(found(TranscriptQuery.of("narwhal"))).containsExactly(where(kept));
        assertThat(found(TranscriptQuery.of("unicorn"))).as("the summary is found under its number")
                .containsExactly(where(s.id(), 2));
    }

    @Test
    void hostileTextIsNeverAnErrorButALiteralSearchForItsWords() {
        Session s = newSession();
        TranscriptItem plain = transcripts.append(s.id(), say("login bug"));
        TranscriptItem withOr = transcripts.append(s.id(), say("not a login or a bug near the col"));
        List<String> hostile = List.of("\"", "'", "login\"", "\"login bug", "login*", "login OR bug", "NOT login",
                "(login", "login AND", "NEAR(login bug)", "col:login", "^login", "login -bug", "-login", "login & bug",
                "login | bug", "!login", "login:*", "'; DROP TABLE sessions; --", "%_", "\\", "\u0000", "{}[]", "*", "a\"b'c",
                "login\nbug", "💥 login");
        for (String text : hostile) {
            List<String> words = SearchText.words(text);
            List<String> expected = new ArrayList<>();
            for (TranscriptItem item : List.of(withOr, plain)) {
                List<String> itemWords = SearchText.words(
                        SearchText.of(item.json()));
                if (!words.isEmpty() && itemWords.containsAll(words)) {
                    expected.add(where(item));
                }
            }
            assertThat(found(TranscriptQuery.of(text))).as("searching for %s", text).containsExactlyElementsOf(expected);
        }
        assertThat(found(TranscriptQuery.of("login OR bug"))).containsExactly(where(withOr));
        assertThat(found(TranscriptQuery.of("login*"))).containsExactly(where(withOr), where(plain));
    }

    @Test
    void badQueriesAreRefusedWithTypedErrors() {
        assertThatThrownBy(() -> TranscriptQuery.of(" \n")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> TranscriptQuery.of("x").withLimit(0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> TranscriptQuery.of("x".repeat(TranscriptQuery.MAX_TEXT + 1)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> search(TranscriptQuery.of("x").after("not-a-cursor")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> search(TranscriptQuery.of("x").inSession(SessionId.parse("4c59adf8-6832-4cfa-92f4-4ee146654006"))))
                .isInstanceOf(SessionNotFoundException.class);
        assertThatThrownBy(() -> search(TranscriptQuery.of("\"").inSession(SessionId.parse("4c59adf8-6832-4cfa-92f4-4ee146654006"))))
                .isInstanceOf(SessionNotFoundException.class);
    }

    @Test
    void aSnippetIsOneShortLineAroundTheFirstMatch() {
        Session s = newSession();
        String before = IntStream.range(0, 60).mapToObj(i -> "word" + i).reduce((x, y) -> x + " " + y).orElseThrow();
        transcripts.append(s.id(), "{\"content\":\"" + before + "\\n\\u001b[31m giraffe\\u001b[0m\\tends here "
                + before + "\"}");
        TranscriptMatch match = search(TranscriptQuery.of("giraffe")).matches().get(0);
        String text = match.snippet().text();
        assertThat(text).startsWith("…").endsWith("…").doesNotContain("\n", "\t", "\u001b");
        assertThat(text.length()).isLessThanOrEqualTo(TranscriptMatch.Snippet.MAX_CHARS + 2);
        assertThat(match.snippet().marks()).hasSize(1);
        TranscriptMatch.Mark mark = match.snippet().marks().get(0);
        assertThat(text.substring(mark.start(), mark.end())).isEqualTo("giraffe");
    }

    @Test
    void searchesRacingAppendsOnTwoHandlesSeeEveryCommittedItemOnce() throws Exception {
        Session s = newSession();
        Transcripts other = secondTranscripts();
        List<Race.Outcome<List<String>>> outcomes = Race.run(RACERS, racer -> () -> {
            Transcripts mine = racer % 2 == 0 ? transcripts : other;
            List<String> seen = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                TranscriptItem item = mine.append(s.id(), say("racing ibex " + racer + " " + round));
                List<String> now = mine.search(TranscriptQuery.of("ibex").inSession(s.id()).withLimit(1000)).matches()
                        .stream().map(m -> where(m.sessionId(), m.seq())).toList();
                assertThat(now).as("its own committed append").contains(where(item));
                assertThat(new HashSet<>(now)).hasSameSizeAs(now);
                seen.add(where(item));
            }
            return seen;
        });
        Set<String> appended = new HashSet<>();
        for (Race.Outcome<List<String>> outcome : outcomes) {
            assertThat(outcome.error()).as("no racer failed").isNull();
            appended.addAll(outcome.value());
        }
        List<String> paged = new ArrayList<>();
        TranscriptQuery query = TranscriptQuery.of("ibex racing").withLimit(7);
        for (TranscriptMatches page = other.search(query); ; page = other.search(query.after(page.nextCursor().get()))) {
            page.matches().forEach(m -> paged.add(where(m.sessionId(), m.seq())));
            if (page.nextCursor().isEmpty()) {
                break;
            }
        }
        assertThat(paged).hasSize(RACERS * ROUNDS).doesNotHaveDuplicates();
        assertThat(new HashSet<>(paged)).isEqualTo(appended);
    }
}
