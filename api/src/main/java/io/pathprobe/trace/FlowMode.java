package io.pathprobe.trace;

/**
 * How the probes of a trace choose their flow: the header bytes load balancers hash to pick a path
 * (UDP/TCP ports, the ICMP echo checksum, the IPv6 flow label).
 *
 * <p>May grow: don't switch over it exhaustively without a default.
 */
public enum FlowMode {
    /**
     * Paris traceroute (the default): every probe of a flow carries identical hashed bytes, so one
     * trace follows one path through load balancers, and each hop is adjacent to the next. With
     * {@link TraceRequest.Builder#flows(int)} above 1, the probes of each TTL are spread over that
     * many flows (Dublin traceroute): each flow follows its own path.
     */
    PARIS,
    /**
     * Classic traceroute: the flow may change with every probe (UDP destination port counting up,
     * ICMP checksum following the sequence), so one trace may show hops of several paths at one TTL.
     */
    CLASSIC
}
