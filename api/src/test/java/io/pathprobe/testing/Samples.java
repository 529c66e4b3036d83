package io.pathprobe.testing;

import io.pathprobe.bufferbloat.BufferbloatGrade;
import io.pathprobe.bufferbloat.BufferbloatPhase;
import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.BufferbloatStatus;
import io.pathprobe.bufferbloat.DirectionResult;
import io.pathprobe.bufferbloat.LatencySample;
import io.pathprobe.bufferbloat.MeasurementConfidence;
import io.pathprobe.bufferbloat.RpmCategory;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.PublicAddress;
import io.pathprobe.enrich.Responder;
import io.pathprobe.enrich.Segment;
import io.pathprobe.monitor.MonitorHop;
import io.pathprobe.monitor.MonitorPath;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResponder;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorStatistics;
import io.pathprobe.monitor.MonitorStatus;
import io.pathprobe.multipath.Diamond;
import io.pathprobe.multipath.LoadBalancing;
import io.pathprobe.multipath.MultipathLink;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.MultipathStatus;
import io.pathprobe.multipath.PathHop;
import io.pathprobe.ping.PingError;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingProbe;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.ping.PingStatus;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.IcmpMessage;
import io.pathprobe.probe.MplsLabel;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.probe.RttPercentiles;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Hand-built results (shared with core's Jackson module tests through api's test jar) with every kind of outcome, for the writers' tests (literal addresses only: no lookup). */
public final class Samples {
    private Samples() {}

    public static final Instant START = Instant.parse("2026-11-21T10:00:00.250Z");
    public static final AsnInfo ISP = new AsnInfo(64500, Optional.of("198.18.0.0/15"), Optional.of("LAB-ISP, \"ZZ\""),
            Optional.of("ZZ"), Optional.empty());
    /** A target name with a quote, a backslash, a line feed, a control character and non-ASCII text. */
    public static final String ODD_NAME = "odd \"name\"\\ with\nnew line \u0001 é 😀";

    public static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    public static Duration ms(double ms) {
        return Duration.ofNanos(Math.round(ms * 1e6));
    }

    public static RttStatistics rtt(double min, double avg, double max) {
        return new RttStatistics(ms(max), ms(min), ms(avg), ms(max), ms(0.0125));
    }

    public static ProbeResult reply(int ttl, int attempt, String from, double rttMs, IcmpMessage icmp, boolean destination,
            int replyTtl, List<MplsLabel> mpls, int flow) {
        return new ProbeResult(ttl, attempt, ProbeStatus.REPLY, Optional.of(ip(from)), Optional.of(ms(rttMs)),
                Optional.of(icmp), destination, Optional.empty(), OptionalInt.of(replyTtl), mpls, OptionalInt.of(flow),
                OptionalInt.of(0), java.util.Optional.empty(), java.util.List.of(), java.util.List.of(), java.util.Optional.empty());
    }

    public static ProbeResult status(int ttl, int attempt, ProbeStatus status, Optional<String> failure) {
        return new ProbeResult(ttl, attempt, status, Optional.empty(), Optional.empty(), Optional.empty(), false, failure,
                OptionalInt.empty(), List.of(), OptionalInt.of(0), OptionalInt.empty(), java.util.Optional.empty(), java.util.List.of(), java.util.List.of(), java.util.Optional.empty());
    }

    public static final IcmpMessage TIME_EXCEEDED = new IcmpMessage(11, 0, false);
    public static final IcmpMessage ECHO_REPLY = new IcmpMessage(0, 0, false);
    public static final IcmpMessage HOST_UNREACHABLE = new IcmpMessage(3, 1, false);

