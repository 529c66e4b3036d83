package io.pathprobe.diff;

import static io.pathprobe.testing.Samples.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.json.DiffJson;
import io.pathprobe.json.TraceJson;
import io.pathprobe.probe.InterfaceInfo;
import io.pathprobe.probe.NodeId;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceResult;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Issue 72 item 4 in {@link PathDiff}: where routers answer from one shared address, their RFC 5837 incoming
 * interface and Node Identification objects tell them apart. Another router behind the same address is a change
 * (and ends the comparison of RTT and loss, as another address does); the same objects, objects on one side only,
 * or other outgoing / next-hop objects are not.
 */
class PathDiffIdentityTest {
    private static final String DEST = "198.19.0.1";
    private static final String SHARED = "198.18.251.1";

    /** A hop answered from SHARED by router {@code node} on its interface {@code ifIndex}; RTTs {@code rtt} ms. */
    static Hop identified(int ttl, int node, int ifIndex, double... rtt) {
        return withObjects(PathDiffTest.hop(ttl, SHARED, rtt), List.of(new InterfaceInfo(InterfaceInfo.Role.INCOMING,
                OptionalInt.of(ifIndex), Optional.empty(), Optional.of("ge-0/0/" + node), OptionalInt.of(1500))),
                Optional.of(new NodeId(Optional.of(ip("198.18.252." + node)), Optional.of("r" + node))));
    }

    static Hop withObjects(Hop h, List<InterfaceInfo> interfaces, Optional<NodeId> node) {
        List<ProbeResult> probes = h.probes().stream().map(p -> new ProbeResult(p.ttl(), p.attempt(), p.status(),
                p.responder(), p.rtt(), p.icmp(), p.fromDestination(), p.failure(), p.replyTtl(), p.mplsLabels(),
                p.flow(), p.natId(), p.quotedTrafficClass(), p.headerChanges(), interfaces, node)).toList();
        return new Hop(h.ttl(), probes, h.responders(), h.statistics());
    }

    private static TraceResult trace(Hop... hops) {
        return PathDiffTest.trace(DEST, List.of(hops));
    }

    private static Hop dest(int ttl, double... rtt) {
        return PathDiffTest.hop(ttl, DEST, rtt);
    }

