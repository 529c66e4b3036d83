package io.pathprobe.multipath;

import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.PublicAddress;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.IpVersion;
import io.pathprobe.probe.MaskStatement;
import io.pathprobe.probe.ProbeCost;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.util.Checks;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
/**
 * What a multipath discovery found: the interfaces at every TTL, the links between them, the diamonds
 * they form, every path through them with its loss and RTT, and how sure the discovery is that
 * nothing was missed.
 *
 * <p><b>Confidence.</b> {@link #confidence()} is the per-node confidence the request asked for: at
 * every node the stopping rule sent enough flows that, were there one more successor than seen (and
 * flows spread uniformly), it would have been seen with this probability. {@link #globalConfidence()}
 * is the bound for the whole topology: the product of the per-node confidences over the nodes whose
 * successors were tested (libparistraceroute's split of a global bound over branch points, read the
 * other way round). Both assume what MDA assumes: no routing change during the discovery, per-flow
 * load balancing with a uniform split, load balancers that hash independently.
 *
 * @param request the request
 * @param destination the address probed; the unspecified address ({@code 0.0.0.0}, or {@code ::} for
 *     {@link IpVersion#IPV6} requests) when the discovery ended before the target resolved
 * @param transport the transport that sent the probes, empty if it ended before one was chosen
 * @param protocol the probe protocol
 * @param status how it ended
 * @param startedAt when it started (wall clock)
 * @param duration how long it ran, path probes included
 * @param nodes every node, by TTL then address (silent nodes last at their TTL)
 * @param links every link, by TTL
 * @param diamonds the load-balanced parts, nearest first
 * @param paths every path through the nodes, with its statistics
 * @param probes probes sent in all (discovery and path probes)
 * @param discoveryProbes probes the stopping rule sent to find the topology (the figure to compare with
 *     scamper's probec); {@link #probes()} also counts the per-packet checks ({@link #perPacketChecks()})
 *     or the path probes
 * @param confidence the requested per-node confidence, in percent
 * @param globalConfidence the bound for the whole topology, in percent (100 for a path without
 *     branch points; lower when the discovery was cut short is NOT expressed here: see
 *     {@link #unexplored()})
 * @param destinationReached whether the destination answered
 * @param unexplored nodes whose successors were not probed to the stopping rule because the discovery
 *     was cut short; empty when {@link #complete()}
 * @param notes what the caller should know (per-packet load balancing found, transport fallback, a
 *     flow limit of the transport that capped a stopping point)
 * @param context this host's public address and AS and the destination's AS ({@link PathContext#OFF}
 *     without enrichment)
 * @param tcpConfirmations TCP probes a UDP discovery sent to measure its paths end to end, counted in
 *     {@link #probes()}: only with {@link MultipathRequest#tcpConfirmation()}, else 0 (the notes say why they
 *     were sent)
 * @param masking what privacy masking hid ({@link io.pathprobe.evidence.Masking#apply(MultipathResult)}),
 *     {@link MaskStatement#NONE} for a result as measured
 */
