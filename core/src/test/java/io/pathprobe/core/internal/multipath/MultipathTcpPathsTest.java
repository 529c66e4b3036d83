package io.pathprobe.core.internal.multipath;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.multipath.MultipathGraph.Node;
import io.pathprobe.multipath.LossBasis;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.PathHop;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.trace.HopStatistics;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/**
 * {@link TcpPathProbing} on made-up time: a width-4 diamond (TTL 1 a router, TTL 2 four branches, TTL 3
 * where they join, TTL 4 the destination), TCP flows hashed onto the branches, branch routers with
 * Linux's ICMP limit (burst 6, one a second) drained by the discovery before, and the third branch
 * dropping 3 of every 10 probes it forwards.
 */
class MultipathTcpPathsTest {
    private static final long MS = 1_000_000L;

    private static InetAddress a(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static final InetAddress DEST = a("198.19.0.1");

    /** The diamond's four paths, as the discovery enumerated them. */
    private static List<List<Node>> paths() {
        Node first = new Node(1, a("198.18.0.2"));
        Node join = new Node(3, a("198.18.5.2"));
        Node dest = new Node(4, DEST);
        dest.destination = true;
        List<List<Node>> out = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            out.add(List.of(first, new Node(2, a("198.18.4." + (2 + 4 * b))), join, dest));
        }
        return out;
    }

    private static int branch(int flow) {
        return (flow * 7 + 3) % 4; // the TCP flows' hash onto the branches, unlike the UDP flows'
    }

    private record Answer(long at, ProbeResponse response) {}

    /** Runs the TCP part on its own, as the composite would, until it is done; returns the end time. */
    private static long run(TcpPathProbing t, List<List<Node>> paths, double[] tokens, boolean destinationAnswers,
            int[] forwarded) {
        MultipathRequest request = MultipathRequest.builder("198.19.0.1").pathProbes(100).build();
        long now = 0;
        t.start(paths, new MultipathGraph(request.firstTtl(), request.maxTtl(), false, new HashSet<>()), now);
        t.needed(now); // the UDP path probes found the destination limiting its Port Unreachables
        PriorityQueue<Answer> answers = new PriorityQueue<>((x, y) -> Long.compare(x.at, y.at));
        long refilled = 0;
        for (int step = 0; step < 1_000_000 && !t.done(); step++) {
            for (int b = 0; b < 4; b++) {
                tokens[b] = Math.min(6, tokens[b] + (now - refilled) / 1e9);
            }
            refilled = now;
            ProbeSpec p;
            while ((p = t.next(now)) != null) {
                t.onSent(p, now);
                int b = branch(p.flow());
                if (p.ttl() == 2) {
                    if (tokens[b] >= 1) {
                        tokens[b] -= 1;
                        answers.add(new Answer(now + MS, new ProbeResponse(p.sequence(), ResponseKind.TIME_EXCEEDED, 11,
                                0, paths.get(b).get(1).address, now + MS)));
                    }
                } else if (p.ttl() == 4 && destinationAnswers) {
                    boolean dropped = b == 2 && (forwarded[0]++ % 10) < 3;
                    if (!dropped) {
                        answers.add(new Answer(now + MS, new ProbeResponse(p.sequence(), ResponseKind.TCP_RESET, -1, -1,
                                DEST, now + MS)));
                    }
                }
            }
            long wake = t.nextWakeup(now);
            long next = answers.isEmpty() ? Long.MAX_VALUE : answers.peek().at;
            if (wake != Long.MAX_VALUE && now + wake <= next) {
                now += Math.max(wake, 1);
                t.onWakeup(now);
            } else if (next != Long.MAX_VALUE) {
                now = Math.max(now, next);
                t.onAnswer(answers.poll().response, now);
            } else {
                break;
            }
        }
        return now;
    }

    private static MultipathPath view(List<Node> p) {
        List<PathHop> hops = new ArrayList<>();
        for (Node n : p) {
            hops.add(new PathHop(n.ttl, Optional.ofNullable(n.address), new HopStatistics(0, 0, 0, 0, Optional.empty())));
        }
        return new MultipathPath(hops, List.of(1, 2), hops.get(hops.size() - 1).statistics(),
                LossBasis.SPACED_PER_RESPONDER);
    }

