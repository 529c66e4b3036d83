package io.pathprobe.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.lab.runner.Ping;
import io.pathprobe.lab.runner.Scamper;
import io.pathprobe.lab.runner.Traceroute;
import io.pathprobe.lab.topology.NatRouter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The lab's shapes beyond a plain IPv4 chain, each checked with Linux traceroute from the lab's host. */
@LabTest
class LabShapesTest {

    private static Lab timedBuild(String what, Supplier<LabBuilder> builder) {
        long t0 = System.nanoTime();
        Lab lab = builder.get().build();
        System.out.printf(Locale.ROOT, "%s: built in %.0f ms%n", what, (System.nanoTime() - t0) / 1e6);
        return lab;
    }

    @Test
    void everyShapeBuildsAndTearsDownQuicklyLeavingNothing() {
        List<Supplier<LabBuilder>> shapes = List.of(
                () -> Lab.chain(8).ipv6().silentHops(3),
                () -> Lab.diamond(2, EcmpHash.LINUX_L4),
                () -> Lab.diamond(4, EcmpHash.FIRST_4_BYTES).ipv6(),
                () -> Lab.chain(7).ecmp(3, 8, EcmpHash.LINUX_L4).ipv6(),
                () -> Lab.chain(7).ecmp(3, 8, EcmpHash.FIRST_4_BYTES),
                () -> Lab.chain(4).natAt(1, NatKind.MASQUERADE),
                () -> Lab.chain(6).natAt(3, NatKind.MASQUERADE).ipv6(),
                () -> Lab.chain(5).rejectUdpAt(2).ipv6(),
                () -> Lab.chain(3).tcpListener(8080).ipv6(),
                () -> Lab.chain(3).dropToDestination(30).dropFromDestination(5).duplicateFromDestination().ipv6(),
                () -> Lab.diamond(2, EcmpHash.FIRST_4_BYTES).dropAtRouter(2, 10),
                () -> Lab.chain(2).dnsServer().httpServer(8080).ipv6(),
                () -> Lab.chain(4).icmpUnlimited("each shape's every router answer is checked").icmpRateLimitedHop(2, Duration.ofSeconds(1), 10, 5),
                () -> Lab.chain(3).destinationAliases(1000),
                () -> Lab.diamond(16, EcmpHash.LINUX_L4).ipv6(),
                () -> Lab.nestedDiamond(4, 4, EcmpHash.LINUX_L4).ipv6(),
                () -> Lab.asymmetricDiamond(EcmpHash.LINUX_L4),
                () -> Lab.meshedDiamond(2, EcmpHash.FIRST_4_BYTES).ipv6(),
                () -> Lab.diamond(4, EcmpHash.PER_PACKET).ipv6(),
                () -> Lab.diamond(4, EcmpHash.LINUX_L4).dropAtBranch(2, 3, 30),
                () -> Lab.chain(4).bottleneck(2, 16_000, Duration.ofMillis(500)).ipv6());
        for (Supplier<LabBuilder> shape : shapes) {
            String what = shape.get().settings().toString();
            long t0 = System.nanoTime();
            Lab lab = shape.get().build();
            long built = System.nanoTime();
            lab.close();
            long closed = System.nanoTime();
            System.out.printf(Locale.ROOT, "%s: build %.0f ms, close %.0f ms%n", lab, (built - t0) / 1e6,
                    (closed - built) / 1e6);
            // liveness only: the build time is the benchmark's figure (build/bench lab)
            assertThat(Duration.ofNanos(built - t0)).as("building %s", what).isLessThan(Duration.ofSeconds(30));
            assertThat(Processes.ourNamespaces()).as("after %s", what).isEmpty();
        }
    }

    @Test
    void ipv6ChainWithSilentHopsShowsTheExpectedPathOverBothFamilies() {
        try (Lab lab = timedBuild("ipv6 chain", () -> Lab.chain(8).ipv6().silentHops(3, 5).icmpUnlimited("each shape's every router answer is checked"))) {
            assertThat(lab.expectedPath6().get(0)).contains(Addressing.inet6("2001:db8:1:0::2"));
            assertThat(lab.expectedPath6().get(2)).isEmpty();
            assertThat(lab.expectedPath6().get(7)).contains(lab.destination6());
            for (String protocol : List.of("-I", "-U")) {
                Traceroute.Result r = Traceroute.trace(lab, List.of("-6", protocol), lab.destination6());
                assertThat(r.path()).as("traceroute -6 %s:%n%s", protocol, r.output()).isEqualTo(lab.expectedPath6());
            }
            // the same lab over IPv4
            assertThat(Traceroute.run(lab, List.of("-I"), lab.destination())).isEqualTo(lab.expectedPath());
            String dad = Processes.output(lab.command(2, List.of("ip", "-6", "addr", "show", "dev", "uplink")));
            assertThat(dad).contains("2001:db8:1:1::2/64").doesNotContain("tentative");
        }
    }

