package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.multipath.LossBasis;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.probe.ProbeProtocol;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 47, item 3, on the lab's kernel routers: a width-4 diamond (hashing the first 4 transport bytes,
 * as ICMP flows need) whose routers and destination keep
 * Linux's default ICMP limits (the lab's default), one branch dropping 30 % of what it forwards, 100
 * path probes a path. Every path discovery finds is measured; the clean ones claim no loss (at most 5 %).
 * Over ICMP (echo replies are not rate-limited) the lossy path reads 0.15-0.50 from its 100 probes; over
 * UDP the destination answers one probe a second, and the probes that fit the 40 s deadline are spaced
 * under that budget. With the Linux hash (the 5-tuple: echo requests all follow one path), UDP discovery
 * measures each path end to end over TCP flows found to follow it (SYN answers are not rate-limited):
 * the lossy path reads 0.15-0.50 from its 100 probes over UDP too, when TCP confirmation is asked for.
 */
@LabTest
class MultipathLimitedLossLabTest {
    private static MultipathResult discover(Lab lab, ProbeProtocol protocol, Duration deadline) {
        return discover(lab, protocol, deadline, false);
    }

    private static MultipathResult discover(Lab lab, ProbeProtocol protocol, Duration deadline, boolean tcp) {
        try (PathTracer t = PathTracer.builder().offline().build()) {
            MultipathResult r = t.measure(MultipathRequest.builder(lab.destination()).protocol(protocol).maxTtl(8)
                    .confidence(99.99).pathProbes(100).deadline(deadline).tcpConfirmation(tcp).build());
            System.out.printf(Locale.ROOT, "%s: %s in %d ms, %d probes, paths %s, notes %s%n", protocol, r.status(),
                    r.duration().toMillis(), r.probes(), r.paths(), r.notes());
            return r;
        }
    }

    private static void everyPathMeasured(Lab lab, MultipathResult r, InetAddress lossy, double[] lossyBand) {
        assertThat(r.notes()).noneMatch(n -> n.contains("not measured"));
        assertThat(r.paths().stream().filter(p -> p.addresses().stream().allMatch(Optional::isPresent)))
                .as("a path a branch").hasSize(lab.expectedResponders(2).size());
        for (MultipathPath p : r.paths()) {
            assertThat(p.flows()).as("%s", p).isNotEmpty();
            assertThat(p.statistics().received() + p.statistics().lost()).as("measured: %s", p).isPositive();
            if (p.addresses().contains(Optional.of(lossy))) {
                assertThat(p.loss()).as("%s", p).isBetween(lossyBand[0], lossyBand[1]);
            } else if (p.addresses().stream().allMatch(Optional::isPresent)) {
                assertThat(p.loss()).as("a clean path: %s", p).isLessThanOrEqualTo(0.05);
            }
        }
    }

    @Test
    void everyPathIsMeasuredOverIcmpAndUdp() {
        try (Lab lab = Lab.diamond(4, EcmpHash.FIRST_4_BYTES).dropAtBranch(2, 3, 30).inCurrentNamespace().build()) {
            InetAddress lossy = List.copyOf(lab.expectedResponders(2)).get(2);
            everyPathMeasured(lab, discover(lab, ProbeProtocol.ICMP, Duration.ofSeconds(30)), lossy,
                    new double[] {0.15, 0.50});
            // UDP: a handful of spaced probes a path; every path gets some, no clean one claims loss, and the lossy
            // one's range holds the truth
            MultipathResult udp = discover(lab, ProbeProtocol.UDP, Duration.ofSeconds(40));
            everyPathMeasured(lab, udp, lossy, new double[] {0.0, 1.0});
            lossyRangeHoldsTheTruth(udp, lossy);
        }
    }

    /**
     * The lossy path's loss range ({@code lossLow}-{@code lossHigh}, whichever way its rate-limited probes went)
     * holds its branch's 30 % loss, widened by two standard deviations of what its decided probes can read (its own
     * 95 % range misses the truth in one run of twenty; widened so, about once in ten thousand), so a reading no 30 %
     * loss gives (issue 68 saw 0.88 on such a branch) fails.
     */
    private static void lossyRangeHoldsTheTruth(MultipathResult r, InetAddress lossy) {
        for (MultipathPath p : r.paths()) {
            if (!p.addresses().contains(Optional.of(lossy))) {
                continue;
            }
            int decided = p.statistics().received() + p.statistics().lost();
            double sd = Math.sqrt(0.3 * 0.7 / Math.max(1, decided));
            assertThat(p.lossLow() - 2 * sd).as("%s: range %.2f-%.2f", p, p.lossLow(), p.lossHigh())
                    .isLessThanOrEqualTo(0.3);
            assertThat(p.lossHigh() + 2 * sd).as("%s: range %.2f-%.2f", p, p.lossLow(), p.lossHigh())
                    .isGreaterThanOrEqualTo(0.3);
        }
    }

