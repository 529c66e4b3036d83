package io.pathprobe.core.internal.enrich;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pathprobe.lab.fuzz.FuzzSupport;

/**
 * Coverage-guided fuzzing (Jazzer) of core's network parsers, one fuzz test per parser
 * ({@link CoreTargets}). In a normal build (regression mode) each runs the inputs kept under
 * {@code src/test/resources/io/pathprobe/core/internal/enrich/CoreParserFuzzTestInputs/<method>/}
 * (seeds and every crash found); with {@code JAZZER_FUZZ=1 -Djazzer.hooks=true} Jazzer fuzzes the one
 * {@code -Dtest=CoreParserFuzzTest#<method>} selects, for a million executions. See the README,
 * "Fuzzing".
 */
class CoreParserFuzzTest {
    static {
        FuzzSupport.requireCoverageWhenFuzzing();
    }

    private static final CoreTargets.Stun STUN = new CoreTargets.Stun();
    private static final CoreTargets.Dns DNS = new CoreTargets.Dns();
    private static final CoreTargets.CymruText CYMRU = new CoreTargets.CymruText();
    private static final CoreTargets.PingDns PING_DNS = new CoreTargets.PingDns();
    private static final CoreTargets.PingHttp PING_HTTP = new CoreTargets.PingHttp();

    @FuzzTest(maxExecutions = 1_000_000)
    void stun(byte[] data) {
        FuzzSupport.feed(STUN, FuzzSupport.decode(data, STUN));
    }

    @FuzzTest(maxExecutions = 1_000_000)
    void dns(byte[] data) {
        FuzzSupport.feed(DNS, FuzzSupport.decode(data, DNS));
    }

    @FuzzTest(maxExecutions = 1_000_000)
    void cymruTxt(byte[] data) {
        FuzzSupport.feed(CYMRU, FuzzSupport.decode(data, CYMRU));
    }

    @FuzzTest(maxExecutions = 1_000_000)
    void pingDns(byte[] data) {
        FuzzSupport.feed(PING_DNS, FuzzSupport.decode(data, PING_DNS));
    }

    @FuzzTest(maxExecutions = 1_000_000)
    void pingHttp(byte[] data) {
        FuzzSupport.feed(PING_HTTP, FuzzSupport.decode(data, PING_HTTP));
    }
}
