package io.claudesignal.sessions.application.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.claudesignal.sessions.domain.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link ContextJson#merge} against every example of RFC 7396, appendix A. A context is always a JSON
 * object and so is a patch (the API takes nothing else), so the five examples whose target or patch
 * is not an object are refused rather than merged; the other ten give exactly the RFC's result.
 */
class JsonMergePatchTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();

    private final ContextJson json = new ContextJson();

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            {"a":"b"}         | {"a":"c"}                  | {"a":"c"}
            {"a":"b"}         | {"b":"c"}                  | {"a":"b","b":"c"}
            {"a":"b"}         | {"a":null}                 | {}
            {"a":"b","b":"c"} | {"a":null}                 | {"b":"c"}
            {"a":["b"]}       | {"a":"c"}                  | {"a":"c"}
            {"a":"c"}         | {"a":["b"]}                | {"a":["b"]}
            {"a":{"b":"c"}}   | {"a":{"b":"d","c":null}}   | {"a":{"b":"d"}}
            {"a":[{"b":"c"}]} | {"a":[1]}                  | {"a":[1]}
            {"e":null}        | {"a":1}                    | {"e":null,"a":1}
            {}                | {"a":{"bb":{"ccc":null}}}  | {"a":{"bb":{}}}
            """)
    void theObjectExamplesMergeAsTheRfcSays(String original, String patch, String result) throws Exception {
        String merged = json.merge(original, json.parsePatch(patch));
        assertThat(PLAIN.readTree(merged)).isEqualTo(PLAIN.readTree(result));
    }

    @ParameterizedTest(name = "patch {0}")
    @CsvSource(delimiter = '|', textBlock = """
            ["c","d"]
            ["c"]
            null
            "bar"
            """)
    void theExamplesWithAPatchThatIsNotAnObjectAreRefused(String patch) {
        // RFC 7396 examples: ["a","b"] + ["c","d"], {"a":"b"} + ["c"], {"a":"foo"} + null, {"a":"foo"} + "bar".
        assertThatThrownBy(() -> json.parsePatch(patch))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("patch"));
    }

    @Test
    void theExampleWithATargetThatIsNotAnObjectIsRefused() {
        // RFC 7396 example: [1,2] + {"a":"b","c":null} = {"a":"b"}; no stored context is an array.
        assertThatThrownBy(() -> json.merge("[1,2]", json.parsePatch("{\"a\":\"b\",\"c\":null}")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("context"));
    }

    @Test
    void aPatchThatChangesNothingGivesBackTheSameContext() {
        String context = "{\"a\":{\"b\":1},\"c\":[1,2]}";
        assertThat(json.merge(context, json.parsePatch("{\"a\":{\"b\":1},\"c\":[1,2],\"gone\":null}")))
                .isSameAs(context);
        assertThat(json.merge(context, json.parsePatch("{}"))).isSameAs(context);
    }

    @Test
    void nullsInsideAnObjectThatReplacesAValueAreDropped() throws Exception {
        String merged = json.merge("{\"k\":\"scalar\"}", json.parsePatch("{\"k\":{\"a\":1,\"b\":null,\"c\":{\"d\":null}}}"));
        assertThat(PLAIN.readTree(merged)).isEqualTo(PLAIN.readTree("{\"k\":{\"a\":1,\"c\":{}}}"));
    }

    @Test
    void theMergedTextIsCompactAndKeepsNumbersAsWritten() {
        String merged = json.merge("{}", json.parsePatch("{ \"price\" : 2.50, \"big\" : 123456789012345678901234567890 }"));
        assertThat(merged).isEqualTo("{\"price\":2.50,\"big\":123456789012345678901234567890}");
    }
}
