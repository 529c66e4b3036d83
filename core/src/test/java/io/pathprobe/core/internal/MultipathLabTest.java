package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.PathTracerBuilder;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.runner.Scamper;
import io.pathprobe.multipath.Diamond;
import io.pathprobe.multipath.LoadBalancing;
import io.pathprobe.multipath.MultipathLink;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.MultipathStatus;
import io.pathprobe.probe.ProbeProtocol;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 8 on real kernel routers: {@code discoverPaths} on ECMP diamonds of width 2, 4, 8 and 16
 * (Linux's L4 hash), side by side with scamper's {@code tracelb} on the same lab; a nested, an
 * asymmetric and a meshed diamond; a per-packet balancer; ICMP through a router hashing the first 4
 * transport bytes; IPv6 and TCP; and per-path loss with one lossy branch. Every lab is built in the
 * test JVM's own namespace (a private one: build/netns), one at a time; every probe stays in the lab.
 * "The exact structure" is {@link Lab#expectedResponders(int)} at every TTL and {@link Lab#expectedLinks()}.
 *
 * <p>The discoveries ask for {@value #CONFIDENCE} % per node, not the default 95 %: a 95 % discovery
 * is allowed to miss a branch in up to 5 % of runs (on width 8 it does, 4.9 % of 2,000 runs: see the
 * README's benchmark), and the flow→branch mapping changes with the kernel's per-boot hash key, so
 * exact-structure assertions at 95 % would fail about one suite run in five. At 99.99 % a miss is a
 * once-in-ten-thousand event per branch point. 99.9 % was not enough: this class has about fifteen branch
 * points, so about one run in seventy failed; a fresh-clone run did (the meshed diamond: the 11 probes at
 * TTL 2 all went through one of its two routers), and 1 of 200 discoveries of that lab missed a router (at
 * TTL 3). The default confidence is measured by the benchmark.
 */
@LabTest
@Timeout(180)
class MultipathLabTest {
    private static final double CONFIDENCE = 99.99;

    private static MultipathResult discover(@Nullable String transport, InetAddress target,
            UnaryOperator<MultipathRequest.Builder> options) {
        PathTracerBuilder b = PathTracer.builder().packetsPerSecond(0).offline();
        if (transport != null) {
            b.preferredTransport(transport);
        }
        try (PathTracer t = b.build()) {
            MultipathResult r = t.measure(options.apply(MultipathRequest.builder(target).maxTtl(12)
                    .confidence(CONFIDENCE)).build());
            System.out.printf(Locale.ROOT, "%s %s: %d discovery probes (%d in all), %d ms, %s, nodes %s, diamonds %s, notes %s%n",
                    r.transport(), r.protocol(), r.discoveryProbes(), r.probes(), r.duration().toMillis(), r.status(),
                    nodesByTtl(r), r.diamonds().stream().map(d -> d.widths() + (d.meshed() ? " meshed" : "") + " "
                            + d.loadBalancing()).toList(), r.notes());
            return r;
        }
    }

    /** Every answering node, by TTL. */
    private static Map<Integer, Set<InetAddress>> nodesByTtl(MultipathResult r) {
        return r.nodes().stream().filter(n -> !n.silent()).collect(Collectors.groupingBy(MultipathNode::ttl, TreeMap::new,
                Collectors.mapping(n -> n.address().orElseThrow(), Collectors.toSet())));
    }

    /** Every link between answering nodes, as the lab states them. */
    private static Set<Lab.ExpectedLink> links(MultipathResult r) {
        Set<Lab.ExpectedLink> out = new HashSet<>();
        for (MultipathLink l : r.links()) {
            if (l.from().isPresent() && l.to().isPresent()) {
                out.add(new Lab.ExpectedLink(l.ttl(), l.from().get(), l.to().get()));
            }
        }
        return out;
    }

    /** The nodes at every TTL up to the destination and the links between them are exactly the lab's. */
    private static void assertTopology(Lab lab, MultipathResult r, boolean v6) {
        Map<Integer, Set<InetAddress>> found = nodesByTtl(r);
        for (int ttl = 1; ttl <= lab.hops(); ttl++) {
            assertThat(found.getOrDefault(ttl, Set.of())).as("TTL %d of%n%s", ttl, r)
                    .isEqualTo(v6 ? lab.expectedResponders6(ttl) : lab.expectedResponders(ttl));
        }
        assertThat(found.keySet()).as("nothing beyond the destination").allMatch(ttl -> ttl <= lab.hops());
        assertThat(links(r)).as("links of%n%s", r)
                .isEqualTo(new HashSet<>(v6 ? lab.expectedLinks6() : lab.expectedLinks()));
        assertThat(r.destinationReached()).isTrue();
        assertThat(r.complete()).as("%s: %s", r.status(), r.unexplored()).isTrue();
    }

    // ---- diamonds of width 2..16, Linux L4 hash, against scamper ------------------------------

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {2, 4, 8, 16})
    void udpFindsEveryBranchAndTheExactDiamondAndScamperFindsNoOtherNode(int width) {
        try (Lab lab = Lab.diamond(width, EcmpHash.LINUX_L4).icmpUnlimited("compared with scamper's tracelb on the same lab, node for node: with limits either tool's view depends on timing").inCurrentNamespace().build()) {
            MultipathResult r = discover(null, lab.destination(), b -> b.pathProbes(0));
            assertTopology(lab, r, false);
            assertThat(r.protocol()).isEqualTo(ProbeProtocol.UDP);
            assertThat(r.diamonds()).as("%s", r).hasSize(1);
            Diamond d = r.diamonds().get(0);
            assertThat(d.widths()).isEqualTo(List.of(width));
            assertThat(d.meshed()).isFalse();
            assertThat(d.loadBalancing()).isEqualTo(LoadBalancing.PER_FLOW);
            assertThat(d.divergence().address()).isEqualTo(lab.expectedResponders(1).stream().findFirst());
            assertThat(d.convergence().flatMap(MultipathNode::address))
                    .isEqualTo(lab.expectedResponders(3).stream().findFirst());
            assertThat(r.paths()).hasSize(width);
            assertThat(r.perPacketLoadBalancing()).isFalse();

            // scamper on the same lab: the same node set, except what it misses (recorded, not failed)
            Scamper.Result s = Scamper.tracelb(lab, lab.destination(), 95);
            Set<InetAddress> ours = r.nodes().stream().flatMap(n -> n.address().stream()).collect(Collectors.toSet());
            Set<InetAddress> missed = new HashSet<>(ours);
            missed.removeAll(s.addresses());
            System.out.printf(Locale.ROOT, "width %d: pathprobe %d probes %d ms, scamper %d probes %d ms, scamper missed %s%n",
                    width, r.discoveryProbes(), r.duration().toMillis(), s.probes(), s.wall().toMillis(), missed);
            // scamper's misses are recorded, not failed: at 95 % it may miss a branch in 5 % of runs
            // (on this lab it missed one of 8 with 46 probes, and one of 16 with 98)
            assertThat(ours).as("scamper found nothing pathprobe did not: %s", s).containsAll(s.addresses());
        }
    }

    // ---- other shapes ------------------------------------------------------------------------------

    @Test
    void aNestedDiamondIsTwoDiamonds() {
        try (Lab lab = Lab.nestedDiamond(2, 3, EcmpHash.LINUX_L4).icmpUnlimited("compared with scamper's tracelb on the same lab, node for node: with limits either tool's view depends on timing").inCurrentNamespace().build()) {
            MultipathResult r = discover(null, lab.destination(), b -> b.pathProbes(0));
            assertTopology(lab, r, false);
            assertThat(r.diamonds()).as("%s", r).hasSize(2);
            assertThat(r.diamonds().get(0).widths()).isEqualTo(List.of(2));
            assertThat(r.diamonds().get(1).widths()).isEqualTo(List.of(3));
            assertThat(r.diamonds()).noneMatch(Diamond::meshed);
            assertThat(r.diamonds().get(0).convergence().flatMap(MultipathNode::address))
                    .isEqualTo(r.diamonds().get(1).divergence().address());
            assertThat(r.paths()).hasSize(6);
        }
    }

    @Test
    void anAsymmetricDiamondHasItsUnequalWidthsAndIsNotMeshed() {
        try (Lab lab = Lab.asymmetricDiamond(EcmpHash.LINUX_L4).icmpUnlimited("compared with scamper's tracelb on the same lab, node for node: with limits either tool's view depends on timing").inCurrentNamespace().build()) {
            MultipathResult r = discover(null, lab.destination(), b -> b.pathProbes(0));
            assertTopology(lab, r, false);
            assertThat(r.diamonds()).as("%s", r).hasSize(1);
            assertThat(r.diamonds().get(0).widths()).isEqualTo(List.of(2, 3));
            assertThat(r.diamonds().get(0).meshed()).isFalse();
            assertThat(r.paths()).hasSize(3);
        }
    }

    @Test
    void aMeshedDiamondIsFlaggedMeshedWithEveryCrossLink() {
        try (Lab lab = Lab.meshedDiamond(2, EcmpHash.LINUX_L4).icmpUnlimited("compared with scamper's tracelb on the same lab, node for node: with limits either tool's view depends on timing").inCurrentNamespace().build()) {
            assertThat(lab.fabric().orElseThrow().meshed()).isTrue();
            MultipathResult r = discover(null, lab.destination(), b -> b.pathProbes(0));
            assertTopology(lab, r, false);
            assertThat(r.diamonds()).as("%s", r).hasSize(1);
            assertThat(r.diamonds().get(0).widths()).isEqualTo(List.of(2, 2));
            assertThat(r.diamonds().get(0).meshed()).isTrue();
            assertThat(r.paths()).hasSize(4);
        }
    }

    /**
     * With the default 10 path probes per path, which flag a per-packet balancer whenever one flow
     * is answered by another branch twice (at width 4, missed only if at least 9 of its 10 probes
     * take the path's own branch: about 3 in 100,000 per path). Discovery alone ({@code pathProbes(0)}) re-sends only two flows where
     * a TTL first shows two nodes, so it catches a width-4 per-packet balancer with a probability,
     * not always (a bench run under load flagged it 4 times in 5); {@code MultipathStrategyTest}
     * counts that case on fake networks.
     */
    @Test
    void aPerPacketBalancerIsFlaggedNotCountedAsAHugeWidthAndTheDiscoveryEnds() {
        try (Lab lab = Lab.diamond(4, EcmpHash.PER_PACKET).icmpUnlimited("compared with scamper's tracelb on the same lab, node for node: with limits either tool's view depends on timing").inCurrentNamespace().build()) {
            long t0 = System.nanoTime();
            MultipathResult r = discover(null, lab.destination(), b -> b.deadline(Duration.ofSeconds(20)));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(r.perPacketLoadBalancing()).as("%s", r).isTrue();
            assertThat(r.nodes()).filteredOn(n -> n.loadBalancing() == LoadBalancing.PER_PACKET)
                    .extracting(MultipathNode::address).containsOnly(lab.expectedResponders(1).stream().findFirst());
            assertThat(r.diamonds()).anyMatch(d -> d.loadBalancing() == LoadBalancing.PER_PACKET);
            assertThat(r.maxWidth()).as("width as seen, bounded by the routers there").isLessThanOrEqualTo(4);
            assertThat(nodesByTtl(r).get(2)).isSubsetOf(lab.expectedResponders(2));
            assertThat(r.notes()).isNotEmpty();
            // it ends by itself, not at its deadline (the time it takes is the benchmark's figure)
            assertThat(r.status()).as("ended after %s", took).isNotEqualTo(MultipathStatus.DEADLINE_EXCEEDED);
        }
    }

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {4, 8})
    void icmpThroughARouterHashingTheFirst4BytesFindsEveryBranch(int width) {
        try (Lab lab = Lab.diamond(width, EcmpHash.FIRST_4_BYTES).icmpUnlimited("compared with scamper's tracelb on the same lab, node for node: with limits either tool's view depends on timing").inCurrentNamespace().build()) {
            MultipathResult r = discover(null, lab.destination(), b -> b.protocol(ProbeProtocol.ICMP).pathProbes(0));
            assertThat(r.protocol()).isEqualTo(ProbeProtocol.ICMP);
            assertTopology(lab, r, false);
            assertThat(r.diamonds()).hasSize(1);
            assertThat(r.diamonds().get(0).widths()).isEqualTo(List.of(width));
        }
    }

    @Test
    void ipv6UdpFindsEveryBranch() {
        // Linux hashes the IPv6 flow label too (policy 3, fields 0x3f): it must stay constant per flow
        try (Lab lab = Lab.diamond(4, EcmpHash.LINUX_L4).ipv6().icmpUnlimited("compared with scamper's tracelb on the same lab, node for node: with limits either tool's view depends on timing").inCurrentNamespace().build()) {
            MultipathResult r = discover(null, lab.destination6(), b -> b.pathProbes(0));
            assertTopology(lab, r, true);
            assertThat(r.diamonds().get(0).widths()).isEqualTo(List.of(4));
        }
    }

    @Test
    void rawTcpFindsEveryBranch() {
        try (Lab lab = Lab.diamond(4, EcmpHash.LINUX_L4).icmpUnlimited("compared with scamper's tracelb on the same lab, node for node: with limits either tool's view depends on timing").inCurrentNamespace().build()) {
            MultipathResult r = discover("linux-raw-tcp", lab.destination(), b -> b.protocol(ProbeProtocol.TCP).pathProbes(0));
            assertThat(r.transport()).isEqualTo("linux-raw-tcp");
            assertTopology(lab, r, false);
            assertThat(r.diamonds().get(0).widths()).isEqualTo(List.of(4));
        }
    }

    // ---- per-path statistics ---------------------------------------------------------------------

    /**
     * Branch 3 of a width-4 diamond drops 30 % of what it forwards. With N path probes per path the
     * measured loss of a path through it is binomial: standard deviation sqrt(0.3 · 0.7 / N), 0.020 at
     * N = 500; the test allows 4 of them (|loss − 0.3| < 0.082: a false failure about once in 15,000
     * runs). The other paths lose nothing in the lab: below 3 %.
     */
    @Test
    void aPathThroughTheLossyBranchLoses30PercentTheOthersNothing() {
        int n = 500;
        try (Lab lab = Lab.diamond(4, EcmpHash.LINUX_L4).dropAtBranch(2, 3, 30).icmpUnlimited("compared with scamper's tracelb on the same lab, node for node: with limits either tool's view depends on timing").inCurrentNamespace()
                .build()) {
            InetAddress lossy = List.copyOf(lab.expectedResponders(2)).get(2);
            // the budget covers path probes too: 4 paths x 4 hops x 500 and the discovery exceed the default 10,000
            MultipathResult r = discover(null, lab.destination(), b -> b.pathProbes(n).pathInterval(Duration.ofMillis(1))
                    .maxProbes(100_000));
            assertThat(nodesByTtl(r).get(2)).isEqualTo(lab.expectedResponders(2));
            // one path per branch; a discovery flow through branch 3 whose probe expiring at TTL 3 was
            // dropped in both attempts (0.3^2 = 9 % per flow) adds a path with a silent TTL 3
            assertThat(r.paths()).filteredOn(p -> p.addresses().stream().allMatch(java.util.Optional::isPresent))
                    .hasSize(4);
            double bound = 4 * Math.sqrt(0.3 * 0.7 / n);
            for (MultipathPath p : r.paths()) {
                boolean throughLossy = p.addresses().contains(java.util.Optional.of(lossy));
                System.out.printf(Locale.ROOT, "path %s: loss %.3f over %d probes%n", p.addresses(), p.loss(),
                        p.statistics().sent());
                assertThat(p.statistics().sent()).as("path probes of %s", p.addresses()).isEqualTo(n);
                if (throughLossy) {
                    assertThat(Math.abs(p.loss() - 0.3)).as("loss %.3f through %s", p.loss(), lossy).isLessThan(bound);
                    // the branch router itself answers (it drops only what it forwards)
                    assertThat(p.hops().get(1).statistics().loss()).isLessThan(0.03);
                } else {
                    assertThat(p.loss()).as("loss of %s", p.addresses()).isLessThan(0.03);
                }
            }
        }
    }
}
