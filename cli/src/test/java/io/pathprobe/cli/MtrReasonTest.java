package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.enrich.Responder;
import io.pathprobe.monitor.MonitorEvent;
import io.pathprobe.monitor.MonitorPath;
import io.pathprobe.monitor.MonitorRound;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** A destination lost says what answered in its place (issue 47 item 5: shown as what it is, unreachable or loop). */
class MtrReasonTest {
    private static final IcmpMessage TIME_EXCEEDED = new IcmpMessage(11, 0, false);
    private static final IcmpMessage NET_UNREACHABLE = new IcmpMessage(3, 0, false);

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private static Hop hop(int ttl, String from, ProbeStatus status, IcmpMessage icmp) throws Exception {
        InetAddress a = ip(from);
        ProbeResult p = new ProbeResult(ttl, 0, status, Optional.of(a), Optional.of(Duration.ofNanos(50_000)),
                Optional.of(icmp), false, Optional.empty(), OptionalInt.empty(), List.of());
        return new Hop(ttl, List.of(p), List.of(new Responder(a, 1, io.pathprobe.enrich.Lookup.off(), io.pathprobe.enrich.Lookup.off())),
                new HopStatistics(1, 1, 0, 0, 0, 0, Optional.empty()), false, io.pathprobe.enrich.Segment.UNKNOWN);
    }

    private static MonitorRound round(List<Hop> hops, TraceStatus status) throws Exception {
        TraceResult t = new TraceResult("198.19.0.1", Optional.of(ip("198.19.0.1")), ProbeProtocol.ICMP, "fake", status,
                hops, Instant.now(), Duration.ofMillis(3), 0, Optional.empty(), io.pathprobe.trace.FlowMode.PARIS, 1,
                io.pathprobe.enrich.PathContext.OFF);
        return new MonitorRound(25, t, new MonitorPath(1, List.of(), false), List.of());
    }

    @Test
    void aLostDestinationNamesTheUnreachableRouterOrTheLoop() throws Exception {
        MonitorEvent lost = new MonitorEvent.DestinationLost(25, 21);
        MonitorRound unreachable = round(List.of(hop(1, "198.18.0.2", ProbeStatus.REPLY, TIME_EXCEEDED),
                hop(2, "198.18.0.6", ProbeStatus.UNREACHABLE, NET_UNREACHABLE)), TraceStatus.UNREACHABLE);
        assertThat(MtrCommand.withReason(lost, unreachable))
                .startsWith("round 25: destination lost since round 21 (198.18.0.6 answers ")
                .endsWith("unreachable at TTL 2)");
        List<Hop> loop = new ArrayList<>();
        for (int ttl = 1; ttl <= 5; ttl++) {
            loop.add(hop(ttl, ttl % 2 == 1 ? "198.18.0.2" : "198.18.0.6", ProbeStatus.REPLY, TIME_EXCEEDED));
        }
        assertThat(MtrCommand.withReason(lost, round(loop, TraceStatus.MAX_HOPS_EXCEEDED))).isEqualTo(
                "round 25: destination lost since round 21 (a routing loop: 198.18.0.2 answers time exceeded at TTLs 1, 3, 5)");
        MonitorRound plain = round(List.of(hop(1, "198.18.0.2", ProbeStatus.REPLY, TIME_EXCEEDED)),
                TraceStatus.MAX_HOPS_EXCEEDED);
        assertThat(MtrCommand.withReason(lost, plain)).as("silence beyond: nothing to name")
                .isEqualTo("round 25: destination lost since round 21");
        assertThat(MtrCommand.withReason(new MonitorEvent.DestinationRegained(30, 5), unreachable))
                .isEqualTo(new MonitorEvent.DestinationRegained(30, 5).toString());
    }
}
