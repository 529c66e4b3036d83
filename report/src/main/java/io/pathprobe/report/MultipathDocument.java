package io.pathprobe.report;

import static io.pathprobe.report.Documents.address;
import static io.pathprobe.report.Documents.get;
import static io.pathprobe.report.Documents.list;
import static io.pathprobe.report.Documents.text;
import static io.pathprobe.report.Documents.truth;
import static io.pathprobe.report.Documents.whole;

import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.Segment;
import io.pathprobe.multipath.Diamond;
import io.pathprobe.multipath.LoadBalancing;
import io.pathprobe.multipath.LossBasis;
import io.pathprobe.multipath.MultipathAlgorithm;
import io.pathprobe.multipath.MultipathLink;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.MultipathStatus;
import io.pathprobe.multipath.PathHop;
import io.pathprobe.probe.Ecn;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.trace.HopStatistics;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads the multipath document ({@code io.pathprobe.json.MultipathJson}) back into its {@link MultipathResult}, for
 * the report: its nodes, links, diamonds and paths are the result's. In the report module, not the api, for the
 * api's size bound ({@link Documents}). What the document does not carry takes a default: the request is
 * {@code MultipathRequest.builder(target)} with the protocol and algorithm written, the context is off, an RTT's
 * {@code last} is its maximum, a node's header changes are not read (the document's {@code headerChanges} are not
 * drawn), a path's misses are all decided, and a link's masked end is the masked node at its TTL when that TTL has
 * no other addressless node (the document does not say which of several it is).
 */
public final class MultipathDocument {
    private MultipathDocument() {}

    /**
     * {@return the discovery's result the multipath document {@code text} holds}
     *
     * @param text the document
     * @throws IllegalArgumentException if the text is not a multipath document; the message says what is wrong
     */
    public static MultipathResult read(String text) {
        return result(Documents.parse(text));
    }

    /** {@return whether the tree {@code d} is a multipath document} */
    static boolean is(@Nullable Object d) {
        return get(d, "nodes") instanceof List && get(d, "links") instanceof List && get(d, "paths") instanceof List;
    }

    static MultipathResult result(@Nullable Object d) {
        try {
            List<MultipathNode> nodes = new ArrayList<>();
            for (Object n : list(get(d, "nodes"))) {
                nodes.add(node(n));
            }
            List<MultipathLink> links = new ArrayList<>();
            for (Object l : list(get(d, "links"))) {
                int ttl = (int) whole(l, "ttl");
                Optional<InetAddress> from = address(get(l, "from"));
                Optional<InetAddress> to = address(get(l, "to"));
                links.add(new MultipathLink(ttl, from, to, (int) whole(l, "flows"), masked(nodes, ttl, from),
                        masked(nodes, ttl + 1, to)));
            }
            List<Diamond> diamonds = new ArrayList<>();
            for (Object x : list(get(d, "diamonds"))) {
                Object convergence = get(x, "convergence");
                diamonds.add(new Diamond(ref(nodes, get(x, "divergence")),
                        convergence == null ? Optional.empty() : Optional.of(ref(nodes, convergence)),
                        counts(get(x, "widths")), truth(x, "meshed"), Documents.named(LoadBalancing.class,
                                get(x, "loadBalancing"))));
            }
            List<MultipathPath> paths = new ArrayList<>();
            for (Object p : list(get(d, "paths"))) {
                paths.add(path(p));
            }
            List<MultipathNode> unexplored = new ArrayList<>();
            for (Object u : list(get(d, "unexplored"))) {
                unexplored.add(ref(nodes, u));
            }
            ProbeProtocol protocol = named(ProbeProtocol.class, get(d, "protocol"));
            String target = text(d, "target");
            MultipathRequest request = MultipathRequest.builder(target).protocol(protocol)
                    .algorithm(named(MultipathAlgorithm.class, get(d, "algorithm"))).build();
            return new MultipathResult(request, address(get(d, "destination")).orElseThrow(
                    () -> new IllegalArgumentException("no destination")), text(d, "transport"), protocol,
                    named(MultipathStatus.class, get(d, "status")), Documents.instant(get(d, "startedAt")),
                    Documents.millis(get(d, "durationMs")), nodes, links, diamonds, paths, (int) whole(d, "probes"),
                    (int) whole(d, "discoveryProbes"), number(d, "confidence"), number(d, "globalConfidence"),
                    truth(d, "destinationReached"), unexplored, list(get(d, "notes")).stream()
                            .map(String::valueOf).toList(), PathContext.OFF, (int) whole(d, "tcpConfirmations"),
                    Documents.masking(d));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a multipath document: " + e.getMessage(), e);
        }
    }

