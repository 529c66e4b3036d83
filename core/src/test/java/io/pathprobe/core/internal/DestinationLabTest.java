package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 21: the destination is recognised by the type of its answer, not by its source address
 * (NextTrace issue 204), on real kernel routers: a DNAT'd destination (the router that holds the
 * target address forwards it to a host two hops further; Linux un-NATs the Time Exceeded of the
 * routers behind it, so they come from the target's address: a source-address rule stops early), a
 * destination that answers UDP probes from its own address (a source-address rule goes on past it: a
 * late stop), and anycast sites (a nearer router holds the target address too). Every trace, 20 in a row
 * per transport, must end exactly at the hop that answered as the destination, report that
 * address, and have nothing beyond; so must multipath discovery.
 */
@LabTest
@Timeout(300)
class DestinationLabTest {
    private static final int RUNS = 20;

    /** Transports of every protocol; TCP connect() cannot see a SYN-ACK or RST from another address (the kernel answers it). */
    enum Kind {
        ICMP_DGRAM("linux-icmp-dgram", ProbeProtocol.ICMP),
        RAW_ICMP("linux-raw-icmp", ProbeProtocol.ICMP),
        UDP_RECVERR("linux-udp-recverr", ProbeProtocol.UDP),
        RAW_UDP("linux-raw-udp", ProbeProtocol.UDP),
        TCP_CONNECT("linux-tcp-connect", ProbeProtocol.TCP),
        RAW_TCP("linux-raw-tcp", ProbeProtocol.TCP);

        final String transport;
        final ProbeProtocol protocol;

        Kind(String transport, ProbeProtocol protocol) {
            this.transport = transport;
            this.protocol = protocol;
        }
    }

    private static TraceResult trace(PathTracer t, Kind kind, InetAddress target) {
        TraceResult r = t.trace(TraceRequest.builder(target).protocol(kind.protocol).build());
        assertThat(r.transport()).isEqualTo(kind.transport);
        return r;
    }

    private static PathTracer tracer(Kind kind) {
        return PathTracer.builder().offline().preferredTransport(kind.transport).packetsPerSecond(0).build();
    }

    /**
     * What every run must show: the trace reached the destination at {@code ttl}, the last hop; the
     * hops before it have no answer recognised as the destination's; the destination answered from
     * {@code from}.
     */
    private static void endsAt(TraceResult r, int ttl, InetAddress from, String what) {
        assertThat(r.status()).as("%s:%n%s", what, r).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(r.destinationHop().map(Hop::ttl)).as("%s: the destination hop:%n%s", what, r).contains(ttl);
        assertThat(r.hops().get(r.hops().size() - 1).ttl()).as("%s: nothing beyond the destination:%n%s", what, r)
                .isEqualTo(ttl);
        assertThat(r.hops()).filteredOn(h -> h.ttl() < ttl).as("%s: no earlier hop is the destination:%n%s", what, r)
                .allSatisfy(h -> assertThat(h.probes()).noneMatch(ProbeResult::fromDestination));
        assertThat(r.destinationAnsweredFrom()).as("%s:%n%s", what, r).contains(from);
        assertThat(r.destinationHop().orElseThrow().probes()).filteredOn(ProbeResult::answered)
                .as("%s: every answer at the destination hop is the destination's:%n%s", what, r)
                .allSatisfy(p -> assertThat(p.fromDestination()).isTrue());
    }

    // ---- DNAT: Time Exceeded from the target's address must not end the trace -----------------

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void aDnatDestinationIsReachedBehindTheRouterThatHoldsItsAddress(Kind kind) {
        try (Lab lab = Lab.chain(6).dnatDestination(3).icmpUnlimited("every transport traces the same lab in a row, every hop up to the DNAT or anycast end asserted").inCurrentNamespace().build();
                PathTracer t = tracer(kind)) {
            for (int run = 0; run < RUNS; run++) {
                TraceResult r = trace(t, kind, lab.destination());
                endsAt(r, 6, lab.destination(), kind + " run " + run);
                for (int ttl = 3; ttl <= 5; ttl++) {
                    // the trap: the DNAT router and the routers behind it answer Time Exceeded from the
                    // target's address (Linux un-NATs them), and none of them is the destination
                    assertThat(r.hop(ttl).flatMap(Hop::address)).as("%s run %d hop %d:%n%s", kind, run, ttl, r)
                            .contains(lab.destination());
                }
                assertThat(r.hop(1).flatMap(Hop::address)).isEqualTo(lab.expectedResponder(1));
                assertThat(r.hop(2).flatMap(Hop::address)).isEqualTo(lab.expectedResponder(2));
            }
        }
    }

