package io.pathprobe.diff;

import io.pathprobe.util.Checks;
import io.pathprobe.util.Text;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One change {@link PathDiff} found between two snapshots of a path, written as {@code sc_tracediff} would list
 * it, one line: {@code "hop 3: 198.18.1.1 -> 198.18.9.1 (AS64500 -> AS64501)"}. Each kind is a record of its own:
 * {@link Responders} (a hop's responders changed, appeared or vanished), {@link RttShift}, {@link LossShift},
 * {@link Identities} (the same addresses answered, but other routers by their RFC 5837 interface and node objects),
 * {@link AsPath} and {@link Destination} (reached or not, or at another TTL).
 */
public sealed interface HopChange
        permits HopChange.Responders, HopChange.Identities, HopChange.RttShift, HopChange.LossShift,
        HopChange.AsPath, HopChange.Destination {

    /** What changed. */
    enum Kind {
        /** Other addresses answered at a hop than before (compared as sets). */
        RESPONDER_CHANGED,
        /** A hop that was seen silent before answered. */
        RESPONDER_NEW,
        /** A hop that answered before was seen silent. */
        RESPONDER_VANISHED,
        /**
         * The same addresses answered at a hop, but other routers: the RFC 5837 incoming interface or the Node
         * Identification object their answers carried differs (routers that share one address told apart).
         */
        RESPONDER_IDENTITY_CHANGED,
        /** The same responders' RTT moved beyond the noise of both snapshots. */
        RTT_SHIFT,
        /** The same responders' loss changed significantly. */
        LOSS_SHIFT,
        /** The sequence of AS numbers along the path differs. */
        AS_PATH_CHANGED,
        /** The destination answered in one snapshot and not in the other. */
        DESTINATION_REACHED_CHANGED,
        /** The destination answered in both, at different TTLs. */
        PATH_LENGTH_CHANGED
    }

    /** {@return what changed} */
    Kind kind();

    /** {@return the hop (TTL) where it changed; empty for a change of the whole path that names no hop} */
    OptionalInt ttl();

    /**
     * A hop's responders differ: other addresses ({@link Kind#RESPONDER_CHANGED}), an answer where the hop was seen
     * silent before ({@link Kind#RESPONDER_NEW}: {@code before} empty), or silence where it answered
     * ({@link Kind#RESPONDER_VANISHED}: {@code after} empty).
     *
     * @param hop the TTL
     * @param before the addresses that answered before, in the order of their text
     * @param after the addresses that answered after, in the order of their text
     * @param asBefore the AS numbers of {@code before} where enrichment found them
     * @param asAfter the AS numbers of {@code after} where enrichment found them
     */
    record Responders(int hop, List<InetAddress> before, List<InetAddress> after, List<Long> asBefore,
            List<Long> asAfter) implements HopChange {
        /**
         * Checks the components (see the record's description) and copies the lists.
         *
         * @param hop the TTL
         * @param before the addresses that answered before
         * @param after the addresses that answered after
         * @param asBefore the AS numbers of {@code before} where found
         * @param asAfter the AS numbers of {@code after} where found
         * @throws NullPointerException if a list is or holds null
         * @throws IllegalArgumentException if both {@code before} and {@code after} are empty
         */
        public Responders {
            before = List.copyOf(before);
            after = List.copyOf(after);
            asBefore = List.copyOf(asBefore);
            asAfter = List.copyOf(asAfter);
            if (before.isEmpty() && after.isEmpty()) {
                throw new IllegalArgumentException("a responder change needs an answer on one side");
            }
        }

        @Override
        public Kind kind() {
            return before.isEmpty() ? Kind.RESPONDER_NEW : after.isEmpty() ? Kind.RESPONDER_VANISHED
                    : Kind.RESPONDER_CHANGED;
        }

        @Override
        public OptionalInt ttl() {
            return OptionalInt.of(hop);
        }

        /**
         * {@code "hop 3: 198.18.1.1 -> 198.18.9.1 (AS64500 -> AS64501)"}, {@code "hop 3: no answer -> 198.18.9.1
         * (new)"}, {@code "hop 3: 198.18.1.1 -> no answer (vanished)"}; several addresses in braces.
         */
        @Override
        public String toString() {
            String as = asBefore.isEmpty() && asAfter.isEmpty() ? ""
                    : asBefore.equals(asAfter) ? " (" + asText(asBefore) + ")"
                    : " (" + asText(asBefore) + " -> " + asText(asAfter) + ")";
            String tail = before.isEmpty() ? " (new)" : after.isEmpty() ? " (vanished)" : "";
            return "hop " + hop + ": " + side(before) + " -> " + side(after) + as + tail;
        }

        private static String side(List<InetAddress> a) {
            return a.isEmpty() ? "no answer" : PathDiff.addresses(a);
        }
    }

    /**
     * The same addresses answered at a hop on both sides, but other routers behind them
     * ({@link Kind#RESPONDER_IDENTITY_CHANGED}): the RFC 5837 incoming interface or the Node Identification object
     * their answers carried differs. Each identity is an address and its answers' objects as traceroute 2.1.4's
     * {@code -e} prints them: {@code 198.18.251.1 <INC:101,"ge-0/0/1",mtu=1500;NODE:198.18.252.1,"r1">}. Compared only
     * where the answers on both sides carried such objects.
     *
     * @param hop the TTL
     * @param addresses the addresses that answered, on both sides, in the order of their text
     * @param before the identities before, in the order of their text
     * @param after the identities after, in the order of their text
     */
    record Identities(int hop, List<InetAddress> addresses, List<String> before, List<String> after)
            implements HopChange {
        /**
         * Checks the components (see the record's description) and copies the lists.
         *
         * @param hop the TTL
         * @param addresses the addresses that answered, on both sides
         * @param before the identities before
         * @param after the identities after
         * @throws NullPointerException if a list is or holds null
         * @throws IllegalArgumentException if a side is empty, or both are the same
         */
        public Identities {
            addresses = List.copyOf(addresses);
            before = List.copyOf(before);
            after = List.copyOf(after);
            if (before.isEmpty() || after.isEmpty() || before.equals(after)) {
                throw new IllegalArgumentException("an identity change needs identities on both sides, and other "
                        + "ones: " + before + " -> " + after);
            }
        }

        @Override
        public Kind kind() {
            return Kind.RESPONDER_IDENTITY_CHANGED;
        }

        @Override
        public OptionalInt ttl() {
            return OptionalInt.of(hop);
        }

        /**
         * {@code "hop 2: 198.18.251.1 <NODE:198.18.252.2,"r2"> -> 198.18.251.1 <NODE:198.18.252.5,"r5"> (same
         * address, other router)"}; several identities in braces.
         */
        @Override
        public String toString() {
            return "hop " + hop + ": " + side(before) + " -> " + side(after) + " (same address, other router)";
        }

        private static String side(List<String> identities) {
            return identities.size() == 1 ? identities.get(0) : "{" + String.join(", ", identities) + "}";
        }
    }

    /**
     * The same responders' smallest RTT moved by more than {@code bound}, the larger of the absolute floor, the share
     * of the RTT and three times either snapshot's standard deviation ({@link PathDiff}).
     *
     * @param hop the TTL
     * @param before the smallest RTT before
     * @param after the smallest RTT after
     * @param bound what the move had to exceed
     */
    record RttShift(int hop, Duration before, Duration after, Duration bound) implements HopChange {
        /**
         * Checks the components (see the record's description).
         *
         * @param hop the TTL
         * @param before the smallest RTT before
         * @param after the smallest RTT after
         * @param bound what the move had to exceed
         * @throws NullPointerException if a duration is null
         */
        public RttShift {
            Checks.nonNull("before", before, "after", after, "bound", bound);
        }

        @Override
        public Kind kind() {
            return Kind.RTT_SHIFT;
        }

        @Override
        public OptionalInt ttl() {
            return OptionalInt.of(hop);
        }

        /** {@code "hop 4: rtt 10.200 ms -> 35.800 ms (+25.600 ms, beyond 3.000 ms)"}. */
        @Override
        public String toString() {
            Duration d = after.minus(before);
            return "hop " + hop + ": rtt " + Text.ms(before) + " -> " + Text.ms(after) + " ("
                    + (d.isNegative() ? "" : "+") + Text.ms(d) + ", beyond " + Text.ms(bound) + ")";
        }
    }

    /**
     * The same responders' loss changed significantly: Fisher's exact test on the lost and answered probes gives
     * {@code pValue} below {@link PathDiff#LOSS_SIGNIFICANCE}, and the shares differ by at least
     * {@link PathDiff#LOSS_FLOOR}. Rate-limited probes and a router's own missing answers are not loss.
     *
     * @param hop the TTL
     * @param lostBefore probes the path lost before
     * @param decidedBefore probes answered or lost before
     * @param lostAfter probes the path lost after
     * @param decidedAfter probes answered or lost after
     * @param pValue the two-sided p-value of Fisher's exact test
     */
    record LossShift(int hop, long lostBefore, long decidedBefore, long lostAfter, long decidedAfter, double pValue)
            implements HopChange {
        /**
         * Checks the components (see the record's description).
         *
         * @param hop the TTL
         * @param lostBefore probes the path lost before
         * @param decidedBefore probes answered or lost before
         * @param lostAfter probes the path lost after
         * @param decidedAfter probes answered or lost after
         * @param pValue the two-sided p-value of Fisher's exact test
         * @throws IllegalArgumentException if a count is negative or above its decided count, or {@code pValue} is
         *     not 0 to 1
         */
        public LossShift {
            if (lostBefore < 0 || lostBefore > decidedBefore || lostAfter < 0 || lostAfter > decidedAfter) {
                throw new IllegalArgumentException("lost must be 0..decided: " + lostBefore + "/" + decidedBefore
                        + ", " + lostAfter + "/" + decidedAfter);
            }
            if (!(pValue >= 0 && pValue <= 1)) {
                throw new IllegalArgumentException("pValue must be 0..1, was " + pValue);
            }
        }

        /** {@return the share lost before, 0 to 1} */
        public double lossBefore() {
            return decidedBefore == 0 ? 0 : (double) lostBefore / decidedBefore;
        }

        /** {@return the share lost after, 0 to 1} */
        public double lossAfter() {
            return decidedAfter == 0 ? 0 : (double) lostAfter / decidedAfter;
        }

        @Override
        public Kind kind() {
            return Kind.LOSS_SHIFT;
        }

        @Override
        public OptionalInt ttl() {
            return OptionalInt.of(hop);
        }

        /** {@code "hop 5: loss 0.0% (0/100) -> 12.0% (12/100), p = 0.0001"}. */
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "hop %d: loss %s (%d/%d) -> %s (%d/%d), p = %.2g", hop,
                    Text.percent(lossBefore()), lostBefore, decidedBefore, Text.percent(lossAfter()), lostAfter,
                    decidedAfter, pValue);
        }
    }

    /**
     * The AS path (the hops' AS numbers, a run of equal numbers once) differs; compared only when both snapshots
     * have AS numbers.
     *
     * @param from the first hop whose AS differs (the hop where the paths' known AS numbers first part), empty when
     *     no hop of both snapshots shows it (one path goes on into further ASes)
     * @param before the AS path before
     * @param after the AS path after
     */
    record AsPath(OptionalInt from, List<Long> before, List<Long> after) implements HopChange {
        /**
         * Checks the components (see the record's description) and copies the lists.
         *
         * @param from the first hop whose AS differs, if one does
         * @param before the AS path before
         * @param after the AS path after
         * @throws NullPointerException if a component is null or a list holds null
         */
        public AsPath {
            Objects.requireNonNull(from, "from");
            before = List.copyOf(before);
            after = List.copyOf(after);
        }

        @Override
        public Kind kind() {
            return Kind.AS_PATH_CHANGED;
        }

        @Override
        public OptionalInt ttl() {
            return from;
        }

        /** {@code "as path: AS64500 AS64501 -> AS64500 AS64502 AS64501 (from hop 4)"}. */
        @Override
        public String toString() {
            return "as path: " + asText(before) + " -> " + asText(after)
                    + (from.isPresent() ? " (from hop " + from.getAsInt() + ")" : "");
        }
    }

    /**
     * Where the destination answered changed: it answered in one snapshot only
     * ({@link Kind#DESTINATION_REACHED_CHANGED}), or at another TTL ({@link Kind#PATH_LENGTH_CHANGED}).
     *
     * @param before the destination's TTL before; empty when it did not answer
     * @param after the destination's TTL after; empty when it did not answer
     */
    record Destination(OptionalInt before, OptionalInt after) implements HopChange {
        /**
         * Checks the components (see the record's description).
         *
         * @param before the destination's TTL before; empty when it did not answer
         * @param after the destination's TTL after; empty when it did not answer
         * @throws NullPointerException if a component is null
         * @throws IllegalArgumentException if they are equal (no change)
         */
        public Destination {
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(after, "after");
            if (before.equals(after)) {
                throw new IllegalArgumentException("the same destination TTL before and after: " + before);
            }
        }

        @Override
        public Kind kind() {
            return before.isPresent() && after.isPresent() ? Kind.PATH_LENGTH_CHANGED
                    : Kind.DESTINATION_REACHED_CHANGED;
        }

        @Override
        public OptionalInt ttl() {
            return after.isPresent() ? after : before;
        }

        /** {@code "path length: 6 -> 7 hops"}, {@code "destination: reached at hop 6 -> not reached"}. */
        @Override
        public String toString() {
            if (kind() == Kind.PATH_LENGTH_CHANGED) {
                return "path length: " + before.getAsInt() + " -> " + after.getAsInt() + " hops";
            }
            return "destination: " + reached(before) + " -> " + reached(after);
        }

        private static String reached(OptionalInt ttl) {
            return ttl.isPresent() ? "reached at hop " + ttl.getAsInt() : "not reached";
        }
    }

    /** {@code "AS64500 AS64501"}, {@code "none"} for none. */
    private static String asText(List<Long> asns) {
        return asns.isEmpty() ? "none" : String.join(" ", asns.stream().map(a -> "AS" + a).toList());
    }
}
