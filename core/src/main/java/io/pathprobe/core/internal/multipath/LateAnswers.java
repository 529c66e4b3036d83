package io.pathprobe.core.internal.multipath;

import io.pathprobe.core.internal.probe.ProbeLedger;
import io.pathprobe.core.internal.probe.ProbeState;
import io.pathprobe.core.internal.probe.WaitPolicy;
import io.pathprobe.probe.ProbeStatus;
import java.util.List;

/**
 * When discovery may end while answers can still come. A flow counted as refused by a known node
 * ({@link MultipathRateLimits#refusedByKnown}) was given up by the adaptive wait, which a slow answer
 * outlasts as well: discovery ends only once it had its whole probe timeout, so that an answer that
 * was only late still shows a node not seen yet (and the stopping rule then asks for its probes).
 * Likewise, a TTL short of the destination's that answered nothing at all, though a later TTL did,
 * had its probes given up early (the adaptive wait lets a silent hop go in milliseconds once a later
 * TTL answered), and their answers may still come:
 * on busy CPUs the kernel defers forwarding, and one hop's answers can arrive long after a later
 * hop's. Discovery ends, and the paths are enumerated, only once the last of those probes has had its
 * whole probe timeout, so that a late answer still makes the hop a node (and the stopping rule then
 * asks for its probes). A real silent hop costs at most one probe timeout; one whose answers come
 * late costs only their delay. Until when a given-up probe may still be answered is the ledger's rule
 * ({@link ProbeLedger#answerPossibleUntil}); this class says which probes discovery waits for. Pure;
 * part of {@link MultipathStrategy}.
 */
final class LateAnswers {
    private LateAnswers() {}

    /**
     * @param horizon the lowest TTL where the path ended (the destination's), or beyond the last
     * @param ledger the discovery's ledger: until when each given-up probe may still be answered
     * @return the tick until which discovery is held, or Long.MAX_VALUE when no answer may still come
     */
    static long holdUntil(List<Sent> sent, MultipathGraph graph, int horizon, ProbeLedger ledger, long now) {
        long until = now;
        for (Sent s : sent) {
            ProbeState p = s.state;
            boolean silentHop = p.status() == ProbeStatus.TIMEOUT && p.ttl() < horizon
                    && graph.ttls[p.ttl()].nodes.isEmpty() && answeredBeyond(graph, p.ttl(), horizon);
            // a flow counted as refused by a known node was given up by the adaptive wait: if its answer
            // is only slow (a cold JVM, busy CPUs), it may still show a node not seen yet
            boolean refused = s.cell != null && s.cell.refused; // (an answer clears it)
            if (s.kind == Sent.Kind.DISCOVERY && (silentHop || refused)) {
                // a probe of a refused flow that was not given up (its unreachable made the flow a refusal:
                // MultipathGraph.unreachable) takes no late answer; discovery is held a probe timeout from its
                // send all the same
                long end = givenUp(p) ? ledger.answerPossibleUntil(p)
                        : WaitPolicy.plus(p.sentTick(), ledger.waits().timeoutNanos());
                if (end != Long.MIN_VALUE && end - until > 0) {
                    until = end;
                }
            }
        }
        return until != now ? until : Long.MAX_VALUE;
    }

    private static boolean givenUp(ProbeState p) {
        return p.status() == ProbeStatus.TIMEOUT || p.status() == ProbeStatus.RATE_LIMITED;
    }

    /** Whether a TTL beyond {@code ttl} (up to the horizon) has an answering node. */
    private static boolean answeredBeyond(MultipathGraph graph, int ttl, int horizon) {
        for (int t = ttl + 1; t < graph.ttls.length && t <= horizon; t++) {
            if (!graph.ttls[t].nodes.isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
