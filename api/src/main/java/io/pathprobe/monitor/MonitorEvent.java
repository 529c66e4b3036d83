package io.pathprobe.monitor;

import io.pathprobe.probe.AddressText;
import java.net.InetAddress;
import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
/**
 * Something a monitor noticed at the end of a round ({@link MonitorListener#event}). A silent hop or a
 * lost probe is never a change: a hop changes only where a round's answer names another responder
 * than the path held, and a destination that does not answer is loss at the destination (and, after
 * {@link MonitorRequest#destinationLostAfter()} rounds, {@link DestinationLost}).
 */
public sealed interface MonitorEvent {

    /** {@return the round that raised it, from 1} */
    long round();

    /**
     * The responders at one TTL changed.
     *
     * @param round the round that raised it, from 1
     * @param ttl the TTL
     * @param before the responders the path held at this TTL
     * @param after the responders this round met there
     * @param masked whether the hop is hidden ({@link io.pathprobe.evidence.Masking}: privacy masking): then
     *     {@code before} and {@code after} are empty and it prints {@code masked} for each
     */
    record HopChanged(long round, int ttl, Set<InetAddress> before, Set<InetAddress> after, boolean masked)
            implements MonitorEvent {
        /**
         * Checks the components (see the record's description) and copies the sets.
         *
         * @param round the round that raised it, from 1
         * @param ttl the TTL
         * @param before the responders the path held at this TTL
         * @param after the responders this round met there
         * @param masked whether the hop is hidden (both sets empty)
         * @throws NullPointerException if a set is null
         * @throws IllegalArgumentException if a masked change names a responder
         */
        public HopChanged {
            before = Set.copyOf(before);
            after = Set.copyOf(after);
            if (masked && (!before.isEmpty() || !after.isEmpty())) {
                throw new IllegalArgumentException("a masked hop change names no responder (TTL " + ttl + ")");
            }
        }

        /**
         * A change as it was seen (not masked).
         *
         * @param round the round that raised it, from 1
         * @param ttl the TTL
         * @param before the responders the path held at this TTL
         * @param after the responders this round met there
         */
        public HopChanged(long round, int ttl, Set<InetAddress> before, Set<InetAddress> after) {
            this(round, ttl, before, after, false);
        }

        /** {@code "round 12: hop 3 changed 198.18.0.10 → 198.18.4.10"}; {@code masked → masked} when masked. */
        @Override
        public String toString() {
            return "round " + round + ": hop " + ttl + " changed " + (masked
                    ? io.pathprobe.probe.MaskStatement.MASKED + " → " + io.pathprobe.probe.MaskStatement.MASKED
                    : text(before) + " → " + text(after));
        }
    }

    /**
     * The path changed: one event per round in which any hop changed (or the destination moved to
     * another TTL), with the whole path before and after.
     *
     * @param round the round that raised it, from 1
     * @param before the path before this round
     * @param after the path after it
     */
    record PathChanged(long round, MonitorPath before, MonitorPath after) implements MonitorEvent {
        /**
         * Checks the components (see the record's description).
         *
         * @param round the round that raised it, from 1
         * @param before the path before this round
         * @param after the path after it
         * @throws NullPointerException if a path is null
         */
        public PathChanged {
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(after, "after");
        }

        /** {@code "round 12: path changed: 198.18.0.2 → 198.18.0.10 → 198.19.0.1 ⇒ 198.18.0.2 → ..."}. */
        @Override
        public String toString() {
            return "round " + round + ": path changed: " + before + " ⇒ " + after;
        }
    }

    /**
     * The destination has not answered for {@link MonitorRequest#destinationLostAfter()} rounds in a row.
     *
     * @param round the round that raised it, from 1
     * @param since the first round of the run of unanswered rounds
     */
    record DestinationLost(long round, long since) implements MonitorEvent {
        /** {@code "round 12: destination lost since round 10"}. */
        @Override
        public String toString() {
            return "round " + round + ": destination lost since round " + since;
        }
    }

