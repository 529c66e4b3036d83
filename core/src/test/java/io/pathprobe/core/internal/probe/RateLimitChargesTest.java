package io.pathprobe.core.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.ratelimit.RateLimitCharges;
import io.pathprobe.core.internal.ratelimit.RateLimitTable;
import io.pathprobe.core.internal.sim.IcmpLimiter;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RateLimitCharges}: traces in a row through a Linux-limited router, on fake time: refusals are
 * RATE_LIMITED, silence stays lost. In the probe package: it drives the probes' ledger-only transitions by hand.
 */
@org.junit.jupiter.api.Timeout(5)
class RateLimitChargesTest {
    private static final long MS = 1_000_000;
    private static final InetAddress DEST = Scenario.address(198, 19, 0, 1);
    private static final InetAddress ROUTER = Scenario.address(198, 18, 0, 2);

    /** Linux's per-destination bucket: 6, then one a second. */
    private final IcmpLimiter router = new IcmpLimiter(6, 1000 * MS);

    private final ProbeLedger ledger = new ProbeLedger(i -> null, new SequenceSpace(65535, 100),
            new WaitPolicy(1000 * MS, true), DEST, ProbeProtocol.UDP, 1, 5, p -> {});

    /** One trace of three probes at TTL 1 (the router) and three at TTL 2 (a router that never answers). */
    private List<ProbeState> trace(RateLimitTable table, long now) {
        RateLimitCharges tracker = new RateLimitCharges(table, DEST);
        List<ProbeState> probes = new ArrayList<>();
        for (int ttl = 1; ttl <= 2; ttl++) {
            for (int a = 0; a < 3; a++) {
                ProbeState p = new ProbeState(ttl, a, probes.size());
                p.markSent(a, now, -1);
                tracker.sent(p, now);
                probes.add(p);
                if (ttl == 1 && router.allows(now)) {
                    p.answer(ROUTER, 50_000, now, 11, 0, false, -1, -1, List.of());
                    p.complete(ProbeStatus.REPLY);
                    tracker.answered(p, ROUTER, now);
                } else {
                    p.complete(ProbeStatus.TIMEOUT);
                    tracker.timedOut(p, now + 5 * MS, ledger);
                }
            }
        }
        tracker.classify(ledger);
        return probes;
    }

    private static List<ProbeStatus> statuses(List<ProbeState> probes, int ttl) {
        return probes.stream().filter(p -> p.ttl() == ttl).map(ProbeState::status).toList();
    }

    @Test
    void refusalsAfterTheBurstAreRateLimitedAndASilentRouterStaysLost() {
        RateLimitTable table = new RateLimitTable(16, 600_000 * MS);
        long now = 0;
        for (int i = 0; i < 2; i++, now += 10 * MS) {
            List<ProbeState> t = trace(table, now);
            assertThat(statuses(t, 1)).containsOnly(ProbeStatus.REPLY);
            assertThat(statuses(t, 2)).containsOnly(ProbeStatus.TIMEOUT);
        }
        List<ProbeState> third = trace(table, now);
        assertThat(statuses(third, 1)).as("the router's burst is spent").containsOnly(ProbeStatus.RATE_LIMITED);
        assertThat(statuses(third, 2)).as("nothing ever answered there").containsOnly(ProbeStatus.TIMEOUT);
        assertThat(table.limited(ROUTER)).isTrue();
        // a second later the router answers one probe a trace; the others are still its refusals
        List<ProbeState> later = trace(table, now + 1100 * MS);
        assertThat(statuses(later, 1)).containsExactlyInAnyOrder(ProbeStatus.REPLY, ProbeStatus.RATE_LIMITED,
                ProbeStatus.RATE_LIMITED);
    }
}
