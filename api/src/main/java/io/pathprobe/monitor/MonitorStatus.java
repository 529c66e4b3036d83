package io.pathprobe.monitor;


import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
/** How a monitor ended, or that it still runs. */
public enum MonitorStatus {
    /** Still running (a snapshot). */
    RUNNING,
    /** It ran the rounds it was asked for ({@link MonitorRequest#rounds()}). */
    COMPLETED,
    /**
     * Cancelled ({@link io.pathprobe.Measurement#cancel}, an interrupt, or the tracer closed): the result is partial.
     */
    CANCELLED,
    /** The deadline ({@link MonitorRequest#deadline()}) passed: the result holds every round completed by then. */
    DEADLINE_EXCEEDED,
    /**
     * No probe could leave this host: it has no route to the destination (as {@link TraceStatus#NO_ROUTE}). The
     * monitor ended after its first round, whose trace ({@link MonitorResult#lastRound()}) says what the system
     * answered ({@link TraceResult#sendFailure()}).
     */
    NO_ROUTE,
    /**
     * No probe could leave this host for another lasting reason: no source address of the destination's family (an
     * IPv6 target on an IPv4-only host), an address it cannot use as given (a link-local address without its
     * interface) (as {@link TraceStatus#SEND_FAILED}). The monitor ended after its first round, as for
     * {@link #NO_ROUTE}.
     */
    SEND_FAILED
}
