package io.pathprobe.spi;

/**
 * How a session chooses the flow of each probe: the header fields that load balancers hash (the
 * UDP/TCP ports, the ICMP echo checksum, the IPv6 flow label). Probes of one flow follow one path
 * through an ECMP network; probes of different flows may take different paths.
 *
 * <p>May grow.
 */
public enum FlowPolicy {
    /**
     * Every probe of the session carries the same flow, {@link SessionSpec#flow()} (Paris
     * traceroute): a trace walks exactly one of the paths a load balancer offers.
     */
    FIXED,
    /**
     * Each probe may carry a different flow, chosen by the transport (classic traceroute, whose UDP
     * destination port counts up): a trace may see hops of several paths at one TTL.
     */
    PER_PROBE,
    /**
     * The engine chooses the flow of each probe ({@link ProbeSpec#flow()}, 0 to
     * {@link ProbeSession#maxFlow()}): multipath discovery, Dublin-style traces over N flows.
     */
    EXPLICIT
}
