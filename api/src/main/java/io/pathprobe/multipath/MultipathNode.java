package io.pathprobe.multipath;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Exchange;
import io.pathprobe.enrich.GeoLocation;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.LookupStatus;
import io.pathprobe.enrich.Segment;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.HeaderChange;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.trace.Hop;
import io.pathprobe.util.Checks;
import io.pathprobe.util.Text;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
/**
 * One interface found at one TTL by a multipath discovery. A TTL where some flows got no answer has
 * one node without an address (a silent hop, scamper's "*").
 *
 * @param ttl the TTL at which it answered
 * @param address who answered, or empty for the probes of this TTL that got no answer
 * @param replies answers from it during discovery
 * @param flows the flows (probe flow numbers) that reached it, ascending
 * @param destination whether it is the destination
 * @param loadBalancing {@link LoadBalancing#PER_PACKET} when one flow left this node toward
 *     different next hops; {@link LoadBalancing#PER_FLOW} otherwise (also for a single successor)
 * @param rtt round-trip times of the discovery probes it answered, if any
 * @param hostname its host name by reverse DNS ({@link LookupStatus#OFF} without enrichment or when silent)
 * @param asn its AS ({@link LookupStatus#OFF} without enrichment or when silent)
 * @param segment where it is seen from this host ({@link Segment#UNKNOWN} without enrichment)
 * @param quotedTrafficClass the DSCP and ECN its ICMP quotes show the probes arrived with (the last read), empty
 *     when no quote was read
 * @param headerChanges what it received differently from what was sent, each field once ({@link Hop#headerChanges()})
 * @param location where it is by the tracer's GeoIP databases ({@link LookupStatus#OFF} without one or when
 *     silent)
 * @param exchange the Internet exchange whose peering LAN holds it, by the tracer's PeeringDB dump
 *     ({@link LookupStatus#OFF} without one or when silent)
 * @param masked whether the node is hidden ({@link io.pathprobe.evidence.Masking#apply(MultipathResult)}: privacy
 *     masking): then it has no address and no lookups, and prints {@code masked} where it prints its address; its
 *     replies, flows and RTTs stay
 */
