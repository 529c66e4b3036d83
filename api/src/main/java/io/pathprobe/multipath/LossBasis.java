package io.pathprobe.multipath;


import io.pathprobe.probe.ProbeStatus;
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
    SPACED_PER_RESPONDER,
    /**
     * End to end over TCP for a discovery of another protocol (UDP, whose answers from the destination
     * are Port Unreachables, ICMP errors a destination rate-limits), once the destination was found (or
     * known) to limit them: TCP SYN probes to the destination
     * along a TCP flow found to follow the path (TTL-limited TCP probes answered by the routers where
     * the paths part), whose answers (SYN-ACK or RST) are not rate limited. The path's
     * {@link MultipathPath#flows()} stay the discovery's; the TCP flow, the probe count and a 95 %
     * interval of the loss are in the result's notes. The path's hops before the destination keep the
     * UDP path probes sent to them before.
     */
    TCP_END_TO_END
}
