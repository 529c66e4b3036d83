package io.pathprobe.probe;

/**
 * One MPLS label stack entry a router quoted in its ICMP answer (RFC 4950): the path runs through
 * an MPLS tunnel at that hop.
 *
 * @param label the 20-bit label
 * @param trafficClass the 3-bit traffic class (formerly EXP)
 * @param bottomOfStack whether this is the last entry of the stack
 * @param ttl the entry's TTL
 */
public record MplsLabel(int label, int trafficClass, boolean bottomOfStack, int ttl) {
    @Override
    public String toString() {
        return "L=" + label + ",E=" + trafficClass + ",S=" + (bottomOfStack ? 1 : 0) + ",TTL=" + ttl;
    }
}
