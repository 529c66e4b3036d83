package io.pathprobe.core.internal.enrich;

import io.pathprobe.enrich.Segment;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Gives every hop of a path its {@link Segment}. A pure function.
 *
 * <p>Follows ftr's classification (as summarised in the project's research notes, {@code anchors.md}
 * "Segment classification (ftr)"): private / link-local / ULA → LAN; CGNAT 100.64/10 → ISP; a hop
 * whose ASN equals the ASN of this host's public address (found by STUN) → ISP; equal to the
 * destination's ASN → DESTINATION; else TRANSIT; then a "sandwich" pass for hops without evidence.
 *
 * <p>Pass 1, evidence, per hop in TTL order:
 * <ol>
 *   <li>silent → no evidence;</li>
 *   <li>the destination's address → DESTINATION;</li>
 *   <li>a local-network address ({@link AddressRanges#isLocalNetwork}: RFC 1918, link-local, ULA,
 *       loopback) while no hop so far had another segment → LAN. <b>Decision</b>: a private address
 *       <em>after</em> the path left the LAN (ISPs and transit networks number their cores from RFC
 *       1918 too) is no evidence, so the sandwich pass decides (ISP between two ISP hops, UNKNOWN at a
 *       border);</li>
 *   <li>CGNAT 100.64/10 → ISP;</li>
 *   <li>a known ASN: the ISP's → ISP (checked first: if the destination is in this host's own ISP, its
 *       routers are ISP, the destination address itself still DESTINATION), the destination's →
 *       DESTINATION, any other → TRANSIT;</li>
 *   <li>a public address without a known ASN → no evidence.</li>
 * </ol>
 * The ISP's ASN is the public address's. <b>Extension</b> (not in ftr), on by default
 * ({@link Context#inferIspAsn}): when the public address's ASN is unknown (no STUN server, STUN or its
 * lookup failed), the first known ASN on the path that is not the destination's, met before any
 * TRANSIT or DESTINATION hop, is taken as the ISP's (the first AS after the home is the access
 * provider), instead of calling every AS TRANSIT.
 *
 * <p>Pass 2, the sandwich rule: a run of hops without evidence between two hops of the same segment
 * takes that segment; between unlike neighbours it is UNKNOWN. A run at the start of the path takes LAN
 * when the next known hop is LAN (the path starts at this host, inside its LAN); a run at the end
 * (silent hops after the last answer) is UNKNOWN.
 *
 * <p>NAT observations (where the quoted probe came back rewritten) are not used: a NAT sits at the
 * home edge and at a CGNAT alike, so it tells no segment by itself; "behind NAT" comes from STUN
 * ({@link StunMapping#behindNat}).
 */
public final class SegmentClassifier {
    private SegmentClassifier() {}

    /**
     * What the classifier knows of one hop: who answered and its AS number.
     *
     * @param ttl its distance
     * @param address who answered, null when silent
     * @param asn its AS number, if known
     */
    public record HopEvidence(int ttl, @Nullable InetAddress address, OptionalLong asn) {
        public HopEvidence {
            Objects.requireNonNull(asn, "asn");
        }

        public static HopEvidence silent(int ttl) {
            return new HopEvidence(ttl, null, OptionalLong.empty());
        }

        public static HopEvidence of(int ttl, InetAddress address) {
            return new HopEvidence(ttl, address, OptionalLong.empty());
        }

        public static HopEvidence of(int ttl, InetAddress address, long asn) {
            return new HopEvidence(ttl, address, OptionalLong.of(asn));
        }
    }

    /**
     * What is known about the ends of the path.
     *
     * @param publicAsn the ASN of this host's public address
     * @param destinationAsn the destination's ASN
     * @param destination the destination's address
     * @param inferIspAsn whether to take the first AS on the path as the ISP's when {@code publicAsn} is
     *     unknown
     */
    public record Context(OptionalLong publicAsn, OptionalLong destinationAsn, @Nullable InetAddress destination,
            boolean inferIspAsn) {
        public Context {
            Objects.requireNonNull(publicAsn, "publicAsn");
            Objects.requireNonNull(destinationAsn, "destinationAsn");
        }

        /** Nothing known, inference on. */
        public static Context none() {
            return new Context(OptionalLong.empty(), OptionalLong.empty(), null, true);
        }

        public static Context of(OptionalLong publicAsn, OptionalLong destinationAsn,
                @Nullable InetAddress destination) {
            return new Context(publicAsn, destinationAsn, destination, true);
        }
    }

    /**
     * The segment of each hop.
     *
     * @param hops in ascending TTL order
     * @return one segment per hop, in the same order
     */
    public static List<Segment> classify(List<HopEvidence> hops, Context ctx) {
        int n = hops.size();
        for (int i = 1; i < n; i++) {
            if (hops.get(i).ttl() <= hops.get(i - 1).ttl()) {
                throw new IllegalArgumentException("hops must be in ascending TTL order");
            }
        }
        Segment[] seg = new Segment[n];
        boolean leftLan = false;
        boolean beyondIsp = false;
        OptionalLong ispAsn = ctx.publicAsn();
        for (int i = 0; i < n; i++) {
            HopEvidence h = hops.get(i);
            InetAddress a = h.address();
            Segment s = null;
            if (a == null) {
                s = null;
            } else if (a.equals(ctx.destination())) {
                s = Segment.DESTINATION;
            } else if (AddressRanges.isLocalNetwork(a)) {
                s = leftLan ? null : Segment.LAN;
            } else if (AddressRanges.isCgnat(a)) {
                s = Segment.ISP;
            } else if (h.asn().isPresent()) {
                long asn = h.asn().getAsLong();
                if (ispAsn.isEmpty() && ctx.inferIspAsn() && !beyondIsp
                        && !(ctx.destinationAsn().isPresent() && ctx.destinationAsn().getAsLong() == asn)) {
                    ispAsn = OptionalLong.of(asn);
                }
                if (ispAsn.isPresent() && ispAsn.getAsLong() == asn) {
                    s = Segment.ISP;
                } else if (ctx.destinationAsn().isPresent() && ctx.destinationAsn().getAsLong() == asn) {
                    s = Segment.DESTINATION;
                } else {
                    s = Segment.TRANSIT;
                }
            }
            if (s != null && s != Segment.LAN) {
                leftLan = true;
            }
            if (s == Segment.TRANSIT || s == Segment.DESTINATION) {
                beyondIsp = true;
            }
            seg[i] = s;
        }
        // pass 2: the sandwich
        int i = 0;
        while (i < n) {
            if (seg[i] != null) {
                i++;
                continue;
            }
            int j = i;
            while (j < n && seg[j] == null) {
                j++;
            }
            Segment before = i > 0 ? seg[i - 1] : null;
            Segment after = j < n ? seg[j] : null;
            Segment fill;
            if (before != null && before == after) {
                fill = before;
            } else if (before == null && after == Segment.LAN) {
                fill = Segment.LAN;
            } else {
                fill = Segment.UNKNOWN;
            }
            Arrays.fill(seg, i, j, fill);
            i = j;
        }
        return new ArrayList<>(Arrays.asList(seg));
    }
}
