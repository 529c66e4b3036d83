package io.pathprobe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The summary's reading of the traceroute comparison's RESULT lines. */
class TraceFiguresTest extends SummaryLines {
    private static String result(String family, String contender, String transport, String flow, double ms) {
        return "family=" + family + " protocol=TCP contender=" + contender + " transport=" + transport + " flow=" + flow
                + " n=3 pathprobe_p10_ms=" + ms + " pathprobe_ms=" + ms + " pathprobe_p90_ms=" + ms
                + " pathprobe_engine_ms=" + ms + " traceroute_p10_ms=23 traceroute_ms=30 traceroute_p90_ms=34 ratio="
                + ms / 30 + " same_hops=true";
    }

    @Test
    void theConnectParisTraceIsComparedWithTheRawTcpTraceOfItsOwnFamily() {
        TraceFigures.traceroute(lines(
                result("IPv4", "default", "linux-raw-tcp", "PARIS", 7),
                result("IPv4", "unprivileged-classic", "linux-tcp-connect", "CLASSIC", 10),
                result("IPv4", "unprivileged-Paris", "linux-tcp-connect", "PARIS", 119),
                result("IPv6", "default", "linux-raw-tcp", "PARIS", 6),
                result("IPv6", "unprivileged-Paris", "linux-tcp-connect", "PARIS", 12)), figures, problems);
        Summary.Figure v4 = figure("trace IPv4 TCP linux-tcp-connect Paris vs linux-raw-tcp");
        assertThat(v4.pathprobe()).isEqualTo(119);
        assertThat(v4.peer()).isEqualTo(7);
        assertThat(v4.ratio()).isCloseTo(17.0, within(1e-9));
        assertThat(figure("trace IPv6 TCP linux-tcp-connect Paris vs linux-raw-tcp").ratio()).isEqualTo(2.0);
        assertThat(figures.stream().filter(x -> x.name().contains("Paris vs linux-raw-tcp"))).hasSize(2);
        assertThat(problems).isEmpty();
    }
}
