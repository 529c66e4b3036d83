package io.pathprobe.diff;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One TTL of a {@link PathSnapshot}: who answered there and the probes' counts and RTTs, as a trace's
 * {@link io.pathprobe.trace.Hop} or a monitor's {@link io.pathprobe.monitor.MonitorHop} gives them.
 *
 * @param ttl the hop number
 * @param addresses every address that answered here (a router a traceAll took from its stop set with 0 replies), in
 *     the order of their text (IPv6 in RFC 5952 form); empty where nothing answered
 * @param identities per answer that carried an RFC 5837 incoming interface or a Node Identification object, its
 *     address and those objects ({@code 198.18.251.1 <INC:101,"ge-0/0/1",mtu=1500;NODE:198.18.252.1,"r1">}), each
 *     once, in the order of their text; empty where no answer carried them (and for a monitor's hop)
 * @param asns the AS numbers of the responders where enrichment found them, most answering responder first, each once
 * @param firstAsn the AS number of the most answering responder, where found
 * @param received probes answered
 * @param lost probes the path lost: a trace's forward losses (no later TTL of the same round answered either), a
 *     monitor's losses (its statistics count a router's silence while later hops answered as rate-limited)
 * @param backwardLost probes this router did not answer while the path went on (a later TTL of the same round
 *     answered): the router's answer lost or never sent, not a lossy link; 0 for a monitor's hop
 * @param rateLimited probes left unanswered because their responder was over its ICMP rate limit: neither
 *     received nor lost
 * @param rttMin the smallest RTT (the least queueing and host delay): a trace's samples', a monitor's best; empty
 *     when nothing answered
 * @param rttStdDev the standard deviation of the RTTs ({@link Duration#ZERO} when nothing or one answered)
 */
record HopSnapshot(int ttl, List<InetAddress> addresses, List<String> identities, List<Long> asns,
        OptionalLong firstAsn, long received, long lost, long backwardLost, long rateLimited, Optional<Duration> rttMin,
        Duration rttStdDev) {

    /** {@return whether nothing answered at this TTL} */
    boolean silent() {
        return addresses.isEmpty();
    }

    /**
     * {@return whether nothing answered here though probes were seen unanswered (lost, or not answered by this router
     * while the path went on) and none was refused by a rate limit} A silent hop where the router's ICMP rate limit
     * showed (a probe {@link #rateLimited()}: its other misses are most likely the limit's too), whose probes were
     * all abandoned, or that a traceAll took from its stop set without a router, was not seen silent: nothing was
     * decided there.
     */
    boolean seenSilent() {
        return silent() && rateLimited == 0 && lost + backwardLost > 0;
    }

    /** {@return the probes decided either way for loss: {@code received + lost}} */
    long decided() {
        return received + lost;
    }

    /** {@return {@link #lost()} as a fraction of {@link #decided()}, 0 when nothing was decided} */
    double loss() {
        long d = decided();
        return d == 0 ? 0 : (double) lost / d;
    }
}
