package io.pathprobe.core.internal.multipath;

import io.pathprobe.core.internal.multipath.MdaPlanner.Want;
import io.pathprobe.core.internal.multipath.MultipathGraph.Cell;
import io.pathprobe.core.internal.multipath.MultipathGraph.Ttl;
import io.pathprobe.core.internal.probe.WaitPolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * When a discovery flow that got no answer at a TTL is silent there: only with evidence that survives ICMP rate
 * limits. Every router limits the errors it sends (Linux: 6 back to back to one source, then one a second), and a
 * router another run drained just before this one refuses everything for up to a second: a flow unanswered after its
 * quick tries is no silent node (a {@code *} beside the router, or a whole TTL of {@code *} and "one path") and no
 * sample of "no new node" for the stopping rule (a refusal by one node says nothing of which node the flow reached: a
 * width-4 diamond drained by the run before was reported with 3 of its 4 branches). Such a flow waits and is sent
 * again in waves, {@link #REFILL_NANOS} after its last try (a drained Linux limiter has a token again by then); a try
 * is evidence of silence only when it is quiet: it left at least {@link #REFILL_NANOS} after its TTL was first probed
 * and after the last answer heard at its TTL (and, where the destination may be at that TTL, the destination's last
 * answer), and nothing was heard there by the time it was given up: every limiter that could be at that TTL had a token
 * (only answers spend one) and none answered. A flow is silent after {@value #QUIET_WAVES} quiet waves of the
 * request's probes per TTL each (one, where its TTL already has a silent node shown so: a flow more for it is no new
 * node); until then it is unresolved, and the stopping rule waits for it. A real silent router costs about
 * {@value #QUIET_WAVES} seconds more; a lossy link costs its flows more tries (30 % loss each way loses a try 51 % of
 * the time: 8 tries, 0.5 %). Pure; confined to the engine loop; part of {@link MdaPlanner}.
 */
final class QuietTries {
    /** A drained Linux limiter (icmp_ratelimit 1000 ms) has a token again after a second; 5 % for the kernel's tick. */
    static final long REFILL_NANOS = 1_050_000_000L;
    /** Quiet waves (each of the request's probes per TTL) before an unanswered flow is silent. */
    static final int QUIET_WAVES = 3;

    private final MultipathGraph graph;
    private final int copies;
    /** Flows unanswered after their quick tries, waiting for their next wave. */
    private final List<Cell> waiting = new ArrayList<>();
    /** The latest answer from the destination, at any TTL (its answers spend one budget), or Long.MIN_VALUE. */
    private long destinationHeard = Long.MIN_VALUE;

    /**
     * @param graph what discovery knows
     * @param copies probes a wave sends of each waiting flow (the request's probes per TTL)
     */
    QuietTries(MultipathGraph graph, int copies) {
        this.graph = graph;
        this.copies = Math.max(1, copies);
    }

    /** A discovery probe at {@code ttl} was answered at {@code now} ({@code destination}: by the destination). */
    void heard(int ttl, boolean destination, long now) {
        graph.ttls[ttl].lastHeard = now;
        if (destination) {
            destinationHeard = now;
        }
    }

    /**
     * Whether the try {@code s}, given up unanswered, is evidence that its flow is silent at its TTL: it left
     * {@link #REFILL_NANOS} or more after the TTL was first probed and after anything was last heard there, and
     * nothing was heard there since.
     */
    boolean quiet(Sent s) {
        Cell c = s.cell;
        if (c == null) {
            return false;
        }
        Ttl t = graph.ttls[c.ttl];
        long sent = s.state.sentTick();
        if (t.firstSentTick < 0 || sent - t.firstSentTick < REFILL_NANOS) {
            return false; // a limiter drained before this run looked has had no refill yet
        }
        long from = sent - REFILL_NANOS;
        if (heardSince(t.lastHeard, from)) {
            return false; // a router there answered: its token went to another flow
        }
        boolean mayHoldDestination = t.nodes.isEmpty() || t.nodes.values().stream().anyMatch(n -> n.destination);
        return !(mayHoldDestination && heardSince(destinationHeard, from));
    }

    private static boolean heardSince(long heard, long from) {
        return heard != Long.MIN_VALUE && heard - from >= 0;
    }

    /**
     * Cell {@code c} got no answer after its quick tries: it waits for its next wave, unless it had its
     * {@value #QUIET_WAVES} quiet waves (then false: it is silent).
     */
    boolean await(Cell c, long now) {
        int waves = graph.ttls[c.ttl].silent != null ? 1 : QUIET_WAVES;
        if (c.quiet >= waves * copies) {
            return false;
        }
        c.waveAt = Math.max(now, WaitPolicy.plus(c.lastSentTick, REFILL_NANOS));
        if (!waiting.contains(c)) {
            waiting.add(c);
        }
        return true;
    }

    /**
     * Queues the waves due by {@code now} (each waiting flow's probes, nearest TTL first, so that a destination
     * that answers one of several TTLs answers the nearest), and forgets the flows resolved meanwhile or beyond
     * {@code horizon} (the destination's TTL).
     */
    void release(long now, int horizon, ArrayDeque<Want> queue) {
        if (waiting.isEmpty()) {
            return;
        }
        waiting.removeIf(c -> c.resolved() || c.ttl > horizon);
        List<Cell> due = new ArrayList<>();
        for (Cell c : waiting) {
            if (c.waveAt - now <= 0 && c.pending == 0) {
                due.add(c);
            }
        }
        due.sort(Comparator.comparingInt((Cell c) -> c.ttl).thenComparingInt(c -> c.flow));
        for (Cell c : due) {
            waiting.remove(c);
            c.waveAt = Long.MAX_VALUE;
            for (int i = 0; i < copies; i++) {
                queue.add(new Want(c.ttl, c.flow, Sent.Kind.DISCOVERY, -1, 0));
            }
        }
    }

    /** The tick of the next wave, or Long.MAX_VALUE. */
    long nextWave() {
        long next = Long.MAX_VALUE;
        for (Cell c : waiting) {
            if (!c.resolved() && (next == Long.MAX_VALUE || c.waveAt - next < 0)) {
                next = c.waveAt;
            }
        }
        return next;
    }

    /** Whether a flow up to TTL {@code horizon} waits for a wave (discovery does not end before it is decided). */
    boolean waiting(int horizon) {
        return waiting.stream().anyMatch(c -> !c.resolved() && c.ttl <= horizon);
    }

    /** Whether cell {@code c} waits for a wave. */
    boolean waits(Cell c) {
        return waiting.contains(c);
    }
}