public record MultipathNode(int ttl, Optional<InetAddress> address, int replies, List<Integer> flows,
        boolean destination, LoadBalancing loadBalancing, Optional<RttStatistics> rtt, Lookup<String> hostname,
        Lookup<AsnInfo> asn, Segment segment, Optional<TrafficClass> quotedTrafficClass,
        List<HeaderChange> headerChanges, Lookup<GeoLocation> location, Lookup<Exchange> exchange, boolean masked) {
    /**
     * Checks the components (see the record's description) and copies {@code flows}.
     *
     * @param ttl the TTL at which it answered
     * @param address who answered, or empty for the probes of this TTL that got no answer
     * @param replies answers from it during discovery
     * @param flows the flows (probe flow numbers) that reached it, ascending
     * @param destination whether it is the destination
     * @param loadBalancing {@link LoadBalancing#PER_PACKET} when one flow left this node toward different
     *     next hops; {@link LoadBalancing#PER_FLOW} otherwise (also for a single successor)
     * @param rtt round-trip times of the discovery probes it answered, if any
     * @param hostname its host name by reverse DNS ({@link LookupStatus#OFF} without enrichment or when
     *     silent)
     * @param asn its AS ({@link LookupStatus#OFF} without enrichment or when silent)
     * @param segment where it is seen from this host ({@link Segment#UNKNOWN} without enrichment)
     * @param quotedTrafficClass the DSCP and ECN its quotes show, if one was read
     * @param headerChanges what it received differently from what was sent
     * @param location where it is by the tracer's GeoIP databases
     * @param exchange the Internet exchange whose peering LAN holds it
     * @param masked whether the node is hidden (no address)
     * @throws NullPointerException if a component other than {@code ttl}, {@code replies}, {@code destination}
     *     and {@code masked} is null, or {@code flows} or {@code headerChanges} holds null
     * @throws IllegalArgumentException if {@code ttl} is not 1 to 255, or a masked node holds an address
     */
    public MultipathNode {
        Checks.nonNull("address", address, "loadBalancing", loadBalancing, "rtt", rtt);
        flows = List.copyOf(flows);
        if (ttl < 1 || ttl > 255) {
            throw new IllegalArgumentException("ttl must be 1..255, was " + ttl);
        }
        Checks.nonNull("hostname", hostname, "asn", asn, "segment", segment, "quotedTrafficClass", quotedTrafficClass,
                "location", location, "exchange", exchange);
        headerChanges = List.copyOf(headerChanges);
        if (masked && address.isPresent()) {
            throw new IllegalArgumentException("a masked node holds no address (TTL " + ttl + ")");
        }
    }

    /**
     * {@return this node hidden: no address nor lookups, {@code changes} as its header changes; its replies, flows,
     * RTTs, segment and quotes kept}
     *
     * @param changes its header changes with nothing hidden in them
     */
    public MultipathNode asMasked(List<HeaderChange> changes) {
        return new MultipathNode(ttl, Optional.empty(), replies, flows, destination, loadBalancing, rtt, Lookup.off(),
                Lookup.off(), segment, quotedTrafficClass, changes, Lookup.off(), Lookup.off(), true);
    }

    /**
     * {@return this node with what its quotes showed}
     *
     * @param marking the DSCP and ECN its quotes show, if one was read
     * @param changes what it received differently from what was sent
     */
    public MultipathNode withQuotes(Optional<TrafficClass> marking, List<HeaderChange> changes) {
        return new MultipathNode(ttl, address, replies, flows, destination, loadBalancing, rtt, hostname, asn,
                segment, marking, changes, location, exchange, masked);
    }

    /**
     * A node as it was measured, without enrichment and quote evidence (every lookup {@link LookupStatus#OFF}, its
     * segment {@link Segment#UNKNOWN}, not masked).
     *
     * @param ttl the TTL at which it answered
     * @param address who answered, or empty for the probes of this TTL that got no answer
     * @param replies answers from it during discovery
     * @param flows the flows (probe flow numbers) that reached it, ascending
     * @param destination whether it is the destination
     * @param loadBalancing {@link LoadBalancing#PER_PACKET} when one flow left this node toward different
     *     next hops; {@link LoadBalancing#PER_FLOW} otherwise (also for a single successor)
     * @param rtt round-trip times of the discovery probes it answered, if any
     */
    public MultipathNode(int ttl, Optional<InetAddress> address, int replies, List<Integer> flows,
            boolean destination, LoadBalancing loadBalancing, Optional<RttStatistics> rtt) {
        this(ttl, address, replies, flows, destination, loadBalancing, rtt, Lookup.off(), Lookup.off(),
                Segment.UNKNOWN, Optional.empty(), List.of(), Lookup.off(), Lookup.off(), false);
    }

    /**
     * {@return this node with these lookups and segment (its location and exchange kept)}
     *
     * @param hostname the address's host name by reverse DNS
     * @param asn the address's AS
     * @param segment the segment of the path the node is in
     */
    public MultipathNode withEnrichment(Lookup<String> hostname, Lookup<AsnInfo> asn, Segment segment) {
        return new MultipathNode(ttl, address, replies, flows, destination, loadBalancing, rtt, hostname, asn,
                segment, quotedTrafficClass, headerChanges, location, exchange, masked);
    }

    /**
     * {@return this node with these lookups and segment}
     *
     * @param hostname the address's host name by reverse DNS
     * @param asn the address's AS
     * @param location where the address is by the GeoIP databases
     * @param exchange the Internet exchange whose peering LAN holds the address
     * @param segment the segment of the path the node is in
     */
    public MultipathNode withEnrichment(Lookup<String> hostname, Lookup<AsnInfo> asn, Lookup<GeoLocation> location,
            Lookup<Exchange> exchange, Segment segment) {
        return new MultipathNode(ttl, address, replies, flows, destination, loadBalancing, rtt, hostname, asn,
                segment, quotedTrafficClass, headerChanges, location, exchange, masked);
    }

    /**
     * {@return whether it is the destination: the name {@link Hop#isDestination()} uses for {@link #destination()}}
     */
    public boolean isDestination() {
        return destination;
    }

    /** {@return whether no probe of this node was answered (a masked node is not, unless it had no reply)} */
    public boolean silent() {
        return masked ? replies == 0 : address.isEmpty();
    }

    /** {@return the address as text (RFC 5952 for IPv6), or "*" for a silent node} */
    public String addressText() {
        return silent() ? "*" : masked ? io.pathprobe.probe.MaskStatement.MASKED : AddressText.of(address.get());
    }

    /**
     * As scamper's tracelb lists a node, with what this library adds:
     * {@code "ttl 3  198.18.0.10  core1.isp.example  AS64500 LAB-ISP  [DE Frankfurt]  IX LAB-IX  ISP  3 replies,
     * flows 1 2 5, rtt 0.024/0.031/0.040 ms, per-packet, destination"}; names, AS, location, exchange and segment
     * only where they were looked up and found, {@code "*  silent, flows 4 7"} for a silent node.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("ttl ").append(ttl).append("  ").append(addressText());
        hostname.value().ifPresent(h -> b.append("  ").append(h));
        asn.value().ifPresent(a -> b.append("  ").append(a.shortText()));
        location.value().ifPresent(l -> b.append("  [").append(l.shortText()).append(']'));
        exchange.value().ifPresent(x -> b.append("  ").append(x.shortText()));
        if (segment != Segment.UNKNOWN) {
            b.append("  ").append(segment);
        }
        b.append("  ").append(silent() ? "silent" : replies + (replies == 1 ? " reply" : " replies"));
        if (!flows.isEmpty()) {
            b.append(", flows ").append(flows.stream().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(" ")));
        }
        rtt.ifPresent(r -> b.append(", rtt ").append(Text.millis(r.min())).append('/').append(Text.millis(r.avg()))
                .append('/').append(Text.millis(r.max())).append(" ms"));
        if (loadBalancing == LoadBalancing.PER_PACKET) {
            b.append(", per-packet");
        }
        if (destination) {
            b.append(", destination");
        }
        if (!headerChanges.isEmpty()) {
            b.append("  ").append(headerChanges);
        }
        return b.toString();
    }
}
