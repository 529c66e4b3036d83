package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.runner.Traceroute;
import io.pathprobe.multipath.LossBasis;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.MultipathStatus;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 21 on real kernel routers that keep Linux's default ICMP rate limits (no
 * {@code icmpUnlimited()}: per source a burst of 6 Time Exceeded / Unreachable, then one a second),
 * and with the vendor-like per-router profile ({@link LabBuilder#icmpRateLimitPerRouter}):
 * multipath finds every branch and exactly the lab's paths, and a path that loses nothing shows no
 * loss. The discoveries ask for 99.99 % per node as {@code MultipathLabTest} does (exact structure: at 99.9 % a
 * width-4 diamond behind Linux's own per-flow hash loses a branch about once in a thousand discoveries, as the
 * stated confidence allows, and the suite runs dozens; CI met it once); the deadline is generous (the merge router answers one probe a second to this host: that, not
 * the engine, bounds the time). Durations and probe counts are printed, not compared.
 */
@LabTest
@Timeout(600)
class RateLimitLabTest {
    private static final double CONFIDENCE = 99.99;

    static MultipathResult discover(InetAddress target, UnaryOperator<MultipathRequest.Builder> options) {
        try (PathTracer t = PathTracer.builder().packetsPerSecond(0).offline().build()) {
            MultipathResult r = t.measure(options.apply(MultipathRequest.builder(target).maxTtl(12)
                    .confidence(CONFIDENCE).deadline(Duration.ofMinutes(3))).build());
            System.out.printf(Locale.ROOT, "%s %s: %d discovery probes (%d in all), %d ms, %s, nodes %s, %d paths, notes %s%n",
                    r.transport(), r.protocol(), r.discoveryProbes(), r.probes(), r.duration().toMillis(), r.status(),
                    nodesByTtl(r), r.paths().size(), r.notes());
            for (MultipathPath p : r.paths()) {
                System.out.printf(Locale.ROOT, "  path %s: loss %.3f (%s) sent %d received %d lost %d rate-limited %d%n",
                        p.addresses(), p.loss(), p.lossBasis(), p.statistics().sent(), p.statistics().received(),
                        p.statistics().lost(), p.statistics().rateLimited());
            }
            return r;
        }
    }

    static Map<Integer, Set<InetAddress>> nodesByTtl(MultipathResult r) {
        return r.nodes().stream().filter(n -> !n.silent()).collect(Collectors.groupingBy(MultipathNode::ttl, TreeMap::new,
                Collectors.mapping(n -> n.address().orElseThrow(), Collectors.toSet())));
    }

    /** Every TTL's nodes are the lab's, there is no silent node, and there is one path per branch. */
    private static void assertDiamond(Lab lab, MultipathResult r, int width) {
        Map<Integer, Set<InetAddress>> found = nodesByTtl(r);
        for (int ttl = 1; ttl <= lab.hops(); ttl++) {
            assertThat(found.getOrDefault(ttl, Set.of())).as("TTL %d of%n%s", ttl, r).isEqualTo(lab.expectedResponders(ttl));
        }
        assertThat(r.nodes()).as("silent nodes in%n%s", r).noneMatch(MultipathNode::silent);
        assertThat(r.destinationReached()).isTrue();
        assertThat(r.paths()).as("paths of%n%s", r).hasSize(width);
        assertThat(r.paths()).allSatisfy(p -> assertThat(p.addresses()).allMatch(Optional::isPresent));
    }

    /**
     * No path and no hop claims loss, and every hop row closes ({@code sent = received + lost + rateLimited +
     * abandoned}). A router short of a path's end that refuses path probes over its budget (it forwards them: the
     * path beyond answered) counts them rate-limited, not lost, whatever the model foresaw: this held for ICMP always,
     * and for UDP since hop loss is claimed only where the path beyond lost too (before, with UDP, some discoveries in
     * a row claimed 1-3 lost path probes at a TTL-2 router, and the UDP assertions were cut to the paths' loss).
     */
    private static void assertNoLoss(MultipathResult r) {
        for (MultipathPath p : r.paths()) {
            assertThat(p.statistics().lost()).as("loss of %s", p.addresses()).isZero();
            assertThat(p.statistics().received()).as("answers of %s", p.addresses()).isPositive();
            for (var hop : p.hops()) {
                var s = hop.statistics();
                assertThat(s.lost()).as("loss at TTL %d of %s", hop.ttl(), p.addresses()).isZero();
                assertThat(s.sent()).as("TTL %d of %s closes", hop.ttl(), p.addresses())
                        .isEqualTo(s.received() + s.lost() + s.rateLimited() + s.abandoned());
            }
        }
    }

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {2, 8})
    void icmpFindsEveryBranchAndNoLossOnKernelDefaultLimits(int width) {
        try (Lab lab = Lab.diamond(width, EcmpHash.FIRST_4_BYTES).inCurrentNamespace().build()) {
            MultipathResult r = discover(lab.destination(), b -> b.protocol(ProbeProtocol.ICMP));
            assertDiamond(lab, r, width);
            assertNoLoss(r);
            assertThat(r.paths()).allSatisfy(p -> assertThat(p.lossBasis()).isEqualTo(LossBasis.END_TO_END));
        }
    }

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {2, 8})
    void udpFindsEveryBranchAndNoLossOnKernelDefaultLimits(int width) {
        try (Lab lab = Lab.diamond(width, EcmpHash.LINUX_L4).inCurrentNamespace().build()) {
            MultipathResult r = discover(lab.destination(), b -> b.pathProbes(2));
            assertDiamond(lab, r, width);
            assertNoLoss(r);
        }
    }

    /**
     * UDP with the request's defaults (10 path probes a path, a 30 s deadline): the destination
     * answers UDP probes with Port Unreachables, one a second once its burst is spent, so 10 rounds
     * over 4 paths would not fit; the discovery sends what fits, says so, and ends COMPLETED, not at
     * its deadline.
     */
    @Test
    void udpWithTheDefaultDeadlineEndsCompleteOnKernelDefaultLimits() {
        try (Lab lab = Lab.diamond(4, EcmpHash.LINUX_L4).inCurrentNamespace().build();
                PathTracer t = PathTracer.builder().offline().build()) {
            MultipathResult r = t.measure(MultipathRequest.builder(lab.destination()).maxTtl(12).confidence(CONFIDENCE)
                    .build());
            System.out.printf(Locale.ROOT, "defaults: %s in %d ms, %d paths, notes %s%n", r.status(), r.duration().toMillis(),
                    r.paths().size(), r.notes());
            assertThat(r.status()).as("%s", r).isEqualTo(MultipathStatus.COMPLETED);
            assertDiamond(lab, r, 4);
            assertNoLoss(r);
        }
    }

    /**
     * One branch drops 30 % of what it forwards: paths through it show loss well above 0 (a loose
     * bound: 200 end-to-end echo probes, so the loss is 0.30 ± 0.13 with five standard deviations),
     * the others none, although every router keeps Linux's limits.
     */
    @Test
    void aLossyBranchShowsItsLossTheOthersNoneOnKernelDefaultLimits() {
        int n = 200;
        try (Lab lab = Lab.diamond(4, EcmpHash.FIRST_4_BYTES).dropAtBranch(2, 3, 30).inCurrentNamespace().build()) {
            InetAddress lossy = List.copyOf(lab.expectedResponders(2)).get(2);
            MultipathResult r = discover(lab.destination(), b -> b.protocol(ProbeProtocol.ICMP).pathProbes(n)
                    .pathInterval(Duration.ofMillis(2)).maxProbes(100_000));
            assertThat(nodesByTtl(r).get(2)).isEqualTo(lab.expectedResponders(2));
            assertThat(r.paths()).filteredOn(p -> p.addresses().stream().allMatch(Optional::isPresent)).hasSize(4);
            double bound = 5 * Math.sqrt(0.3 * 0.7 / n);
            for (MultipathPath p : r.paths()) {
                if (p.addresses().stream().anyMatch(Optional::isEmpty)) {
                    continue; // a flow through the lossy branch that lost both tries at TTL 3 (9 % per flow)
                }
                assertThat(p.lossBasis()).isEqualTo(LossBasis.END_TO_END);
                if (p.addresses().contains(Optional.of(lossy))) {
                    assertThat(Math.abs(p.loss() - 0.3)).as("loss %.3f through %s", p.loss(), lossy).isLessThan(bound);
                } else {
                    assertThat(p.statistics().lost()).as("loss of %s", p.addresses()).isZero();
                }
            }
        }
    }

    /** The vendor-like profile: 10 ICMP errors a second per router, burst 10, whoever they go to. */
    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {2, 8})
    void everyBranchAndNoLossWithTheVendorLikeProfile(int width) {
        try (Lab lab = Lab.diamond(width, EcmpHash.LINUX_L4).icmpRateLimitPerRouter(10, 10).inCurrentNamespace().build()) {
            MultipathResult r = discover(lab.destination(), b -> b.pathProbes(3));
            assertDiamond(lab, r, width);
            assertNoLoss(r);
        }
    }

    // ---- traces on a 29-hop chain ----------------------------------------------------------------

    /**
     * No hop of the trace claims forward or backward loss: no decided loss (a miss the evidence could not tell from a
     * refusal, e.g. a drained Linux-limited destination whose refill no answer showed in the trace, is undecided: its
     * loss a bound from 0 %, not a claim), and every row closes; returns how many probes were rate-limited.
     */
    private static int assertNoLossClaimed(TraceResult r) {
        int limited = 0;
        for (Hop h : r.hops()) {
            io.pathprobe.trace.HopStatistics s = h.statistics();
            assertThat(s.lost() - s.undecided()).as("TTL %d: decided loss, of%n%s", h.ttl(), r).isZero();
            assertThat(s.lossLow()).as("TTL %d of%n%s", h.ttl(), r).isZero();
            assertThat(s.sent()).as("TTL %d: the row closes, of%n%s", h.ttl(), r)
                    .isEqualTo(s.received() + s.lost() + s.rateLimited() + s.abandoned());
            limited += s.rateLimited();
        }
        return limited;
    }

    private static Set<InetAddress> responders(TraceResult r) {
        Set<InetAddress> out = new HashSet<>();
        for (Hop h : r.hops()) {
            h.responders().forEach(x -> out.add(x.address()));
        }
        return out;
    }

    /**
     * Traces in a row on one tracer: enough to drain every router's bucket many times over (each
     * trace asks every router for 3 answers; Linux gives 6, then one a second). The benchmark's
     * {@code ratelimit} comparison runs 100 in a row (about 100 s: the destination's refused Port
     * Unreachables make each trace wait its probe timeout) and reports the figures.
     */
    private static final int IN_A_ROW = 15;

    /**
     * {@value #IN_A_ROW} UDP traces in a row, then 100 at once, through 28 routers and a destination that keep
     * Linux's limits, on one tracer: no trace claims forward or backward loss on this loss-free path
     * (what a limiter refused is RATE_LIMITED), and every hop traceroute saw is seen. Most probes of
     * the later traces are refused (one Time Exceeded a second per router): that is the kernel's
     * limit, reported as such.
     */
    @Test
    void aHundredTracesInARowAndAtOnceClaimNoLossOnKernelDefaultLimits() throws Exception {
        try (Lab lab = Lab.chain(29).inCurrentNamespace().build()) {
            hundredTracesInARowAndAtOnce(lab);
        }
    }

    /**
     * The same with the vendor-like profile: 10 errors a second per router, burst 10 (the destination
     * keeps Linux's): none claimed in a row or at once. The traces in a row ask less than those routers
     * give, so no limit is learned before the 100 at once. Until the table stopped taking a burst after a
     * pause for a router's pace (RateLimitTableTest.aBurstAfterAPauseIsNotTakenForTheRespondersPace), it
     * learned an interval of about 5 ms for these routers, and some refusals of the hundred read as forward
     * loss: in about half the runs, 91 to 1,483 of 9,573 probes.
     */
    @Test
    void aHundredTracesInARowAndAtOnceClaimNoLossWithTheVendorLikeProfile() throws Exception {
        try (Lab lab = Lab.chain(29).icmpRateLimitPerRouter(10, 10).inCurrentNamespace().build()) {
            hundredTracesInARowAndAtOnce(lab);
        }
    }

    /**
     * The destination limits its Port Unreachables as the routers do (10 a second, burst 10): traced
     * back to back, it answers its whole burst after every trace's pause, more than Linux's model of
     * one a second allows; its refusals must still be taken for refusals, not forward loss (the
     * fake-time TraceRateLimitTest.vendorLimitedDestinationClaimsNoLossInARowOrAtOnce says the same
     * every time; this is the kernel's and nftables' own timing). Failed before the rule that only
     * answers sent soon after a refusal count against a verdict (TTL 29, "loss: 1 forward"). Its 100
     * at once claim none either (before the fix of the vendor-like case: up to 1,243 of 9,573 lost).
     */
    @Test
    void tracesInARowToAVendorLimitedDestinationClaimNoLoss() throws Exception {
        try (Lab lab = Lab.chain(29).icmpRateLimitPerRouter(10, 10).destinationLimitedLikeTheRouters()
                .inCurrentNamespace().build()) {
            hundredTracesInARowAndAtOnce(lab);
        }
    }

    private static void hundredTracesInARowAndAtOnce(Lab lab) throws Exception {
        {
            Traceroute.Result tr = Traceroute.trace(lab, List.of("-q", "1"), lab.destination());
            Set<InetAddress> seenByTraceroute = new HashSet<>();
            tr.hops().forEach(h -> seenByTraceroute.addAll(h.addresses()));
            Thread.sleep(7_000); // set-up, not a bound: the kernel's buckets refill (1 a second, 6 at most) after traceroute
            TraceRequest request = TraceRequest.builder(lab.destination()).protocol(ProbeProtocol.UDP).maxTtl(32).build();
            try (PathTracer t = PathTracer.builder().packetsPerSecond(0).offline().build()) {
                Set<InetAddress> seen = new HashSet<>();
                int limited = 0;
                long t0 = System.nanoTime();
                for (int i = 0; i < IN_A_ROW; i++) {
                    TraceResult r = t.trace(request);
                    if (i == 0) {
                        assertThat(responders(r)).as("the first trace%n%s", r).containsAll(seenByTraceroute);
                    }
                    limited += assertNoLossClaimed(r);
                    seen.addAll(responders(r));
                }
                System.out.printf(Locale.ROOT, IN_A_ROW + " traces in a row: %d ms, %d probes rate-limited%n",
                        (System.nanoTime() - t0) / 1_000_000, limited);
                assertThat(seen).containsAll(seenByTraceroute);
                List<CompletableFuture<TraceResult>> futures = new ArrayList<>();
                t0 = System.nanoTime();
                for (int i = 0; i < 100; i++) {
                    futures.add(t.traceAsync(request));
                }
                limited = 0;
                Set<InetAddress> seenAtOnce = new HashSet<>();
                for (CompletableFuture<TraceResult> f : futures) {
                    TraceResult r = f.get();
                    limited += assertNoLossClaimed(r);
                    seenAtOnce.addAll(responders(r));
                }
                System.out.printf(Locale.ROOT, "100 traces at once: %d ms, %d probes rate-limited, %d responders seen%n",
                        (System.nanoTime() - t0) / 1_000_000, limited, seenAtOnce.size());
            }
        }
    }
}
