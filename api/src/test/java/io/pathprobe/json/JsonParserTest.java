package io.pathprobe.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.testing.Samples;
import io.pathprobe.util.JsonParser;
import io.pathprobe.util.JsonParser.JsonParseException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strict reader: the tree {@link JsonText} writes, and clean refusals with a position. */
class JsonParserTest {
    @Test
    void readsTheTreeTheWriterWrites() {
        Object tree = JsonParser.parse(
                " {\"a\" : [ 1, -2.5, 1e3, true, false, null ], \"b\":\"x\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\","
                        + " \"c\" : { }, \"d\":[], \"e\": 12345678901234567890} ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", Arrays.asList(1L, -2.5, 1000.0, true, false, null));
        expected.put("b", "x\"\\/\b\f\n\r\té");
        expected.put("c", Map.of());
        expected.put("d", List.of());
        expected.put("e", new BigDecimal("12345678901234567890"));
        assertThat(tree).isEqualTo(expected);
        assertThat(List.copyOf(((Map<?, ?>) tree).keySet())).isEqualTo(List.of("a", "b", "c", "d", "e"));
    }

    @Test
    void aWrittenDocumentReadsBackToTheSameText() {
        for (String doc : List.of(TraceJson.write(Samples.trace()), PingJson.write(Samples.ping()))) {
            assertThat(JsonText.write(JsonParser.parse(doc), true)).isEqualTo(doc);
            assertThat(JsonText.write(JsonParser.parse(doc), false))
                    .isEqualTo(JsonText.write(JsonParser.parse(JsonText.write(JsonParser.parse(doc), false)), false));
        }
    }

    @Test
    void refusesWhatIsNotStrictJson() {
        for (String bad : List.of("", " ", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", ".5", "+1", "1e", "'a'",
                "\"a", "\"\\x\"", "\"\\u12g4\"", "\"tab\there\"", "{a:1}", "[1 2]", "{\"a\" 1}", "tru", "nul",
                "1 2", "NaN", "Infinity", "[1]]")) {
            assertThatThrownBy(() -> JsonParser.parse(bad))
                    .as(bad)
                    .isInstanceOf(JsonParseException.class)
                    .hasMessageContaining("at position");
        }
    }

    @Test
    void namesThePositionAndWhatWasExpected() {
        assertThatThrownBy(() -> JsonParser.parse("[1, 2 3]"))
                .isInstanceOf(JsonParseException.class)
                .hasMessage("expected ',' or ']', found '3' at position 6")
                .extracting(e -> ((JsonParseException) e).position())
                .isEqualTo(6);
    }

    @Test
    void refusesADuplicateKey() {
        assertThatThrownBy(() -> JsonParser.parse("{\"a\":1,\"b\":2,\"a\":3}"))
                .isInstanceOf(JsonParseException.class)
                .hasMessage("duplicate key \"a\" at position 13");
    }

    @Test
    void aDepthBombIsRefusedCleanly() {
        String bomb = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> JsonParser.parse(bomb))
                .isInstanceOf(JsonParseException.class)
                .hasMessage("nesting deeper than " + JsonParser.MAX_DEPTH + " at position " + JsonParser.MAX_DEPTH);
        String deepest = "[".repeat(JsonParser.MAX_DEPTH) + "]".repeat(JsonParser.MAX_DEPTH);
        assertThat(JsonParser.parse(deepest)).isInstanceOf(List.class);
    }
}
