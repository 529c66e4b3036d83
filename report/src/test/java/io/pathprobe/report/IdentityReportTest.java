package io.pathprobe.report;

import static io.pathprobe.testing.Samples.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.enrich.Responder;
import io.pathprobe.evidence.Masking;
import io.pathprobe.graph.PathGraph;
import io.pathprobe.probe.InterfaceInfo;
import io.pathprobe.probe.NodeId;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Issue 72 item 4 in the report: each hop's RFC 5837 interface and Node Identification objects in the hop table,
 * routers that answer from one address drawn as nodes of their own (keyed by address and node), masking applied to
 * the objects as to any address.
 */
class IdentityReportTest {
    static final String SHARED = "198.18.251.1";

    /** Three probes answered from SHARED by router {@code k}: interface 100+k "ge-0/0/k" at 198.18.253.k, node rk. */
    static Hop router(int k, boolean objects) {
        List<ProbeResult> probes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ProbeResult p = Samples.reply(k, i, SHARED, k + 0.5, Samples.TIME_EXCEEDED, false, 64 - k, List.of(), 0);
            probes.add(!objects ? p : new ProbeResult(p.ttl(), p.attempt(), p.status(), p.responder(), p.rtt(),
                    p.icmp(), p.fromDestination(), p.failure(), p.replyTtl(), p.mplsLabels(), p.flow(), p.natId(),
                    p.quotedTrafficClass(), p.headerChanges(), List.of(new InterfaceInfo(InterfaceInfo.Role.INCOMING,
                            OptionalInt.of(100 + k), Optional.of(ip("198.18.253." + k)), Optional.of("ge-0/0/" + k),
                            OptionalInt.of(1500))), Optional.of(new NodeId(Optional.of(ip("198.18.252." + k)),
                            Optional.of("r" + k)))));
        }
        return new Hop(k, probes, List.of(new Responder(ip(SHARED), 3)), new HopStatistics(3, 3, 0, 0,
                Optional.of(Samples.rtt(k + 0.5, k + 0.5, k + 0.5))));
    }

    /** Samples.trace()'s destination behind three routers that share SHARED. */
    static TraceResult shared(boolean objects) {
        TraceResult t = Samples.trace();
        Hop d = t.hops().get(3);
        return t.withEnrichment(List.of(router(1, objects), router(2, objects), router(3, objects), d), t.context());
    }

    @Test
    void routersBehindOneAddressAreNodesOfTheirOwnAndTheTableShowsTheirObjects() {
        PathGraph g = PathGraph.of(shared(true));
        List<String> routers = List.of(SHARED + " NODE:198.18.252.1,\"r1\"", SHARED + " NODE:198.18.252.2,\"r2\"",
                SHARED + " NODE:198.18.252.3,\"r3\"");
        assertThat(g.nodes()).extracting(PathGraph.Node::id).containsSubsequence(routers).hasSize(5);
        assertThat(g.links()).extracting(l -> l.from() + " > " + l.to()).containsExactly("source > " + routers.get(0),
                routers.get(0) + " > " + routers.get(1), routers.get(1) + " > " + routers.get(2),
                routers.get(2) + " > 198.51.100.10");
        assertThat(g.nodes().get(2).lines()).containsExactly(SHARED, "NODE:198.18.252.2,\"r2\"",
                "INC:102,198.18.253.2,\"ge-0/0/2\",mtu=1500", "loss 0.0%, avg 2.500 ms");
        assertThat(g.nodes().get(2).ttls()).containsExactly(2);

        // without the objects the same path is one node seen at TTLs 1-3, looping on itself
        PathGraph plain = PathGraph.of(shared(false));
        assertThat(plain.nodes()).extracting(PathGraph.Node::id).containsExactly("source", SHARED, "198.51.100.10");
        assertThat(plain.nodes().get(1).ttls()).containsExactly(1, 2, 3);

        String html = HtmlReport.of(shared(true), Masking.NONE);
        assertThat(html).contains("<th>interface / node</th>");
        for (int k = 1; k <= 3; k++) {
            assertThat(html).contains("<td class=\"identity\">" + HtmlReport.x(SHARED + " <INC:" + (100 + k)
                    + ",198.18.253." + k + ",\"ge-0/0/" + k + "\",mtu=1500;NODE:198.18.252." + k + ",\"r" + k
                    + "\">") + "</td>");
            assertThat(html).contains("data-id=\"" + HtmlReport.x(routers.get(k - 1)) + "\"");
        }
        assertThat(html.split("<tr class=\"hop\"")[4]).as("the destination sent no objects")
                .contains("<td class=\"identity\"></td>");
    }

    @Test
    void maskingHidesTheObjectsOfAHiddenHopAndAHiddenAddressInsideAnObject() {
        // an interface's address hidden: gone from its object, the rest of the object and the path shown
        String html = HtmlReport.of(shared(true), Masking.NONE.hiding(List.of(ip("198.18.253.2"))));
        assertThat(html).doesNotContain("198.18.253.2")
                .contains(HtmlReport.x("<INC:102,\"ge-0/0/2\",mtu=1500;NODE:198.18.252.2,\"r2\">"),
                        HtmlReport.x("<INC:103,198.18.253.3,\"ge-0/0/3\",mtu=1500;NODE:198.18.252.3,\"r3\">"));
        // hop 1 hidden: its address is hidden wherever it answered, so every router behind it, objects and all
        String first = HtmlReport.of(shared(true), Masking.firstHops(1));
        assertThat(first).doesNotContain(SHARED, "ge-0/0/", "198.18.252.", "198.18.253.", "\"r1\"", "\"r2\"")
                .contains("<td class=\"masked\">masked</td>");
    }
}
