package io.pathprobe.linux.internal.transport;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pathprobe.lab.fuzz.FuzzSupport;

/**
 * Coverage-guided fuzzing (Jazzer) of the native-linux packet parsers, one fuzz test per parser
 * ({@link PacketTargets}). In a normal build (regression mode) each runs the inputs kept under
 * {@code src/test/resources/io/pathprobe/linux/internal/PacketParserFuzzTestInputs/<method>/}
 * (seeds and every crash found); with {@code JAZZER_FUZZ=1 -Djazzer.hooks=true} Jazzer fuzzes one of them (the
 * one {@code -Dtest=PacketParserFuzzTest#<method>} selects) for a million executions. See the
 * docs/hardening.md, "Fuzzing".
 */
class PacketParserFuzzTest {
    static {
        FuzzSupport.requireCoverageWhenFuzzing();
    }

    private static final PacketTargets.Icmp4 ICMP4 = new PacketTargets.Icmp4();
    private static final PacketTargets.Icmp6 ICMP6 = new PacketTargets.Icmp6();
    private static final PacketTargets.Quote4 QUOTE4 = new PacketTargets.Quote4();
    private static final PacketTargets.Quote6 QUOTE6 = new PacketTargets.Quote6();
    private static final PacketTargets.TcpAnswer TCP = new PacketTargets.TcpAnswer();
    private static final PacketTargets.Extensions RFC4884 = new PacketTargets.Extensions();
    private static final PacketTargets.ControlMessages CMSG = new PacketTargets.ControlMessages();

    @FuzzTest(maxExecutions = 1_000_000)
    void sessions(byte[] data) {
        SessionTargets t = Sessions.TARGET;
        FuzzSupport.feed(t, FuzzSupport.decode(data, t));
    }

    /** Opened on first use only (it opens sockets): a regression run of the other tests opens none. */
    private static final class Sessions {
        static final SessionTargets TARGET = new SessionTargets();
    }

    @FuzzTest(maxExecutions = 1_000_000)
    void icmp4(byte[] data) {
        FuzzSupport.feed(ICMP4, FuzzSupport.decode(data, ICMP4));
    }

    @FuzzTest(maxExecutions = 1_000_000)
    void icmp6(byte[] data) {
        FuzzSupport.feed(ICMP6, FuzzSupport.decode(data, ICMP6));
    }

    @FuzzTest(maxExecutions = 1_000_000)
    void quote4(byte[] data) {
        FuzzSupport.feed(QUOTE4, FuzzSupport.decode(data, QUOTE4));
    }

    @FuzzTest(maxExecutions = 1_000_000)
    void quote6(byte[] data) {
        FuzzSupport.feed(QUOTE6, FuzzSupport.decode(data, QUOTE6));
    }

    @FuzzTest(maxExecutions = 1_000_000)
    void tcpAnswer(byte[] data) {
        FuzzSupport.feed(TCP, FuzzSupport.decode(data, TCP));
    }

    @FuzzTest(maxExecutions = 1_000_000)
    void rfc4884(byte[] data) {
        FuzzSupport.feed(RFC4884, FuzzSupport.decode(data, RFC4884));
    }

    @FuzzTest(maxExecutions = 1_000_000)
    void cmsg(byte[] data) {
        FuzzSupport.feed(CMSG, FuzzSupport.decode(data, CMSG));
    }
}
