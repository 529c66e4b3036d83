package io.pathprobe;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.enrich.Responder;
import io.pathprobe.probe.IcmpMessage;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
/** What a person reads: toString of probes, hops and results, ICMP messages in words. */
class ResultTextTest {
    private static final IcmpMessage TIME_EXCEEDED = new IcmpMessage(11, 0, false);

    @Test
    void hopPrintsLikeTraceroute() throws Exception {
        InetAddress r = InetAddress.getByName("198.18.0.10");
        Hop hop = new Hop(3, List.of(
                ApiFixtures.reply(3, 0, r, Duration.ofNanos(24_400), TIME_EXCEEDED, false),
                ApiFixtures.reply(3, 1, r, Duration.ofNanos(9_000), TIME_EXCEEDED, false),
                ApiFixtures.timeout(3, 2)), List.of(new Responder(r, 2)),
                new HopStatistics(3, 2, 1, 0, Optional.empty()));
        assertThat(hop).hasToString(" 3  198.18.0.10  0.024 ms  0.009 ms  *  (loss: 1 forward, 0 backward)");
    }

    @Test
    void severalFlowsNameEachProbesFlowAndIpv6IsCanonical() throws Exception {
        InetAddress a = InetAddress.getByName("2001:db8:0:0:0:0:3:1");
        InetAddress b = InetAddress.getByName("2001:db8:0:0:0:0:3:2");
        Hop hop = new Hop(3, List.of(flow(ApiFixtures.reply(3, 0, a, Duration.ofNanos(24_400), TIME_EXCEEDED, false), 0),
                flow(ApiFixtures.reply(3, 1, b, Duration.ofNanos(9_000), TIME_EXCEEDED, false), 1)),
                List.of(new Responder(a, 1), new Responder(b, 1)), new HopStatistics(2, 2, 0, 0, Optional.empty()),
                true);
        assertThat(hop).hasToString(" 3  #0 2001:db8::3:1  0.024 ms  #1 2001:db8::3:2  0.009 ms  [NAT]");
    }

    private static ProbeResult flow(ProbeResult p, int flow) {
        return new ProbeResult(p.ttl(), p.attempt(), p.status(), p.responder(), p.rtt(), p.icmp(), p.fromDestination(),
                p.failure(), p.replyTtl(), p.mplsLabels(), java.util.OptionalInt.of(flow), java.util.OptionalInt.empty(), java.util.Optional.empty(), java.util.List.of(), java.util.List.of(), java.util.Optional.empty());
    }

    @Test
    void unreachableAbandonedPendingAndSendFailureEachHaveAGlyph() throws Exception {
        InetAddress r = InetAddress.getByName("198.18.0.2");
        assertThat(ApiFixtures.reply(2, 0, r, Duration.ofMillis(1), new IcmpMessage(3, 1, false), false))
                .hasToString("198.18.0.2  1.000 ms !H");
        assertThat(ApiFixtures.reply(2, 0, r, Duration.ofMillis(1), new IcmpMessage(3, 3, false), false))
                .as("a port unreachable from a router is a firewall's REJECT, shown as such")
                .hasToString("198.18.0.2  1.000 ms");
        assertThat(ApiFixtures.of(2, 0, ProbeStatus.ABANDONED)).hasToString("-");
        assertThat(ApiFixtures.of(2, 0, ProbeStatus.PENDING)).hasToString("?");
        assertThat(ApiFixtures.of(2, 0, ProbeStatus.SEND_FAILED)).hasToString("!send: sendmsg: EPERM");
    }

    @Test
    void resultHasAHeaderAndAHopPerLineAndFindsTheDestinationHop() throws Exception {
        InetAddress dest = InetAddress.getByName("198.19.0.1");
        Hop last = new Hop(2, List.of(ApiFixtures.reply(2, 0, dest, Duration.ofMillis(2), new IcmpMessage(0, 0, false), true)),
                List.of(new Responder(dest, 1)), new HopStatistics(1, 1, 0, 0, Optional.empty()));
        Hop first = new Hop(1, List.of(ApiFixtures.timeout(1, 0)), List.of(),
                new HopStatistics(1, 0, 1, 0, Optional.empty()));
        TraceResult r = new TraceResult("198.19.0.1", Optional.of(dest), ProbeProtocol.UDP, "linux-udp-recverr",
                TraceStatus.DESTINATION_REACHED, List.of(first, last), Instant.EPOCH, Duration.ofMillis(3), 0,
                Optional.of("ICMP not usable: ping_group_range"));
        assertThat(r.destinationReached()).isTrue();
        assertThat(r.destinationHop()).contains(last);
        assertThat(r.toString()).isEqualTo("trace to 198.19.0.1, UDP via linux-udp-recverr: DESTINATION_REACHED in 3.0 ms"
                + " (ICMP not usable: ping_group_range)\n 1  *\n 2  198.19.0.1  2.000 ms");
    }

    @Test
    void aStoppedTracesTtlsStillWaitingAreOneLineNotOneATtl() throws Exception {
        InetAddress r1 = InetAddress.getByName("198.18.0.2");
        Hop first = new Hop(1, List.of(ApiFixtures.reply(1, 0, r1, Duration.ofMillis(1), new IcmpMessage(11, 0, false), false)),
                List.of(new Responder(r1, 1)), new HopStatistics(1, 1, 0, 0, Optional.empty()));
        List<Hop> hops = new java.util.ArrayList<>(List.of(first));
        for (int ttl = 2; ttl <= 30; ttl++) {
            hops.add(new Hop(ttl, List.of(ApiFixtures.of(ttl, 0, ProbeStatus.ABANDONED)), List.of(),
                    new HopStatistics(1, 0, 0, 0, Optional.empty())));
        }
        TraceResult r = new TraceResult("198.19.0.1", Optional.of(InetAddress.getByName("198.19.0.1")), ProbeProtocol.ICMP,
                "linux-raw-icmp", TraceStatus.CANCELLED, hops, Instant.EPOCH, Duration.ofMillis(3), 0, Optional.empty());
        assertThat(r.toString()).isEqualTo("trace to 198.19.0.1, ICMP via linux-raw-icmp: CANCELLED in 3.0 ms"
                + "\n 1  198.18.0.2  1.000 ms\n(TTLs 2-30 still waiting when the trace stopped)");
        assertThat(r.hops()).as("the data keeps every hop").hasSize(30);
    }

    @Test
    void icmpMessagesInWordsForBothFamilies() {
        assertThat(new IcmpMessage(11, 0, false).isTimeExceeded()).isTrue();
        assertThat(new IcmpMessage(3, 0, true).isTimeExceeded()).isTrue();
        assertThat(new IcmpMessage(3, 13, false)).hasToString("administratively prohibited");
        assertThat(new IcmpMessage(3, 13, false).tracerouteFlag()).isEqualTo("!X");
        assertThat(new IcmpMessage(1, 4, true).isPortUnreachable()).isTrue();
        assertThat(new IcmpMessage(1, 3, true).tracerouteFlag()).isEqualTo("!H");
        assertThat(new IcmpMessage(129, 0, true).isEchoReply()).isTrue();
    }
}
