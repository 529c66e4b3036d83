package io.pathprobe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.Responder;
import io.pathprobe.multipath.LoadBalancing;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.probe.IcmpMessage;
import io.pathprobe.probe.IpVersion;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TcpMode;
import io.pathprobe.trace.TraceListener;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
class TraceRequestTest {

    @Test
    void defaults() {
        TraceRequest r = TraceRequest.of("198.19.0.1");
        assertThat(r.target()).isEqualTo("198.19.0.1");
        assertThat(r.address()).isEmpty();
        assertThat(r.protocol()).isEqualTo(ProbeProtocol.ICMP);
        assertThat(r.automaticProtocol()).isTrue();
        assertThat(r.protocols()).containsExactly(ProbeProtocol.ICMP, ProbeProtocol.UDP);
        assertThat(r.firstTtl()).isEqualTo(1);
        assertThat(r.maxTtl()).isEqualTo(30);
        assertThat(r.probesPerTtl()).isEqualTo(3);
        assertThat(r.probeTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(r.deadline()).isEqualTo(Duration.ofSeconds(30));
        assertThat(r.maxInFlight()).isEqualTo(64);
        assertThat(r.sequential()).isFalse();
        assertThat(r.adaptiveWait()).isTrue();
        assertThat(r.destinationPort()).as("none given").isZero();
        assertThat(r.destinationPort(ProbeProtocol.UDP)).isEqualTo(33434);
        assertThat(r.destinationPort(ProbeProtocol.TCP)).isEqualTo(80);
        assertThat(r.flowMode()).isEqualTo(FlowMode.PARIS);
        assertThat(r.flowModeGiven()).isFalse();
        assertThat(r.flows()).isEqualTo(1);
        assertThat(r.ipVersion()).isEqualTo(IpVersion.ANY);
        assertThat(r.listener()).isSameAs(TraceListener.NONE);
    }

    /** Issue 21: every flow probes every TTL, the same number of times; what cannot be honoured is refused at build. */
    @Test
    void eachTtlGetsTheSameNumberOfProbesOfEveryFlow() {
        assertThat(TraceRequest.of("x").probesPerTtl()).isEqualTo(3);
        TraceRequest sixteen = TraceRequest.builder("x").flows(16).build();
        assertThat(sixteen.probesPerTtl() / sixteen.flows()).as("one probe a flow").isEqualTo(1);
        assertThat(sixteen.probesPerTtl()).isEqualTo(16);
        TraceRequest two = TraceRequest.builder("x").flows(2).probesPerTtl(3).build();
        assertThat(two.probesPerTtl() / two.flows()).as("two probes a flow").isEqualTo(2);
        assertThat(two.probesPerTtl()).isEqualTo(4);
        assertThat(TraceRequest.builder("x").flows(4).probesPerTtl(8).build().probesPerTtl()).isEqualTo(8);
        assertThatThrownBy(() -> TraceRequest.builder("x").protocol(ProbeProtocol.UDP).destinationPort(65530).flows(16)
                .build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("flows(16) with UDP probes to port 65530").hasMessageContaining("at most 6 flows");
        assertThat(TraceRequest.builder("x").protocol(ProbeProtocol.UDP).destinationPort(65530).flows(6).build().flows())
                .isEqualTo(6);
        assertThat(TraceRequest.builder("x").protocol(ProbeProtocol.ICMP).flows(16).build().flows())
                .as("ICMP flows have no port").isEqualTo(16);
        assertThatThrownBy(() -> TraceRequest.builder("x").protocol(ProbeProtocol.ICMP).destinationPort(40000).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("destinationPort(40000) applies to UDP and TCP "
                        + "probes; ICMP probes have no port");
        assertThat(TraceRequest.builder("x").destinationPort(40000).build().destinationPort(ProbeProtocol.UDP))
                .as("the automatic choice may pick UDP or TCP").isEqualTo(40000);
        assertThatThrownBy(() -> MultipathRequest.builder("x").protocol(ProbeProtocol.ICMP).destinationPort(40000)
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ICMP probes have no port");
        assertThatThrownBy(() -> PingRequest.builder().target("x").kind(PingKind.ICMP).destinationPort(40000).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ICMP echo requests have no port");
        assertThatThrownBy(() -> TraceRequest.builder("x").maxTtl(256)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxTtl");
    }

    @Test
    void flowsAndIpVersionAreCheckedWhenSet() throws Exception {
        TraceRequest r = TraceRequest.builder("198.18.0.1").flows(16).probesPerTtl(30).ipVersion(IpVersion.IPV4)
                .destinationPort(443).build();
        assertThat(r.flows()).isEqualTo(16);
        assertThat(r.destinationPort(ProbeProtocol.TCP)).isEqualTo(443);
        assertThat(r.toBuilder().build()).isEqualTo(r);
        assertThatThrownBy(() -> TraceRequest.builder("x").flows(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("flows must be 1..256");
        assertThatThrownBy(() -> TraceRequest.builder("x").flows(257)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TraceRequest.builder("x").destinationPort(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..65535");
        assertThatThrownBy(() -> TraceRequest.builder("x").destinationPort(65536))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TraceRequest.builder("x").flows(4).flowMode(FlowMode.CLASSIC).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PARIS");
        assertThatThrownBy(() -> TraceRequest.builder(InetAddress.getByName("198.18.0.1")).ipVersion(IpVersion.IPV6))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("198.18.0.1 is not an IPV6");
        assertThat(TraceRequest.builder("x").flowMode(FlowMode.CLASSIC).build().flowModeGiven()).isTrue();
    }

    @Test
    void toBuilderKeepsEverything() throws Exception {
        InetAddress a = InetAddress.getByName("198.19.0.1");
        TraceRequest r = TraceRequest.builder(a).protocol(ProbeProtocol.UDP).firstTtl(2).maxTtl(9).probesPerTtl(5)
                .probeTimeout(Duration.ofMillis(300)).deadline(Duration.ofSeconds(4)).maxInFlight(7).sequential(true)
                .adaptiveWait(false).destinationPort(40000).build();
        TraceRequest copy = r.toBuilder().build();
        assertThat(copy.address()).contains(a);
        assertThat(copy).usingRecursiveComparison().isEqualTo(r);
        assertThat(r.toBuilder().maxTtl(12).build().maxTtl()).isEqualTo(12);
        assertThat(r.automaticProtocol()).as("an explicit protocol is strict").isFalse();
        assertThat(r.protocols()).containsExactly(ProbeProtocol.UDP);
        TraceRequest auto = r.toBuilder().automaticProtocol(ProbeProtocol.UDP, ProbeProtocol.ICMP).build();
        assertThat(auto.automaticProtocol()).isTrue();
        assertThat(auto.protocols()).containsExactly(ProbeProtocol.UDP, ProbeProtocol.ICMP);
        assertThat(auto.maxTtl()).isEqualTo(auto.maxTtl());
    }

    @Test
    void tcpInsideAConnectionNeedsTcpProbesOfOneFlow() {
        TraceRequest.Builder tcp = TraceRequest.builder("198.19.0.1").protocol(ProbeProtocol.TCP);
        assertThat(tcp.build().tcpMode()).as("the default").isEqualTo(TcpMode.SYN);
        TraceRequest in = tcp.tcpMode(TcpMode.IN_CONNECTION).destinationPort(443).build();
        assertThat(in.tcpMode()).isEqualTo(TcpMode.IN_CONNECTION);
        assertThat(in.toBuilder().build()).isEqualTo(in);
        assertThat(in).isNotEqualTo(in.toBuilder().tcpMode(TcpMode.SYN).build());
        assertThat(in.toString()).contains("TCP IN_CONNECTION");
        assertThat(TraceRequest.builder("198.19.0.1").automaticProtocol(ProbeProtocol.TCP, ProbeProtocol.ICMP)
                .tcpMode(TcpMode.IN_CONNECTION).build().tcpMode()).isEqualTo(TcpMode.IN_CONNECTION);
        assertThatThrownBy(() -> TraceRequest.builder("198.19.0.1").tcpMode(TcpMode.IN_CONNECTION).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tcpMode(IN_CONNECTION) applies to TCP probes: protocol(ProbeProtocol.TCP)");
        assertThatThrownBy(() -> tcp.tcpMode(TcpMode.IN_CONNECTION).flows(2).build())
                .hasMessage("tcpMode(IN_CONNECTION) sends every probe inside one connection, one flow: not with flows(2)");
        assertThatThrownBy(() -> tcp.flows(1).flowMode(FlowMode.CLASSIC).build())
                .hasMessage("tcpMode(IN_CONNECTION) sends every probe inside one connection, one flow: not with "
                        + "FlowMode.CLASSIC");
        assertThatThrownBy(() -> tcp.tcpMode(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aResultSaysHowItsTcpProbesTravelled() throws Exception {
        InetAddress a = InetAddress.getByName("198.19.0.1");
        TraceResult syn = new TraceResult("198.19.0.1", java.util.Optional.of(a), ProbeProtocol.TCP, "linux-raw-tcp",
                TraceStatus.DESTINATION_REACHED, java.util.List.of(), java.time.Instant.EPOCH, Duration.ZERO, 0,
                java.util.Optional.of("no trace inside a connection to 198.19.0.1 port 81 (refused): SYN probes instead"));
        assertThat(syn.tcpMode()).as("the form without tcpMode: SYNs").contains(TcpMode.SYN);
        TraceResult udp = new TraceResult("198.19.0.1", java.util.Optional.of(a), ProbeProtocol.UDP, "linux-raw-udp",
                TraceStatus.DESTINATION_REACHED, java.util.List.of(), java.time.Instant.EPOCH, Duration.ZERO, 0,
                java.util.Optional.empty());
        assertThat(udp.tcpMode()).isEmpty();
        TraceResult in = new TraceResult(syn.target(), syn.destination(), ProbeProtocol.TCP, "linux-tcp-in-connection",
                syn.status(), syn.hops(), syn.startedAt(), syn.duration(), 0, java.util.Optional.empty(), FlowMode.PARIS, 1,
                PathContext.OFF, TraceRequest.of("198.19.0.1"), java.util.Optional.of(TcpMode.IN_CONNECTION));
        assertThat(in.tcpMode()).contains(TcpMode.IN_CONNECTION);
        assertThat(in.toString()).startsWith("trace to 198.19.0.1, TCP in a connection via linux-tcp-in-connection");
        assertThat(in.withEnrichment(in.hops(), PathContext.OFF).tcpMode()).contains(TcpMode.IN_CONNECTION);
        assertThatThrownBy(() -> new TraceResult(udp.target(), udp.destination(), ProbeProtocol.UDP, "x", udp.status(),
                udp.hops(), udp.startedAt(), udp.duration(), 0, java.util.Optional.empty(), FlowMode.PARIS, 1, PathContext.OFF,
                TraceRequest.of("198.19.0.1"), java.util.Optional.of(TcpMode.SYN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("tcpMode SYN for UDP probes");
    }

    @Test
    void durationsWhoseNanosecondsOverflowAreRejected() {
        // defect: Duration.ofDays(365 * 300) was accepted, then hung the trace (deadline) or threw a raw
        // ArithmeticException (probe timeout) in the engine
        TraceRequest.Builder b = TraceRequest.builder("198.19.0.1");
        assertThatThrownBy(() -> b.deadline(Duration.ofDays(365 * 300)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deadline must be at most 365 days");
        assertThatThrownBy(() -> b.probeTimeout(Duration.ofSeconds(9_999_999_999_999L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("probeTimeout must be at most");
        assertThat(b.deadline(TraceRequest.MAX_DURATION).build().deadline()).isEqualTo(Duration.ofDays(365));
        assertThatThrownBy(() -> b.automaticProtocol(ProbeProtocol.UDP, ProbeProtocol.UDP))
                .hasMessage("protocol UDP is listed twice");
    }

    @Test
    void everyBadValueIsRejectedAtOnceWithTheValue() {
        TraceRequest.Builder b = TraceRequest.builder("198.19.0.1");
        assertThatThrownBy(() -> b.maxTtl(0)).isInstanceOf(IllegalArgumentException.class).hasMessage("maxTtl must be 1..255, was 0");
        assertThatThrownBy(() -> b.maxTtl(256)).hasMessage("maxTtl must be 1..255, was 256");
        assertThatThrownBy(() -> b.firstTtl(0)).hasMessage("firstTtl must be 1..255, was 0");
        assertThatThrownBy(() -> b.probesPerTtl(0)).hasMessage("probesPerTtl must be 1..256, was 0");
        assertThatThrownBy(() -> b.probesPerTtl(257)).hasMessage("probesPerTtl must be 1..256, was 257");
        assertThatThrownBy(() -> b.probeTimeout(Duration.ZERO)).hasMessage("probeTimeout must be positive, was 0 ms");
        assertThatThrownBy(() -> b.probeTimeout(Duration.ofMillis(-1))).hasMessageContaining("probeTimeout must be positive");
        assertThatThrownBy(() -> b.deadline(Duration.ZERO)).hasMessageContaining("deadline must be positive");
        assertThatThrownBy(() -> b.maxInFlight(0)).hasMessage("maxInFlight must be at least 1, was 0");
        assertThatThrownBy(() -> b.destinationPort(0)).hasMessage("destinationPort must be 1..65535, was 0");
        assertThatThrownBy(() -> b.destinationPort(65536)).hasMessage("destinationPort must be 1..65535, was 65536");
        assertThatThrownBy(() -> TraceRequest.builder(" ")).hasMessage("target must not be blank");
        assertThatThrownBy(() -> TraceRequest.builder("198.19.0.1").firstTtl(10).maxTtl(5).build())
                .hasMessage("firstTtl 10 is beyond maxTtl 5");
    }

    @Test
    void tracerBuilderOptionsAreSetOnce() {
        PathTracerBuilder b = PathTracer.builder().packetsPerSecond(10).burst(5);
        assertThatThrownBy(() -> b.packetsPerSecond(20)).isInstanceOf(IllegalStateException.class)
                .hasMessage("packetsPerSecond was already set");
        assertThatThrownBy(() -> b.burst(2)).hasMessage("burst was already set");
        assertThatThrownBy(() -> PathTracer.builder().packetsPerSecond(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PathTracer.builder().burst(0)).isInstanceOf(IllegalArgumentException.class);
        PathTracerBuilder t = PathTracer.builder().preferredTransport("x");
        assertThatThrownBy(() -> t.preferredTransport("y")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void withoutAnEngineBuildSaysWhichArtifactIsMissing() {
        // the api module alone has no engine on its class path
        assertThatThrownBy(PathTracer::create).isInstanceOf(PathProbeException.class)
                .hasMessageContaining("io.pathprobe:pathprobe-core");
    }

    @Test
    void noTransportReasonsKeepTheirOrderAndCarryAKindAndAHint() {
        var rejections = new java.util.ArrayList<NoTransportAvailableException.Rejection>();
        for (String name : List.of("z-first", "a-second", "m-third", "b-fourth")) {
            rejections.add(new NoTransportAvailableException.Rejection(name,
                    NoTransportAvailableException.Reason.UNAVAILABLE, "reason of " + name));
        }
        NoTransportAvailableException e = new NoTransportAvailableException("none", rejections,
                "UDP probes are usable here: TraceRequest.Builder.protocol(UDP)");
        assertThat(e.transports()).containsExactly("z-first", "a-second", "m-third", "b-fourth");
        assertThat(e.reasons().keySet()).containsExactly("z-first", "a-second", "m-third", "b-fourth");
        assertThat(e.hint()).contains("UDP probes are usable here: TraceRequest.Builder.protocol(UDP)");
        assertThat(e.getMessage()).endsWith("- b-fourth: reason of b-fourth\nUDP probes are usable here: "
                + "TraceRequest.Builder.protocol(UDP)");
        assertThat(e.rejections().get(0).reason()).isEqualTo(NoTransportAvailableException.Reason.UNAVAILABLE);
    }

    @Test
    void noTransportMessageListsEveryTransportAndWhy() {
        NoTransportAvailableException e = new NoTransportAvailableException("no usable transport for ICMP probes",
                Map.of("linux-raw-icmp", "needs CAP_NET_RAW"));
        assertThat(e).hasMessage("no usable transport for ICMP probes:\n  - linux-raw-icmp: needs CAP_NET_RAW");
        assertThat(e.reasons()).containsEntry("linux-raw-icmp", "needs CAP_NET_RAW");
        assertThat(e.transports()).containsExactly("linux-raw-icmp");
    }

    @Test
    void hopDerivesAddressSilenceAndDestination() throws Exception {
        InetAddress r1 = InetAddress.getByName("198.18.0.2");
        ProbeResult reply = ApiFixtures.reply(1, 0, r1, Duration.ofMillis(1), new IcmpMessage(11, 0, false), false);
        ProbeResult lost = ApiFixtures.timeout(1, 1);
        Hop hop = new Hop(1, List.of(reply, lost), List.of(new Responder(r1, 1)),
                new HopStatistics(2, 1, 1, 0, Optional.empty()));
        assertThat(hop.address()).contains(r1);
        assertThat(hop.silent()).isFalse();
        assertThat(hop.isDestination()).isFalse();
        assertThat(hop.rtts()).containsExactly(Duration.ofMillis(1));
        assertThat(hop.statistics().loss()).isEqualTo(0.5);
        Hop silent = new Hop(2, List.of(lost), List.of(), new HopStatistics(1, 0, 1, 0, Optional.empty()));
        assertThat(silent.address()).isEmpty();
        assertThat(silent.silent()).isTrue();
        assertThat(silent.statistics().forwardLost()).as("unclassified losses count forward").isEqualTo(1);
        assertThat(silent.nat()).isFalse();
        assertThat(silent.natId()).isEmpty();
    }

    @Test
    void lossSplitsIntoForwardAndBackward() {
        HopStatistics s = new HopStatistics(4, 2, 2, 0, 2, 0, Optional.empty());
        assertThat(s.loss()).isEqualTo(0.5);
        assertThat(s.backwardLoss()).isEqualTo(0.5);
        assertThat(s.forwardLoss()).isZero();
        assertThatThrownBy(() -> new HopStatistics(4, 2, 2, 1, 0, 0, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("forwardLost");
    }

    @Test
    void hopNatIdIsTheMostCommonAndTheTextMarksANat() throws Exception {
        InetAddress r1 = InetAddress.getByName("198.18.0.2");
        ProbeResult a = withNatId(ApiFixtures.reply(2, 0, r1, Duration.ofMillis(1), new IcmpMessage(11, 0, false), false), 7);
        ProbeResult b = withNatId(ApiFixtures.reply(2, 1, r1, Duration.ofMillis(1), new IcmpMessage(11, 0, false), false), 7);
        ProbeResult c = withNatId(ApiFixtures.reply(2, 2, r1, Duration.ofMillis(1), new IcmpMessage(11, 0, false), false), 9);
        Hop hop = new Hop(2, List.of(a, b, c), List.of(new Responder(r1, 3)),
                new HopStatistics(3, 3, 0, 0, Optional.empty()), true);
        assertThat(hop.natId()).hasValue(7);
        assertThat(hop.toString()).endsWith("[NAT]");
    }

    private static ProbeResult withNatId(ProbeResult p, int natId) {
        return new ProbeResult(p.ttl(), p.attempt(), p.status(), p.responder(), p.rtt(), p.icmp(), p.fromDestination(),
                p.failure(), p.replyTtl(), p.mplsLabels(), java.util.OptionalInt.of(0), java.util.OptionalInt.of(natId), java.util.Optional.empty(), java.util.List.of(), java.util.List.of(), java.util.Optional.empty());
    }

    @Test
    void theFourRequestsShareOneVocabulary() throws Exception {
        // issue 23: the same builder entry and option names across the calls
        PingRequest p = PingRequest.builder("198.18.0.9", "198.18.0.10").probeTimeout(Duration.ofMillis(500))
                .destinationPort(4000).kind(PingKind.UDP).build();
        assertThat(p.targets()).containsExactly("198.18.0.9", "198.18.0.10");
        assertThat(p.probeTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(p.destinationPort()).isEqualTo(4000);
        assertThat(PingRequest.builder(java.net.InetAddress.getByName("198.18.0.9")).build().address(0)).isPresent();
        assertThat(TraceRequest.builder("198.18.0.9").probeTimeout(Duration.ofMillis(500)).destinationPort(4000).build()
                .probeTimeout()).isEqualTo(p.probeTimeout());
        assertThat(MultipathRequest.builder("198.18.0.9").probeTimeout(Duration.ofMillis(500)).destinationPort(4000)
                .build().probeTimeout()).isEqualTo(p.probeTimeout());
        assertThatThrownBy(() -> PingRequest.builder("x").probeTimeout(Duration.ZERO))
                .hasMessage("probeTimeout must be positive, was 0 ms");
        MultipathNode n = new MultipathNode(3, java.util.Optional.empty(), 0, java.util.List.of(), true,
                LoadBalancing.PER_FLOW, java.util.Optional.empty());
        assertThat(n.isDestination()).isEqualTo(n.destination()).isTrue();
    }

    @Test
    void asLookupsAreOptInAndExcludeAResolverAndOffline() {
        // builder checks only: build() is never called, nothing is looked up
        io.pathprobe.spi.AsnResolver mine = new io.pathprobe.spi.AsnResolver() {
            @Override
            public String name() {
                return "mine";
            }

            @Override
            public java.util.concurrent.CompletableFuture<Answer> lookup(java.net.InetAddress address) {
                return new java.util.concurrent.CompletableFuture<>();
            }
        };
        assertThatThrownBy(() -> PathTracer.builder().teamCymruAsnLookups().asnResolver(mine))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("exclude each other");
        assertThatThrownBy(() -> PathTracer.builder().asnResolver(mine).teamCymruAsnLookups())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("exclude each other");
        assertThatThrownBy(() -> PathTracer.builder().teamCymruAsnLookups().offline())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("teamCymruAsnLookups");
        assertThatThrownBy(() -> PathTracer.builder().offline().teamCymruAsnLookups())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("offline");
        assertThatThrownBy(() -> PathTracer.builder().teamCymruAsnLookups().teamCymruAsnLookups())
                .isInstanceOf(IllegalStateException.class);
    }
}
