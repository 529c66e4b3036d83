package io.pathprobe.diff;

import io.pathprobe.probe.AddressText;
import io.pathprobe.util.Checks;
import io.pathprobe.util.Text;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One TTL of a {@link PathSnapshot}: who answered there, the probes' counts and the RTTs, as a trace's
 * {@link io.pathprobe.trace.Hop} or a monitor's {@link io.pathprobe.monitor.MonitorHop} (or either's JSON) gives
 * them. {@code sent = received + lost + backwardLost + rateLimited} plus whatever was abandoned.
 *
 * @param ttl the hop number
 * @param responders every address that answered here, most answers first (a router a traceAll took from its stop
 *     set with 0 replies); empty where nothing answered
 * @param sent probes sent at this TTL
 * @param received probes answered
 * @param lost probes the path lost: a trace's forward losses (no later TTL of the same round answered either), a
 *     monitor's losses (its statistics count a router's silence while later hops answered as rate-limited)
 * @param backwardLost probes this router did not answer while the path went on (a later TTL of the same round
 *     answered): the router's answer lost or never sent, not a lossy link; 0 for a monitor's hop
 * @param rateLimited probes left unanswered because their responder was over its ICMP rate limit: neither
 *     received nor lost
 * @param rtts the RTTs of the answered probes, in the order they were sent; empty where only statistics are kept
 *     (a monitor's hop)
 * @param rttMin the smallest RTT (the least queueing and host delay): of {@code rtts} where there are samples,
 *     else the statistics' (a monitor's best); empty when nothing answered
 * @param rttStdDev the standard deviation of the RTTs ({@link Duration#ZERO} when nothing or one answered)
 * @param destination whether the traced destination itself answered at this TTL
 * @param fromStopSet whether the hop was taken from a traceAll's stop set rather than probed (no probes, no RTTs)
 */
public record HopSnapshot(int ttl, List<ResponderSnapshot> responders, long sent, long received, long lost,
        long backwardLost, long rateLimited, List<Duration> rtts, Optional<Duration> rttMin, Duration rttStdDev,
        boolean destination, boolean fromStopSet) {
    /**
     * Checks the components (see the record's description) and copies the lists.
     *
     * @param ttl the hop number
     * @param responders every address that answered here, most answers first
     * @param sent probes sent at this TTL
     * @param received probes answered
     * @param lost probes the path lost
     * @param backwardLost probes this router did not answer while the path went on
     * @param rateLimited probes left unanswered because their responder was over its ICMP rate limit
     * @param rtts the RTTs of the answered probes
     * @param rttMin the smallest RTT; empty when nothing answered
     * @param rttStdDev the standard deviation of the RTTs
     * @param destination whether the traced destination itself answered at this TTL
     * @param fromStopSet whether the hop was taken from a traceAll's stop set rather than probed
     * @throws NullPointerException if a component is or a list holds null
     * @throws IllegalArgumentException if {@code ttl} is not 1 to 255, a count or {@code rttStdDev} is negative
     */
    public HopSnapshot {
        Checks.ttl(ttl, "ttl");
        responders = List.copyOf(responders);
        rtts = List.copyOf(rtts);
        Objects.requireNonNull(rttMin, "rttMin");
        Objects.requireNonNull(rttStdDev, "rttStdDev");
        if (sent < 0 || received < 0 || lost < 0 || backwardLost < 0 || rateLimited < 0 || rttStdDev.isNegative()) {
            throw new IllegalArgumentException("counts and rttStdDev must not be negative: sent " + sent + ", received "
                    + received + ", lost " + lost + ", backwardLost " + backwardLost + ", rateLimited " + rateLimited
                    + ", rttStdDev " + rttStdDev);
        }
    }

    /**
     * A hop with RTT samples: the smallest RTT is theirs.
     *
     * @param ttl the hop number
     * @param responders every address that answered here, most answers first
     * @param sent probes sent at this TTL
     * @param received probes answered
     * @param lost probes the path lost
     * @param backwardLost probes this router did not answer while the path went on
     * @param rateLimited probes left unanswered because their responder was over its ICMP rate limit
     * @param rtts the RTTs of the answered probes
     * @param rttStdDev the standard deviation of the RTTs
     * @param destination whether the traced destination itself answered at this TTL
     * @param fromStopSet whether the hop was taken from a traceAll's stop set rather than probed
     */
    public HopSnapshot(int ttl, List<ResponderSnapshot> responders, long sent, long received, long lost,
            long backwardLost, long rateLimited, List<Duration> rtts, Duration rttStdDev, boolean destination,
            boolean fromStopSet) {
        this(ttl, responders, sent, received, lost, backwardLost, rateLimited, rtts,
                rtts.stream().min(Comparator.naturalOrder()), rttStdDev,
                destination, fromStopSet);
    }

    /** {@return whether nothing answered at this TTL} */
    public boolean silent() {
        return responders.isEmpty();
    }

    /**
     * {@return whether nothing answered here though probes were seen unanswered (lost, or not answered by this router
     * while the path went on) and none was refused by a rate limit} A silent hop where the router's ICMP rate limit
     * showed (a probe {@link #rateLimited()}: its other misses are most likely the limit's too), whose probes were
     * all abandoned, or that a traceAll took from its stop set without a router, was not seen silent: nothing was
     * decided there.
     */
    public boolean seenSilent() {
        return silent() && rateLimited == 0 && lost + backwardLost > 0;
    }

    /** {@return the probes decided either way for loss: {@code received + lost}} */
    public long decided() {
        return received + lost;
    }

    /** {@return {@link #lost()} as a fraction of {@link #decided()}, 0 when nothing was decided} */
    public double loss() {
        long d = decided();
        return d == 0 ? 0 : (double) lost / d;
    }

    /** {@return the addresses that answered, in the order of their text (IPv6 in RFC 5952 form)} */
    public List<InetAddress> addresses() {
        return responders.stream().map(ResponderSnapshot::address)
                .sorted(Comparator.comparing(AddressText::of)).toList();
    }

    /** {@return the AS numbers of the responders where found, in the responders' order, each once} */
    public List<Long> asns() {
        return responders.stream().map(ResponderSnapshot::asn).filter(OptionalLong::isPresent)
                .map(OptionalLong::getAsLong).distinct().toList();
    }

    /**
     * {@code " 3  198.18.0.10 AS64500  3 sent, 3 received, 0 lost, min 0.052 ms"}: the responders ({@code *}
     * where none), the counts (then the backward losses and rate-limited probes where any), the smallest RTT;
     * {@code "(stop set)"} for a hop a traceAll took from its stop set, {@code "(destination)"} where the
     * destination answered.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT, "%2d  ", ttl));
        b.append(responders.isEmpty() ? "*" : String.join(", ", responders.stream().map(r -> AddressText.of(
                r.address()) + (r.asn().isPresent() ? " AS" + r.asn().getAsLong() : "")).toList()));
        if (fromStopSet) {
            return b.append("  (stop set)").toString();
        }
        b.append("  ").append(sent).append(" sent, ").append(received).append(" received, ").append(lost)
                .append(" lost");
        if (backwardLost > 0) {
            b.append(", ").append(backwardLost).append(" not answered by the router");
        }
        if (rateLimited > 0) {
            b.append(", ").append(rateLimited).append(" rate-limited");
        }
        rttMin.ifPresent(m -> b.append(", min ").append(Text.ms(m)));
        if (destination) {
            b.append("  (destination)");
        }
        return b.toString();
    }
}