    @Test
    void anotherNodeBehindTheSameAddressIsAChangeAndEndsTheRttComparison() {
        TraceResult a = trace(identified(1, 1, 101), identified(2, 2, 102), identified(3, 3, 103),
                dest(4, 1, 1, 1));
        TraceResult b = trace(identified(1, 1, 101), identified(2, 5, 102), identified(3, 3, 103),
                dest(4, 40, 40, 40)); // beyond the other router the RTT is the change's
        PathDiff d = PathDiff.of(a, b);
        assertThat(d.changed()).isTrue();
        assertThat(d.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(HopChange.Kind.RESPONDER_IDENTITY_CHANGED);
            assertThat(c.ttl()).hasValue(2);
            HopChange.Identities i = (HopChange.Identities) c;
            assertThat(i.addresses()).containsExactly(ip(SHARED));
            assertThat(i.before())
                    .containsExactly(SHARED + " <INC:102,\"ge-0/0/2\",mtu=1500;NODE:198.18.252.2,\"r2\">");
            assertThat(i.after())
                    .containsExactly(SHARED + " <INC:102,\"ge-0/0/5\",mtu=1500;NODE:198.18.252.5,\"r5\">");
        });
        assertThat(d.toString()).isEqualTo("hop 2: 198.18.251.1 <INC:102,\"ge-0/0/2\",mtu=1500;NODE:198.18.252.2,"
                + "\"r2\"> -> 198.18.251.1 <INC:102,\"ge-0/0/5\",mtu=1500;NODE:198.18.252.5,\"r5\"> (same address, "
                + "other router)");
        // without the objects the same traces are one address throughout: the RTT shift beyond is all there is
        PathDiff plain = PathDiff.of(trace(PathDiffTest.hop(1, SHARED), PathDiffTest.hop(2, SHARED),
                PathDiffTest.hop(3, SHARED), dest(4, 1, 1, 1)), trace(PathDiffTest.hop(1, SHARED),
                PathDiffTest.hop(2, SHARED), PathDiffTest.hop(3, SHARED), dest(4, 40, 40, 40)));
        assertThat(plain.changes()).extracting(HopChange::kind).containsExactly(HopChange.Kind.RTT_SHIFT);
    }

    @Test
    void anotherIncomingInterfaceOfTheSameNodeIsAChange() {
        PathDiff d = PathDiff.of(trace(identified(1, 1, 101), dest(2)), trace(identified(1, 1, 199), dest(2)));
        assertThat(d.changes()).extracting(HopChange::kind)
                .containsExactly(HopChange.Kind.RESPONDER_IDENTITY_CHANGED);
        assertThat(d.toString()).contains("<INC:101,").contains("-> 198.18.251.1 <INC:199,");
    }

    @Test
    void theSameObjectsObjectsOnOneSideOnlyOrOtherOutgoingObjectsAreNoChange() {
        TraceResult a = trace(identified(1, 1, 101), identified(2, 2, 102), dest(3));
        assertThat(PathDiff.of(a, trace(identified(1, 1, 101), identified(2, 2, 102), dest(3))).changed()).isFalse();
        // a document written before the objects were read (or a router that stopped sending them) decides nothing
        TraceResult without = trace(PathDiffTest.hop(1, SHARED), PathDiffTest.hop(2, SHARED), dest(3));
        assertThat(PathDiff.of(a, without).changed()).isFalse();
        assertThat(PathDiff.of(without, a).changed()).isFalse();
        // where the probe would have gone is not who answered
        InterfaceInfo in = new InterfaceInfo(InterfaceInfo.Role.INCOMING, OptionalInt.of(7), Optional.empty(),
                Optional.empty(), OptionalInt.empty());
        Hop out1 = withObjects(PathDiffTest.hop(1, SHARED), List.of(in, new InterfaceInfo(InterfaceInfo.Role.OUTGOING,
                OptionalInt.of(8), Optional.empty(), Optional.empty(), OptionalInt.empty())), Optional.empty());
        Hop out2 = withObjects(PathDiffTest.hop(1, SHARED), List.of(in, new InterfaceInfo(InterfaceInfo.Role.OUTGOING,
                OptionalInt.of(9), Optional.empty(), Optional.empty(), OptionalInt.empty())), Optional.empty());
        assertThat(PathDiff.of(trace(out1, dest(2)), trace(out2, dest(2))).changed()).isFalse();
    }

    @Test
    void theChangeSurvivesTheTraceDocumentAndIsWrittenInTheDiffDocument() throws Exception {
        TraceResult a = trace(identified(1, 1, 101), identified(2, 2, 102), dest(3));
        TraceResult b = trace(identified(1, 1, 101), identified(2, 3, 102), dest(3));
        PathDiff read = PathDiff.of(TraceJson.read(TraceJson.write(a)), TraceJson.read(TraceJson.write(b)));
        assertThat(read).isEqualTo(PathDiff.of(a, b));
        com.fasterxml.jackson.databind.JsonNode change = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(DiffJson.write(read)).get("targets").get(0).get("changes").get(0);
        assertThat(change.get("kind").asText()).isEqualTo("RESPONDER_IDENTITY_CHANGED");
        assertThat(change.get("addresses").get(0).asText()).isEqualTo(SHARED);
        assertThat(change.get("after").get(0).asText())
                .isEqualTo(SHARED + " <INC:102,\"ge-0/0/3\",mtu=1500;NODE:198.18.252.3,\"r3\">");
    }

    @Test
    void anIdentityChangeNeedsIdentitiesOnBothSidesAndOtherOnes() {
        List<java.net.InetAddress> at = List.of(ip(SHARED));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new HopChange.Identities(1, at, List.of(), List.of("x")));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new HopChange.Identities(1, at, List.of("x"), List.of("x")));
    }
}
