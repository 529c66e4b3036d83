package io.pathprobe.core.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.probe.StopSet;
import io.pathprobe.core.internal.ratelimit.RateLimitTable;
import io.pathprobe.core.internal.runtime.ProbingStrategy;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.trace.TraceRequest;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The strategy alone, its calls made by hand in the order the engine makes them: what it does between
 * {@code next()} and {@code nextWakeup()}, where the engine's loop may be late by any amount.
 */
class DoubletreeStrategyTest {
    private static final long SECOND = 1_000_000_000L;
    private static final int STEM = 10;

    private static InetAddress router(int ttl) throws Exception {
        return InetAddress.getByName("198.18.0." + (4 * ttl - 2));
    }

    /**
     * A backward check held because its router's modelled bucket is empty, and the bucket refilled before the
     * engine asked for the wake-up (a loaded machine): the strategy still asks to be woken, so the check leaves
     * (or is taken from the set) and the trace ends. Before, it waited for nothing: traceAll hung (CI, twice).
     */
    @Test
    void aCheckHeldForABudgetThatCameBackBeforeTheWakeUpWasAskedForIsWokenForAnyway() throws Exception {
        long t0 = 5 * SECOND;
        StopSet stopSet = new StopSet(1000, 60 * SECOND);
        InetAddress[] path = new InetAddress[STEM];
        boolean[] confirmed = new boolean[STEM];
        for (int ttl = 1; ttl <= STEM; ttl++) {
            path[ttl - 1] = router(ttl);
            confirmed[ttl - 1] = true;
        }
        stopSet.enter(path, confirmed, 0, t0, STEM + 1);
        stopSet.reached(STEM + 1);
        RateLimitTable budgets = new RateLimitTable(1000, 60 * SECOND);
        for (int i = 0; i < RateLimitTable.DEFAULT_BURST + 1; i++) {
            budgets.take(router(STEM), t0); // the last router of the stem: drained by the targets before
        }
        assertThat(budgets.over(router(STEM), t0)).isTrue();

        TraceRequest request = TraceRequest.builder("198.19.0.7").protocol(ProbeProtocol.ICMP).maxTtl(STEM + 1)
                .probesPerTtl(1).build();
        DoubletreeStrategy s = new DoubletreeStrategy(request, InetAddress.getByName("198.19.0.7"),
                ProbeProtocol.ICMP, "test", Optional.empty(), 65_535, 16, true, stopSet, budgets, Instant.EPOCH, t0);

        ProbeSpec forward = s.next(t0);
        assertThat(forward).isNotNull();
        assertThat(forward.ttl()).as("forward probing starts where the destinations were reached").isEqualTo(STEM + 1);
        s.onSendFailed(forward, "test: refused", false, false, t0); // the forward walk ends at the last TTL
        assertThat(s.next(t0)).as("the check at TTL %d waits for its router's budget", STEM).isNull();
        assertThat(s.done()).isFalse();

        long late = t0 + 2 * SECOND; // the loop got to the wake-up late: the bucket has refilled meanwhile
        assertThat(budgets.over(router(STEM), late)).isFalse();
        long wake = s.nextWakeup(late);
        assertThat(wake).as("a trace that is not done waits for something").isNotEqualTo(ProbingStrategy.NO_WAKEUP);
        assertThat(wake).isLessThanOrEqualTo(0);

        ProbeSpec check = s.next(late + wake);
        assertThat(check).as("woken, the check leaves").isNotNull();
        assertThat(check.ttl()).isEqualTo(STEM);
    }
}
