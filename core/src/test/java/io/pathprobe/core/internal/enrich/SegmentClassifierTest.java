package io.pathprobe.core.internal.enrich;

import static io.pathprobe.enrich.Segment.DESTINATION;
import static io.pathprobe.enrich.Segment.ISP;
import static io.pathprobe.enrich.Segment.LAN;
import static io.pathprobe.enrich.Segment.TRANSIT;
import static io.pathprobe.enrich.Segment.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.core.internal.enrich.SegmentClassifier.Context;
import io.pathprobe.core.internal.enrich.SegmentClassifier.HopEvidence;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SegmentClassifierTest {
    static final long ISP_AS = 64500;
    static final long TRANSIT_AS = 64501;
    static final long DEST_AS = 64510;
    static final InetAddress DEST = ip("198.19.10.1");
    static final Context CTX = Context.of(OptionalLong.of(ISP_AS), OptionalLong.of(DEST_AS), DEST);

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** "addr" or "addr@asn" or "*" (silent), TTLs 1.. */
    static List<HopEvidence> path(String... hops) {
        List<HopEvidence> out = new ArrayList<>();
        int ttl = 1;
        for (String h : hops) {
            if (h.equals("*")) {
                out.add(HopEvidence.silent(ttl++));
            } else if (h.contains("@")) {
                String[] p = h.split("@");
                out.add(HopEvidence.of(ttl++, ip(p[0]), Long.parseLong(p[1])));
            } else {
                out.add(HopEvidence.of(ttl++, ip(h)));
            }
        }
        return out;
    }

    @Test
    void theHomeLab() {
        // host -> home router (NAT) -> CGNAT -> ISP core -> transit -> destination network
        assertThat(SegmentClassifier.classify(path("192.168.1.1", "100.64.0.1", "198.18.0.1@64500",
                "198.18.1.1@64501", "198.19.10.254@64510", "198.19.10.1@64510"), CTX))
                .containsExactly(LAN, ISP, ISP, TRANSIT, DESTINATION, DESTINATION);
    }

    @Test
    void ipv6LinkLocalAndUlaAreLan() {
        assertThat(SegmentClassifier.classify(path("fe80::1", "fd00::1", "2001:db8:1::1@64500", "2001:db8:2::1@64501"),
                Context.of(OptionalLong.of(ISP_AS), OptionalLong.empty(), null)))
                .containsExactly(LAN, LAN, ISP, TRANSIT);
    }

    @Test
    void sandwichTakesTheSegmentOfLikeNeighbours() {
        assertThat(SegmentClassifier.classify(path("192.168.1.1", "*", "10.0.0.1", "100.64.0.1", "*", "*",
                "198.18.0.1@64500", "*", "198.18.1.1@64501", "*", "198.18.1.2@64501", "198.19.10.1"), CTX))
                .containsExactly(LAN, LAN, LAN, ISP, ISP, ISP, ISP, UNKNOWN, TRANSIT, TRANSIT, TRANSIT, DESTINATION);
    }

    @Test
    void hopsWithoutAsnAreLikeSilentOnes() {
        assertThat(SegmentClassifier.classify(path("100.64.0.1", "198.18.0.9", "198.18.0.1@64500", "198.18.5.5",
                "198.18.1.1@64501"), CTX)).containsExactly(ISP, ISP, ISP, UNKNOWN, TRANSIT);
    }

    @Test
    void privateHopsAfterTheLanAreDecidedByTheirNeighbours() {
        assertThat(SegmentClassifier.classify(path("192.168.1.1", "198.18.0.1@64500", "10.10.0.1", "198.18.0.2@64500",
                "10.20.0.1", "198.18.1.1@64501", "172.16.0.1", "198.18.1.2@64501"), CTX))
                .containsExactly(LAN, ISP, ISP, ISP, UNKNOWN, TRANSIT, TRANSIT, TRANSIT);
    }

    @Test
    void leadingAndTrailingRuns() {
        assertThat(SegmentClassifier.classify(path("*", "192.168.1.1", "100.64.0.1", "*", "*"), CTX))
                .containsExactly(LAN, LAN, ISP, UNKNOWN, UNKNOWN);
        assertThat(SegmentClassifier.classify(path("*", "100.64.0.1"), CTX)).containsExactly(UNKNOWN, ISP);
    }

    @Test
    void nothingKnownIsUnknown() {
        assertThat(SegmentClassifier.classify(path("*", "*", "198.18.0.1", "*"), Context.none()))
                .containsExactly(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN);
        assertThat(SegmentClassifier.classify(List.of(), Context.none())).isEmpty();
    }

    @Test
    void theDestinationAddressIsDestinationWhateverItsAsn() {
        assertThat(SegmentClassifier.classify(path("192.168.1.1", "198.19.10.1"),
                Context.of(OptionalLong.empty(), OptionalLong.empty(), DEST))).containsExactly(LAN, DESTINATION);
    }

    @Test
    void destinationInsideTheOwnIsp() {
        Context same = Context.of(OptionalLong.of(ISP_AS), OptionalLong.of(ISP_AS), ip("198.18.0.50"));
        assertThat(SegmentClassifier.classify(path("192.168.1.1", "198.18.0.1@64500", "198.18.0.50@64500"), same))
                .containsExactly(LAN, ISP, DESTINATION);
    }

    @Test
    void theIspAsnIsInferredWhenThePublicAsnIsUnknown() {
        Context noStun = Context.of(OptionalLong.empty(), OptionalLong.of(DEST_AS), DEST);
        assertThat(SegmentClassifier.classify(path("192.168.1.1", "198.18.0.1@64500", "198.18.0.2@64500",
                "198.18.1.1@64501", "198.19.10.1"), noStun)).containsExactly(LAN, ISP, ISP, TRANSIT, DESTINATION);
        Context off = new Context(OptionalLong.empty(), OptionalLong.of(DEST_AS), DEST, false);
        assertThat(SegmentClassifier.classify(path("192.168.1.1", "198.18.0.1@64500", "198.18.1.1@64501"), off))
                .containsExactly(LAN, TRANSIT, TRANSIT);
        // the destination's AS is never inferred as the ISP's
        assertThat(SegmentClassifier.classify(path("192.168.1.1", "198.19.10.254@64510", "198.19.10.1"), noStun))
                .containsExactly(LAN, DESTINATION, DESTINATION);
        // not after transit
        assertThat(SegmentClassifier.classify(path("198.19.10.254@64510", "198.18.1.1@64501"),
                Context.of(OptionalLong.empty(), OptionalLong.of(DEST_AS), null))).containsExactly(DESTINATION, TRANSIT);
    }

    @Test
    void asnsThatAreNeitherAreTransit() {
        assertThat(SegmentClassifier.classify(path("198.18.0.1@64500", "198.18.1.1@64501", "198.18.2.1@64502",
                "198.18.0.9@64500"), CTX)).containsExactly(ISP, TRANSIT, TRANSIT, ISP);
    }

    @Test
    void unlikeNeighboursAroundASilentHop() {
        assertThat(SegmentClassifier.classify(path("192.168.1.1", "*", "100.64.0.1"), CTX))
                .containsExactly(LAN, UNKNOWN, ISP);
        assertThat(SegmentClassifier.classify(path("198.18.1.1@64501", "*", "198.19.10.1"), CTX))
                .containsExactly(TRANSIT, UNKNOWN, DESTINATION);
    }

    @Test
    void ttlOrderIsRequired() {
        assertThatThrownBy(() -> SegmentClassifier.classify(List.of(HopEvidence.silent(2), HopEvidence.silent(1)), CTX))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