    private static TcpPathProbing tcp() {
        MultipathRequest request = MultipathRequest.builder("198.19.0.1").pathProbes(100)
                .pathInterval(Duration.ofMillis(10)).build();
        return new TcpPathProbing(request, DEST, false, 65535, 4095, "fake-tcp", 30_000 * MS);
    }

    @Test
    void everyPathGetsAFlowOfItsOwnAndItsLossEndToEndOnDrainedRouters() {
        List<List<Node>> paths = paths();
        TcpPathProbing t = tcp();
        long end = run(t, paths, new double[] {0, 0, 0, 0}, true, new int[1]);
        for (int i = 0; i < 4; i++) {
            assertThat(t.claims(i)).isTrue();
            assertThat(branch(t.flow(i))).as("path %d's flow %d", i, t.flow(i)).isEqualTo(i);
            MultipathPath p = t.path(i, view(paths.get(i)));
            HopStatistics s = p.statistics();
            assertThat(p.lossBasis()).isEqualTo(LossBasis.TCP_END_TO_END);
            assertThat(p.flows()).containsExactly(1, 2); // the discovery's
            assertThat(s.sent()).isEqualTo(100).isEqualTo(s.received() + s.lost() + s.rateLimited());
            // 3 of every 10 probes through branch 2 dropped (its unplaced flows' too): 30 ± 2 of the first 100
            if (i == 2) {
                assertThat(s.lost()).as("path %d", i).isBetween(28, 32);
            } else {
                assertThat(s.lost()).as("path %d", i).isZero();
            }
            assertThat(p.hops().get(1).statistics().sent()).isZero();
        }
        // the routers refill one answer a second: four of them pinned in a few seconds, not at once; the
        // end-to-end probes, sent while the flows are found, count for the path their flow follows
        assertThat(end).isLessThan(10_000 * MS);
        assertThat(t.notes()).anyMatch(n -> n.startsWith("path 3 [") && n.contains("100 probes end to end")
                && n.contains("95 % Wilson interval"));
        assertThat(t.notes()).noneMatch(n -> n.contains("no TCP flow was found"));
    }

    @Test
    void aDestinationThatAnswersNoTcpLeavesThePathsToUdp() {
        TcpPathProbing t = tcp();
        run(t, paths(), new double[] {6, 6, 6, 6}, false, new int[1]);
        for (int i = 0; i < 4; i++) {
            assertThat(t.claims(i)).isFalse();
        }
        assertThat(t.done()).isTrue();
        assertThat(t.notes()).anyMatch(n -> n.startsWith("the destination answered none of the TCP probes"));
    }

    @Test
    void routersThatNeverAnswerLeaveThePathsToUdpAtTheEndOfThePinningTime() {
        TcpPathProbing t = tcp();
        long end = run(t, paths(), new double[] {-1e9, -1e9, -1e9, -1e9}, true, new int[1]);
        for (int i = 0; i < 4; i++) {
            assertThat(t.claims(i)).isFalse();
        }
        assertThat(end).isGreaterThanOrEqualTo(8_000 * MS); // two seconds a path
        assertThat(t.notes()).anyMatch(n -> n.startsWith("no TCP flow was found to follow a path"));
    }