    // ---- the destination answers from another address: the trace must stop there ---------------

    /**
     * UDP: the port unreachable quotes the probe to the traced address, so it counts from any
     * address. Echo replies and TCP answers quote nothing; the transports take them only from the
     * traced address (an on-path router can copy an echo request's payload: the chaos suite's
     * echo-src forgery), so ICMP and TCP traces do not recognise this destination.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Kind.class, names = {"UDP_RECVERR", "RAW_UDP"})
    void aDestinationAnsweringFromItsOwnAddressEndsTheTraceThere(Kind kind) {
        try (Lab lab = Lab.chain(5).destinationAnswersFromOwnAddress().icmpUnlimited("every transport traces the same lab in a row, every hop up to the DNAT or anycast end asserted").inCurrentNamespace().build();
                PathTracer t = tracer(kind)) {
            for (int run = 0; run < RUNS; run++) {
                TraceResult r = trace(t, kind, lab.destination());
                endsAt(r, 5, lab.destinationHostAddress(), kind + " run " + run);
                assertThat(r.hops().stream().map(Hop::address).toList().subList(0, 4))
                        .isEqualTo(lab.expectedPath().subList(0, 4));
            }
        }
    }

    // ---- anycast -------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void aNearerAnycastSiteEndsTheTraceThere(Kind kind) {
        try (Lab lab = Lab.chain(6).anycastSite(3).icmpUnlimited("every transport traces the same lab in a row, every hop up to the DNAT or anycast end asserted").inCurrentNamespace().build();
                PathTracer t = tracer(kind)) {
            for (int run = 0; run < RUNS; run++) {
                TraceResult r = trace(t, kind, lab.destination());
                endsAt(r, 3, lab.destination(), kind + " run " + run);
            }
        }
    }

    /**
     * An anycast site in one branch of a 4-wide diamond (ECMP hashing the first 4 transport bytes):
     * a Paris trace's flow takes one branch; it ends at TTL 2 if that branch holds the address, else
     * at the destination (TTL 4) through another branch and the merging router.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void aParisTraceEndsAtTheAnycastSiteItsFlowReaches(Kind kind) {
        try (Lab lab = Lab.diamond(4, EcmpHash.FIRST_4_BYTES).anycastSite(2, 4).icmpUnlimited("every transport traces the same lab in a row, every hop up to the DNAT or anycast end asserted").inCurrentNamespace()
                .build(); PathTracer t = tracer(kind)) {
            for (int run = 0; run < RUNS; run++) {
                TraceResult r = trace(t, kind, lab.destination());
                String what = kind + " run " + run;
                int ttl = r.destinationHop().map(Hop::ttl).orElse(-1);
                assertThat(ttl).as("%s:%n%s", what, r).isIn(2, 4);
                endsAt(r, ttl, lab.destination(), what);
                if (ttl == 4) {
                    assertThat(r.hop(2).flatMap(Hop::address)).as("%s: another branch:%n%s", what, r)
                            .isPresent().get().isIn(lab.expectedResponders(2)).isNotEqualTo(lab.destination());
                    assertThat(r.hop(3).flatMap(Hop::address)).isEqualTo(lab.expectedResponder(3));
                }
            }
        }
    }

    /**
     * The same diamond traced with 16 flows: each flow is followed to its own end, the anycast site
     * at TTL 2 for the flows hashed to its branch, the destination at TTL 4 for the others; every
     * flow answered at every TTL of its own path, none probed beyond it.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Kind.class, names = {"ICMP_DGRAM", "RAW_ICMP", "UDP_RECVERR", "RAW_UDP", "RAW_TCP"})
    void sixteenFlowsEachEndAtTheAnycastSiteTheyReach(Kind kind) {
        try (Lab lab = Lab.diamond(4, EcmpHash.FIRST_4_BYTES).anycastSite(2, 4).icmpUnlimited("every transport traces the same lab in a row, every hop up to the DNAT or anycast end asserted").inCurrentNamespace()
                .build(); PathTracer t = tracer(kind)) {
            int[] ends = new int[5];
            for (int run = 0; run < RUNS; run++) {
                TraceResult r = t.trace(TraceRequest.builder(lab.destination()).protocol(kind.protocol).flows(16).build());
                String what = kind + " run " + run;
                assertThat(r.status()).as("%s:%n%s", what, r).isEqualTo(TraceStatus.DESTINATION_REACHED);
                assertThat(r.hops()).extracting(Hop::ttl).as("%s:%n%s", what, r).containsExactly(1, 2, 3, 4);
                for (int flow = 0; flow < 16; flow++) {
                    int f = flow;
                    List<ProbeResult> probes = r.hops().stream().flatMap(h -> h.probes().stream())
                            .filter(p -> p.flow().orElse(-1) == f).toList();
                    assertThat(probes).as("%s flow %d: every probe answered:%n%s", what, f, r)
                            .allSatisfy(p -> assertThat(p.answered()).isTrue());
                    ProbeResult atTwo = probes.stream().filter(p -> p.ttl() == 2).findFirst().orElseThrow();
                    int end = atTwo.fromDestination() ? 2 : 4;
                    assertThat(probes).extracting(ProbeResult::ttl).as("%s flow %d: TTLs 1 to %d:%n%s", what, f, end, r)
                            .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, end).boxed().toList());
                    assertThat(probes).filteredOn(ProbeResult::fromDestination).extracting(ProbeResult::ttl)
                            .containsExactly(end);
                    ends[end]++;
                    if (end == 2) {
                        assertThat(atTwo.responder()).contains(lab.destination());
                    } else {
                        assertThat(atTwo.responder()).isPresent().get().isIn(lab.expectedResponders(2))
                                .isNotEqualTo(lab.destination());
                    }
                }
            }
            // ICMP: the 16 flows cover every branch (FlowLabTest); UDP/TCP: all 320 flows missing the
            // anycast branch (or all hitting it) would take 0.75^320
            assertThat(ends[2]).as("flows that ended at the anycast site").isPositive();
            assertThat(ends[4]).as("flows followed on to the destination").isPositive();
        }
    }

    // ---- multipath -----------------------------------------------------------------------------

    private static MultipathResult discover(InetAddress target, ProbeProtocol protocol) {
        try (PathTracer t = PathTracer.builder().offline().packetsPerSecond(0).build()) {
            return t.measure(MultipathRequest.builder(target).protocol(protocol).maxTtl(12).build());
        }
    }

    /** The multipath result ends at {@code ttl} with the destination answering from {@code from}. */
    private static void multipathEndsAt(MultipathResult r, int ttl, InetAddress from, String what) {
        assertThat(r.destinationReached()).as("%s: %s", what, r.nodes()).isTrue();
        assertThat(r.destinationAnsweredFrom()).as("%s: %s", what, r.nodes()).containsExactly(from);
        assertThat(r.nodes()).filteredOn(MultipathNode::destination).extracting(MultipathNode::ttl)
                .as("%s: %s", what, r.nodes()).containsOnly(ttl);
        assertThat(r.nodes()).filteredOn(n -> !n.silent()).extracting(MultipathNode::ttl)
                .as("%s: nothing beyond the destination: %s", what, r.nodes()).allMatch(x -> x <= ttl);
    }

