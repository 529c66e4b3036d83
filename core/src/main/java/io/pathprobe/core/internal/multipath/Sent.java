package io.pathprobe.core.internal.multipath;

import io.pathprobe.core.internal.probe.ProbeState;
import org.jspecify.annotations.Nullable;

/** One multipath probe sent (or about to be): its ledger state and what it was for. */
final class Sent {
    enum Kind { DISCOVERY, CHECK, PATH }

    final ProbeState state;
    final Kind kind;
    final MultipathGraph.@Nullable Cell cell;
    final int path;
    /**
     * A path probe answered off its path by a router at its TTL (a route change, per-packet balancing): not the path's.
     */
    boolean drift;
    /**
     * A path probe that did not reach its hop: a router before it answered an unreachable, or (at the
     * destination's hop) a router answered in the destination's place. Lost on the way for its hop.
     */
    boolean unreached;
    /**
     * A path probe sent again for a round whose first miss at the destination the evidence showed lost
     * ({@code MultipathRateLimits#classify}): the round is that miss's, not this probe's.
     */
    boolean superseded;
    /** The responder expected to answer it (the flow's known node, or the TTL's one node), or null. */
    java.net.@Nullable InetAddress expected;
    /** Whether {@link #expected}'s learned budget was spent when it left ({@code RateLimitModel#take}). */
    boolean over;
    /**
     * Whether {@link #expected} was a limiter whose pace the table knew when it left (its probes then leave under that
     * pace, each with a token as far as the table knows: a miss is not its refusal but for another prober).
     */
    boolean paced;

    Sent(ProbeState state, Kind kind, MultipathGraph.@Nullable Cell cell, int path) {
        this.state = state;
        this.kind = kind;
        this.cell = cell;
        this.path = path;
    }
}