    @Test
    void udpPathsAreMeasuredEndToEndOverTcpFlowsOnTheLinuxHash() {
        try (Lab lab = Lab.diamond(4, EcmpHash.LINUX_L4).dropAtBranch(2, 3, 30).inCurrentNamespace().build()) {
            InetAddress lossy = List.copyOf(lab.expectedResponders(2)).get(2);
            MultipathResult r = discover(lab, ProbeProtocol.UDP, Duration.ofSeconds(40), true);
            everyPathMeasured(lab, r, lossy, new double[] {0.15, 0.50});
            assertThat(r.tcpConfirmations()).as("%s", r).isPositive();
            for (MultipathPath p : r.paths()) {
                assertThat(p.lossBasis()).as("%s", p).isEqualTo(LossBasis.TCP_END_TO_END);
                assertThat(p.statistics().sent()).as("%s", p).isEqualTo(100);
                assertThat(p.statistics().sent()).as("%s", p).isEqualTo(p.statistics().received() + p.statistics().lost()
                        + p.statistics().rateLimited());
            }
        }
    }

    /**
     * Adversarial-5 row 2.5 on kernel routers: a 5-hop chain whose router 2 drops 30 % of what it forwards each way
     * (about 51 % round trip to router 3 and beyond; routers keep Linux's limits), UDP then ICMP. The
     * run reported 6 hops with silent nodes invented at TTL 3 and 5 and the destination at TTL 6; here the chain is
     * found as it is (no silent node, each TTL its router, the destination at its own TTL, one path), every row closes,
     * and the path's loss is not read 0. 25 path probes, not the report's 50: the destination's Port Unreachable
     * answers come at its ICMP rate limit (about one a second), and 25 at 51 % loss are loss beyond doubt.
     */
    @Test
    void aLossyLinkOnAChainIsLossNeverInventedHops() {
        try (Lab lab = Lab.chain(5).dropAtRouterBothWays(2, 30).inCurrentNamespace().build()) {
            for (ProbeProtocol protocol : List.of(ProbeProtocol.UDP, ProbeProtocol.ICMP)) {
                MultipathResult r;
                try (PathTracer t = PathTracer.builder().offline().build()) {
                    r = t.measure(MultipathRequest.builder(lab.destination()).protocol(protocol).maxTtl(10)
                            .pathProbes(25).deadline(Duration.ofSeconds(90)).build());
                }
                System.out.printf(Locale.ROOT, "chain %s: %s in %d ms, paths %s, notes %s%n", protocol, r.status(),
                        r.duration().toMillis(), r.paths(), r.notes());
                assertThat(r.nodes()).as("%s", r).noneMatch(MultipathNode::silent);
                for (int ttl = 1; ttl <= lab.hops(); ttl++) {
                    assertThat(r.nodesAt(ttl)).as("TTL %d of %s", ttl, r).extracting(n -> n.address().orElseThrow())
                            .containsExactly(ttl == lab.hops() ? lab.destination()
                                    : lab.expectedResponder(ttl).orElseThrow());
                }
                assertThat(r.nodes()).as("%s", r).filteredOn(MultipathNode::destination)
                        .extracting(MultipathNode::ttl).containsExactly(lab.hops());
                assertThat(r.paths()).as("%s", r).hasSize(1);
                MultipathPath p = r.paths().get(0);
                assertThat(p.hops()).as("%s", p).hasSize(lab.hops());
                assertThat(p.loss()).as("%s", p).isPositive();
                for (var hop : p.hops()) {
                    var st = hop.statistics();
                    assertThat(st.sent()).as("TTL %d of %s closes", hop.ttl(), p)
                            .isEqualTo(st.received() + st.lost() + st.rateLimited() + st.abandoned());
                }
            }
        }
    }
}