    @Test
    void multipathStopsAtADnatDestinationAnAnswerFromAnotherAddressAndANearerAnycastSite() {
        for (ProbeProtocol protocol : List.of(ProbeProtocol.ICMP, ProbeProtocol.UDP, ProbeProtocol.TCP)) {
            try (Lab lab = Lab.chain(6).dnatDestination(3).icmpUnlimited("every transport traces the same lab in a row, every hop up to the DNAT or anycast end asserted").inCurrentNamespace().build()) {
                for (int run = 0; run < RUNS; run++) {
                    multipathEndsAt(discover(lab.destination(), protocol), 6, lab.destination(),
                            "DNAT " + protocol + " run " + run);
                }
            }
            if (protocol == ProbeProtocol.UDP) { // only a port unreachable counts from another address: see above
                try (Lab lab = Lab.chain(5).destinationAnswersFromOwnAddress().icmpUnlimited("every transport traces the same lab in a row, every hop up to the DNAT or anycast end asserted").inCurrentNamespace()
                        .build()) {
                    for (int run = 0; run < RUNS; run++) {
                        multipathEndsAt(discover(lab.destination(), protocol), 5, lab.destinationHostAddress(),
                                "own address " + protocol + " run " + run);
                    }
                }
            }
            try (Lab lab = Lab.chain(6).anycastSite(3).icmpUnlimited("every transport traces the same lab in a row, every hop up to the DNAT or anycast end asserted").inCurrentNamespace().build()) {
                for (int run = 0; run < RUNS; run++) {
                    multipathEndsAt(discover(lab.destination(), protocol), 3, lab.destination(),
                            "anycast " + protocol + " run " + run);
                }
            }
        }
    }
}
