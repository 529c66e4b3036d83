package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.compare.CompareRequest;
import io.pathprobe.compare.CompareResult;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.probe.Ecn;
import io.pathprobe.probe.HeaderField;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.trace.FirstChange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the network did to each protocol's packets, on kernel routers: a box at TTL 2 of a 6-hop chain that
 * re-marks TCP to port 443 alone (DSCP EF to 0) stands out for TCP/443, ICMP and UDP keeping EF; a box that
 * re-marks everything, and one that clears ECN, are one sentence for every protocol. Every protocol's probes carry
 * EF ECT(0) ({@code CompareRequest.trafficClass}); the box's change is first quoted by the router after it (hop 3).
 */
@LabTest
@Timeout(180)
class CompareMarkingLabTest {
    private static final TrafficClass EF_ECT0 = new TrafficClass(46, Ecn.ECT_0);

    private static CompareResult compare(Lab lab, int tcpPort) {
        try (PathTracer tracer = PathTracer.builder().offline().build()) {
            CompareResult r = tracer.measure(CompareRequest.builder(lab.destination()).trafficClass(EF_ECT0)
                    .tcpPort(tcpPort).build());
            System.out.println(r);
            for (ProbeProtocol p : r.request().protocols()) {
                assertThat(r.lastQuotedTtl(p).orElse(0)).as("%s read the routers' quotes (%s)", p,
                        r.trace(p).transport()).isGreaterThanOrEqualTo(3);
                // every protocol's probes left marked: the first router, before any box, quotes the marking sent
                assertThat(r.trace(p).hop(1).orElseThrow().quotedTrafficClass()).as("%s", p).contains(EF_ECT0);
            }
            return r;
        }
    }

    private static String at(Lab lab, int ttl) {
        return "from hop " + ttl + " (" + lab.expectedResponder(ttl).orElseThrow().getHostAddress() + ")";
    }

    @Test
    void aBoxThatReMarksTcp443AloneIsNamedForTcp443Alone() {
        try (Lab lab = Lab.chain(6).rewriteDscpAt(2, 0, 443)
                .icmpUnlimited("three protocols' probes at once per router").inCurrentNamespace().build()) {
            CompareResult r = compare(lab, 443);
            assertThat(r.headerChanges(ProbeProtocol.TCP)).as("%s", r).singleElement().satisfies(c -> {
                assertThat(c.change().field()).isEqualTo(HeaderField.DSCP);
                assertThat(c.change()).hasToString("DSCP 46 -> 0");
                assertThat(c.ttl()).isEqualTo(3);
                assertThat(c.responder()).isEqualTo(lab.expectedResponder(3));
            });
            assertThat(r.headerChanges(ProbeProtocol.ICMP)).as("%s", r).isEmpty();
            assertThat(r.headerChanges(ProbeProtocol.UDP)).as("%s", r).isEmpty();
            assertThat(r.samePath()).as("%s", r).isTrue();
            assertThat(r.headerFindings()).containsExactly("TCP/443: DSCP 46 -> 0 " + at(lab, 3)
                    + "; ICMP and UDP keep DSCP 46");
            assertThat(r.findings()).contains("TCP/443: DSCP 46 -> 0 " + at(lab, 3) + "; ICMP and UDP keep DSCP 46");
            assertThat(r.toString()).contains(", marked DSCP 46 (EF) ECT(0)");

            // TCP to another port passes the box as it was sent: nothing changed for anyone
            CompareResult other = compare(lab, 80);
            assertThat(other.headerFindings()).as("%s", other).isEmpty();
            for (ProbeProtocol p : other.request().protocols()) {
                assertThat(other.headerChanges(p)).as("%s", p).isEmpty();
            }
        }
    }

    @Test
    void aBoxThatReMarksEverythingIsOneSentenceForEveryProtocol() {
        try (Lab lab = Lab.chain(6).rewriteDscpAt(2, 0).clearEcnAt(3)
                .icmpUnlimited("three protocols' probes at once per router").inCurrentNamespace().build()) {
            CompareResult r = compare(lab, 443);
            for (ProbeProtocol p : r.request().protocols()) {
                assertThat(r.headerChanges(p).stream().filter(c -> c.change().field() == HeaderField.DSCP
                        || c.change().field() == HeaderField.ECN).map(FirstChange::toString))
                        .as("%s in %s", p, r).containsExactly("DSCP 46 -> 0 " + at(lab, 3),
                                "ECN ECT(0) -> Not-ECT " + at(lab, 4));
            }
            assertThat(r.headerFindings()).as("%s", r).containsExactly("every protocol: DSCP 46 -> 0 " + at(lab, 3),
                    "every protocol: ECN ECT(0) -> Not-ECT " + at(lab, 4));
        }
    }
}
