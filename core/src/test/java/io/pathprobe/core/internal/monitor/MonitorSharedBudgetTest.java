package io.pathprobe.core.internal.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.runtime.ProbingStrategy;
import io.pathprobe.core.internal.sim.OneLimiter;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.core.internal.trace.Flows;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.trace.TraceRequest;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A monitor whose path crosses a paced router whose budget another measurement always takes first (the tracer's
 * budgets are shared: a hundred monitors through one router): its rounds still start, each after one wait. Driven
 * by plain calls on made-up times; nothing answers, so every round ends on its probes' timeout.
 */
class MonitorSharedBudgetTest {
    private static final long MS = 1_000_000L;
    private static final InetAddress DESTINATION = Scenario.address(192, 0, 2, 1);
    private static final InetAddress ROUTER = Scenario.address(10, 0, 1, 1);

    /** A router remembered at TTL 1, paced, whose token is always gone when this monitor looks: 5 ms to wait. */
    private static final class AlwaysTakenFirst extends OneLimiter {
        int delays;

        AlwaysTakenFirst() {
            super(ROUTER, 1);
        }

        @Override
        public long delay(InetAddress responder, long now) {
            if (!responder.equals(ROUTER)) {
                return 0;
            }
            delays++;
            return 5 * MS;
        }
    }

    @Test
    void aRoundWaitsForASharedRoutersBudgetOnceThenStarts() {
        MonitorRequest request = MonitorRequest.builder(TraceRequest.builder(DESTINATION).probesPerTtl(1).protocol(ProbeProtocol.ICMP).maxTtl(3).probeTimeout(Duration.ofMillis(50)).build())
                .rounds(5).interval(Duration.ofMillis(100)).build();
        AlwaysTakenFirst pacing = new AlwaysTakenFirst();
        List<MonitorRound> rounds = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        MonitorStrategy s = new MonitorStrategy(request, DESTINATION, ProbeProtocol.ICMP, "test", Optional.empty(),
                65_535, 64, Flows.PARIS, pacing, Instant.EPOCH, 0, rounds::add, true);
        long now = 0;
        long end = 10_000 * MS;
        while (!s.done() && now < end) {
            for (ProbeSpec p = s.next(now); p != null; p = s.next(now)) {
                if (p.ttl() == 1) {
                    starts.add(now);
                }
                s.onSent(p, now, now);
            }
            if (s.done()) {
                break;
            }
            long wait = s.nextWakeup(now);
            if (wait == ProbingStrategy.NO_WAKEUP) {
                break;
            }
            now += Math.max(wait, 1);
            s.onWakeup(now);
        }
        assertThat(s.done()).as("all 5 rounds ended within 10 s (at %d ms, rounds %s)", now / MS, rounds).isTrue();
        MonitorResult r = s.outcome(ProbingStrategy.Stop.COMPLETED, now);
        assertThat(r.rounds()).isEqualTo(5);
        assertThat(rounds).extracting(MonitorRound::number).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(pacing.delays).as("the router's budget was asked for").isPositive();
        assertThat(starts).hasSize(5);
        // each round waited once, 5 ms, for the budget another measurement took (the first round at 5 ms; the next
        // ones 5 ms after they were due, an interval after the one before started)
        assertThat(starts.get(0)).isEqualTo(5 * MS);
        for (int i = 1; i < starts.size(); i++) {
            assertThat(starts.get(i) - starts.get(i - 1)).as("round %d after round %d", i + 1, i)
                    .isEqualTo(105 * MS);
        }
    }
}
