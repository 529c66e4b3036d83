package io.pathprobe;

/** How a monitor ended, or that it still runs. */
public enum MonitorStatus {
    /** Still running (a snapshot). */
    RUNNING,
    /** It ran the rounds it was asked for ({@link MonitorRequest#rounds()}). */
    COMPLETED,
    /** Cancelled ({@link Monitor#cancel()}, an interrupt, or the tracer closed): the result is partial. */
    CANCELLED,
    /** The deadline ({@link MonitorRequest#deadline()}) passed: the result holds every round completed by then. */
    DEADLINE_EXCEEDED
}