    @Test
    void ipv6IcmpRateLimitsArePerNamespaceLikeIpv4s() {
        try (Lab limited = Lab.chain(3).ipv6().icmpRateLimit(Duration.ofSeconds(1)).build();
                Lab unlimited = Lab.chain(3).ipv6().icmpUnlimited("the unlimited lab beside a limited one").build()) {
            assertThat(Processes.output(limited.command(1, List.of("cat", "/proc/sys/net/ipv6/icmp/ratelimit"))).strip())
                    .isEqualTo("1000");
            for (int i = 0; i < 2; i++) {
                Traceroute.trace(limited, List.of("-6", "-I"), limited.destination6());
            }
            Traceroute.Result third = Traceroute.trace(limited, List.of("-6", "-I"), limited.destination6());
            assertThat(third.hops().subList(0, 2)).anySatisfy(h -> assertThat(h.probes()).contains(Traceroute.Probe.LOST));
            for (int i = 0; i < 5; i++) {
                Traceroute.Result r = Traceroute.trace(unlimited, List.of("-6", "-I"), unlimited.destination6());
                assertThat(r.hops()).allSatisfy(h -> assertThat(h.probes()).allMatch(Traceroute.Probe::answered));
            }
        }
    }

    /** Every address traceroute saw at {@code ttl}. */
    private static Set<InetAddress> seenAt(Traceroute.Result r, int ttl) {
        return new HashSet<>(r.hop(ttl).orElseThrow().addresses());
    }