    /**
     * An IPv4 ICMP trace, enriched: TTL 1 answers three times (one reply from the destination is not it),
     * TTL 2 answers with two MPLS labels and loses one probe, TTL 3 is a router's host unreachable plus a
     * send failure, TTL 4 the destination with an abandoned probe.
     */
    public static TraceResult trace() {
        List<MplsLabel> mpls = List.of(new MplsLabel(24001, 0, false, 254), new MplsLabel(16, 5, true, 1));
        Hop h1 = new Hop(1, List.of(reply(1, 0, "192.168.1.1", 0.5, TIME_EXCEEDED, false, 64, List.of(), 0),
                reply(1, 1, "192.168.1.1", 0.25, TIME_EXCEEDED, false, 64, List.of(), 0),
                reply(1, 2, "192.168.1.1", 0.125, TIME_EXCEEDED, false, 64, List.of(), 0)),
                List.of(new Responder(ip("192.168.1.1"), 3, Lookup.found("router.home.lab.example"), Lookup.notFound())),
                new HopStatistics(3, 3, 0, 0, 0, 0, Optional.of(rtt(0.125, 0.291667, 0.5))), false, Segment.LAN);
        Hop h2 = new Hop(2, List.of(reply(2, 0, "198.18.1.1", 1.0001, TIME_EXCEEDED, false, 253, mpls, 0),
                status(2, 1, ProbeStatus.TIMEOUT, Optional.empty()),
                reply(2, 2, "198.18.1.1", 2.5, TIME_EXCEEDED, false, 253, mpls, 0)),
                List.of(new Responder(ip("198.18.1.1"), 2, Lookup.found("core1.isp.lab.example"), Lookup.found(ISP))),
                new HopStatistics(3, 2, 1, 0, 1, 0, Optional.of(rtt(1.0001, 1.75005, 2.5))), false, Segment.ISP);
        Hop h3 = new Hop(3, List.of(new ProbeResult(3, 0, ProbeStatus.UNREACHABLE, Optional.of(ip("198.18.2.1")),
                Optional.of(ms(3.0)), Optional.of(HOST_UNREACHABLE), false, Optional.empty(), OptionalInt.of(252),
                List.of(), OptionalInt.of(0), OptionalInt.empty(), java.util.Optional.empty(), java.util.List.of(), java.util.List.of(), java.util.Optional.empty()),
                status(3, 1, ProbeStatus.SEND_FAILED, Optional.of("No buffer space available"))),
                List.of(new Responder(ip("198.18.2.1"), 1, Lookup.failed("timed out"), Lookup.failed("timed out"))),
                new HopStatistics(2, 1, 0, 0, 0, 0, Optional.of(rtt(3, 3, 3))), false, Segment.UNKNOWN);
        Hop h4 = new Hop(4, List.of(reply(4, 0, "198.51.100.10", 4.0, ECHO_REPLY, true, 61, List.of(), 0),
                status(4, 1, ProbeStatus.ABANDONED, Optional.empty())),
                List.of(new Responder(ip("198.51.100.10"), 1)),
                new HopStatistics(2, 1, 0, 0, 0, 1, Optional.of(rtt(4, 4, 4))), false, Segment.UNKNOWN);
        PathContext ctx = new PathContext(Lookup.found(new PublicAddress(ip("198.18.0.2"), 40000,
                new InetSocketAddress(ip("198.18.0.53"), 3478), ip("192.168.1.10"), true)), Lookup.found(ISP),
                Lookup.found(AsnInfo.of(64510)));
        return new TraceResult(ODD_NAME, Optional.of(ip("198.51.100.10")), ProbeProtocol.ICMP, "linux-icmp-raw",
                TraceStatus.DESTINATION_REACHED, List.of(h1, h2, h3, h4), START, ms(1500.25), 2,
                Optional.of("note\twith a tab"), FlowMode.PARIS, 1, ctx);
    }

    /**
     * An IPv6 UDP trace, not enriched, classic flows: a router's administratively prohibited at TTL 1,
     * a silent TTL 2, the destination's own port unreachable at TTL 3.
     */
    public static TraceResult trace6() {
        IcmpMessage prohibited = new IcmpMessage(1, 1, true);
        IcmpMessage portUnreachable = new IcmpMessage(1, 4, true);
        Hop h1 = new Hop(1, List.of(new ProbeResult(1, 0, ProbeStatus.UNREACHABLE, Optional.of(ip("2001:db8:0:1::1")),
                Optional.of(ms(0.75)), Optional.of(prohibited), false, Optional.empty(), OptionalInt.of(64), List.of())),
                List.of(new Responder(ip("2001:db8:0:1::1"), 1)),
                new HopStatistics(1, 1, 0, 0, Optional.of(rtt(0.75, 0.75, 0.75))));
        Hop h2 = new Hop(2, List.of(new ProbeResult(2, 0, ProbeStatus.TIMEOUT, Optional.empty(), Optional.empty(),
                Optional.empty(), false, Optional.empty(), OptionalInt.empty(), List.of())), List.of(),
                new HopStatistics(1, 0, 1, 0, Optional.empty()));
        Hop h3 = new Hop(3, List.of(new ProbeResult(3, 0, ProbeStatus.REPLY, Optional.of(ip("2001:db8::10")),
                Optional.of(ms(2.0)), Optional.of(portUnreachable), true, Optional.empty(), OptionalInt.of(62), List.of())),
                List.of(new Responder(ip("2001:db8::10"), 1)), new HopStatistics(1, 1, 0, 0, Optional.of(rtt(2, 2, 2))));
        return new TraceResult("2001:db8::10", Optional.of(ip("2001:db8::10")), ProbeProtocol.UDP, "linux-udp-recverr",
                TraceStatus.UNREACHABLE, List.of(h1, h2, h3), START, ms(20), 0, Optional.empty(), FlowMode.CLASSIC, 1);
    }