    /**
     * The whole UDP discovery with its TCP part ({@link TcpAssistedMultipath}) on a width-4 diamond whose routers and
     * destination keep Linux's limits, drained just before, branch 2 dropping 30 %, ten hash seeds: every path
     * is measured end to end over TCP with its 100 probes, the lossy one shows its loss and the clean ones none;
     * and the TCP part starts as soon as discovery has sent its last probe, while discovery waits (a whole probe
     * timeout, after refusals) for answers that may still come late, so that its flows are pinned and measured
     * meanwhile and no UDP path probe leaves before it.
     */
    @Test
    void aUdpDiscoveryMeasuresEveryPathOverTcpFromItsLateAnswerWait() {
        for (long seed = 1; seed <= 10; seed++) {
            SimTopology net = SimTopology.diamond(4, seed).kernelLimits().drained(0);
            net.routers.get(3).forwardLoss = 0.30; // 10.0.2.2
            SimDriver d = new SimDriver();
            d.rttPerTtl = 10_000;
            d.pacing = new io.pathprobe.core.internal.ratelimit.RateLimitTable(64, 600L * 1000 * MS);
            MultipathRequest request = MultipathRequest.builder(SimTopology.DESTINATION).pathProbes(100)
                    .deadline(Duration.ofMinutes(2)).build();
            io.pathprobe.multipath.MultipathResult r = d.runWithTcp(request, net, seed);
            assertThat(r.paths()).as("seed %d: %s", seed, r).hasSize(4);
            for (MultipathPath p : r.paths()) {
                HopStatistics s = p.statistics();
                assertThat(p.lossBasis()).as("seed %d: %s", seed, p).isEqualTo(LossBasis.TCP_END_TO_END);
                assertThat(s.sent()).as("seed %d: %s", seed, p).isEqualTo(100)
                        .isEqualTo(s.received() + s.lost() + s.rateLimited());
                if (p.hops().get(1).addressText().equals("10.0.2.2")) {
                    assertThat(p.loss()).as("seed %d: %s", seed, p).isBetween(0.15, 0.50);
                } else {
                    assertThat(s.lost()).as("seed %d: a clean path claims loss: %s", seed, p).isZero();
                }
            }
            assertThat(d.udpBeforeTcp).as("seed %d: UDP probes before the first TCP one", seed)
                    .isBetween(0, r.discoveryProbes() + r.perPacketChecks());
            assertThat(d.firstTcpAt - d.lastUdpBeforeTcpAt).as("seed %d: from discovery's last probe to the first TCP"
                    + " probe (a probe timeout: after the wait)", seed).isLessThan(request.probeTimeout().toNanos());
        }
    }

    /**
     * The TCP part started during discovery's wait, then discovery goes on: TTL 3's answers are held back
     * 300 ms in the first 150 ms (a busy CPU), so its first probes are given up, discovery waits for them,
     * and their answers make it a node after the TCP part began on paths without it. The TCP part stops
     * and starts anew on the paths the path phase gets: every path measured over TCP, counts that add up.
     */
    @Test
    void aTcpPartStartedEarlyStartsAnewWhenDiscoveryGoesOn() {
        for (long seed = 1; seed <= 5; seed++) {
            SimDriver d = new SimDriver();
            d.arrival = (ttl, natural) -> ttl == 3 && natural < 150 * MS ? natural + 300 * MS : natural;
            d.pacing = new io.pathprobe.core.internal.ratelimit.RateLimitTable(64, 600L * 1000 * MS);
            io.pathprobe.multipath.MultipathResult r = d.runWithTcp(MultipathRequest.builder(SimTopology.DESTINATION).maxTtl(8)
                    .pathProbes(100).deadline(Duration.ofMinutes(2)).build(),
                    SimTopology.diamond(4, seed).kernelLimits(), seed);
            assertThat(r.nodes()).as("seed %d: %s", seed, r).noneMatch(io.pathprobe.multipath.MultipathNode::silent);
            assertThat(r.nodesAt(3)).as("seed %d: %s", seed, r).hasSize(1);
            assertThat(r.paths()).as("seed %d: %s", seed, r).hasSize(r.nodesAt(2).size());
            for (MultipathPath p : r.paths()) {
                HopStatistics s = p.statistics();
                assertThat(p.lossBasis()).as("seed %d: %s", seed, p).isEqualTo(LossBasis.TCP_END_TO_END);
                assertThat(s.sent()).as("seed %d: %s", seed, p).isEqualTo(100).isEqualTo(s.received());
            }
        }
    }

    @Test
    void wilsonIntervals() {
        assertThat(Wilson.interval(0, 100)[0]).isZero();
        assertThat(Wilson.interval(0, 100)[1]).isBetween(0.036, 0.038);
        double[] w = Wilson.interval(30, 100);
        assertThat(w[0]).isBetween(0.218, 0.220);
        assertThat(w[1]).isBetween(0.395, 0.397);
        assertThat(Wilson.interval(0, 0)).containsExactly(0, 1);
    }
}
