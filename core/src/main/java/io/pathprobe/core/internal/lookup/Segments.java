package io.pathprobe.core.internal.lookup;

import io.pathprobe.core.internal.enrich.SegmentClassifier;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.Segment;
import java.net.Inet4Address;
import java.net.Inet6Address;
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

    /** The first version's own rules (before the enrichment's classifier was merged). */
    static List<Segment> classifyOwn(List<Point> path, PathContext context, @Nullable InetAddress destination) {
        Optional<Long> local = context.localAsn().value().map(AsnInfo::number);
        Optional<Long> dest = context.destinationAsn().value().map(AsnInfo::number);
        if (local.isEmpty()) {
            // the first public AS after the LAN and CGNAT hops is the access provider's
            for (Point p : path) {
                if (p.address() != null && !isLan(p.address()) && !isCgnat(p.address())
                        && p.asn().value().isPresent() && !p.address().equals(destination)) {
                    long n = p.asn().value().get().number();
                    if (dest.isEmpty() || dest.get() != n) {
                        local = Optional.of(n);
                    }
                    break;
                }
            }
        }
        List<Segment> out = new ArrayList<>(path.size());
        for (Point p : path) {
            out.add(of(p, local, dest, destination));
        }
        // sandwich: unknown runs between two equal known segments take that segment
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i) != Segment.UNKNOWN) {
                continue;
            }
            int j = i;
            while (j < out.size() && out.get(j) == Segment.UNKNOWN) {
                j++;
            }
            if (i > 0 && j < out.size() && out.get(i - 1) == out.get(j)) {
                for (int k = i; k < j; k++) {
                    out.set(k, out.get(j));
                }
            }
            i = j;
        }
        return out;
    }

    private static Segment of(Point p, Optional<Long> local, Optional<Long> dest, @Nullable InetAddress destination) {
        InetAddress a = p.address();
        if (a == null) {
            return Segment.UNKNOWN;
        }
        if (a.equals(destination)) {
            return isLan(a) ? Segment.LAN : Segment.DESTINATION;
        }
        if (isLan(a)) {
            return Segment.LAN;
        }
        if (isCgnat(a)) {
            return Segment.ISP;
        }
        Optional<AsnInfo> asn = p.asn().value();
        if (asn.isEmpty()) {
            return Segment.UNKNOWN;
        }
        long n = asn.get().number();
        if (dest.isPresent() && dest.get() == n) {
            return Segment.DESTINATION;
        }
        if (local.isPresent() && local.get() == n) {
            return Segment.ISP;
        }
        return Segment.TRANSIT;
    }

    /** Private (RFC 1918), loopback, link-local, unique-local (fc00::/7). */
    public static boolean isLan(InetAddress a) {
        if (a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isLoopbackAddress()) {
            return true;
        }
        if (a instanceof Inet6Address) {
            return (a.getAddress()[0] & 0xfe) == 0xfc;
        }
        return false;
    }

    /** 100.64.0.0/10 (RFC 6598). */
    public static boolean isCgnat(InetAddress a) {
        if (!(a instanceof Inet4Address)) {
            return false;
        }
        byte[] b = a.getAddress();
        return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
    }
}
