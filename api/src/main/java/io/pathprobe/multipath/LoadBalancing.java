package io.pathprobe.multipath;

/** How a load balancer spreads probes over its next hops. */
public enum LoadBalancing {
    /** By flow: every probe of one flow takes the same next hop (ECMP hashing). */
    PER_FLOW,
    /**
     * Per packet: probes of one flow were answered by different next hops at the same TTL, so the
     * branches behind this node are not a property of flows and their number is not a width (it
     * would grow with every probe); discovery stops widening there.
     */
    PER_PACKET
}
