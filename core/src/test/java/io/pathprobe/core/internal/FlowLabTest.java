package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.enrich.Responder;
import io.pathprobe.lab.CapturedPacket;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.NatKind;
import io.pathprobe.lab.PacketCapture;
import io.pathprobe.lab.runner.Traceroute;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 6 on real kernel routers: every Linux transport against traceroute on a dual-stack chain
 * with silent hops, Paris / classic / many flows through ECMP diamonds (Linux's L4 hash and a router
 * hashing the first 4 transport bytes), the flow on the wire packet by packet, NAT detection, and
 * forward vs backward loss at a rate-limited router. Each lab is built in the test JVM's own
 * namespace, one at a time.
 */
@LabTest
class FlowLabTest {

    /** The transports, their protocol, and whether they claim each flow policy. */
    private enum Kind {
        ICMP_DGRAM("linux-icmp-dgram", ProbeProtocol.ICMP, "-I", true, true),
        RAW_ICMP("linux-raw-icmp", ProbeProtocol.ICMP, "-I", false, true),
        UDP_RECVERR("linux-udp-recverr", ProbeProtocol.UDP, "-U", true, true),
        RAW_UDP("linux-raw-udp", ProbeProtocol.UDP, "-U", true, true),
        TCP_CONNECT("linux-tcp-connect", ProbeProtocol.TCP, "-T", true, false),
        RAW_TCP("linux-raw-tcp", ProbeProtocol.TCP, "-T", true, true);

        final String transport;
        final ProbeProtocol protocol;
        final String tracerouteFlag;
        final boolean classic;
        final boolean explicit;

        Kind(String transport, ProbeProtocol protocol, String tracerouteFlag, boolean classic, boolean explicit) {
            this.transport = transport;
            this.protocol = protocol;
            this.tracerouteFlag = tracerouteFlag;
            this.classic = classic;
            this.explicit = explicit;
        }
    }

    private static TraceResult trace(Kind kind, TraceRequest.Builder request) {
        try (PathTracer t = PathTracer.builder().offline().preferredTransport(kind.transport).packetsPerSecond(0).build()) {
            TraceResult r = t.trace(request.protocol(kind.protocol).build());
            assertThat(r.transport()).as("the transport asked for").isEqualTo(kind.transport);
            return r;
        }
    }

    private static List<Optional<InetAddress>> path(TraceResult r) {
        return r.hops().stream().map(Hop::address).toList();
    }

    private static Set<InetAddress> responders(TraceResult r, int ttl) {
        return r.hop(ttl).orElseThrow().responders().stream().map(Responder::address).collect(Collectors.toSet());
    }

    // ---- the chain: every protocol and transport, IPv4 and IPv6, against traceroute --------------

    @ParameterizedTest(name = "{0} IPv6={1}")
    @CsvSource({"ICMP_DGRAM, false", "RAW_ICMP, false", "UDP_RECVERR, false", "RAW_UDP, false", "TCP_CONNECT, false",
            "RAW_TCP, false", "ICMP_DGRAM, true", "RAW_ICMP, true", "UDP_RECVERR, true", "RAW_UDP, true",
            "TCP_CONNECT, true", "RAW_TCP, true"})
    void theHopsOfEveryTransportEqualTracerouteOnAChainWithSilentHops(Kind kind, boolean ipv6) {
        try (Lab lab = Lab.chain(12).silentHops(4, 9).ipv6().icmpUnlimited("every transport's hops compared with traceroute's on the same lab, probe for probe").inCurrentNamespace().build()) {
            InetAddress dest = ipv6 ? lab.destination6() : lab.destination();
            TraceResult r = trace(kind, TraceRequest.builder(dest));
            List<String> options = new ArrayList<>(List.of("-n", kind.tracerouteFlag));
            if (ipv6) {
                options.add("-6");
            }
            assertThat(r.destinationReached()).as(r.toString()).isTrue();
            assertThat(r.flowMode()).isEqualTo(FlowMode.PARIS);
            assertThat(path(r)).as(r.toString()).isEqualTo(Traceroute.run(options, dest))
                    .isEqualTo(ipv6 ? lab.expectedPath6() : lab.expectedPath());
            assertThat(r.hops()).filteredOn(h -> !h.silent()).allSatisfy(h -> assertThat(h.statistics().received())
                    .as("answers at hop %d of%n%s", h.ttl(), r).isEqualTo(3));
            assertThat(r.hops()).filteredOn(Hop::silent).allSatisfy(h -> assertThat(h.statistics().rateLimited())
                    .as("a silent router forwards: its silence, not loss (issue 47)").isEqualTo(3));
            assertThat(r.unmatchedReplies()).isZero();
            assertThat(r.natHops()).as("no NAT on this path").isEmpty();
        }
    }

