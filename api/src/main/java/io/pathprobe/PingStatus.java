package io.pathprobe;

/** How a ping ended (or {@link #RUNNING} in a snapshot). May grow. */
public enum PingStatus {
    /** Every target sent its count of probes and each probe was answered or given up. */
    COMPLETED,
    /** The ping was cancelled (the only way an until-cancelled ping ends, besides its deadline). */
    CANCELLED,
    /** The overall deadline passed first; the result holds what was learned until then. */
    DEADLINE_EXCEEDED,
    /** Still running: only seen in {@link Ping#snapshot()}. */
    RUNNING
}
