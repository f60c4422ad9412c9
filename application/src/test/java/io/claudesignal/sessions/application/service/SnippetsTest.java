package io.claudesignal.sessions.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.port.in.TranscriptMatch.Mark;
import io.claudesignal.sessions.application.port.in.TranscriptMatch.Snippet;
import io.claudesignal.sessions.application.port.out.SearchText;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** How a snippet is cut and marked, on texts made to trip it: every mark is a matched word, in a text that is one line. */
class SnippetsTest {

    @Test
    void aShortTextIsWholeWithEveryMatchMarked() {
        Snippet s = Snippets.snippet("Fix the LOGIN bug\nand the login form", List.of("login"));
        assertThat(s.marked("[", "]")).isEqualTo("Fix the [LOGIN] bug and the [login] form");
    }

    @Test
    void aLongTextIsCutAroundTheFirstMatch() {
        String text = "a/".repeat(200) + "needle " + "word ".repeat(100);
        Snippet s = Snippets.snippet(text, List.of("needle"));
        assertThat(s.text()).startsWith("…").endsWith("…");
        assertThat(s.text().length()).isLessThanOrEqualTo(Snippet.MAX_CHARS + 2);
        assertThat(s.marks()).hasSize(1);
    }

    @Test
    void randomTextsNeverBreakTheMarksOrThePairs() {
        Random random = new Random(25);
        String[] pieces = {"a", "b", "ab", " ", "/", "\n", "\t", "😀", "é", "É", "x".repeat(70), "-", "\u0000", "\u2028"};
        List<String> words = List.of("a", "ab", "é", "x".repeat(70));
        for (int round = 0; round < 2_000; round++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(400); n > 0; n--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            Snippet s = Snippets.snippet(text.toString(), words);
            assertThat(s.text()).doesNotContain("\n", "\t", "\u0000", "\u2028").doesNotStartWith(" ");
            for (Mark mark : s.marks()) {
                assertThat(words).contains(s.text().substring(mark.start(), mark.end()).toLowerCase(Locale.ROOT));
            }
            assertThat(s.text().codePoints().filter(cp -> cp >= 0xD800 && cp <= 0xDFFF)).as("no half of a pair").isEmpty();
            if (SearchText.holdsAll(text.toString(), List.of("ab"))) {
                assertThat(s.marks()).as("the first match is in the snippet: " + text).isNotEmpty();
            }
        }
    }
}