    /**
     * The destination answered again after a {@link DestinationLost}.
     *
     * @param round the round that raised it, from 1
     * @param lostRounds the rounds in a row it had not answered
     */
    record DestinationRegained(long round, long lostRounds) implements MonitorEvent {
        /** {@code "round 15: destination regained after 5 rounds"}. */
        @Override
        public String toString() {
            return "round " + round + ": destination regained after " + lostRounds + " rounds";
        }
    }

    /** What a {@link ThresholdCrossed} measures. */
    enum ThresholdKind {
        /** The loss over the window, a share from 0 to 1 ({@link MonitorRequest#lossThreshold()}). */
        LOSS,
        /** The mean RTT over the window, in milliseconds ({@link MonitorRequest#latencyThreshold()}). */
        LATENCY
    }

    /**
     * A hop's window statistic crossed a threshold the caller set: {@code up} when it reached or passed
     * the threshold, {@code !up} when it fell back below it. Each hop starts below.
     *
     * @param round the round that raised it, from 1
     * @param ttl the TTL
     * @param kind loss (percent) or latency (milliseconds)
     * @param value the window's loss in percent, or its mean RTT in milliseconds
     * @param threshold the threshold, in the same unit
     * @param up whether it crossed upwards
     */
    record ThresholdCrossed(long round, int ttl, ThresholdKind kind, double value, double threshold, boolean up)
            implements MonitorEvent {
        /**
         * Checks the components (see the record's description).
         *
         * @param round the round that raised it, from 1
         * @param ttl the TTL
         * @param kind loss (a share) or latency (milliseconds)
         * @param value the window's loss (0 to 1), or its mean RTT in milliseconds
         * @param threshold the threshold, in the same unit
         * @param up whether it crossed upwards
         * @throws NullPointerException if {@code kind} is null
         */
        public ThresholdCrossed {
            Objects.requireNonNull(kind, "kind");
        }

        /** {@code "round 12: hop 3 loss 25.0% ≥ 20.0%"} or {@code "round 40: hop 3 latency 1.2 ms < 50.0 ms"}. */
        @Override
        public String toString() {
            boolean loss = kind == ThresholdKind.LOSS;
            String unit = loss ? "%" : " ms";
            return String.format(Locale.ROOT, "round %d: hop %d %s %.1f%s %s %.1f%s", round, ttl,
                    kind.name().toLowerCase(Locale.ROOT), loss ? 100 * value : value, unit, up ? "≥" : "<",
                    loss ? 100 * threshold : threshold, unit);
        }
    }

    /**
     * A header change the routers see in the probes ({@link io.pathprobe.trace.TraceResult#headerChanges()}) appeared,
     * moved to another first hop, or went away: a DSCP re-marked, an ECN codepoint cleared, a TTL reset, an MSS
     * clamped, a translation. It went away when a round's routers at or beyond its first hop quoted the probes and
     * none showed it; a round whose quotes did not reach that far says nothing.
     *
     * @param round the round that raised it, from 1
     * @param change the change and the first hop that showed it (for one that went away, where it was)
     * @param appeared true when it appeared or moved, false when it went away
     */
    record HeaderChanged(long round, io.pathprobe.trace.FirstChange change, boolean appeared) implements MonitorEvent {
        /**
         * Checks the components (see the record's description).
         *
         * @param round the round that raised it, from 1
         * @param change the change and the first hop that showed it
         * @param appeared true when it appeared or moved, false when it went away
         * @throws NullPointerException if {@code change} is null
         */
        public HeaderChanged {
            Objects.requireNonNull(change, "change");
        }

        /** {@code "round 12: DSCP 46 -> 0 from hop 4 (198.18.0.7)"}, {@code "round 30: gone: DSCP 46 -> 0 ..."}. */
        @Override
        public String toString() {
            return "round " + round + ": " + (appeared ? "" : "gone: ") + change;
        }
    }

    private static String text(Set<InetAddress> s) {
        if (s.isEmpty()) {
            return "*";
        }
        return String.join(", ", s.stream().map(AddressText::of).sorted(Comparator.naturalOrder()).toList());
    }
}