    /**
     * The responders at TTL 2 over two traceroute runs of 10 probes a hop (traceroute's most): on a diamond of two
     * branches all 10 of one run take one branch by chance once in 512 runs (ci6 met it), all 20 once in 2^19.
     */
    private static Set<InetAddress> spreadAt2(Lab lab, List<String> args, StringBuilder outputs) {
        Set<InetAddress> seen = new HashSet<>();
        for (int run = 0; run < 2; run++) {
            Traceroute.Result r = Traceroute.trace(lab, args, lab.destination());
            assertThat(r.reached(lab.destination())).as(r.output()).isTrue();
            outputs.append(r.output());
            seen.addAll(seenAt(r, 2));
        }
        return seen;
    }

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {2, 4, 8})
    void linuxL4DiamondSpreadsUdpFlowsButNeverIcmp(int width) {
        try (Lab lab = timedBuild("L4 diamond " + width, () -> Lab.diamond(width, EcmpHash.LINUX_L4).icmpUnlimited("each shape's every router answer is checked"))) {
            Set<InetAddress> middles = lab.expectedResponders(2);
            assertThat(middles).hasSize(width);
            assertThatThrownBy(lab::expectedPath).isInstanceOf(IllegalStateException.class);
            // classic UDP traceroute: a new port per probe, so a new flow per probe
            StringBuilder outputs = new StringBuilder();
            assertThat(spreadAt2(lab, List.of("-U", "-q", "10", "-N", "40"), outputs)).as("%s", outputs)
                    .isSubsetOf(middles).hasSizeGreaterThan(1);
            Traceroute.Result udp = Traceroute.trace(lab, List.of("-U", "-q", "10", "-N", "40"), lab.destination());
            assertThat(seenAt(udp, 1)).isEqualTo(lab.expectedResponders(1));
            assertThat(seenAt(udp, 3)).isEqualTo(lab.expectedResponders(3));
            // ICMP: Linux ignores identifier and checksum, one branch only
            Traceroute.Result icmp = Traceroute.trace(lab, List.of("-I", "-q", "10", "-N", "40"), lab.destination());
            assertThat(seenAt(icmp, 2)).as(icmp.output()).hasSize(1).isSubsetOf(middles);
        }
    }

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {2, 4, 8})
    void firstFourBytesDiamondSpreadsIcmpEchoByChecksum(int width) {
        try (Lab lab = timedBuild("first-4 diamond " + width, () -> Lab.diamond(width, EcmpHash.FIRST_4_BYTES).icmpUnlimited("each shape's every router answer is checked"))) {
            Set<InetAddress> middles = lab.expectedResponders(2);
            // traceroute -I: the sequence number changes per probe, and with it the checksum
            StringBuilder outputs = new StringBuilder();
            assertThat(spreadAt2(lab, List.of("-I", "-q", "10", "-N", "40"), outputs)).as("%s", outputs)
                    .isSubsetOf(middles).hasSizeGreaterThan(1);
            assertThat(spreadAt2(lab, List.of("-U", "-q", "10", "-N", "40"), outputs)).as("%s", outputs)
                    .isSubsetOf(middles).hasSizeGreaterThan(1);
        }
    }

    @Test
    void aConstantFirstFourBytesFlowStaysOnOneBranch() {
        try (Lab lab = Lab.diamond(8, EcmpHash.FIRST_4_BYTES).icmpUnlimited("each shape's every router answer is checked").build()) {
            // traceroute -U --sport -p: both ports fixed, one flow (the UDP checksum, which changes, is not hashed)
            Set<InetAddress> seen = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                Traceroute.Result r = Traceroute.trace(lab, List.of("-U", "--sport=" + (40000 + i), "-p", "33434", "-q", "10", "-f", "2", "-m", "2"),
                        lab.destination());
                assertThat(seenAt(r, 2)).as(r.output()).hasSize(1);
                seen.addAll(seenAt(r, 2));
            }
            assertThat(seen).isSubsetOf(lab.expectedResponders(2));
        }
    }

    @Test
    void ipv6DiamondsSpreadToo() {
        try (Lab l4 = Lab.diamond(4, EcmpHash.LINUX_L4).ipv6().icmpUnlimited("each shape's every router answer is checked").build()) {
            Traceroute.Result r = Traceroute.trace(l4, List.of("-6", "-U", "-q", "10", "-N", "40"), l4.destination6());
            assertThat(seenAt(r, 2)).as(r.output()).isSubsetOf(l4.expectedResponders6(2)).hasSizeGreaterThan(1);
            assertThat(r.reached(l4.destination6())).isTrue();
        }
        try (Lab first4 = Lab.diamond(4, EcmpHash.FIRST_4_BYTES).ipv6().icmpUnlimited("each shape's every router answer is checked").build()) {
            Traceroute.Result r = Traceroute.trace(first4, List.of("-6", "-I", "-q", "10", "-N", "40"), first4.destination6());
            assertThat(seenAt(r, 2)).as(r.output()).isSubsetOf(first4.expectedResponders6(2)).hasSizeGreaterThan(1);
        }
    }

    @Test
    void middleRoutersAnswerFromTheirLinkTowardTheBranchingRouter() throws Exception {
        try (Lab lab = Lab.chain(6).ecmp(3, 4, EcmpHash.LINUX_L4).build()) {
            assertThat(lab.namespaces(3)).hasSize(4).allMatch(ns -> ns.matches(lab.name() + "-r3b[1-4]"));
            assertThat(lab.expectedResponders(3)).containsExactly(InetAddress.getByName("198.18.4.2"),
                    InetAddress.getByName("198.18.4.6"), InetAddress.getByName("198.18.4.10"),
                    InetAddress.getByName("198.18.4.14"));
            String addr = Processes.output(lab.command(3, 2, List.of("ip", "-4", "-o", "addr", "show", "dev", "uplink")));
            assertThat(addr).contains("198.18.4.6/30");
            assertThatThrownBy(() -> lab.namespace(3)).isInstanceOf(IllegalArgumentException.class);
            assertThat(Lab.reapStale()).isGreaterThanOrEqualTo(0); // our own live names are not stale
            assertThat(Processes.ourNamespaces()).hasSize(10);
        }
        assertThat(Processes.ourNamespaces()).isEmpty();
    }

    /**
     * The nodes at every TTL and the links between them are the lab's ({@link Lab#expectedLinks()}):
     * nothing scamper finds is unexpected, it finds a node at every TTL and the fabric's branching.
     * Not every node: scamper stops at 99 % per node, so it misses one now and then (a run found 2
     * of the asymmetric diamond's 3 nodes at TTL 3); finding all of them is pathprobe's job, asserted
     * at 99.9 % in {@code MultipathLabTest}.
     */
    /** Whether scamper saw more than one node at a TTL where the lab branches. */
    private static boolean branches(Lab lab, Scamper.Result r, boolean v6) {
        for (int ttl = 1; ttl <= lab.hops(); ttl++) {
            Set<InetAddress> expected = v6 ? lab.expectedResponders6(ttl) : lab.expectedResponders(ttl);
            if (expected.size() > 1 && r.nodesAt(ttl).size() > 1) {
                return true;
            }
        }
        return false;
    }

    private static void assertScamperFindsTheExpectedTopology(Lab lab, Scamper.Result r, boolean v6) {
        for (int ttl = 1; ttl <= lab.hops(); ttl++) {
            Set<InetAddress> expected = v6 ? lab.expectedResponders6(ttl) : lab.expectedResponders(ttl);
            assertThat(r.nodesAt(ttl)).as("TTL %d: %s", ttl, r).isNotEmpty().isSubsetOf(expected);
        }
        assertThat(branches(lab, r, v6)).as("scamper saw the fabric branch (in one of three runs): %s", r).isTrue();
        Set<Scamper.Link> expected = new HashSet<>();
        (v6 ? lab.expectedLinks6() : lab.expectedLinks()).forEach(l -> expected.add(new Scamper.Link(l.ttl(), l.from(), l.to())));
        // scamper only reports links its flows took, and it sends few flows toward merging nodes
        assertThat(expected).as("%s", r).containsAll(r.links());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nested 2 3", "asymmetric", "meshed 2", "meshed 2 IPv6", "nested 2 3 IPv6", "diamond 16"})
    void fabricShapesAreWhatScamperTracelbFinds(String shape) {
        Supplier<LabBuilder> builder = switch (shape) {
            case "nested 2 3" -> () -> Lab.nestedDiamond(2, 3, EcmpHash.LINUX_L4);
            case "asymmetric" -> () -> Lab.asymmetricDiamond(EcmpHash.LINUX_L4);
            case "meshed 2" -> () -> Lab.meshedDiamond(2, EcmpHash.LINUX_L4);
            // routers with several links toward the host answer ICMPv6 from one address, as over IPv4
            case "meshed 2 IPv6" -> () -> Lab.meshedDiamond(2, EcmpHash.LINUX_L4).ipv6();
            case "nested 2 3 IPv6" -> () -> Lab.nestedDiamond(2, 3, EcmpHash.LINUX_L4).ipv6();
            default -> () -> Lab.diamond(16, EcmpHash.LINUX_L4);
        };
        boolean v6 = shape.endsWith("IPv6");
        try (Lab lab = timedBuild(shape, () -> builder.get().icmpUnlimited("each shape's every router answer is checked"))) {
            InetAddress destination = v6 ? lab.destination6() : lab.destination();
            Scamper.Result r = Scamper.tracelb(lab, destination, 99);
            System.out.println(r);
            // MDA at 99 % misses a branch now and then by design (a fresh-clone run saw scamper find one node
            // at every TTL of the asymmetric diamond): a run that saw no branching is repeated, twice at most
            for (int again = 0; again < 2 && !shape.startsWith("diamond") && !branches(lab, r, v6); again++) {
                r = Scamper.tracelb(lab, destination, 99);
                System.out.println("again: " + r);
            }
            if (shape.startsWith("diamond")) {
                // at width 16 and 99 %, scamper may miss one: at least 14 of 16
                assertThat(r.nodesAt(2)).as("%s", r).isSubsetOf(lab.expectedResponders(2)).hasSizeGreaterThanOrEqualTo(14);
                assertThat(r.nodesAt(4)).containsExactly(lab.destination());
            } else {
                assertScamperFindsTheExpectedTopology(lab, r, v6);
            }
            if (shape.startsWith("meshed")) {
                assertThat(lab.fabric().orElseThrow().meshed()).isTrue();
                // each TTL-3 router is reached from both TTL-2 routers: some flows cross over
                long intoC = lab.expectedLinks().stream().filter(l -> l.ttl() == 2).count();
                assertThat(intoC).isEqualTo(4);
            }
        }
    }

    @Test
    void aPerPacketBalancerSpreadsEvenOneFlow() {
        try (Lab lab = Lab.diamond(4, EcmpHash.PER_PACKET).icmpUnlimited("each shape's every router answer is checked").build()) {
            // both ports fixed: one flow, which a per-flow balancer keeps on one branch
            Traceroute.Result r = Traceroute.trace(lab, List.of("-U", "--sport=40000", "-p", "33434", "-q", "10", "-f", "2",
                    "-m", "2"), lab.destination());
            assertThat(seenAt(r, 2)).as(r.output()).isSubsetOf(lab.expectedResponders(2)).hasSizeGreaterThan(1);
            Traceroute.Result icmp = Traceroute.trace(lab, List.of("-I", "-q", "10", "-f", "2", "-m", "2"), lab.destination());
            assertThat(seenAt(icmp, 2)).as(icmp.output()).hasSizeGreaterThan(1);
        }
    }

    @Test
    void dropAtBranchDropsAtThatRouterOnly() {
        try (Lab lab = Lab.diamond(4, EcmpHash.LINUX_L4).dropAtBranch(2, 3, 30).build()) {
            assertThat(lab.impairments().dropRouterBranch()).isEqualTo(3);
            for (int b = 1; b <= 4; b++) {
                String rules = Processes.output(lab.command(2, b, List.of("nft", "list", "ruleset")));
                if (b == 3) {
                    assertThat(rules).contains("numgen random mod 10000 < 3000").contains("drop");
                } else {
                    assertThat(rules).doesNotContain("drop");
                }
            }
        }
        assertThatThrownBy(() -> Lab.diamond(4, EcmpHash.LINUX_L4).dropAtBranch(2, 5, 30))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lab.chain(4).dropAtBranch(2, 1, 30)).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest(name = "NAT at hop {0}")
    @ValueSource(ints = {1, 3})
    void tracingThroughAMasqueradeNatReachesTheDestination(int hop) throws Exception {
        try (Lab lab = timedBuild("NAT " + hop, () -> Lab.chain(6).natAt(hop, NatKind.MASQUERADE).icmpUnlimited("each shape's every router answer is checked"))) {
            NatRouter nat = lab.nat().orElseThrow();
            assertThat(nat.hop()).isEqualTo(hop);
            assertThat(nat.insidePrefix()).isEqualTo(hop == 1 ? "192.168.0.0/16" : "100.64.0.0/10");
            assertThat(lab.hostAddress()).isEqualTo(InetAddress.getByName(hop == 1 ? "192.168.0.1" : "100.64.0.1"));
            assertThat(lab.expectedResponder(hop)).contains(nat.insideAddress());
            for (String protocol : List.of("-I", "-U", "-T")) {
                Traceroute.Result r = Traceroute.trace(lab, List.of(protocol), lab.destination());
                assertThat(r.path()).as("traceroute %s:%n%s", protocol, r.output()).isEqualTo(lab.expectedPath());
            }
            // the destination sees the NAT's outside address, never the host's
            PacketCapture.Capture c = PacketCapture.during(lab, 6, "uplink", "icmp",
                    () -> Traceroute.trace(lab, List.of("-I", "-q", "1", "-f", "6"), lab.destination()));
            assertThat(c.packets()).isNotEmpty().allSatisfy(p -> assertThat(List.of(p.source(), p.destination()))
                    .contains(nat.outsideAddress()).doesNotContain(lab.hostAddress()));
            // routers beyond the NAT do not know the inside
            String routes = Processes.output(lab.command(hop + 1, List.of("ip", "-4", "route")));
            assertThat(routes).doesNotContain("192.168.").doesNotContain("100.64.");
        }
    }

    @ParameterizedTest(name = "quote-preserving NAT at hop {0}")
    @ValueSource(ints = {1, 3})
    void tracingThroughAQuotePreservingNatReachesTheDestinationAndLeavesNothing(int hop) throws Exception {
        try (Lab lab = timedBuild("quote NAT " + hop,
                () -> Lab.chain(6).natAt(hop, NatKind.QUOTE_PRESERVING).icmpUnlimited("each shape's every router answer is checked"))) {
            NatRouter nat = lab.nat().orElseThrow();
            for (String protocol : List.of("-I", "-U", "-T")) {
                Traceroute.Result r = Traceroute.trace(lab, List.of(protocol), lab.destination());
                assertThat(r.path()).as("traceroute %s:%n%s", protocol, r.output()).isEqualTo(lab.expectedPath());
            }
            // beyond the NAT, the quote of a UDP probe comes back with the translated checksum
            PacketCapture.Capture c = PacketCapture.during(lab.hostNamespace(), lab.hostInterface(), "icmp",
                    () -> Traceroute.trace(lab, List.of("-U", "-q", "1", "-f", String.valueOf(hop + 1), "-m",
                            String.valueOf(hop + 1)), lab.destination()));
            assertThat(c.packets()).filteredOn(p -> p.quoted().isPresent()).isNotEmpty()
                    .allSatisfy(p -> assertThat(p.quoted().orElseThrow().transportChecksumOk())
                            .as("the quote keeps the checksum of the translated probe").contains(false));
            assertThat(nat.outsideAddress()).isNotEqualTo(lab.hostAddress());
        }
        assertThat(Processes.ourNamespaces()).isEmpty();
    }

    @Test
    void aRejectingFirewallEndsUdpTracesWithAdminProhibited() {
        try (Lab lab = Lab.chain(5).rejectUdpAt(2).ipv6().icmpUnlimited("each shape's every router answer is checked").build()) {
            assertThat(lab.udpRejectedAt()).hasValue(2);
            Traceroute.Result udp = Traceroute.trace(lab, List.of("-U"), lab.destination());
            assertThat(udp.hops()).as(udp.output()).hasSize(3);
            assertThat(udp.hop(2).orElseThrow().address()).isEqualTo(lab.expectedResponder(2));
            Traceroute.Hop last = udp.hop(3).orElseThrow();
            assertThat(last.address()).isEqualTo(lab.expectedResponder(2));
            assertThat(last.annotations()).isNotEmpty().allMatch(a -> a.equals("!X"));
            Traceroute.Result udp6 = Traceroute.trace(lab, List.of("-6", "-U"), lab.destination6());
            assertThat(udp6.hops()).as(udp6.output()).hasSize(3);
            assertThat(udp6.hop(3).orElseThrow().annotations()).isNotEmpty().allMatch(a -> a.equals("!X"));
            // ICMP passes
            assertThat(Traceroute.run(lab, List.of("-I"), lab.destination())).isEqualTo(lab.expectedPath());
        }
    }

    @Test
    void aTcpListenerAnswersSynWithSynAckAndIsGoneAfterClose() throws Exception {
        List<Integer> flags = new ArrayList<>();
        String listenerNet;
        try (Lab lab = Lab.chain(3).tcpListener(8080).ipv6().icmpUnlimited("each shape's every router answer is checked").build();
                Lab none = Lab.chain(3).icmpUnlimited("each shape's every router answer is checked").build()) {
            assertThat(lab.tcpListenPort()).hasValue(8080);
            // the destination's network namespace: where the listener runs (other runs' listeners run elsewhere)
            listenerNet = Processes.output(lab.command(lab.hops(), List.of("readlink", "/proc/self/ns/net"))).strip();
            assertThat(listenerNet).startsWith("net:[");
            for (Lab l : List.of(lab, none)) {
                PacketCapture.Capture c = PacketCapture.during(l, 0, l.hostInterface(), "tcp",
                        () -> assertThat(Traceroute.trace(l, List.of("-T", "-p", "8080"), l.destination())
                                .reached(l.destination())).isTrue());
                c.packets().stream().filter(p -> p.source().equals(l.destination()))
                        .forEach(p -> flags.add(p.tcpFlags().getAsInt()));
                flags.add(-1);
            }
            PacketCapture.Capture c6 = PacketCapture.during(lab, 0, lab.hostInterface(), "tcp",
                    () -> Traceroute.trace(lab, List.of("-6", "-T", "-p", "8080"), lab.destination6()));
            assertThat(c6.packets()).anySatisfy(p -> {
                assertThat(p.source()).isEqualTo(lab.destination6());
                assertThat(p.tcpFlags()).hasValue(0x12);
            });
            // and a real connection works
            String connect = Processes.output(lab.command(List.of("perl", "-MIO::Socket::INET", "-e",
                    "print IO::Socket::INET->new(PeerAddr => '198.19.0.1:8080') ? 'connected' : 'refused'")));
            assertThat(connect).isEqualTo("connected");
        }
        assertThat(flags.subList(0, flags.indexOf(-1))).isNotEmpty().allMatch(f -> f == 0x12); // SYN-ACK
        assertThat(flags.subList(flags.indexOf(-1) + 1, flags.size() - 1)).isNotEmpty()
                .allMatch(f -> (f & 0x04) != 0); // RST
        String ps = Processes.output("ps", "-eo", "pid=,args=");
        assertThat(ps.lines().map(String::strip).filter(l -> l.contains(" perl") && l.contains("8080"))
                .filter(l -> listenerNet.equals(netOf(l.substring(0, l.indexOf(' ')))))).as(ps).isEmpty();
    }

    /** The network namespace of process {@code pid} ({@code net:[4026532…]}), or "" if it has ended. */
    private static String netOf(String pid) {
        try {
            return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc", pid, "ns", "net")).toString();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void exactlyOneRateLimitedHopLosesAnswersTheOthersNever() {
        try (Lab lab = Lab.chain(4).icmpUnlimited("each shape's every router answer is checked").icmpRateLimitedHop(2, Duration.ofSeconds(1), 1000, 50).build()) {
            assertThat(Processes.output(lab.command(2, List.of("cat", "/proc/sys/net/ipv4/icmp_ratemask"))).strip())
                    .isEqualTo("6168");
            assertThat(Processes.output(lab.command(1, List.of("cat", "/proc/sys/net/ipv4/icmp_ratemask"))).strip())
                    .isEqualTo("0");
            int lostAt2 = 0;
            for (int i = 0; i < 4; i++) {
                Traceroute.Result r = Traceroute.trace(lab, List.of("-I"), lab.destination());
                for (Traceroute.Hop h : r.hops()) {
                    long lost = h.probes().stream().filter(p -> !p.answered()).count();
                    if (h.ttl() == 2) {
                        lostAt2 += lost;
                    } else {
                        assertThat(lost).as("TTL %d:%n%s", h.ttl(), r.output()).isZero();
                    }
                }
            }
            assertThat(lostAt2).isGreaterThan(0);
        }
    }

    @Test
    void aBottleneckQueuesThenDropsWhatExceedsItsRateOnlyTowardTheDestination() {
        try (Lab lab = Lab.chain(3).icmpUnlimited("each shape's every router answer is checked").bottleneck(2, 16_000, Duration.ofMillis(500)).build()) {
            assertThat(lab.bottleneck()).hasValueSatisfying(b -> {
                assertThat(b.queueBytes()).isEqualTo(1000 + 600); // 16 kbit/s × 0.5 s = 1,000 bytes, raised to 1,600
                assertThat(b.burstBytes()).isEqualTo(1600);
            });
            String qdisc = Processes.output(lab.command(2, List.of("tc", "qdisc", "show", "dev", "downlink")));
            assertThat(qdisc).contains("tbf").contains("rate 16Kbit").contains("burst 1600b"); // tc prints the limit as a latency
            assertThat(Processes.output(lab.command(1, List.of("tc", "qdisc", "show", "dev", "downlink"))))
                    .doesNotContain("tbf");
            // 98-byte frames every 10 ms are 78 kbit/s: the queue fills (RTT toward 1.6 kB / 2 kB/s = 0.8 s)
            // and then drops; iputils ping -W counts the late replies as received. The bounds are the
            // queue's, with room for a busy machine: the first reply before it fills (well under the
            // 300 ms it then adds), the worst at most the 0.8 s a full queue holds, plus margin
            Ping.Result r = Ping.ping(lab, List.of("-c", "60", "-i", "0.01", "-W", "0.05"), lab.destination());
            assertThat(r.rtt()).hasValueSatisfying(rtt -> {
                assertThat(rtt.min()).isLessThan(Duration.ofMillis(50));
                assertThat(rtt.max()).isGreaterThan(Duration.ofMillis(300)).isLessThan(Duration.ofMillis(2000));
            });
            assertThat(r.received()).as(r.output()).isLessThan(58).isGreaterThan(15);
            // the way back is not shaped: one reply-sized packet each way at a slow pace stays fast
            // (after the queue drained)
            Ping.Result slow = Ping.ping(lab, List.of("-c", "3", "-i", "1", "-W", "2"), lab.destination());
            assertThat(slow.rtt()).hasValueSatisfying(rtt -> assertThat(rtt.max()).isLessThan(Duration.ofMillis(250)));
        }
    }
}