    public static PingProbe echo(long seq, double rttMs, int ttl) {
        return new PingProbe(seq, ms(seq * 10.0), ProbeStatus.REPLY, Optional.of(ms(rttMs)),
                Optional.of(ip("198.18.0.10")), Optional.of(ECHO_REPLY), OptionalInt.of(ttl), OptionalInt.of(64), java.util.OptionalInt.empty(), java.util.Optional.empty());
    }

    /**
     * Two ICMP targets: the first 5 probes, replies of 1, 3 and 2 ms (the last with another TTL), a
     * timeout, a host unreachable, one duplicate; the second a name that did not resolve.
     */
    public static PingResult ping() {
        PingProbe timeout = new PingProbe(3, ms(30), ProbeStatus.TIMEOUT, Optional.empty(), Optional.empty(),
                Optional.empty(), OptionalInt.empty());
        PingProbe unreachable = new PingProbe(4, ms(40), ProbeStatus.UNREACHABLE, Optional.empty(),
                Optional.of(ip("198.18.0.1")), Optional.of(HOST_UNREACHABLE), OptionalInt.of(63));
        PingStatistics s = new PingStatistics(5, 3, 2, 0, 1, 0, 0, 1, 0.4, Optional.of(new RttStatistics(ms(3), ms(1), ms(2), ms(3), ms(0.816497), Optional.of(new RttPercentiles(ms(2), ms(3), ms(3), ms(3), true)))), Optional.of(ms(0.0703125)), 0);
        PingTargetResult a = new PingTargetResult(0, "198.18.0.10", Optional.of(ip("198.18.0.10")), PingKind.ICMP,
                "linux-icmp-dgram", Optional.empty(), Optional.of(new PingError(PingError.Type.UNREACHABLE,
                        "host unreachable from 198.18.0.1", Optional.of(HOST_UNREACHABLE), Optional.of(ip("198.18.0.1")))),
                s, List.of(echo(0, 1, 62), echo(1, 3, 62), echo(2, 2, 61), timeout, unreachable),
                Lookup.found("dst.lab.example"), Lookup.found(ISP), io.pathprobe.enrich.Lookup.off(), io.pathprobe.enrich.Lookup.off());
        PingTargetResult b = new PingTargetResult(1, "no.such.name.lab.example", Optional.empty(), PingKind.ICMP, "",
                Optional.empty(), Optional.of(new PingError(PingError.Type.UNKNOWN_TARGET, "unknown host: no.such.name.lab.example",
                        Optional.empty(), Optional.empty())), PingStatistics.EMPTY, List.of());
        return new PingResult(List.of(a, b), PingStatus.COMPLETED, START, ms(55.5));
    }

    /**
     * An unprivileged ping that fell back to UDP: 4 sent, 2 answered (Port Unreachables of the destination), 1
     * unanswered where the destination's answers showed its ICMP limit refusing (rate-limited, not lost), 1 lost that
     * the limit could have refused (the loss a range, 0 to a third).
     */
    public static PingResult udpPing() {
        PingProbe refused = new PingProbe(2, ms(20), ProbeStatus.RATE_LIMITED, Optional.empty(), Optional.empty(),
                Optional.empty(), OptionalInt.empty());
        PingProbe lost = new PingProbe(3, ms(30), ProbeStatus.TIMEOUT, Optional.empty(), Optional.empty(),
                Optional.empty(), OptionalInt.empty());
        PingStatistics s = new PingStatistics(4, 2, 1, 0, 0, 0, 0, 0, 1 / 3.0, Optional.of(new RttStatistics(ms(3), ms(1), ms(2), ms(3), ms(1), Optional.of(new RttPercentiles(ms(1), ms(3), ms(3), ms(3), true)))), Optional.of(ms(0.125)), 1, 1);
        PingTargetResult a = new PingTargetResult(0, "198.18.0.10", Optional.of(ip("198.18.0.10")), PingKind.UDP,
                "linux-udp-recverr", Optional.of("fell back to UDP: ICMP not usable: linux-raw-icmp needs CAP_NET_RAW; "
                        + "linux-icmp-dgram needs gid 65534 in net.ipv4.ping_group_range (now '1 0')"), Optional.empty(), s,
                List.of(echo(0, 1, 62), echo(1, 3, 62), refused, lost));
        return new PingResult(List.of(a), PingStatus.COMPLETED, START, ms(35));
    }

