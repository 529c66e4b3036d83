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
    /** The responder expected to answer it (the flow's known node, or the TTL's one node), or null. */
    java.net.@Nullable InetAddress expected;
    /** Whether {@link #expected}'s learned budget was spent when it left ({@code RateLimitModel#take}). */
    boolean over;

    Sent(ProbeState state, Kind kind, MultipathGraph.@Nullable Cell cell, int path) {
        this.state = state;
        this.kind = kind;
        this.cell = cell;
        this.path = path;
    }
}
