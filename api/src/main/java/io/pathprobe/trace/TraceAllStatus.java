package io.pathprobe.trace;


import io.pathprobe.PathTracer;
/** How a {@link PathTracer#measure traceAll} ended. Each target's own status is in its {@link TraceResult}. */
public enum TraceAllStatus {
    /** Every target's trace ended on its own (or could not start: its status says why). */
    COMPLETED,
    /** Cancelled: targets still running ended CANCELLED with what they had. */
    CANCELLED,
    /** The request's deadline passed. */
    DEADLINE_EXCEEDED,
    /** Still running: only in snapshots. */
    RUNNING
}