    public static MultipathNode node(int ttl, String address, int... flows) {
        return new MultipathNode(ttl, Optional.of(ip(address)), flows.length,
                java.util.stream.IntStream.of(flows).boxed().toList(), false, LoadBalancing.PER_FLOW,
                Optional.of(rtt(0.1 * ttl, 0.1 * ttl + 0.05, 0.1 * ttl + 0.1)));
    }

    public static HopStatistics stats(int sent, int lost) {
        return new HopStatistics(sent, sent - lost, lost, lost, 0, 0,
                sent == lost ? Optional.empty() : Optional.of(rtt(0.3, 0.35, 0.4)));
    }

    /** r1, two branches (flows 0, 2 and 1, 3) at TTL 2 plus a silent flow 4, the destination at TTL 3. */
    public static MultipathResult multipath() {
        MultipathNode r1 = node(1, "198.18.0.1", 0, 1, 2, 3, 4);
        MultipathNode a = node(2, "198.18.1.1", 0, 2);
        MultipathNode b = node(2, "198.18.2.1", 1, 3);
        MultipathNode silent = new MultipathNode(2, Optional.empty(), 0, List.of(4), false, LoadBalancing.PER_FLOW,
                Optional.empty());
        MultipathNode dst = new MultipathNode(3, Optional.of(ip("198.18.10.1")), 4, List.of(0, 1, 2, 3), true,
                LoadBalancing.PER_FLOW, Optional.empty());
        List<MultipathLink> links = List.of(new MultipathLink(1, r1.address(), a.address(), 2),
                new MultipathLink(1, r1.address(), b.address(), 2), new MultipathLink(2, a.address(), dst.address(), 2),
                new MultipathLink(2, b.address(), dst.address(), 2));
        List<MultipathPath> paths = List.of(
                new MultipathPath(List.of(new PathHop(1, r1.address(), stats(10, 0)), new PathHop(2, a.address(), stats(10, 0)),
                        new PathHop(3, dst.address(), stats(10, 1))), List.of(0, 2), stats(10, 1)),
                new MultipathPath(List.of(new PathHop(1, r1.address(), stats(10, 0)), new PathHop(2, b.address(), stats(10, 10)),
                        new PathHop(3, dst.address(), stats(10, 10))), List.of(1, 3), stats(10, 10)));
        Diamond d = new Diamond(r1, Optional.of(dst), List.of(2), false, LoadBalancing.PER_FLOW);
        return new MultipathResult(MultipathRequest.builder("198.18.10.1").build(), ip("198.18.10.1"), "linux-udp-recverr",
                ProbeProtocol.UDP, MultipathStatus.COMPLETED, START, ms(123.4567), List.of(r1, a, b, silent, dst), links,
                List.of(d), paths, 60, 40, 95.0, 90.25, true, List.of(), List.of("a note"));
    }

    public static BufferbloatResult bufferbloat() {
        DirectionResult d = new DirectionResult(BufferbloatPhase.DOWNLOAD, ms(50), ms(70), 19.004e6, 4, Optional.of(1200.4),
                MeasurementConfidence.HIGH, MeasurementConfidence.MEDIUM, ms(81.5), Optional.of(950.2), Optional.of(801.7),
                new io.pathprobe.bufferbloat.BufferbloatLoad(Optional.of("bbr"), true, 19.5e6, 19.004 / 19.5, Duration.ofSeconds(6)));
        return new BufferbloatResult(BufferbloatRequest.builder("https://127.0.0.1:4043").build(),
                URI.create("https://127.0.0.1:4043/.well-known/nq"), BufferbloatStatus.COMPLETED, START,
                Duration.ofSeconds(20), ms(1), Optional.of(d), Optional.empty(), ms(49), Optional.of(BufferbloatGrade.B),
                Optional.of(1200.4), Optional.of(RpmCategory.GOOD), MeasurementConfidence.MEDIUM,
                List.of(new LatencySample(ms(5), BufferbloatPhase.IDLE, LatencySample.Kind.PING, ms(1))), List.of("a note"));
    }

