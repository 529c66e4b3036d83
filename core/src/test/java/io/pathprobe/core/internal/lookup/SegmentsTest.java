package io.pathprobe.core.internal.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.Segment;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentsTest {
    private static Segments.Point p(int a, int b, int c, int d, long asn) {
        return new Segments.Point(Scenario.address(a, b, c, d), asn == 0 ? Lookup.notFound() : Lookup.found(AsnInfo.of(asn)));
    }

    private static final Segments.Point SILENT = new Segments.Point(null, Lookup.off());
    private static final InetAddress DEST = Scenario.address(198, 51, 100, 10);

    @Test
    void homeIspTransitDestinationWithSandwich() {
        List<Segments.Point> path = List.of(p(192, 168, 1, 1, 0), p(100, 64, 0, 1, 0), SILENT, p(198, 18, 1, 1, 64500),
                p(203, 0, 113, 1, 64501), SILENT, p(203, 0, 113, 9, 64501), p(198, 51, 100, 1, 64510),
                new Segments.Point(DEST, Lookup.found(AsnInfo.of(64510))));
        PathContext ctx = new PathContext(Lookup.off(), Lookup.found(AsnInfo.of(64500)), Lookup.found(AsnInfo.of(64510)));
        assertThat(Segments.classify(path, ctx, DEST)).containsExactly(Segment.LAN, Segment.ISP, Segment.ISP,
                Segment.ISP, Segment.TRANSIT, Segment.TRANSIT, Segment.TRANSIT, Segment.DESTINATION,
                Segment.DESTINATION);
    }

    @Test
    void silentBetweenUnlikeIsUnknownAndWithoutLocalAsnTheFirstPublicAsIsTheIsp() {
        List<Segments.Point> path = List.of(p(10, 0, 0, 1, 0), SILENT, p(198, 18, 1, 1, 64500),
                p(203, 0, 113, 1, 64501));
        PathContext ctx = new PathContext(Lookup.off(), Lookup.off(), Lookup.found(AsnInfo.of(64510)));
        assertThat(Segments.classify(path, ctx, DEST)).containsExactly(Segment.LAN, Segment.UNKNOWN, Segment.ISP,
                Segment.TRANSIT);
    }
}
