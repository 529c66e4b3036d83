package io.pathprobe.bufferbloat;

/** How a bufferbloat test ended (or {@link #RUNNING} in a snapshot). */
public enum BufferbloatStatus {
    /** Every phase ran (stable or not: see the confidences). */
    COMPLETED,
    /** The time limit ended it; the phases that ran are reported. */
    DEADLINE_EXCEEDED,
    /** Cancelled by the caller, or the tracer was closed. */
    CANCELLED,
    /**
     * A load connection failed during a phase (draft-09: the test is aborted); {@link BufferbloatResult#notes()} says
     * why.
     */
    LOAD_FAILED,
    /** Still running: only in {@link io.pathprobe.Measurement#snapshot}. */
    RUNNING
}
