package io.pathprobe.core.internal.multipath;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.ratelimit.RateLimitTable;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.MultipathStatus;
import io.pathprobe.multipath.PathHop;
import io.pathprobe.probe.ProbeProtocol;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Discoveries run back to back on routers that keep Linux's ICMP limits (6, then one a second, per source): the
 * run before drained some of them, so they refuse everything for up to a second, and a fresh tracer (a new process)
 * knows nothing of it. Issue 68 saw on the lab's width-4 diamond, run after run: one path with {@code *} at TTL 2
 * (every middle router drained), a {@code *} at TTL 1 (the first router drained), three of four branches, and the
 * destination at TTL 6 behind two invented {@code *} (its Port Unreachables refused at TTL 4 and 5); and hop rows that
 * claimed loss at routers that forwarded everything. Here each case drains one part of the diamond just before the
 * run (fake time, a fresh rate-limit table): the topology is the diamond's every time, no silent node, the destination
 * at its own TTL, no path or hop claims loss, and every hop row closes (the driver checks it: {@link PathCounts}).
 */
class MultipathBackToBackTest {
    private static final long S = 1_000_000_000L;

    @ParameterizedTest(name = "{0}, {1} drained")
    @CsvSource({"UDP,first router", "UDP,merge router", "UDP,destination", "UDP,first and merge routers and destination",
            "UDP,middle routers", "UDP,everything", "ICMP,first router", "ICMP,merge router",
            "ICMP,first and merge routers and destination", "ICMP,middle routers", "ICMP,everything"})
    void aDiamondDrainedByTheRunBeforeIsFoundWholeAndClaimsNoLoss(ProbeProtocol protocol, String drained) {
        long longest = 0;
        for (long s = 1; s <= 30; s++) {
            long seed = s;
            SimTopology net = SimTopology.diamond(4, seed).kernelLimits();
            Predicate<String> drain = switch (drained) {
                case "first router" -> a -> a.equals("10.0.1.1");
                case "merge router" -> a -> a.equals("10.0.3.1");
                case "destination" -> a -> a.equals(SimTopology.DESTINATION.getHostAddress());
                case "first and merge routers and destination" -> a -> !a.startsWith("10.0.2.");
                case "middle routers" -> a -> a.startsWith("10.0.2.");
                default -> a -> true;
            };
            for (SimTopology.Router r : net.routers) {
                if (drain.test(r.address.getHostAddress())) {
                    r.limit.drain(0);
                }
            }
            if (drain.test(SimTopology.DESTINATION.getHostAddress())) {
                net.destination.limit.drain(0);
            }
            SimDriver d = new SimDriver();
            d.protocol = protocol;
            d.pacing = new RateLimitTable(64, 600 * S); // a fresh process: nothing learned
            MultipathResult r = d.run(MultipathRequest.builder(SimTopology.DESTINATION).protocol(protocol).maxTtl(12)
                    .build(), net, seed);
            assertThat(r.status()).as("seed %d: %s", seed, r).isEqualTo(MultipathStatus.COMPLETED);
            assertThat(r.nodes()).as("seed %d: %s", seed, r).noneMatch(MultipathNode::silent);
            assertThat(r.nodesAt(1)).as("seed %d: %s", seed, r).hasSize(1);
            assertThat(r.nodesAt(2)).as("seed %d: %s", seed, r).hasSize(4);
            assertThat(r.nodesAt(3)).as("seed %d: %s", seed, r).hasSize(1);
            assertThat(r.nodes()).as("seed %d: the destination at its own TTL: %s", seed, r)
                    .filteredOn(MultipathNode::destination).extracting(MultipathNode::ttl).containsExactly(4);
            assertThat(r.paths()).as("seed %d: %s", seed, r).hasSize(4);
            for (MultipathPath p : r.paths()) {
                assertThat(p.addresses()).as("seed %d", seed).allMatch(Optional::isPresent);
                assertThat(p.statistics().lost()).as("seed %d: %s", seed, p).isZero();
                for (PathHop h : p.hops()) {
                    assertThat(h.statistics().lost()).as("seed %d, TTL %d of %s", seed, h.ttl(), p).isZero();
                }
            }
            longest = Math.max(longest, r.duration().toMillis());
        }
        System.out.printf(Locale.ROOT, "%s, %s drained: 30 seeds, the longest %d ms%n", protocol, drained, longest);
    }
}