    // ---- ECMP diamonds ----------------------------------------------------------------------------

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {4, 8})
    void throughARouterHashingTheFirst4BytesParisTakesOneBranchClassicSeveralAndManyFlowsAll(int width) {
        diamond(width, EcmpHash.FIRST_4_BYTES, Kind.values());
    }

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {4, 8})
    void throughLinuxL4HashingTheSameHoldsForUdpAndTcp(int width) {
        diamond(width, EcmpHash.LINUX_L4, Kind.UDP_RECVERR, Kind.RAW_UDP, Kind.TCP_CONNECT, Kind.RAW_TCP);
    }

    private static void diamond(int width, EcmpHash hash, Kind... kinds) {
        try (Lab lab = Lab.diamond(width, hash).icmpUnlimited("every transport's hops compared with traceroute's on the same lab, probe for probe").inCurrentNamespace().build()) {
            int branch = lab.ecmpTtl().orElseThrow();
            Set<InetAddress> branches = lab.expectedResponders(branch);
            assertThat(branches).hasSize(width);
            for (Kind kind : kinds) {
                TraceResult paris = trace(kind, TraceRequest.builder(lab.destination()).probesPerTtl(30));
                assertThat(paris.hops()).as("%s Paris, one responder per TTL:%n%s", kind, paris)
                        .allSatisfy(h -> assertThat(h.responders()).hasSize(1));
                assertThat(branches).as("%s Paris", kind).containsAll(responders(paris, branch));
                assertThat(paris.destinationReached()).isTrue();

                if (kind.classic) {
                    TraceResult classic = trace(kind, TraceRequest.builder(lab.destination()).probesPerTtl(30)
                            .flowMode(FlowMode.CLASSIC));
                    assertThat(responders(classic, branch)).as("%s classic:%n%s", kind, classic).hasSizeGreaterThan(1);
                    assertThat(branches).containsAll(responders(classic, branch));
                }
                if (kind.explicit) {
                    // 128 flows miss one of 8 uniformly hashed branches with probability 8 * (7/8)^128 < 1e-6;
                    // 16 flows would miss one about 2 times in 3 (that is what MDA's stopping rule is for)
                    TraceResult many = trace(kind, TraceRequest.builder(lab.destination()).probesPerTtl(128)
                            .flows(128));
                    assertThat(many.flows()).isEqualTo(128);
                    assertThat(responders(many, branch)).as("%s 128 flows:%n%s", kind, many).isEqualTo(branches);
                    assertThat(many.hop(branch).orElseThrow().probes()).allSatisfy(p -> assertThat(p.flow())
                            .hasValue(p.attempt() % 128));
                }
            }
        }
    }

    /**
     * Issue 21: {@code flows(16)} traces every flow at every TTL, 20 times in a row on one 4-wide
     * diamond. What is always true, checked in every run: each TTL gets exactly one probe of each of
     * the 16 flows and every one is answered; before and after the diamond the one router; at the
     * diamond's TTL a branch router, and the set of branches seen is exactly the set of branch
     * routers the probes expiring there went through (an nftables counter in each branch router
     * counts the host's packets arriving with TTL 1). Whether 16 flows cover all 4 branches depends
     * on the hash: the ICMP flows' hashed bytes are fixed (type, code, a checksum equal to the flow
     * number) and so is the balancer's seed, so for ICMP the branches seen are the same in every run
     * and are asserted to be all 4; UDP and TCP flows also hash the session's source port, which may
     * change from run to run (16 uniformly hashed flows miss one of 4 branches about 4 % of the
     * time, see TraceRequest.Builder#flows), so for them the test counts the runs that saw every
     * branch and prints it.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ICMP_DGRAM", "RAW_ICMP", "UDP_RECVERR", "RAW_UDP", "RAW_TCP"})
    void sixteenFlowsTraceEveryFlowAtEveryTtlOfAFourWideDiamond(Kind kind) throws Exception {
        try (Lab lab = Lab.diamond(4, EcmpHash.FIRST_4_BYTES).icmpUnlimited("every transport's hops compared with traceroute's on the same lab, probe for probe").inCurrentNamespace().build()) {
            int diamond = lab.ecmpTtl().orElseThrow();
            List<InetAddress> branchAddresses = new ArrayList<>();
            for (int k = 1; k <= 4; k++) {
                branchAddresses.add(InetAddress.getByName("198.18.4." + (4 * k - 2)));
                nft(lab.namespace(diamond, k), "add table ip pathprobe_expiring\n"
                        + "add chain ip pathprobe_expiring c { type filter hook prerouting priority -300; policy accept; }\n"
                        + "add rule ip pathprobe_expiring c ip saddr " + lab.hostAddress().getHostAddress()
                        + " ip ttl 1 counter\n");
            }
            assertThat(Set.copyOf(branchAddresses)).isEqualTo(lab.expectedResponders(diamond));
            long[] before = new long[4];
            int everyBranch = 0;
            Set<List<InetAddress>> icmpMappings = new HashSet<>();
            for (int run = 0; run < 20; run++) {
                TraceResult r = trace(kind, TraceRequest.builder(lab.destination()).flows(16));
                assertThat(r.flows()).isEqualTo(16);
                assertThat(r.destinationReached()).as("run %d:%n%s", run, r).isTrue();
                assertThat(r.hops()).extracting(Hop::ttl).as("run %d:%n%s", run, r).containsExactly(1, 2, 3, 4);
                for (Hop h : r.hops()) {
                    assertThat(h.probes()).as("run %d hop %d: one probe per flow:%n%s", run, h.ttl(), r).hasSize(16);
                    assertThat(h.probes().stream().map(p -> p.flow().orElse(-1)).collect(Collectors.toSet()))
                            .as("run %d hop %d", run, h.ttl()).hasSize(16).allMatch(f -> f >= 0 && f < 16);
                    assertThat(h.probes()).as("run %d hop %d: every flow answered:%n%s", run, h.ttl(), r)
                            .allSatisfy(p -> assertThat(p.answered()).isTrue());
                    if (h.ttl() != diamond) {
                        assertThat(responders(r, h.ttl())).as("run %d hop %d", run, h.ttl())
                                .isEqualTo(lab.expectedResponders(h.ttl()));
                    }
                }
                Set<InetAddress> expiredAt = new HashSet<>();
                for (int k = 0; k < 4; k++) {
                    long now = counter(lab.namespace(diamond, k + 1));
                    if (now > before[k]) {
                        expiredAt.add(branchAddresses.get(k));
                    }
                    before[k] = now;
                }
                assertThat(responders(r, diamond)).as("run %d: the branches seen are those the probes expiring at TTL %d "
                        + "went through:%n%s", run, diamond, r).isEqualTo(expiredAt);
                if (expiredAt.size() == 4) {
                    everyBranch++;
                }
                if (kind.protocol == ProbeProtocol.ICMP) {
                    icmpMappings.add(r.hop(diamond).orElseThrow().probes().stream()
                            .sorted(java.util.Comparator.comparingInt(p -> p.flow().getAsInt()))
                            .map(p -> p.responder().orElseThrow()).toList());
                }
            }
            System.out.printf("%s: flows(16) saw all 4 branches in %d of 20 runs%n", kind, everyBranch);
            if (kind.protocol == ProbeProtocol.ICMP) {
                assertThat(icmpMappings).as("an ICMP flow takes the same branch every time").hasSize(1);
                assertThat(everyBranch).as("these 16 ICMP flows cover the 4 branches, every time").isEqualTo(20);
            }
        }
    }

    private static void nft(String namespace, String commands) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", namespace, "nft", "-f", "-").redirectErrorStream(true).start();
        p.getOutputStream().write(commands.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("nft in %s: %s", namespace, out).isZero();
    }

    private static long counter(String namespace) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", namespace, "nft", "list", "table", "ip", "pathprobe_expiring")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("nft list in %s: %s", namespace, out).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Long.parseLong(m.group(1));
    }

    // ---- the flow on the wire ---------------------------------------------------------------------

    @ParameterizedTest(name = "{0} IPv6={1}")
    @CsvSource({"ICMP_DGRAM, false", "RAW_ICMP, false", "UDP_RECVERR, false", "RAW_UDP, false", "TCP_CONNECT, false",
            "RAW_TCP, false", "ICMP_DGRAM, true", "RAW_ICMP, true", "UDP_RECVERR, true", "RAW_UDP, true",
            "TCP_CONNECT, true", "RAW_TCP, true"})
    void everyProbeOfAParisFlowCarriesIdenticalHashedBytes(Kind kind, boolean ipv6) throws Exception {
        try (Lab lab = Lab.chain(5).ipv6().icmpUnlimited("every transport's hops compared with traceroute's on the same lab, probe for probe").inCurrentNamespace().build()) {
            InetAddress dest = ipv6 ? lab.destination6() : lab.destination();
            InetAddress host = ipv6 ? lab.hostAddress6() : lab.hostAddress();
            String filter = (ipv6 ? "ip6" : "ip") + " and src host " + host.getHostAddress();
            java.util.concurrent.atomic.AtomicReference<TraceResult> traced = new java.util.concurrent.atomic.AtomicReference<>();
            PacketCapture.Capture c = PacketCapture.during("", lab.hostInterface(), filter,
                    () -> traced.set(trace(kind, TraceRequest.builder(dest).probesPerTtl(10))));
            int protocol = switch (kind.protocol) {
                case ICMP -> ipv6 ? 58 : 1;
                case UDP -> 17;
                case TCP -> 6;
            };
            List<CapturedPacket> probes = c.packets().stream().filter(p -> p.protocol() == protocol)
                    .filter(p -> kind.protocol != ProbeProtocol.TCP || p.tcpFlags().orElse(0) == 0x02) // SYNs
                    .filter(p -> kind.protocol != ProbeProtocol.ICMP || p.icmpType().orElse(-1) == (ipv6 ? 128 : 8))
                    .toList();
            // a whole trace takes about 2 ms here; tcpdump sometimes misses some of such a burst, so
            // this asks for the first round (TTLs 1 to 30) and not for every probe
            assertThat(probes).as("probes captured, of%n%s", traced.get()).hasSizeGreaterThanOrEqualTo(30);
            Set<String> hashed = new HashSet<>();
            Set<Integer> labels = new HashSet<>();
            for (CapturedPacket p : probes) {
                hashed.add(Arrays.toString(Arrays.copyOf(p.firstTransportBytes(), 4)));
                p.flowLabel().ifPresent(labels::add);
            }
            assertThat(hashed).as("%s: the first 4 transport bytes (ports; ICMP type, code, checksum)", kind)
                    .hasSize(1);
            if (ipv6) {
                assertThat(labels).as("%s: the IPv6 flow label", kind).hasSize(1);
            }
            if (kind.protocol == ProbeProtocol.UDP) {
                Set<Integer> checksums = probes.stream().map(p -> p.transportChecksum().orElseThrow())
                        .collect(Collectors.toSet());
                assertThat(checksums).as("the probe number rides in the UDP checksum").hasSize(probes.size());
                assertThat(probes).allSatisfy(p -> assertThat(p.transportChecksumOk()).contains(true));
            }
        }
    }

    // ---- NAT ----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "NAT at hop {0}")
    @ValueSource(ints = {1, 3})
    void aQuotePreservingNatIsFoundWhereTheQuotedChecksumChanges(int hop) {
        try (Lab lab = Lab.chain(6).natAt(hop, NatKind.QUOTE_PRESERVING).icmpUnlimited("every transport's hops compared with traceroute's on the same lab, probe for probe").inCurrentNamespace()
                .build()) {
            for (Kind kind : List.of(Kind.RAW_UDP, Kind.RAW_TCP)) {
                TraceResult r = trace(kind, TraceRequest.builder(lab.destination()));
                assertThat(path(r)).as("%s:%n%s", kind, r).isEqualTo(lab.expectedPath());
                assertThat(r.natHops()).extracting(Hop::ttl).as("%s: the first translated hop follows the NAT "
                        + "router at %d:%n%s", kind, hop, r).containsExactly(hop + 1);
                assertThat(r.hops()).allSatisfy(h -> assertThat(h.statistics().received()).as("%s hop %d", kind,
                        h.ttl()).isEqualTo(3));
            }
            for (Kind kind : List.of(Kind.UDP_RECVERR, Kind.ICMP_DGRAM)) {
                // UDP through IP_RECVERR sees no quoted checksum; an ICMP echo checksum has no
                // pseudo-header, so an address-only NAT leaves it as sent: neither reports a NAT,
                // and Paris UDP still matches every answer
                TraceResult r = trace(kind, TraceRequest.builder(lab.destination()));
                assertThat(path(r)).as("%s:%n%s", kind, r).isEqualTo(lab.expectedPath());
                assertThat(r.natHops()).as(kind.toString()).isEmpty();
                assertThat(r.hops()).allSatisfy(h -> assertThat(h.statistics().received()).isEqualTo(3));
            }
        }
    }

    @ParameterizedTest(name = "masquerade at hop {0}")
    @ValueSource(ints = {1, 3})
    void aConntrackNatRestoresTheQuoteAndParisUdpStillMatchesEveryAnswer(int hop) {
        try (Lab lab = Lab.chain(6).natAt(hop, NatKind.MASQUERADE).icmpUnlimited("every transport's hops compared with traceroute's on the same lab, probe for probe").inCurrentNamespace().build()) {
            for (Kind kind : List.of(Kind.UDP_RECVERR, Kind.RAW_UDP, Kind.RAW_TCP, Kind.ICMP_DGRAM)) {
                TraceResult r = trace(kind, TraceRequest.builder(lab.destination()));
                assertThat(path(r)).as("%s:%n%s", kind, r).isEqualTo(lab.expectedPath());
                assertThat(r.hops()).allSatisfy(h -> assertThat(h.statistics().received()).isEqualTo(3));
                assertThat(r.natHops()).as("%s: Linux NAT restores the quote, checksum included", kind).isEmpty();
            }
        }
    }

    // ---- forward vs backward loss -------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ICMP_DGRAM", "UDP_RECVERR"})
    void aRateLimitedRoutersLossIsBackwardNotForward(Kind kind) {
        try (Lab lab = Lab.chain(6).icmpUnlimited("every transport's hops compared with traceroute's on the same lab, probe for probe").icmpRateLimitedHop(3, Duration.ofSeconds(1), 1, 2)
                .inCurrentNamespace().build()) {
            TraceResult r = trace(kind, TraceRequest.builder(lab.destination()).probesPerTtl(10));
            HopStatistics limited = r.hop(3).orElseThrow().statistics();
            // what the limiter refused is RATE_LIMITED once the engine has learned it (a burst, then
            // refusals), a backward loss before that (later hops answered): never a forward loss
            assertThat(limited.rateLimited() + limited.lost()).as("the rate limit drops answers:%n%s", r).isPositive();
            assertThat(limited.backwardLost()).as(r.toString()).isEqualTo(limited.lost());
            assertThat(limited.forwardLost()).isZero();
            Function<Integer, HopStatistics> at = ttl -> r.hop(ttl).orElseThrow().statistics();
            for (int ttl : new int[] {1, 2, 4, 5, 6}) {
                assertThat(at.apply(ttl).lost()).as("hop %d:%n%s", ttl, r).isZero();
            }
        }
    }
}
