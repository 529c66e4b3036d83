package io.pathprobe.graph;

import io.pathprobe.compare.CompareResult;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.Responder;
import io.pathprobe.multipath.MultipathLink;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.NodeId;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.TraceAllResult;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.util.Text;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A measured path as a graph: this host, one node per responder (an address that answered, at one TTL or more),
 * one node per run of silent TTLs and per masked place, and the links the probes were seen to take between them.
 * Made from a trace, a traceAll (the targets' paths merged where they pass the same routers, each link labelled with
 * the targets that took it), a multipath discovery (its nodes and links as found, each link with its flows) or a
 * compare (each protocol's path, each link labelled with the protocols that took it). {@link #toDot()} writes it
 * for Graphviz, as trippy's {@code --mode dot} does, with the names, AS numbers, loss and RTTs the result holds;
 * {@link #toSvg()} draws it as SVG, with nothing fetched from elsewhere.
 *
 * <p>It draws the result as given: a masked result ({@link io.pathprobe.evidence.Masking}) is drawn masked.
 *
 * @param title what was measured, {@code "trace to 198.19.0.1 (udp)"}
 * @param nodes this host first, then the others in the order the paths reach them
 * @param links in the order the paths take them, each pair of ends once
 */
public record PathGraph(String title, List<Node> nodes, List<Link> links) {
    /** What a node is. */
    public enum Kind {
        /** This host, where the probes left. */
        SOURCE,
        /** An address that answered and is not the destination. */
        ROUTER,
        /** The destination, where it answered. */
        DESTINATION,
        /** TTLs where no probe was answered (a run of them is one node). */
        SILENT,
        /** A place privacy masking hid. */
        MASKED
    }

    /**
     * One node.
     *
     * @param id unique in the graph: {@code "source"}, a responder's address (followed by its answers' Node
     *     Identification object, {@code 198.18.251.1 NODE:198.18.252.1,"r1"}, where they carried one: routers that
     *     share an address are nodes of their own), or for a silent or masked place
     *     {@code "*"} or {@code "masked"} with the path and the TTL
     * @param kind what it is
     * @param ttls the TTLs it was seen at, ascending (empty for this host)
     * @param lines what it says: first its address ({@code *}, {@code masked}, {@code this host}), then its
     *     name, its AS and what was measured there, one line each
     */
    public record Node(String id, Kind kind, List<Integer> ttls, List<String> lines) {
        /**
         * Checks the components and copies the lists.
         *
         * @param id unique in the graph
         * @param kind what it is
         * @param ttls the TTLs it was seen at, ascending
         * @param lines what it says, at least one line
         * @throws NullPointerException if a component is null
         * @throws IllegalArgumentException if {@code lines} is empty
         */
        public Node {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(kind, "kind");
            ttls = List.copyOf(ttls);
            lines = List.copyOf(lines);
            if (lines.isEmpty()) {
                throw new IllegalArgumentException("a node says at least its address");
            }
        }

        /** {@code "ttl 2  198.18.0.6  core1.isp.lab.example"}: its TTLs and its lines, two spaces apart. */
        @Override
        public String toString() {
            return (ttls.isEmpty() ? "" : "ttl " + ttlText(ttls) + "  ") + String.join("  ", lines);
        }
    }

    /**
     * One link, between nodes at consecutive TTLs (or from this host to the first).
     *
     * @param from the near end's {@link Node#id()}
     * @param to the far end's {@link Node#id()}
     * @param label what took it: the flows of a multipath link ({@code "3 flows"}), the protocols of a compare's,
     *     the targets of a traceAll's; empty for a single trace
     */
    public record Link(String from, String to, String label) {
        /**
         * Checks the components.
         *
         * @param from the near end's id
         * @param to the far end's id
         * @param label what took it, or empty
         * @throws NullPointerException if a component is null
         */
        public Link {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(label, "label");
        }

        /** {@code "198.18.0.2 → 198.18.0.6  (icmp, udp)"}. */
        @Override
        public String toString() {
            return from + " → " + to + (label.isEmpty() ? "" : "  (" + label + ")");
        }
    }

    /**
     * Checks the components and copies the lists.
     *
     * @param title what was measured
     * @param nodes the nodes, ids unique
     * @param links the links, between nodes of the graph
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if two nodes share an id or a link names a node the graph does not have
     */
    public PathGraph {
        Objects.requireNonNull(title, "title");
        nodes = List.copyOf(nodes);
        links = List.copyOf(links);
        Set<String> ids = new LinkedHashSet<>();
        for (Node n : nodes) {
            if (!ids.add(n.id())) {
                throw new IllegalArgumentException("two nodes are " + n.id());
            }
        }
        for (Link l : links) {
            if (!ids.contains(l.from()) || !ids.contains(l.to())) {
                throw new IllegalArgumentException("link " + l + " names a node the graph does not have");
            }
        }
    }

    /**
     * {@return the graph of a trace: its hops in TTL order, each responder a node}
     *
     * @param trace the trace
     */
    public static PathGraph of(TraceResult trace) {
        Drawing d = new Drawing();
        d.trace(trace, 0, "");
        return d.graph("trace to " + targetText(trace) + " (" + protocol(trace) + ")");
    }

    /**
     * {@return the graph of a traceAll: every target's path, merged where they pass the same routers}
     *
     * @param all the traces of the targets
     */
    public static PathGraph of(TraceAllResult all) {
        Drawing d = new Drawing();
        for (int i = 0; i < all.traces().size(); i++) {
            TraceResult t = all.traces().get(i);
            d.trace(t, i, t.target());
        }
        int n = all.traces().size();
        return d.graph("traces to " + n + (n == 1 ? " target" : " targets"));
    }

    /**
     * {@return the graph of a compare: each protocol's path, the links labelled with the protocols that took them}
     *
     * @param compare the comparison
     */
    public static PathGraph of(CompareResult compare) {
        Drawing d = new Drawing();
        List<String> protocols = new ArrayList<>();
        for (int i = 0; i < compare.traces().size(); i++) {
            String protocol = compare.request().protocols().get(i).name().toLowerCase(Locale.ROOT);
            protocols.add(protocol);
            d.trace(compare.traces().get(i), i, protocol);
        }
        String target = compare.traces().isEmpty() ? compare.request().target() : targetText(compare.traces().get(0));
        return d.graph("compare to " + target + " (" + String.join(", ", protocols) + ")");
    }

    /**
     * {@return the graph of a multipath discovery: its nodes and links as found, each link with its flows}
     *
     * @param multipath the discovery
     */
    public static PathGraph of(MultipathResult multipath) {
        Drawing d = new Drawing();
        Map<String, String> ids = new LinkedHashMap<>(); // "ttl|address or masked n or *" -> node id
        Map<Integer, Integer> maskedAt = new LinkedHashMap<>();
        int first = multipath.nodes().isEmpty() ? 0 : multipath.nodes().get(0).ttl(); // nodes are by TTL
        for (MultipathNode n : multipath.nodes()) {
            String key;
            String id;
            Node node;
            if (n.masked()) {
                int k = maskedAt.merge(n.ttl(), 1, Integer::sum);
                key = end(n.ttl(), Optional.empty(), k);
                id = "masked " + n.ttl() + "." + k;
                node = new Node(id, Kind.MASKED, List.of(n.ttl()), nodeLines("masked", Lookup.off(), Lookup.off(),
                        multipathLine(n)));
            } else if (n.address().isEmpty()) {
                key = end(n.ttl(), Optional.empty(), 0);
                id = "* " + n.ttl();
                node = new Node(id, Kind.SILENT, List.of(n.ttl()), List.of("*"));
            } else {
                id = AddressText.of(n.address().get());
                key = end(n.ttl(), n.address(), 0);
                node = new Node(id, n.destination() ? Kind.DESTINATION : Kind.ROUTER, List.of(n.ttl()),
                        nodeLines(id, n.hostname(), n.asn(), multipathLine(n)));
            }
            ids.put(key, id);
            d.node(node);
            if (n.ttl() == first) {
                d.link(SOURCE_ID, id, "");
            }
        }
        for (MultipathLink l : multipath.links()) {
            String from = ids.get(end(l.ttl(), l.from(), l.fromMasked()));
            String to = ids.get(end(l.ttl() + 1, l.to(), l.toMasked()));
            if (from != null && to != null) {
                d.link(from, to, l.flows() + (l.flows() == 1 ? " flow" : " flows"));
            }
        }
        return d.graph("multipath discovery to " + AddressText.of(multipath.destination()) + " ("
                + multipath.protocol().name().toLowerCase(Locale.ROOT) + ", " + multipath.paths().size()
                + (multipath.paths().size() == 1 ? " path)" : " paths)"));
    }

    private static String end(int ttl, Optional<InetAddress> address, int masked) {
        return ttl + "|" + (masked > 0 ? "masked " + masked : address.map(AddressText::of).orElse("*"));
    }

    private static String multipathLine(MultipathNode n) {
        List<String> parts = new ArrayList<>();
        n.rtt().ifPresent(r -> parts.add("avg " + Text.ms(r.avg())));
        parts.add(n.flows().size() + (n.flows().size() == 1 ? " flow" : " flows"));
        if (n.loadBalancing() == io.pathprobe.multipath.LoadBalancing.PER_PACKET) {
            parts.add("per-packet");
        }
        return String.join(", ", parts);
    }

    /**
     * {@return the graph in Graphviz's DOT language: a {@code digraph} with this host on top, a box per responder
     * (the destination's doubled), dashed ellipses for silent and masked places, TTLs of one rank side by side,
     * labels with every line of a node and each link's label} Strings are quoted and escaped; control characters
     * in names become {@code ?}.
     */
    public String toDot() {
        StringBuilder b = new StringBuilder();
        b.append("digraph pathprobe {\n");
        b.append("  label=").append(quoted(title)).append("; labelloc=t; fontname=\"Helvetica\";\n");
        b.append("  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=10];\n");
        b.append("  edge [fontname=\"Helvetica\", fontsize=9];\n");
        Map<Integer, List<String>> ranks = new LinkedHashMap<>();
        for (Node n : nodes) {
            b.append("  ").append(quoted(n.id())).append(" [label=").append(quoted(String.join("\n", n.lines())))
                    .append(switch (n.kind()) {
                        case SOURCE -> ", shape=house, style=\"\"";
                        case DESTINATION -> ", peripheries=2";
                        case SILENT -> ", shape=ellipse, style=dashed";
                        case MASKED -> ", shape=ellipse, style=\"dashed,filled\", fillcolor=\"#dddddd\"";
                        case ROUTER -> "";
                    }).append("];\n");
            if (n.ttls().size() == 1) {
                ranks.computeIfAbsent(n.ttls().get(0), t -> new ArrayList<>()).add(n.id());
            }
        }
        for (Link l : links) {
            b.append("  ").append(quoted(l.from())).append(" -> ").append(quoted(l.to()));
            if (!l.label().isEmpty()) {
                b.append(" [label=").append(quoted(l.label())).append(']');
            }
            b.append(";\n");
        }
        for (List<String> same : ranks.values()) {
            if (same.size() > 1) {
                b.append("  { rank=same;");
                for (String id : same) {
                    b.append(' ').append(quoted(id)).append(';');
                }
                b.append(" }\n");
            }
        }
        return b.append("}\n").toString();
    }

    /**
     * {@return the graph drawn as one SVG element, for a page or a file: this host on top, a row per TTL, each
     * responder a box with its lines (the destination's doubled, silent and masked places dashed), each link an
     * arrow with its label; nothing in it is fetched from elsewhere (no script, font, style sheet or image), and the
     * text is escaped for XML} Each node is a {@code <g class="node KIND" data-id="ID">}, each link a
     * {@code <g class="link" data-from="ID" data-to="ID">}, so a page's script or test can find them.
     */
    public String toSvg() {
        return GraphSvg.draw(this);
    }

    /** A DOT string: quoted, {@code \} and {@code "} escaped, a line break as {@code \n}, other controls {@code ?}. */
    static String quoted(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                b.append("\\n");
            } else if (c == '\\' || c == '"') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                b.append('?');
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** {@code "trace to 198.19.0.1 (udp): 9 nodes, 8 links"}. */
    @Override
    public String toString() {
        return title + ": " + nodes.size() + (nodes.size() == 1 ? " node, " : " nodes, ") + links.size()
                + (links.size() == 1 ? " link" : " links");
    }

    private static final String SOURCE_ID = "source";

    private static String targetText(TraceResult t) {
        String dest = t.destination().map(AddressText::of).orElse("");
        return dest.isEmpty() || dest.equals(t.target()) ? t.target() : t.target() + " (" + dest + ")";
    }

    private static String protocol(TraceResult t) {
        return t.protocol().name().toLowerCase(Locale.ROOT);
    }

    private static String ttlText(List<Integer> ttls) {
        if (ttls.size() > 2 && ttls.get(ttls.size() - 1) - ttls.get(0) == ttls.size() - 1) {
            return ttls.get(0) + "-" + ttls.get(ttls.size() - 1);
        }
        return String.join(",", ttls.stream().map(String::valueOf).toList());
    }

    private static List<String> nodeLines(String address, Lookup<String> hostname,
            Lookup<io.pathprobe.enrich.AsnInfo> asn, String measured) {
        List<String> lines = new ArrayList<>();
        lines.add(address);
        hostname.value().ifPresent(lines::add);
        asn.value().ifPresent(a -> lines.add(a.shortText()));
        if (!measured.isEmpty()) {
            lines.add(measured);
        }
        return lines;
    }

    /** What a hop's statistics say on its node: the loss the evidence bounds, the average RTT, what was refused. */
    private static String hopLine(HopStatistics s) {
        List<String> parts = new ArrayList<>();
        if (s.received() + s.lost() > 0) {
            parts.add("loss " + s.lossRange());
        }
        s.rtt().ifPresent(r -> parts.add("avg " + Text.ms(r.avg())));
        if (s.rateLimited() > 0) {
            parts.add(s.rateLimited() + " rate-limited");
        }
        return String.join(", ", parts);
    }

    /** The graph as it is drawn: nodes and links in the order they are met, each once, links' labels gathered. */
    private static final class Drawing {
        private final Map<String, Node> nodes = new LinkedHashMap<>();
        private final Map<List<String>, Set<String>> links = new LinkedHashMap<>();

        Drawing() {
            nodes.put(SOURCE_ID, new Node(SOURCE_ID, Kind.SOURCE, List.of(), List.of("this host")));
        }

        /** Adds a node, or the TTLs of one already there. */
        void node(Node n) {
            Node old = nodes.get(n.id());
            if (old == null) {
                nodes.put(n.id(), n);
                return;
            }
            Set<Integer> ttls = new java.util.TreeSet<>(old.ttls());
            ttls.addAll(n.ttls());
            Kind kind = old.kind() == Kind.DESTINATION || n.kind() == Kind.DESTINATION ? Kind.DESTINATION : old.kind();
            nodes.put(n.id(), new Node(old.id(), kind, List.copyOf(ttls), old.lines()));
        }

        void link(String from, String to, String label) {
            Set<String> labels = links.computeIfAbsent(List.of(from, to), k -> new LinkedHashSet<>());
            if (!label.isEmpty()) {
                labels.add(label);
            }
        }

        /** One trace's hops: {@code path} tells its silent and masked places apart and labels its links. */
        void trace(TraceResult t, int path, String label) {
            List<String> previous = List.of(SOURCE_ID);
            List<Hop> hops = t.hops();
            for (int i = 0; i < hops.size(); i++) {
                Hop h = hops.get(i);
                List<String> current = new ArrayList<>();
                if (h.masked()) {
                    String id = "masked " + (path + 1) + "." + h.ttl();
                    node(new Node(id, Kind.MASKED, List.of(h.ttl()), nodeLines("masked", Lookup.off(), Lookup.off(),
                            hopLine(h.statistics()))));
                    current.add(id);
                } else if (h.responders().isEmpty()) {
                    int last = i;
                    while (last + 1 < hops.size() && !hops.get(last + 1).masked()
                            && hops.get(last + 1).responders().isEmpty()) {
                        last++;
                    }
                    List<Integer> ttls = new ArrayList<>();
                    for (int k = i; k <= last; k++) {
                        ttls.add(hops.get(k).ttl());
                    }
                    String id = "* " + (path + 1) + "." + h.ttl();
                    node(new Node(id, Kind.SILENT, ttls, List.of(ttls.size() == 1 ? "*" : "* (" + ttls.size()
                            + " TTLs)")));
                    current.add(id);
                    i = last;
                } else {
                    for (int r = 0; r < h.responders().size(); r++) {
                        Responder res = h.responders().get(r);
                        String address = AddressText.of(res.address());
                        boolean destination = t.destination().map(res.address()::equals).orElse(false);
                        for (Map.Entry<Optional<NodeId>, List<String>> node : nodes(h, res.address()).entrySet()) {
                            // routers that share an address are told apart by their node objects
                            String id = node.getKey().map(n -> address + " " + n).orElse(address);
                            List<String> lines = new ArrayList<>(nodeLines(address, res.hostname(), res.asn(),
                                    r == 0 ? hopLine(h.statistics()) : ""));
                            lines.addAll(1, node.getValue());
                            node(new Node(id, destination ? Kind.DESTINATION : Kind.ROUTER, List.of(h.ttl()),
                                    lines));
                            current.add(id);
                        }
                    }
                }
                for (String p : previous) {
                    for (String c : current) {
                        link(p, c, label);
                    }
                }
                previous = current;
            }
        }

        /**
         * The routers that answered a hop from {@code address}, by the Node Identification object of their answers
         * (empty: answers without one), in the order of the probes, each with its node and interface objects as
         * {@code trace -e} prints them, each once; one entry without objects where no answer carried any.
         */
        private static Map<Optional<NodeId>, List<String>> nodes(Hop h, InetAddress address) {
            Map<Optional<NodeId>, Set<String>> found = new LinkedHashMap<>();
            for (io.pathprobe.trace.ProbeResult p : h.probes()) {
                if (p.responder().filter(address::equals).isPresent()) {
                    Set<String> objects = found.computeIfAbsent(p.nodeId(), k -> new LinkedHashSet<>());
                    p.nodeId().ifPresent(n -> objects.add(n.toString()));
                    p.interfaces().forEach(i -> objects.add(i.toString()));
                }
            }
            Map<Optional<NodeId>, List<String>> out = new LinkedHashMap<>();
            found.forEach((node, objects) -> out.put(node, List.copyOf(objects)));
            return out.isEmpty() ? Map.of(Optional.empty(), List.of()) : out;
        }

        PathGraph graph(String title) {
            List<Link> out = new ArrayList<>();
            links.forEach((ends, labels) -> out.add(new Link(ends.get(0), ends.get(1), labels.size() <= 4
                    ? String.join(", ", labels) : String.join(", ", List.copyOf(labels).subList(0, 3)) + " and "
                    + (labels.size() - 3) + " more")));
            return new PathGraph(title, List.copyOf(nodes.values()), out);
        }
    }
}
