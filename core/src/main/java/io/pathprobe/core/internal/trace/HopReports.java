package io.pathprobe.core.internal.trace;

import io.pathprobe.core.internal.probe.ProbeState;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.trace.Hop;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * A trace's hops as its listener hears of them ({@link TraceStrategy.Events#hopCompleted}): each once, when
 * its probes have settled, but held until the end where what it shows may still change: a miss (whether it
 * was lost, refused or retried is known only then), or the destination's hop while a late answer could
 * still revise a give-up there. Pure; part of {@link TraceStrategy}.
 */
final class HopReports {
    private final int firstTtl;
    private final TraceStrategy.Events events;
    /** The hop at a TTL as known now (losses split by what later TTLs answered so far). */
    private final IntFunction<Hop> hop;
    private final boolean[] reported;
    private final boolean[] held;

    HopReports(int firstTtl, int ttls, TraceStrategy.Events events, IntFunction<Hop> hop) {
        this.firstTtl = firstTtl;
        this.events = events;
        this.hop = hop;
        this.reported = new boolean[ttls];
        this.held = new boolean[ttls];
    }

    /**
     * A probe of the hop at {@code ttl} completed.
     *
     * @param horizon the trace's horizon now (nothing beyond it is reported)
     * @param lateWait whether a give-up at the horizon may still be revised by a late answer
     * @param probes the hop's probes
     * @param settled whether a probe needs no more waiting
     * @param missesAtEnd whether a miss is judged when the trace ends (the tracer's budgets are on)
     */
    void completed(int ttl, int horizon, boolean lateWait, List<ProbeState> probes, Predicate<ProbeState> settled,
            boolean missesAtEnd) {
        int i = ttl - firstTtl;
        if (ttl > horizon || reported[i]) {
            return;
        }
        if (ttl == horizon && lateWait) {
            held[i] = true; // a give-up there may still be revised: the hop is reported then, or at the end
            return;
        }
        if (!probes.stream().allMatch(settled)) {
            return;
        }
        if (missesAtEnd && probes.stream().anyMatch(q -> q.status() == ProbeStatus.TIMEOUT
                || q.status() == ProbeStatus.RATE_LIMITED)) {
            held[i] = true; // a miss: what it was (lost, refused, retried) is known at the end
            return;
        }
        reported[i] = true;
        events.hopCompleted(hop.apply(ttl)); // losses as known now; the result has the final word
    }

    /** The trace ends: the hops held back up to {@code last} whose probes are done are reported, final. */
    void atEnd(int last, IntFunction<List<ProbeState>> probes) {
        for (int ttl = firstTtl; ttl <= last; ttl++) {
            if (held[ttl - firstTtl] && !reported[ttl - firstTtl]
                    && probes.apply(ttl).stream().allMatch(q -> q.completed() || !q.sent())) {
                reported[ttl - firstTtl] = true;
                events.hopCompleted(hop.apply(ttl));
            }
        }
    }
}
