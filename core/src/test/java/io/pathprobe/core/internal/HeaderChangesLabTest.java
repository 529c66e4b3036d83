package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.NatKind;
import io.pathprobe.probe.Ecn;
import io.pathprobe.probe.HeaderField;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.trace.FirstChange;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the network did to the packet, on kernel routers that do it: nftables boxes that bleach the DSCP,
 * clear the ECN codepoint, clamp the MSS and reset the TTL of what they forward, and a NAT that leaves the
 * quote translated. Each change is found at the hop after its box (the box quotes the probe as it arrived);
 * a clean chain shows none, and every hop quotes the marking sent.
 */
@LabTest
@Timeout(180)
class HeaderChangesLabTest {
    private static final TrafficClass EF_ECT0 = new TrafficClass(46, Ecn.ECT_0);

    private static TraceResult trace(Lab lab, String transport, ProbeProtocol protocol, int maxTtl) {
        return trace(lab.destination(), transport, protocol, maxTtl);
    }

    private static TraceResult trace(java.net.InetAddress destination, String transport, ProbeProtocol protocol,
            int maxTtl) {
        try (PathTracer t = PathTracer.builder().offline().preferredTransport(transport).build()) {
            TraceResult r = t.trace(TraceRequest.builder(destination).protocol(protocol).maxTtl(maxTtl)
                    .trafficClass(EF_ECT0).build());
            assertThat(r.transport()).as("the transport asked for").isEqualTo(transport);
            return r;
        }
    }

    private static Map<HeaderField, Integer> firstHops(TraceResult r) {
        Map<HeaderField, Integer> m = new LinkedHashMap<>();
        for (FirstChange c : r.headerChanges()) {
            m.put(c.change().field(), c.ttl());
        }
        return m;
    }

    @Test
    void eachBoxOnATenRouterChainIsFoundAtTheHopAfterIt() {
        try (Lab lab = Lab.chain(11).rewriteDscpAt(2, 0).clearEcnAt(4).clampMssAt(6, 1200)
                .natAt(8, NatKind.QUOTE_PRESERVING).setTtlAt(9, 64).inCurrentNamespace().build()) {
            TraceResult udp = trace(lab, "linux-raw-udp", ProbeProtocol.UDP, 12);
            Map<HeaderField, Integer> u = firstHops(udp);
            assertThat(u).as("%s", udp).containsEntry(HeaderField.DSCP, 3).containsEntry(HeaderField.ECN, 5)
                    .containsEntry(HeaderField.TRANSPORT_CHECKSUM, 9).containsEntry(HeaderField.TTL, 10)
                    .doesNotContainKey(HeaderField.TCP_MSS);
            assertThat(u.keySet()).as("nothing else changed:%n%s", udp).containsOnly(HeaderField.DSCP,
                    HeaderField.ECN, HeaderField.TRANSPORT_CHECKSUM, HeaderField.TTL);
            assertThat(udp.hop(10).orElseThrow().isDestination()).as("past the TTL reset the probes reach the "
                    + "destination:%n%s", udp).isTrue();
            assertThat(udp.toString()).contains("changed on the way: DSCP 46 -> 0 from hop 3");
            // the marking as each router received it: as sent before the first box, then as each box left it
            assertMarking(udp, 1, 2, EF_ECT0);
            assertMarking(udp, 3, 4, new TrafficClass(0, Ecn.ECT_0));
            assertMarking(udp, 5, 9, new TrafficClass(0, Ecn.NOT_ECT));

            TraceResult tcp = trace(lab, "linux-raw-tcp", ProbeProtocol.TCP, 12);
            Map<HeaderField, Integer> t = firstHops(tcp);
            assertThat(t).as("%s", tcp).containsEntry(HeaderField.DSCP, 3).containsEntry(HeaderField.ECN, 5)
                    .containsEntry(HeaderField.TCP_MSS, 7).containsEntry(HeaderField.TRANSPORT_CHECKSUM, 9);
            assertThat(tcp.natHops()).as("the clamp's share of the checksum is no translation:%n%s", tcp)
                    .extracting(Hop::ttl).containsExactly(9);
            assertThat(udp.natHops()).extracting(Hop::ttl).containsExactly(9);
            assertThat(tcp.hop(7).orElseThrow().headerChanges()).as("%s", tcp)
                    .anySatisfy(c -> assertThat(c).hasToString("MSS 1460 -> 1200"));
        }
    }

    @Test
    void overIpv6TooEachBoxIsFoundAtTheHopAfterIt() {
        try (Lab lab = Lab.chain(11).ipv6().rewriteDscpAt(2, 0).clearEcnAt(4).clampMssAt(6, 1200).setTtlAt(9, 64)
                .inCurrentNamespace().build()) {
            TraceResult udp = trace(lab.destination6(), "linux-raw-udp", ProbeProtocol.UDP, 12);
            assertThat(firstHops(udp)).as("%s", udp).containsOnly(java.util.Map.entry(HeaderField.DSCP, 3),
                    java.util.Map.entry(HeaderField.ECN, 5), java.util.Map.entry(HeaderField.TTL, 10));
            assertMarking(udp, 1, 2, EF_ECT0);
            assertMarking(udp, 3, 4, new TrafficClass(0, Ecn.ECT_0));
            TraceResult tcp = trace(lab.destination6(), "linux-raw-tcp", ProbeProtocol.TCP, 12);
            assertThat(firstHops(tcp)).as("%s", tcp).containsEntry(HeaderField.DSCP, 3)
                    .containsEntry(HeaderField.ECN, 5).containsEntry(HeaderField.TCP_MSS, 7)
                    .doesNotContainKey(HeaderField.TRANSPORT_CHECKSUM);
            assertThat(tcp.hops().subList(6, 9)).as("the routers past the clamp are matched:%n%s", tcp)
                    .allSatisfy(h -> assertThat(h.responders()).isNotEmpty());
        }
    }

    private static void assertMarking(TraceResult r, int from, int to, TrafficClass expected) {
        for (int ttl = from; ttl <= to; ttl++) {
            Hop h = r.hop(ttl).orElseThrow();
            assertThat(h.probes()).as("hop %d:%n%s", ttl, r).filteredOn(p -> p.quotedTrafficClass().isPresent())
                    .isNotEmpty().allSatisfy(p -> assertThat(p.quotedTrafficClass()).contains(expected));
        }
    }

    @Test
    void aCleanChainShowsNoChangeAndEveryHopQuotesTheMarkingSent() {
        try (Lab lab = Lab.chain(6).inCurrentNamespace().build()) {
            for (String[] k : List.of(new String[] {"linux-raw-udp", "UDP"}, new String[] {"linux-raw-tcp", "TCP"},
                    new String[] {"linux-raw-icmp", "ICMP"})) {
                TraceResult r = trace(lab, k[0], ProbeProtocol.valueOf(k[1]), 10);
                assertThat(r.destinationReached()).as("%s", r).isTrue();
                assertThat(r.headerChanges()).as("%s", r).isEmpty();
                assertThat(r.hops()).allSatisfy(h -> assertThat(h.headerChanges()).isEmpty());
                assertMarking(r, 1, 5, EF_ECT0);
                assertThat(r.hop(1).orElseThrow().toString()).as("%s", r).contains("[DSCP 46 (EF) ECT(0)]");
            }
        }
    }
}
