package io.pathprobe.core.internal.lookup;

import io.pathprobe.core.internal.enrich.SegmentClassifier;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.Segment;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Segments of a path's hops (ftr's rules): private, link-local and unique-local addresses are LAN;
 * CGNAT space (100.64/10) is ISP; a hop in the AS of this host's public address is ISP, in the
 * destination's AS DESTINATION, in another AS TRANSIT. Without the public address's AS, the first AS
 * met after the LAN is taken as the ISP's. The destination itself is DESTINATION. A silent hop (or one
 * without evidence) between two hops of the same segment is in that segment ("sandwich"), else UNKNOWN.
 */
public final class Segments {
    private Segments() {}

    /**
     * One hop as the classifier sees it.
     *
     * @param address its (first) responder, or null when silent
     * @param asn its responder's AS lookup
     */
    public record Point(@Nullable InetAddress address, Lookup<AsnInfo> asn) {}

    /**
     * The segment of each point, in path order (TTL order, gaps being silent points), by the
     * enrichment's {@link SegmentClassifier}.
     */
    public static List<Segment> classify(List<Point> path, PathContext context, @Nullable InetAddress destination) {
        List<SegmentClassifier.HopEvidence> hops = new ArrayList<>(path.size());
        for (int i = 0; i < path.size(); i++) {
            Point p = path.get(i);
            InetAddress a = p.address();
            Optional<AsnInfo> asn = p.asn().value();
            hops.add(a == null ? SegmentClassifier.HopEvidence.silent(i + 1)
                    : asn.isPresent() ? SegmentClassifier.HopEvidence.of(i + 1, a, asn.get().number())
                    : SegmentClassifier.HopEvidence.of(i + 1, a));
        }
        SegmentClassifier.Context ctx = SegmentClassifier.Context.of(number(context.localAsn()),
                number(context.destinationAsn()), destination);
        return SegmentClassifier.classify(hops, ctx);
    }

    private static OptionalLong number(Lookup<AsnInfo> l) {
        return l.value().map(a -> OptionalLong.of(a.number())).orElse(OptionalLong.empty());
    }
}
