package io.pathprobe.graph;

import static io.pathprobe.testing.Samples.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.compare.CompareRequest;
import io.pathprobe.compare.CompareResult;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.Responder;
import io.pathprobe.evidence.Masking;
import io.pathprobe.graph.PathGraph.Kind;
import io.pathprobe.graph.PathGraph.Link;
import io.pathprobe.graph.PathGraph.Node;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceAllRequest;
import io.pathprobe.trace.TraceAllResult;
import io.pathprobe.trace.TraceAllStatus;
import io.pathprobe.trace.TraceResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PathGraphTest {
    private static Node node(PathGraph g, String id) {
        return g.nodes().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError(
                "no node " + id + " in " + g.nodes()));
    }

    private static List<String> ends(PathGraph g) {
        return g.links().stream().map(l -> l.from() + " > " + l.to()).toList();
    }

    @Test
    void aTraceIsAChainFromThisHostThroughEachResponder() {
        PathGraph g = PathGraph.of(Samples.trace());
        assertThat(g.nodes()).extracting(Node::id).containsExactly("source", "192.168.1.1", "198.18.1.1",
                "198.18.2.1", "198.51.100.10");
        assertThat(ends(g)).containsExactly("source > 192.168.1.1", "192.168.1.1 > 198.18.1.1",
                "198.18.1.1 > 198.18.2.1", "198.18.2.1 > 198.51.100.10");
        assertThat(g.links()).extracting(Link::label).containsOnly("");
        assertThat(node(g, "source").kind()).isEqualTo(Kind.SOURCE);
        assertThat(node(g, "198.51.100.10").kind()).isEqualTo(Kind.DESTINATION);
        assertThat(node(g, "198.18.1.1").kind()).isEqualTo(Kind.ROUTER);
        assertThat(node(g, "192.168.1.1").lines()).containsExactly("192.168.1.1", "router.home.lab.example",
                "loss 0.0%, avg 0.292 ms");
        // the loss a hop's evidence claims, its AS as a hop table shows it
        assertThat(node(g, "198.18.1.1").lines()).containsExactly("198.18.1.1", "core1.isp.lab.example",
                "AS64500 LAB-ISP", "loss 33.3%, avg 1.750 ms");
        assertThat(node(g, "198.18.1.1").ttls()).containsExactly(2);
        assertThat(g.title()).startsWith("trace to ").endsWith("(icmp)");
    }

    @Test
    void aSilentTtlIsOneNodeAndARunOfThemToo() {
        PathGraph g = PathGraph.of(Samples.trace6());
        assertThat(ends(g)).containsExactly("source > 2001:db8:0:1::1", "2001:db8:0:1::1 > * 1.2",
                "* 1.2 > 2001:db8::10");
        assertThat(node(g, "* 1.2").kind()).isEqualTo(Kind.SILENT);
        assertThat(node(g, "* 1.2").lines()).containsExactly("*");

        TraceResult t = Samples.trace6();
        List<Hop> hops = new ArrayList<>();
        hops.add(t.hops().get(0));
        for (int ttl = 2; ttl <= 30; ttl++) { // a destination that never answers: 29 silent TTLs
            hops.add(new Hop(ttl, List.of(), List.of(), t.hops().get(1).statistics()));
        }
        PathGraph unreached = PathGraph.of(new TraceResult(t.target(), t.destination(), t.protocol(), t.transport(),
                t.status(), hops, t.startedAt(), t.duration(), 0, Optional.empty(), t.flowMode(), 1));
        assertThat(unreached.nodes()).hasSize(3);
        Node silent = node(unreached, "* 1.2");
        assertThat(silent.ttls()).hasSize(29).startsWith(2).endsWith(30);
        assertThat(silent.lines()).containsExactly("* (29 TTLs)");
        assertThat(silent.toString()).isEqualTo("ttl 2-30  * (29 TTLs)");
    }

    @Test
    void aMultipathGraphHasItsNodesAndLinksWithTheirFlows() {
        MultipathResult r = Samples.multipath();
        PathGraph g = PathGraph.of(r);
        assertThat(g.nodes()).extracting(Node::id).containsExactly("source", "198.18.0.1", "198.18.1.1",
                "198.18.2.1", "* 2", "198.18.10.1");
        assertThat(g.links()).extracting(Link::toString).containsExactly("source → 198.18.0.1",
                "198.18.0.1 → 198.18.1.1  (2 flows)", "198.18.0.1 → 198.18.2.1  (2 flows)",
                "198.18.1.1 → 198.18.10.1  (2 flows)", "198.18.2.1 → 198.18.10.1  (2 flows)");
        assertThat(node(g, "198.18.10.1").kind()).isEqualTo(Kind.DESTINATION);
        assertThat(node(g, "198.18.1.1").lines()).containsExactly("198.18.1.1", "avg 0.250 ms, 2 flows");
        assertThat(g.toDot()).contains("{ rank=same; \"198.18.1.1\"; \"198.18.2.1\"; \"* 2\"; }");
        assertThat(g.title()).isEqualTo("multipath discovery to 198.18.10.1 (udp, 2 paths)");
    }

    @Test
    void maskedPlacesAreDrawnMaskedWithoutTheirAddresses() {
        PathGraph trace = PathGraph.of(Masking.firstHops(2).apply(Samples.trace()));
        assertThat(trace.nodes()).extracting(Node::id).containsExactly("source", "masked 1.1", "masked 1.2",
                "198.18.2.1", "198.51.100.10");
        assertThat(node(trace, "masked 1.2").kind()).isEqualTo(Kind.MASKED);
        assertThat(node(trace, "masked 1.2").lines()).containsExactly("masked", "loss 33.3%, avg 1.750 ms");
        assertThat(trace.toDot()).doesNotContain("192.168.1.1", "198.18.1.1", "router.home", "core1");

        PathGraph multipath = PathGraph.of(Masking.firstHops(1).apply(Samples.multipath()));
        assertThat(multipath.toDot()).doesNotContain("198.18.0.1\"");
        assertThat(ends(multipath)).contains("source > masked 1.1", "masked 1.1 > 198.18.1.1",
                "masked 1.1 > 198.18.2.1");
    }

    @Test
    void tracesOfManyTargetsMeetAtTheRoutersTheyShareAndEachLinkSaysWhoTookIt() {
        TraceResult a = Samples.trace();
        TraceResult b = withTarget(a, "b.example");
        TraceAllResult all = new TraceAllResult(List.of(a, b), TraceAllStatus.COMPLETED, Samples.START,
                Duration.ofSeconds(1), 20, 0, TraceAllRequest.builder(List.of("a.example", "b.example")).build());
        PathGraph g = PathGraph.of(all);
        assertThat(g.nodes()).hasSize(5); // the same responders: one node each
        assertThat(g.links()).hasSize(4).allSatisfy(l -> assertThat(l.label()).isEqualTo(a.target() + ", b.example"));
        assertThat(g.title()).isEqualTo("traces to 2 targets");
    }

    @Test
    void aCompareLabelsEachLinkWithTheProtocolsThatTookIt() {
        TraceResult icmp = Samples.trace();
        CompareResult c = CompareResult.of(CompareRequest.builder("198.51.100.10")
                .protocols(List.of(ProbeProtocol.ICMP, ProbeProtocol.UDP)).build(), List.of(icmp, detour(icmp)),
                TraceAllStatus.COMPLETED, Samples.START, Duration.ofSeconds(1));
        PathGraph g = PathGraph.of(c);
        assertThat(g.links()).extracting(Link::toString).contains("source → 192.168.1.1  (icmp, udp)",
                "192.168.1.1 → 198.18.1.1  (icmp)", "192.168.1.1 → 198.18.9.9  (udp)",
                "198.18.9.9 → 198.18.2.1  (udp)", "198.18.2.1 → 198.51.100.10  (icmp, udp)");
        assertThat(g.title()).endsWith("(icmp, udp)");
    }

    @Test
    void dotQuotesEveryStringAndNeverLetsANameOutOfItsQuotes() {
        TraceResult t = Samples.trace();
        Hop h1 = t.hops().get(0);
        Responder odd = new Responder(h1.responders().get(0).address(), 3, Lookup.found("evil\"]; x -> y [\\\n\u001b[31m"),
                Lookup.notFound());
        List<Hop> hops = new ArrayList<>(t.hops());
        hops.set(0, new Hop(1, h1.probes(), List.of(odd), h1.statistics(), false, h1.segment(), false));
        String dot = PathGraph.of(withHops(t, hops)).toDot();
        assertThat(dot).startsWith("digraph pathprobe {\n").endsWith("}\n").doesNotContain("\u001b");
        assertThat(dot).contains("evil\\\"]; x -> y [\\\\\\n?[31m");
        // every line is a statement whose quotes pair up: no string ends early, none runs over a line
        for (String line : dot.split("\n")) {
            Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(line);
            String outside = m.replaceAll("S");
            assertThat(outside).as(line).doesNotContain("\"").doesNotContain("\\");
        }
        assertThat(PathGraph.quoted(Samples.ODD_NAME)).isEqualTo("\"odd \\\"name\\\"\\\\ with\\nnew line ? é 😀\"");
    }

    @Test
    void aGraphRefusesTwoNodesOfOneIdAndALinkToNowhere() {
        Node n = new Node("a", Kind.ROUTER, List.of(1), List.of("a"));
        assertThatThrownBy(() -> new PathGraph("t", List.of(n, n), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two nodes are a");
        assertThatThrownBy(() -> new PathGraph("t", List.of(n), List.of(new Link("a", "b", ""))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a → b");
        assertThat(new PathGraph("t", List.of(n), List.of()).toString()).isEqualTo("t: 1 node, 0 links");
    }

    @Test
    void theSvgDrawsEveryNodeAndLinkAsXmlWithNothingFromElsewhere() throws Exception {
        PathGraph g = PathGraph.of(Samples.multipath());
        String svg = g.toSvg();
        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").endsWith("</svg>\n");
        wellFormed(svg);
        assertThat(count(svg, "<g class=\"node ")).isEqualTo(g.nodes().size());
        assertThat(count(svg, "<g class=\"link\"")).isEqualTo(g.links().size());
        assertThat(svg).contains("<g class=\"node destination\" data-id=\"198.18.10.1\">");
        assertThat(svg).doesNotContain("href", "<script", "url(http", "@import");
        // the branches of the diamond sit on one row, between their ends
        double a = y(svg, "198.18.1.1");
        assertThat(y(svg, "198.18.2.1")).isEqualTo(a);
        assertThat(y(svg, "198.18.0.1")).isLessThan(a);
        assertThat(y(svg, "198.18.10.1")).isGreaterThan(a);

        String odd = PathGraph.of(withHops(Samples.trace(), List.of(new Hop(1, List.of(), List.of(new Responder(
                ip("192.168.1.1"), 1, Lookup.found("<b>&\"x\"\u0001</b>\ud800"), Lookup.notFound())),
                Samples.stats(1, 0))))).toSvg();
        assertThat(odd).contains("&lt;b&gt;&amp;&quot;x&quot;?&lt;/b&gt;?").doesNotContain("<b>");
        wellFormed(odd);
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /**
     * Tags nest and close, attribute values are quoted with no {@code <} or {@code &} but an entity's, and text has
     * no bare {@code <} or {@code &}: the XML a browser's parser takes (the CLI's tests parse the report with a DOM).
     */
    private static void wellFormed(String xml) {
        java.util.Deque<String> open = new java.util.ArrayDeque<>();
        Matcher m = Pattern.compile("<(/?)([a-zA-Z]+)((?:\\s+[a-zA-Z:-]+=\"[^\"<]*\")*)\\s*(/?)>").matcher(xml);
        int at = 0;
        while (m.find()) {
            String between = xml.substring(at, m.start());
            assertThat(between.replaceAll("&(amp|lt|gt|quot|#39);", "")).as("text at %d", at).doesNotContain("<", "&");
            assertThat(m.group(3).replaceAll("&(amp|lt|gt|quot|#39);", "")).doesNotContain("&");
            if (m.group(1).equals("/")) {
                assertThat(open.pop()).as("closes at %d", m.start()).isEqualTo(m.group(2));
            } else if (m.group(4).isEmpty()) {
                open.push(m.group(2));
            }
            at = m.end();
        }
        assertThat(xml.substring(at).strip()).isEmpty();
        assertThat(open).isEmpty();
    }

    /** The top of the box drawn for node {@code id}. */
    private static double y(String svg, String id) {
        Matcher m = Pattern.compile("data-id=\"" + Pattern.quote(id) + "\"><rect x=\"[0-9.]+\" y=\"([0-9.]+)\"")
                .matcher(svg);
        assertThat(m.find()).as("node %s drawn", id).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** {@code t} with its TTL 2 answered by 198.18.9.9 instead (a protocol balanced another way). */
    private static TraceResult detour(TraceResult t) {
        List<Hop> hops = new ArrayList<>(t.hops());
        Hop h2 = hops.get(1);
        hops.set(1, new Hop(2, h2.probes(), List.of(new Responder(ip("198.18.9.9"), 2)), h2.statistics(), false,
                h2.segment(), false));
        return withHops(t, hops);
    }

    private static TraceResult withHops(TraceResult t, List<Hop> hops) {
        return new TraceResult(t.target(), t.destination(), t.protocol(), t.transport(), t.status(), hops,
                t.startedAt(), t.duration(), t.unmatchedReplies(), t.protocolNote(), t.flowMode(), t.flows(), t.context());
    }

    private static TraceResult withTarget(TraceResult t, String target) {
        return new TraceResult(target, t.destination(), t.protocol(), t.transport(), t.status(), t.hops(),
                t.startedAt(), t.duration(), t.unmatchedReplies(), t.protocolNote(), t.flowMode(), t.flows(), t.context());
    }
}
