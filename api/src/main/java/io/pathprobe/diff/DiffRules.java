package io.pathprobe.diff;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** {@link PathDiff}'s rules (see there), applied to one pair of snapshots. */
final class DiffRules {
    private DiffRules() {}

    /** The changes after which the probes took another path: other routers answered at the hop, or none. */
    private static final java.util.Set<HopChange.Kind> OTHER_ROUTERS = java.util.EnumSet.of(
            HopChange.Kind.RESPONDER_CHANGED, HopChange.Kind.RESPONDER_NEW, HopChange.Kind.RESPONDER_VANISHED,
            HopChange.Kind.RESPONDER_IDENTITY_CHANGED);

    static List<HopChange> compare(PathSnapshot before, PathSnapshot after) {
        List<HopChange> changes = new ArrayList<>();
        int end = Math.min(before.endTtl(), after.endTtl());
        boolean sameDestinationTtl = before.destinationTtl().equals(after.destinationTtl());
        boolean samePath = true; // up to this hop: beyond a changed hop RTT and loss are the change's
        for (HopSnapshot a : before.hops()) {
            if (a.ttl() > end) {
                break;
            }
            Optional<HopSnapshot> other = after.hop(a.ttl());
            if (other.isEmpty()) {
                continue;
            }
            HopSnapshot b = other.get();
            if (!sameDestinationTtl && (isDestinationTtl(before, a.ttl()) || isDestinationTtl(after, a.ttl()))) {
                continue; // the destination answered here on one side only: the destination change says it
            }
            int found = changes.size();
            hop(a, b, samePath, changes);
            samePath &= changes.size() == found || !OTHER_ROUTERS.contains(changes.get(found).kind());
        }
        asPath(before, after).ifPresent(changes::add);
        if (!sameDestinationTtl) {
            changes.add(new HopChange.Destination(before.destinationTtl(), after.destinationTtl()));
        }
        return changes;
    }

    private static boolean isDestinationTtl(PathSnapshot p, int ttl) {
        return p.destinationTtl().isPresent() && p.destinationTtl().getAsInt() == ttl;
    }

    private static void hop(HopSnapshot a, HopSnapshot b, boolean samePath, List<HopChange> changes) {
        if (!a.silent() && !b.silent()) {
            if (!sameSet(a.addresses(), b.addresses())) {
                changes.add(new HopChange.Responders(a.ttl(), a.addresses(), b.addresses(), a.asns(), b.asns()));
                return;
            }
            if (!a.identities().isEmpty() && !b.identities().isEmpty() && !a.identities().equals(b.identities())) {
                changes.add(new HopChange.Identities(a.ttl(), a.addresses(), a.identities(), b.identities()));
                return; // other routers behind the same addresses: their RTT and loss are the change's
            }
            if (samePath) {
                rtt(a, b).ifPresent(changes::add);
                loss(a, b).ifPresent(changes::add);
            }
        } else if (!a.silent() && b.seenSilent()) {
            changes.add(new HopChange.Responders(a.ttl(), a.addresses(), List.of(), a.asns(), List.of()));
        } else if (!b.silent() && a.seenSilent()) {
            changes.add(new HopChange.Responders(a.ttl(), List.of(), b.addresses(), List.of(), b.asns()));
        }
    }

    /** The RTT rule: the minimums differ by more than the floor, the share and 3 standard deviations of each side. */
    static Optional<HopChange> rtt(HopSnapshot a, HopSnapshot b) {
        if (a.rttMin().isEmpty() || b.rttMin().isEmpty()) {
            return Optional.empty();
        }
        Duration ma = a.rttMin().get();
        Duration mb = b.rttMin().get();
        Duration smaller = ma.compareTo(mb) <= 0 ? ma : mb;
        Duration bound = max(max(PathDiff.RTT_FLOOR, Duration.ofNanos(Math.round(smaller.toNanos()
                * PathDiff.RTT_SHARE))), max(a.rttStdDev(), b.rttStdDev()).multipliedBy(PathDiff.RTT_NOISE));
        return mb.minus(ma).abs().compareTo(bound) > 0 ? Optional.of(new HopChange.RttShift(a.ttl(), ma, mb, bound))
                : Optional.empty();
    }

