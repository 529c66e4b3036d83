package io.pathprobe.bufferbloat.internal.strategy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pathprobe.lab.fuzz.FuzzSupport;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Coverage-guided fuzzing (Jazzer) of the bufferbloat test's parser of what the network hands over: the
 * responsiveness server's configuration ({@code /.well-known/nq}, {@link NqConfig#parse}). In a normal build
 * (regression mode) it runs the inputs kept under
 * {@code src/test/resources/io/pathprobe/bufferbloat/internal/strategy/BufferbloatParserFuzzTestInputs/nqConfig/}
 * (seeds and every crash found); with {@code JAZZER_FUZZ=1 -Djazzer.hooks=true} Jazzer fuzzes it for a million
 * executions. See docs/hardening.md, "Fuzzing". {@link BufferbloatParserMutationTest} feeds it mutants.
 */
class BufferbloatParserFuzzTest {
    static {
        FuzzSupport.requireCoverageWhenFuzzing();
    }

    private static final Nq NQ = new Nq();

    @FuzzTest(maxExecutions = 1_000_000)
    void nqConfig(byte[] data) {
        FuzzSupport.feed(NQ, FuzzSupport.decode(data, NQ));
    }

    static void require(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("invariant broken: " + what);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** NqConfig.parse (the responsiveness server's /.well-known/nq body): a config or BadConfig. */
    static final class Nq implements FuzzSupport.Target {
        private static final URI BASE = URI.create("https://198.18.0.80:4043/.well-known/nq");

        @Override
        public String name() {
            return "nq-config";
        }

        @Override
        public List<byte[]> seeds() {
            return List.of(
                    bytes("{\"version\":1,\"urls\":{\"large_download_url\":\"https://198.18.0.80:4043/large\","
                            + "\"small_download_url\":\"https://198.18.0.80:4043/small\",\"upload_url\":"
                            + "\"https://198.18.0.80:4043/slurp\"},\"test_endpoint\":\"lab.local\"}"),
                    bytes("{\"urls\":{\"large_https_download_url\":\"/l?x=1\",\"small_https_download_url\":\"/s\","
                            + "\"https_upload_url\":\"/u\"}, \"extra\": [1, 2.5e3, -0.1, true, false, null, {}]}"),
                    bytes("{\"version\":1,\"urls\":{\"large_download_url\":\"http:\\/\\/h\\u0041:80\\/l\","
                            + "\"small_download_url\":\"http://hA/s\",\"upload_url\":\"http://hA:80/u\"}}"),
                    bytes("[\"\\n\\t\\r\\b\\f\\\"\\\\\"]"));
        }

        @Override
        public String check(byte[] input) {
            String label = null;
            for (String text : new String[] {new String(input, StandardCharsets.UTF_8),
                    new String(input, StandardCharsets.ISO_8859_1)}) {
                try {
                    NqConfig c = NqConfig.parse(text, BASE);
                    for (URI u : List.of(c.large(), c.small(), c.upload())) {
                        require(u.getHost() != null, "no host: " + u);
                        require("http".equals(u.getScheme()) || "https".equals(u.getScheme()), "scheme: " + u);
                        NqConfig.port(u);
                        NqConfig.pathOf(u);
                    }
                    require(NqConfig.port(c.large()) == NqConfig.port(c.upload()), "one origin");
                    label = label != null ? label : "config";
                } catch (NqConfig.BadConfig e) {
                    Objects.requireNonNull(e.getMessage());
                    label = label != null ? label : e.getMessage().startsWith("the configuration is not JSON")
                            ? "BadConfig: not JSON" : "BadConfig: JSON";
                }
            }
            return label;
        }
    }
}
