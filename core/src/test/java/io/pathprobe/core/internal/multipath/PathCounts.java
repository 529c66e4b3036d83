package io.pathprobe.core.internal.multipath;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.PathHop;
import io.pathprobe.trace.HopStatistics;

/**
 * What every multipath result's counts satisfy, whatever happened on the way: on every hop of every
 * path, {@code sent = received + lost + rateLimited + abandoned} (a probe answered off the path, by
 * another router at its TTL, is not the hop's and not in its sent; one that did not reach its hop, a
 * router answering in its place, is lost there), {@code lost = forwardLost + backwardLost}, and the
 * path's own statistics are its last hop's; on a path that lost nothing no hop claims loss.
 */
final class PathCounts {
    private PathCounts() {}

    static void assertAddUp(MultipathResult r) {
        for (MultipathPath p : r.paths()) {
            for (PathHop h : p.hops()) {
                HopStatistics s = h.statistics();
                assertThat(s.sent()).as("sent = received + lost + rate-limited + abandoned at TTL %d of %s in %s",
                        h.ttl(), p, r).isEqualTo(s.received() + s.lost() + s.rateLimited() + s.abandoned());
                assertThat(s.lost()).as("lost = forward + backward at TTL %d of %s", h.ttl(), p)
                        .isEqualTo(s.forwardLost() + s.backwardLost());
            }
            assertThat(p.statistics()).as("a path's statistics are its last hop's: %s", p)
                    .isEqualTo(p.hops().get(p.hops().size() - 1).statistics());
            if (p.statistics().lost() == 0) {
                // hop loss is claimed only where the path beyond lost too
                assertThat(p.hops()).as("no hop claims loss on a path that lost nothing: %s in %s", p, r)
                        .allSatisfy(h -> assertThat(h.statistics().lost()).isZero());
            }
        }
    }
}