    private static Duration max(Duration x, Duration y) {
        return x.compareTo(y) >= 0 ? x : y;
    }

    /** The loss rule: Fisher's exact test below the significance, and the shares at least the floor apart. */
    static Optional<HopChange> loss(HopSnapshot a, HopSnapshot b) {
        long da = a.decided();
        long db = b.decided();
        if (da == 0 || db == 0 || Math.abs(a.loss() - b.loss()) < PathDiff.LOSS_FLOOR) {
            return Optional.empty();
        }
        double p = fisher(a.lost(), a.received(), b.lost(), b.received());
        return p < PathDiff.LOSS_SIGNIFICANCE
                ? Optional.of(new HopChange.LossShift(a.ttl(), a.lost(), da, b.lost(), db, p)) : Optional.empty();
    }

    /**
     * The two-sided p-value of Fisher's exact test of the table {@code [[x, y], [z, w]]}: the probability, with the
     * margins fixed, of a table at most as likely as this one. The hypergeometric probabilities come from their
     * ratios, summed in logarithms from the most likely table, so counts of millions stay exact enough.
     */
    static double fisher(long x, long y, long z, long w) {
        long row1 = x + y;
        long row2 = z + w;
        long col1 = x + z;
        long lo = Math.max(0, col1 - row2);
        long hi = Math.min(row1, col1);
        int n = Math.toIntExact(hi - lo + 1);
        double[] log = new double[n];
        for (int i = 1; i < n; i++) {
            long k = lo + i - 1; // P(k+1)/P(k) = (row1-k)(col1-k) / ((k+1)(row2-col1+k+1))
            log[i] = log[i - 1] + Math.log((double) (row1 - k) * (col1 - k))
                    - Math.log((double) (k + 1) * (row2 - col1 + k + 1));
        }
        double top = Double.NEGATIVE_INFINITY;
        for (double v : log) {
            top = Math.max(top, v);
        }
        double total = 0;
        for (double v : log) {
            total += Math.exp(v - top);
        }
        double observed = log[Math.toIntExact(x - lo)];
        double tail = 0;
        for (double v : log) {
            if (v <= observed + 1e-7) {
                tail += Math.exp(v - top);
            }
        }
        return Math.min(1, tail / total);
    }

    /** The AS path rule: both sides have AS numbers, and their compressed paths differ. */
    static Optional<HopChange> asPath(PathSnapshot before, PathSnapshot after) {
        List<Long> a = before.asPath();
        List<Long> b = after.asPath();
        if (a.isEmpty() || b.isEmpty() || a.equals(b)) {
            return Optional.empty();
        }
        int end = Math.min(before.endTtl(), after.endTtl());
        OptionalLong lastA = OptionalLong.empty();
        OptionalLong lastB = OptionalLong.empty();
        for (int ttl = 1; ttl <= end; ttl++) {
            lastA = known(before, ttl, lastA);
            lastB = known(after, ttl, lastB);
            if (lastA.isPresent() && lastB.isPresent() && lastA.getAsLong() != lastB.getAsLong()) {
                return Optional.of(new HopChange.AsPath(OptionalInt.of(ttl), a, b));
            }
        }
        return Optional.of(new HopChange.AsPath(OptionalInt.empty(), a, b));
    }

    /** The AS at {@code ttl} where its hop has one, else the last one known before it. */
    private static OptionalLong known(PathSnapshot p, int ttl, OptionalLong last) {
        OptionalLong here = p.hop(ttl).map(HopSnapshot::firstAsn).orElse(OptionalLong.empty());
        return here.isPresent() ? here : last;
    }

    /** Whether two lists hold the same addresses, in any order. */
    static boolean sameSet(List<InetAddress> a, List<InetAddress> b) {
        return new HashSet<>(a).equals(new HashSet<>(b));
    }
}
