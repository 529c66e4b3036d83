package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.MultipathNode;
import io.pathprobe.MultipathPath;
import io.pathprobe.MultipathRequest;
import io.pathprobe.MultipathResult;
import io.pathprobe.PathTracer;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 21 on real kernel routers that keep Linux's default ICMP rate limits (no
 * {@code icmpUnlimited()}): per source a burst of 6 Time Exceeded / Unreachable then one a second.
 */
@LabTest
@Timeout(300)
class RateLimitLabTest {
    private static final double CONFIDENCE = 99.9;

    static MultipathResult discover(InetAddress target, UnaryOperator<MultipathRequest.Builder> options) {
        try (PathTracer t = PathTracer.builder().packetsPerSecond(0).offline().build()) {
            MultipathResult r = t.discoverPaths(options.apply(MultipathRequest.builder(target).maxTtl(12)
                    .confidence(CONFIDENCE)).build());
            System.out.printf(Locale.ROOT, "%s %s: %d discovery probes (%d in all), %d ms, %s, nodes %s, %d paths, notes %s%n",
                    r.transport(), r.protocol(), r.discoveryProbes(), r.probes(), r.duration().toMillis(), r.status(),
                    nodesByTtl(r), r.paths().size(), r.notes());
            for (MultipathPath p : r.paths()) {
                System.out.printf(Locale.ROOT, "  path %s: loss %.3f over %d (%s)%n", p.addresses(), p.loss(),
                        p.statistics().sent(), p.statistics());
            }
            return r;
        }
    }

    static Map<Integer, Set<InetAddress>> nodesByTtl(MultipathResult r) {
        return r.nodes().stream().filter(n -> !n.silent()).collect(Collectors.groupingBy(MultipathNode::ttl, TreeMap::new,
                Collectors.mapping(n -> n.address().orElseThrow(), Collectors.toSet())));
    }

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {4})
    void multipathOnKernelDefaultLimits(int width) {
        try (Lab lab = Lab.diamond(width, EcmpHash.LINUX_L4).inCurrentNamespace().build()) {
            MultipathResult r = discover(lab.destination(), b -> b);
            assertThat(r.paths()).hasSize(width);
        }
    }
}
