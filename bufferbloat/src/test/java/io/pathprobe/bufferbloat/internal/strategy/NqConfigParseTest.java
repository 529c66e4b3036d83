package io.pathprobe.bufferbloat.internal.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * NqConfig.parse on bodies a server (or whatever answers in its place) may send: a configuration,
 * or BadConfig, never another exception. The last three were found by fuzzing
 * (CoreParserMutationTest / CoreParserFuzzTest, nq-config): they threw StringIndexOutOfBounds and
 * StackOverflowError out of the JSON reader.
 */
class NqConfigParseTest {
    private static final URI BASE = URI.create("https://198.18.0.80:4043/.well-known/nq");

    @Test
    void aDraft09ConfigurationWithRelativeUrlsAndEscapes() throws Exception {
        NqConfig c = NqConfig.parse("{\"version\":1,\"urls\":{\"large_download_url\":\"\\/large\",\"small_download_url\":"
                + "\"https://198.18.0.80:4043/sm\\u0061ll\",\"upload_url\":\"/slurp\"},\"test_endpoint\":\" lab \"}",
                BASE);
        assertThat(c.large()).isEqualTo(URI.create("https://198.18.0.80:4043/large"));
        assertThat(c.small()).isEqualTo(URI.create("https://198.18.0.80:4043/small"));
        assertThat(c.upload()).isEqualTo(URI.create("https://198.18.0.80:4043/slurp"));
        assertThat(c.testEndpoint()).contains("lab");
    }

    @Test
    void aBackslashAtTheEndOfTheBodyIsNotJson() {
        assertThatThrownBy(() -> NqConfig.parse("{\"urls\":{\"large_download_url\":\"http:\\", BASE))
                .isInstanceOf(NqConfig.BadConfig.class).hasMessageContaining("not JSON");
    }

    @Test
    void aUnicodeEscapeCutShortIsNotJson() {
        // the input the mutator found (49 bytes), which ends in a backslash-u
        assertThatThrownBy(() -> NqConfig.parse("{\"version\":1,\"urlarge_download_url\":\"http:\\/\\/h\\u", BASE))
                .isInstanceOf(NqConfig.BadConfig.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> NqConfig.parse("[\"\\u00", BASE)).isInstanceOf(NqConfig.BadConfig.class);
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        assertThatThrownBy(() -> NqConfig.parse("[".repeat(100_000), BASE))
                .isInstanceOf(NqConfig.BadConfig.class).hasMessageContaining("nested deeper");
        assertThatThrownBy(() -> NqConfig.parse("{\"a\":".repeat(100_000), BASE))
                .isInstanceOf(NqConfig.BadConfig.class).hasMessageContaining("nested deeper");
        String deepButAllowed = "[".repeat(NqConfig.Json.MAX_DEPTH) + "]".repeat(NqConfig.Json.MAX_DEPTH);
        assertThatThrownBy(() -> NqConfig.parse(deepButAllowed, BASE)).isInstanceOf(NqConfig.BadConfig.class)
                .hasMessageContaining("not a JSON object");
    }
}