    private static MultipathNode node(@Nullable Object n) {
        Documents.Lookups l = Documents.lookups(n);
        Object dscp = get(n, "dscp");
        Optional<TrafficClass> quoted = dscp == null ? Optional.empty() : Optional.of(new TrafficClass(
                (int) whole(n, "dscp"), Ecn.parse(text(n, "ecn"))));
        return new MultipathNode((int) whole(n, "ttl"), address(get(n, "address")), (int) whole(n, "replies"),
                counts(get(n, "flows")), truth(n, "destination"), named(LoadBalancing.class, get(n, "loadBalancing")),
                rtt(get(n, "rtt")), l.hostname(), l.asn(), named(Segment.class, get(n, "segment")), quoted, List.of(),
                l.location(), l.exchange(), truth(n, "masked"));
    }

    /**
     * {@return which masked node at {@code ttl} a link's end {@code end} is: 1 when it names none and the only
     * addressless node there is one masked node, else 0 (shown, or silent; several masked nodes at one TTL are not
     * told apart, the document does not say which)}
     */
    private static int masked(List<MultipathNode> nodes, int ttl, Optional<InetAddress> end) {
        List<MultipathNode> none = nodes.stream().filter(n -> n.ttl() == ttl && n.address().isEmpty()).toList();
        return end.isEmpty() && none.size() == 1 && none.get(0).masked() ? 1 : 0;
    }

    /** {@return the node a reference ({@code {address, ttl}}) names: the first of {@code nodes} so placed} */
    private static MultipathNode ref(List<MultipathNode> nodes, @Nullable Object r) {
        int ttl = (int) whole(r, "ttl");
        Optional<InetAddress> a = address(get(r, "address"));
        return nodes.stream().filter(n -> n.ttl() == ttl && n.address().equals(a)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + a.map(InetAddress::getHostAddress)
                        .orElse("silent") + " at TTL " + ttl));
    }

    private static MultipathPath path(@Nullable Object p) {
        List<PathHop> hops = new ArrayList<>();
        for (Object h : list(get(p, "hops"))) {
            int lost = (int) whole(h, "lost");
            hops.add(new PathHop((int) whole(h, "ttl"), address(get(h, "address")), new HopStatistics(
                    (int) whole(h, "sent"), (int) whole(h, "received"), lost, (int) whole(h, "forwardLost"),
                    (int) whole(h, "backwardLost"), (int) whole(h, "abandoned"), rtt(get(h, "rtt")),
                    (int) whole(h, "rateLimited"), 0), truth(h, "masked")));
        }
        int received = (int) whole(p, "received");
        int lost = (int) whole(p, "lost");
        int forwardLost = (int) Math.round(number(p, "forwardLoss") * (received + lost));
        HopStatistics s = new HopStatistics((int) whole(p, "sent"), received, lost, forwardLost, lost - forwardLost,
                (int) whole(p, "abandoned"), rtt(get(p, "rtt")), (int) whole(p, "rateLimited"), 0);
        return new MultipathPath(hops, counts(get(p, "flows")), s, named(LossBasis.class, get(p, "lossBasis")));
    }

    /** {@return RTT statistics ({@code {min, avg, max, stdDev}}, its last taken as its maximum), empty for null} */
    private static Optional<RttStatistics> rtt(@Nullable Object r) {
        if (r == null) {
            return Optional.empty();
        }
        var max = Documents.millis(get(r, "max"));
        return Optional.of(new RttStatistics(max, Documents.millis(get(r, "min")), Documents.millis(get(r, "avg")),
                max, Documents.millis(get(r, "stdDev"))));
    }

    private static List<Integer> counts(@Nullable Object v) {
        List<Integer> all = new ArrayList<>();
        for (Object n : list(v)) {
            all.add(n instanceof Long l ? l.intValue() : -1);
        }
        return all;
    }

    private static double number(@Nullable Object d, String key) {
        if (get(d, key) instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("no " + key + " (a number)");
    }

    /** {@return the constant a lower-case name with - for _ names} */
    private static <E extends Enum<E>> E named(Class<E> type, @Nullable Object v) {
        return Documents.named(type, v instanceof String s ? s.replace('-', '_') : v);
    }
}
