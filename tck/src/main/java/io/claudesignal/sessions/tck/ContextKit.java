package io.claudesignal.sessions.tck;

import static io.claudesignal.sessions.domain.SessionStatus.ACTIVE;
import static io.claudesignal.sessions.domain.SessionStatus.CREATED;
import static io.claudesignal.sessions.domain.SessionStatus.PAUSED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.StaleVersionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The context: JSON merge patch as stored, exact values, what a patch may not be, the size and
 * depth limits, and optimistic versions.
 */
public abstract class ContextKit extends Kit {

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
}