public record MultipathResult(MultipathRequest request, InetAddress destination, String transport,
        ProbeProtocol protocol, MultipathStatus status, Instant startedAt, Duration duration,
        List<MultipathNode> nodes, List<MultipathLink> links, List<Diamond> diamonds, List<MultipathPath> paths,
        int probes, int discoveryProbes, double confidence, double globalConfidence, boolean destinationReached,
        List<MultipathNode> unexplored, List<String> notes, PathContext context, int tcpConfirmations,
        MaskStatement masking) {
    /**
     * Checks the components (see the record's description) and copies the lists.
     *
     * @param request the request
     * @param destination the address probed; the unspecified address ({@code 0.0.0.0}, or {@code ::} for
     *     {@link IpVersion#IPV6} requests) when the discovery ended before the target resolved
     * @param transport the transport that sent the probes, empty if it ended before one was chosen
     * @param protocol the probe protocol
     * @param status how it ended
     * @param startedAt when it started (wall clock)
     * @param duration how long it ran, path probes included
     * @param nodes every node, by TTL then address (silent nodes last at their TTL)
     * @param links every link, by TTL
     * @param diamonds the load-balanced parts, nearest first
     * @param paths every path through the nodes, with its statistics
     * @param probes probes sent in all (discovery and path probes)
     * @param discoveryProbes probes the stopping rule sent to find the topology (the figure to compare with
     *     scamper's probec); {@link #probes()} also counts the per-packet checks or the path probes
     * @param confidence the requested per-node confidence, in percent
     * @param globalConfidence the bound for the whole topology, in percent (100 for a path without branch
     *     points; lower when the discovery was cut short is NOT expressed here: see {@link #unexplored()})
     * @param destinationReached whether the destination answered
     * @param unexplored nodes whose successors were not probed to the stopping rule because the discovery was
     *     cut short; empty when {@link #complete()}
     * @param notes what the caller should know (per-packet load balancing found, transport fallback, a flow
     *     limit of the transport that capped a stopping point)
     * @param context this host's public address and AS and the destination's AS ({@link PathContext#OFF}
     *     without enrichment)
     * @param tcpConfirmations TCP probes a UDP discovery sent to measure its paths end to end, counted in
     *     {@link #probes()}: only with {@link MultipathRequest#tcpConfirmation()}, else 0
     * @param masking what privacy masking hid, {@link MaskStatement#NONE} for a result as measured
     * @throws NullPointerException if a component other than {@code probes}, {@code discoveryProbes},
     *     {@code confidence}, {@code globalConfidence}, {@code destinationReached} and {@code tcpConfirmations}
     *     is null, or a list holds null
     * @throws IllegalArgumentException if {@code tcpConfirmations} is negative or more than {@code probes}
     */
    public MultipathResult {
        Checks.nonNull("request", request, "destination", destination, "transport", transport, "protocol", protocol,
                "status", status, "startedAt", startedAt, "duration", duration, "context", context);
        nodes = List.copyOf(nodes);
        links = List.copyOf(links);
        diamonds = List.copyOf(diamonds);
        paths = List.copyOf(paths);
        unexplored = List.copyOf(unexplored);
        notes = List.copyOf(notes);
        if (tcpConfirmations < 0 || tcpConfirmations > Math.max(0, probes)) {
            throw new IllegalArgumentException("tcpConfirmations " + tcpConfirmations + " must be 0.." + probes
                    + " (the probes sent in all)");
        }
        Objects.requireNonNull(masking, "masking");
    }

    /**
     * A result without enrichment.
     *
     * @param request the request
     * @param destination the address probed; the unspecified address ({@code 0.0.0.0}, or {@code ::} for
     *     {@link IpVersion#IPV6} requests) when the discovery ended before the target resolved
     * @param transport the transport that sent the probes, empty if it ended before one was chosen
     * @param protocol the probe protocol
     * @param status how it ended
     * @param startedAt when it started (wall clock)
     * @param duration how long it ran, path probes included
     * @param nodes every node, by TTL then address (silent nodes last at their TTL)
     * @param links every link, by TTL
     * @param diamonds the load-balanced parts, nearest first
     * @param paths every path through the nodes, with its statistics
     * @param probes probes sent in all (discovery and path probes)
     * @param discoveryProbes probes the stopping rule sent to find the topology (the figure to compare with
     *     scamper's probec); {@link #probes()} also counts the per-packet checks or the path probes
     * @param confidence the requested per-node confidence, in percent
     * @param globalConfidence the bound for the whole topology, in percent (100 for a path without branch
     *     points; lower when the discovery was cut short is NOT expressed here: see {@link #unexplored()})
     * @param destinationReached whether the destination answered
     * @param unexplored nodes whose successors were not probed to the stopping rule because the discovery was
     *     cut short; empty when {@link #complete()}
     * @param notes what the caller should know (per-packet load balancing found, transport fallback, a flow
     *     limit of the transport that capped a stopping point)
     */
    public MultipathResult(MultipathRequest request, InetAddress destination, String transport,
            ProbeProtocol protocol, MultipathStatus status, Instant startedAt, Duration duration,
            List<MultipathNode> nodes, List<MultipathLink> links, List<Diamond> diamonds, List<MultipathPath> paths,
            int probes, int discoveryProbes, double confidence, double globalConfidence, boolean destinationReached,
            List<MultipathNode> unexplored, List<String> notes) {
        this(request, destination, transport, protocol, status, startedAt, duration, nodes, links, diamonds, paths,
                probes, discoveryProbes, confidence, globalConfidence, destinationReached, unexplored, notes,
                PathContext.OFF, 0, MaskStatement.NONE);
    }

    /**
     * {@return this result with enriched nodes (the same nodes in the same order; {@link #unexplored()} is
     * mapped to the enriched ones) and context}
     *
     * @param enrichedNodes the nodes with their lookups, in the order of {@link #nodes()}
     * @param context what enrichment learned about the ends of the path
     */
    public MultipathResult withEnrichment(List<MultipathNode> enrichedNodes, PathContext context) {
        java.util.Map<MultipathNode, MultipathNode> byOld = new java.util.HashMap<>();
        for (int i = 0; i < nodes.size() && i < enrichedNodes.size(); i++) {
            byOld.put(nodes.get(i), enrichedNodes.get(i));
        }
        return new MultipathResult(request, destination, transport, protocol, status, startedAt, duration,
                enrichedNodes, links, diamonds, paths, probes, discoveryProbes, confidence, globalConfidence,
                destinationReached, unexplored.stream().map(n -> byOld.getOrDefault(n, n)).toList(), notes, context,
                tcpConfirmations, masking);
    }

    /**
     * {@return each header field the nodes saw changed, at the lowest TTL a node showed it (the first node there),
     * in TTL order} Per branch, each node has its own ({@link MultipathNode#headerChanges()}): a box on one
     * branch of a diamond shows on that branch's nodes only. Empty when nothing changed or no quote was read.
     */
    public List<io.pathprobe.trace.FirstChange> headerChanges() {
        List<io.pathprobe.trace.FirstChange> first = new java.util.ArrayList<>(0);
        java.util.Set<io.pathprobe.probe.HeaderField> seen =
                java.util.EnumSet.noneOf(io.pathprobe.probe.HeaderField.class);
        nodes.stream().sorted(java.util.Comparator.comparingInt(MultipathNode::ttl)).forEach(n -> {
            for (io.pathprobe.probe.HeaderChange c : n.headerChanges()) {
                if (seen.add(c.field())) {
                    first.add(new io.pathprobe.trace.FirstChange(c, n.ttl(), n.address()));
                }
            }
        });
        return first;
    }

    /** {@return this host's public address as the STUN server saw it, if it was found} */
    public java.util.Optional<PublicAddress> publicAddress() {
        return context.publicAddress().value();
    }

    /**
     * {@return the addresses the destination answered from, in TTL order, each once: the nodes marked
     * {@link MultipathNode#destination()}} Usually only {@link #destination()}; another address when
     * a NAT'd destination answers from its own address, several when flows reached several sites of
     * an anycast destination at one TTL (discovery goes no further than the lowest TTL at which the
     * destination answered, so a farther site is not reached).
     */
    public List<InetAddress> destinationAnsweredFrom() {
        return nodes.stream().filter(MultipathNode::destination)
                .sorted(java.util.Comparator.comparingInt(MultipathNode::ttl))
                .map(MultipathNode::address).flatMap(java.util.Optional::stream).distinct().toList();
    }

    /** {@return whether the discovery ran to its stopping rule everywhere (not cut short)} */
    public boolean complete() {
        return status == MultipathStatus.COMPLETED;
    }

    /**
     * {@return the node at the near end of {@code link}: the shown node with its address (or the silent one), or
     * the masked one it names}
     *
     * @param link one of {@link #links()}
     */
    public java.util.Optional<MultipathNode> from(MultipathLink link) {
        return end(link.ttl(), link.from(), link.fromMasked());
    }

    /**
     * {@return the node at the far end of {@code link}, as {@link #from(MultipathLink)}}
     *
     * @param link one of {@link #links()}
     */
    public java.util.Optional<MultipathNode> to(MultipathLink link) {
        return end(link.ttl() + 1, link.to(), link.toMasked());
    }

    private java.util.Optional<MultipathNode> end(int ttl, java.util.Optional<InetAddress> address, int masked) {
        return nodesAt(ttl).stream().filter(n -> masked > 0 ? n.masked() : !n.masked() && n.address().equals(address))
                .skip(Math.max(0, masked - 1)).findFirst();
    }

    /**
     * {@return the nodes at one TTL}
     *
     * @param ttl the TTL
     */
    public List<MultipathNode> nodesAt(int ttl) {
        return nodes.stream().filter(n -> n.ttl() == ttl).toList();
    }

    /** {@return the largest number of answering nodes at one TTL} */
    public int maxWidth() {
        return nodes.stream().filter(n -> !n.silent())
                .collect(java.util.stream.Collectors.groupingBy(MultipathNode::ttl,
                        java.util.stream.Collectors.counting()))
                .values().stream().mapToInt(Long::intValue).max().orElse(0);
    }

    /**
     * {@return the probes that re-sent a known flow at its TTL to see a per-packet balancer} Discovery
     * without path probes ({@code pathProbes(0)}) re-sends two known flows where a TTL first shows two
     * nodes; with path probes the path rounds re-send every path's flow, so none are sent. Counted in
     * {@link #probes()}, not in {@link #discoveryProbes()}: scamper's tracelb sends no such probe.
     */
    public int perPacketChecks() {
        return request.pathProbes() == 0 ? Math.max(0, probes - discoveryProbes) : 0;
    }

    /**
     * {@return what the discovery cost each router ({@link ProbeCost})} Each node its discovery replies; each path's
     * probes at each hop to that hop's interface (answered or not: it is known to be there); the rest of
     * {@link #probes()} (discovery probes nothing answered: the result keeps no count of them per TTL) to no known
     * router.
     */
    public ProbeCost cost() {
        ProbeCost.Tally t = ProbeCost.tally();
        long counted = 0;
        Map<Integer, Map<java.util.Optional<InetAddress>, Long>> byTtl = new java.util.TreeMap<>();
        for (MultipathNode n : nodes) {
            if (n.replies() > 0) {
                byTtl.computeIfAbsent(n.ttl(), k -> new LinkedHashMap<>()).merge(n.address(), (long) n.replies(),
                        Long::sum);
                counted += n.replies();
            }
        }
        byTtl.values().forEach(a -> t.hop(a.values().stream().mapToLong(Long::longValue).sum(), a));
        for (MultipathPath p : paths) {
            for (PathHop h : p.hops()) {
                t.hop(h.statistics().sent(), Map.of(h.address(), (long) h.statistics().received()));
                counted += h.statistics().sent();
            }
        }
        if (probes > counted) {
            t.hop(probes - counted, Map.of());
        }
        return t.build();
    }

    /** {@return whether some node balances per packet (see {@link LoadBalancing#PER_PACKET})} */
    public boolean perPacketLoadBalancing() {
        return nodes.stream().anyMatch(n -> n.loadBalancing() == LoadBalancing.PER_PACKET);
    }

    /**
     * {@return the result as text, as the CLI prints it below its header: the topology one line per TTL with
     * its nodes side by side (wrapped to {@code width} columns), the links where they are not obvious,
     * host names, AS numbers and segments where enrichment found them, the diamonds and per-packet
     * balancers, a table of paths with loss and RTT, the totals and the notes} Each line ends with
     * {@code '\n'}. A discovery that could not send is one line saying why.
     *
     * @param width the widest line wanted where lines can wrap (at least 40)
     */
    public String toText(int width) {
        if (width < 40) {
            throw new IllegalArgumentException("width must be at least 40, was " + width);
        }
        return MultipathText.render(this, width);
    }

    /**
     * A header line ({@code "multipath to 198.18.0.9, UDP via linux-udp: COMPLETED in 1234.5 ms"}),
     * then {@link #toText(int) toText(100)}.
     */
    @Override
    public String toString() {
        String address = AddressText.of(destination);
        return "multipath to " + (request.target().equals(address) ? address : request.target() + " (" + address + ")")
                + ", " + protocol + (transport.isEmpty() ? "" : " via " + transport) + ": " + status
                + String.format(java.util.Locale.ROOT, " in %.1f ms", duration.toNanos() / 1e6) + "\n"
                + toText(100).stripTrailing();
    }
}
