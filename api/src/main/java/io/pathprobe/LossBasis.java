package io.pathprobe;

/**
 * Which probes a multipath path's loss ({@link MultipathPath#loss()}) comes from: probes that no
 * ICMP rate limiter drops, so that a path that loses nothing shows no loss on routers that limit
 * what they send (every router on the Internet does). May grow.
 */
public enum LossBasis {
    /**
     * End to end: probes to the destination along the path's flow, whose answers are not rate
     * limited (ICMP echo replies, TCP SYN-ACK or RST), or were never found limited.
     */
    END_TO_END,
    /**
     * The destination limits its answers (a UDP probe's port unreachable is an ICMP error): the
     * path probes to it were spaced under its learned budget, and a probe it left unanswered over
     * that budget is {@link ProbeStatus#RATE_LIMITED}, not lost.
     */
    SPACED_PER_RESPONDER
}
