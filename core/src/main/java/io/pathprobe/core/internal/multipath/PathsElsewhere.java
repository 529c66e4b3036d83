package io.pathprobe.core.internal.multipath;

import io.pathprobe.core.internal.multipath.MultipathGraph.Node;
import io.pathprobe.multipath.MultipathPath;
import java.util.List;

/**
 * The paths the path phase ({@link PathProbing}) leaves to probes of another protocol
 * ({@link TcpPathProbing}): told the paths when the phase starts, it may hold the phase's own
 * probes while it pins its flows (both spend the routers' ICMP budgets), and it measures the paths
 * it claims; the phase ends when it is done too. Confined to the engine loop.
 */
interface PathsElsewhere {
    /** Nothing is measured elsewhere. */
    PathsElsewhere NONE = new PathsElsewhere() {};

    /**
     * The path phase, over {@code paths} (in {@link PathProbing}'s order) of {@code graph}: started when
     * the phase starts and its probes are too many for a destination that limits its answers to give
     * them all in time, or when the destination is found to limit them. Nothing is claimed before
     * {@link #needed}.
     */
    default void start(List<List<Node>> paths, MultipathGraph graph, long now) {}

    /** Discovery went on after an early {@link #start}: nothing more is sent until the next start. */
    default void pause() {}

    /** The destination limits its answers (learned now, or known before): the paths pinned may be claimed. */
    default void needed(long now) {}

    /**
     * Whether probes sent here spent the ICMP budgets of the routers at {@code ttl} shortly before {@code tick}
     * ({@link SpentBudgets}): a path probe's miss there is then no loss.
     */
    default boolean spentBudgets(int ttl, long tick) {
        return false;
    }

    /** Whether the phase's own path probes wait. */
    default boolean holding() {
        return false;
    }

    /** Whether path {@code path} is measured here (the phase sends it no probes). */
    default boolean claims(int path) {
        return false;
    }

    /** Whether the phase need not wait for anything here (all ended, or nothing {@link #needed}). */
    default boolean done() {
        return true;
    }

    /**
     * Path {@code path} as measured here, from the phase's {@code view} of it (its hops, flows).
     * Called only for a path {@link #claims} holds.
     */
    default MultipathPath path(int path, MultipathPath view) {
        return view;
    }
}
