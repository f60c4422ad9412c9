package io.claudesignal.sessions.application.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.domain.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The limits and validation of {@link ContextJson}, without a store. */
class ContextJsonTest {

    private static final int MAX_BYTES = 1024;
    private static final int MAX_DEPTH = 8;

    private final ContextJson json = new ContextJson(MAX_BYTES, MAX_DEPTH);

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "[]", "42", "\"text\"", "{", "{\"a\":}", "{\"a\":1}x", "{\"a\":1} {}",
        "{\"a\":1,\"a\":2}", "{'a':1}", "{\"a\":\"\\ud800\"}", "{\"\\udc00\":1}", "{\"a\":[\"\\udfff\"]}"})
    void aPatchMustBeOneWellFormedObject(String patch) {
        assertThatThrownBy(() -> json.parsePatch(patch))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("patch"));
    }

    @Test
    void aNullPatchIsRefused() {
        assertThatThrownBy(() -> json.parsePatch(null)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void nestingIsLimited() {
        String atLimit = "{\"a\":".repeat(MAX_DEPTH) + "1" + "}".repeat(MAX_DEPTH);
        assertThat(json.parsePatch(atLimit)).isNotNull();
        String deeper = "{\"a\":".repeat(MAX_DEPTH + 1) + "1" + "}".repeat(MAX_DEPTH + 1);
        assertThatThrownBy(() -> json.parsePatch(deeper)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aPatchLargerThanTheLimitIsRefusedCountingUtf8Bytes() {
        String wide = "{\"w\":\"" + "日".repeat(MAX_BYTES / 3) + "\"}"; // fewer chars than the limit, more bytes
        assertThat(wide.length()).isLessThan(MAX_BYTES);
        assertThatThrownBy(() -> json.parsePatch(wide)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aMergeThatWouldGrowPastTheLimitIsRefused() {
        String half = "x".repeat(MAX_BYTES / 2);
        String context = json.merge("{}", json.parsePatch("{\"a\":\"" + half + "\"}"));
        assertThatThrownBy(() -> json.merge(context, json.parsePatch("{\"b\":\"" + half + "\"}")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("context"));
    }

    @Test
    void utf8LengthCountsBytesAndSurrogatePairsAsFour() {
        assertThat(ContextJson.utf8Length("a")).isEqualTo(1);
        assertThat(ContextJson.utf8Length("é")).isEqualTo(2);
        assertThat(ContextJson.utf8Length("日")).isEqualTo(3);
        assertThat(ContextJson.utf8Length("🚀")).isEqualTo(4);
        assertThat(ContextJson.utf8Length("a日🚀")).isEqualTo("a日🚀".getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    @Test
    void activityDetailsAreCompactedAndLimitedByTheirOwnSize() {
        assertThat(json.compactObject("details", "{ \"file\" : \"a.java\" , \"n\" : 1.0 }", 64))
                .isEqualTo("{\"file\":\"a.java\",\"n\":1.0}");
        assertThatThrownBy(() -> json.compactObject("details", "{\"x\":\"" + "y".repeat(64) + "\"}", 64))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("details"));
        assertThatThrownBy(() -> json.compactObject("details", "[]", 64))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("details"));
    }

    @Test
    void aStampIsSetWhateverTheSize() {
        String full = json.merge("{}", json.parsePatch("{\"a\":\"" + "x".repeat(MAX_BYTES - 10) + "\"}"));
        String stamped = json.withField(full, "recovered_at", "2026-01-01T00:00:00Z");
        assertThat(stamped).endsWith(",\"recovered_at\":\"2026-01-01T00:00:00Z\"}");
        assertThat(ContextJson.utf8Length(stamped)).isGreaterThan(MAX_BYTES);
    }

    @Test
    void limitsThatAllowNoObjectAreRefused() {
        assertThatThrownBy(() -> new ContextJson(1, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ContextJson(1024, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ContextJson().maxBytes()).isEqualTo(ContextJson.DEFAULT_MAX_BYTES);
    }
}