    /**
     * A monitor of 10 rounds over three TTLs: an ECMP hop with two responders (one named, with an AS),
     * a silent TTL, and an IPv6-free destination that lost one probe.
     */
    /**
     * A path MTU discovery through the lab's 6-hop chain: first link 1500, router 3's next link 1280 (its
     * Packet Too Big on TTL 4), a silent TTL 5, and a black hole after router 5 at 1200 bytes.
     */
    public static io.pathprobe.mtu.MtuResult mtu() {
        java.util.OptionalInt none = java.util.OptionalInt.empty();
        List<io.pathprobe.mtu.MtuHop> hops = List.of(
                new io.pathprobe.mtu.MtuHop(1, Optional.of(ip("198.18.0.2")), Optional.of(ms(0.081)), 1500, none, Optional.empty(), false, false),
                new io.pathprobe.mtu.MtuHop(2, Optional.of(ip("198.18.0.6")), Optional.of(ms(0.042)), 1500, none, Optional.empty(), false, false),
                new io.pathprobe.mtu.MtuHop(3, Optional.of(ip("198.18.0.10")), Optional.of(ms(0.028)), 1500, none, Optional.empty(), false, false),
                new io.pathprobe.mtu.MtuHop(4, Optional.of(ip("198.18.0.14")), Optional.of(ms(0.033)), 1280,
                        java.util.OptionalInt.of(1280), Optional.of(ip("198.18.0.10")), false, false),
                new io.pathprobe.mtu.MtuHop(5, Optional.empty(), Optional.empty(), 1280, none, Optional.empty(), false, false),
                new io.pathprobe.mtu.MtuHop(6, Optional.of(ip("198.19.0.1")), Optional.of(ms(0.032)), 1200, none, Optional.empty(), true, false));
        return new io.pathprobe.mtu.MtuResult("198.19.0.1", Optional.of(ip("198.19.0.1")), "linux-udp-recverr",
                TraceStatus.DESTINATION_REACHED, java.util.OptionalInt.of(1500), hops, java.util.OptionalInt.of(1200),
                Optional.of(new io.pathprobe.mtu.MtuBlackHole(6, Optional.empty(), 1200, 1201, false)), 21, START, ms(2100),
                io.pathprobe.probe.MaskStatement.NONE);
    }

    public static MonitorResult monitor() {
        MonitorStatistics ten = new MonitorStatistics(10, 10, 0, Optional.of(new RttStatistics(ms(0.5), ms(0.25), ms(0.5), ms(1.125), ms(0.2), Optional.of(new RttPercentiles(ms(0.5), ms(0.75), ms(1.125), ms(1.125), true)))), ms(0.05));
        MonitorStatistics nine = new MonitorStatistics(10, 9, 0, Optional.of(new RttStatistics(ms(2), ms(1.5), ms(2.25), ms(4), ms(0.5), Optional.of(new RttPercentiles(ms(2), ms(3), ms(4), ms(4), true)))), ms(0.25));
        MonitorResponder a = new MonitorResponder(ip("198.18.1.2"), 6, 0.6, Lookup.found("r1a.lab.example"),
                Lookup.found(AsnInfo.of(64500)));
        MonitorResponder b = new MonitorResponder(ip("198.18.2.2"), 4, 0.4, Lookup.notFound(), Lookup.off());
        MonitorResponder dst = new MonitorResponder(ip("198.19.0.1"), 9, 1.0, Lookup.pending(), Lookup.off());
        List<MonitorHop> hops = List.of(new MonitorHop(1, List.of(a, b), ten, ten),
                new MonitorHop(2, List.of(), MonitorStatistics.NONE, MonitorStatistics.NONE),
                new MonitorHop(3, List.of(dst), nine, nine));
        MonitorPath path = new MonitorPath(1, List.of(Set.of(ip("198.18.1.2")), Set.of(), Set.of(ip("198.19.0.1"))), true);
        return new MonitorResult("198.19.0.1", Optional.of(ip("198.19.0.1")), ProbeProtocol.UDP, "linux-udp",
                MonitorStatus.COMPLETED, 10, START, Duration.ofSeconds(10), hops, nine, 3, 3.0, 3, path, 1,
                Optional.empty(), MonitorRequest.builder("198.19.0.1").rounds(10).build(), io.pathprobe.probe.MaskStatement.NONE);
    }
}
