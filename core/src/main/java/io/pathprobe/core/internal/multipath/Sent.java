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
    /** A path probe answered off its path. */
    boolean drift;

    Sent(ProbeState state, Kind kind, MultipathGraph.@Nullable Cell cell, int path) {
        this.state = state;
        this.kind = kind;
        this.cell = cell;
        this.path = path;
    }
}
