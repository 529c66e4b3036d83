package io.pathprobe.diff;

import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.probe.AddressText;
import io.pathprobe.trace.TraceAllResult;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.util.Checks;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The difference between two measurements of paths, hop by hop, as scamper's {@code sc_tracediff} lists the traces
 * whose path changed: two traces ({@link #of(TraceResult, TraceResult)}), two traceAll sets
 * ({@link #of(TraceAllResult, TraceAllResult)}), two monitor runs ({@link #of(MonitorResult, MonitorResult)}), or
 * two sets of either ({@link #ofTraces(List, List)}, {@link #ofMonitors(List, List)}: what the command line's
 * {@code pathprobe diff A B} reads from files).
 *
 * <p><b>Which paths are compared.</b> One path on each side: those two, whatever their targets. Several: the
 * paths of one target (the name as given, else the address), each once; a target on one side only is listed
 * in {@link #onlyBefore()} or {@link #onlyAfter()}, a change in itself.
 *
 * <p><b>The rules</b>, hop by hop over the TTLs both sides measured up to the shorter path's end (the
 * destination's TTL, or the last TTL measured where the destination did not answer):
 * <ul>
 *   <li><b>Responders</b> are compared as sets of addresses (a load-balanced hop's several responders included):
 *       other addresses are {@link HopChange.Kind#RESPONDER_CHANGED}. A hop silent on one side is
 *       {@link HopChange.Kind#RESPONDER_NEW} or {@link HopChange.Kind#RESPONDER_VANISHED} only when it was seen
 *       silent (probes lost, or not answered while the path went on, and none
 *       refused by a rate limit) and the other side answered; a silent hop where the router's rate limit showed, or
 *       whose probes were all abandoned, decided nothing and is not compared, and a hop silent on both sides is no
 *       change. At the TTL where the destination answered on one side only,
 *       the destination change says it all: the hop is not compared.</li>
 *   <li><b>RTT and loss</b> are compared only where the same responders answered on both sides and no hop before
 *       changed its responders: beyond a changed hop the probes took another path, whose RTT and loss are the
 *       change's (the first packets over a new route also wait for its neighbours' addresses to resolve).</li>
 *   <li><b>RTT</b>: the smallest RTTs (a trace's samples', a monitor's best: queueing and a busy host only ever add
 *       delay) must differ by more than each of {@link #RTT_FLOOR} (lab jitter and a loaded host's scheduling
 *       delays, which hold up every probe of a trace at once, never count), {@link #RTT_SHARE} of the smaller one,
 *       and {@link #RTT_NOISE} times either side's standard deviation: {@link HopChange.Kind#RTT_SHIFT}.</li>
 *   <li><b>Loss</b>: the path's losses against the answers
 *       (lost of answered or lost). Rate-limited probes, abandoned ones and a
 *       router's own missing answers while the path went on (a trace's backward losses) are not loss. A shift is
 *       {@link HopChange.Kind#LOSS_SHIFT} when Fisher's exact test (two-sided) gives a p-value below
 *       {@link #LOSS_SIGNIFICANCE} and the shares differ by at least {@link #LOSS_FLOOR}: with 3 probes a hop the
 *       smallest p-value is 0.1, so a trace's lost probe is never a shift; a monitor's hundreds of rounds can show
 *       one.</li>
 *   <li><b>AS path</b> (the AS numbers of the hops' most answering responders, a run of equal numbers once):
 *       compared when both sides have AS numbers;
 *       {@link HopChange.Kind#AS_PATH_CHANGED}, naming the first hop whose AS differs.</li>
 *   <li><b>Destination</b>: answered on one side only, {@link HopChange.Kind#DESTINATION_REACHED_CHANGED}; at
 *       other TTLs, {@link HopChange.Kind#PATH_LENGTH_CHANGED}.</li>
 * </ul>
 *
 * @param targets the targets compared, in the order of the paths before
 * @param onlyBefore the paths of targets measured before only
 * @param onlyAfter the paths of targets measured after only
 */
public record PathDiff(List<TargetDiff> targets, List<PathDiff.Side> onlyBefore, List<PathDiff.Side> onlyAfter) {
    /**
     * One side of a comparison: the path measured to one target, as far as the diff names it.
     *
     * @param target the target as it was given
     * @param destination the address measured; empty when the target did not resolve
     * @param destinationTtl the TTL at which the destination answered (a trace's first hop a probe says the
     *     destination answered at; a monitor's current path's end when it reached the destination, else the most hops
     *     a round needed to reach it); empty when it never answered
     * @param path per TTL measured up to the path's end (the destination's TTL, else the last TTL measured) the
     *     addresses that answered there, in the order of their text; an empty list where nothing answered
     */
    public record Side(String target, Optional<InetAddress> destination, OptionalInt destinationTtl,
            SortedMap<Integer, List<InetAddress>> path) {
        /**
         * Checks the components (see the record's description) and copies {@code path}.
         *
         * @param target the target as it was given
         * @param destination the address measured; empty when the target did not resolve
         * @param destinationTtl the TTL at which the destination answered; empty when it never answered
         * @param path per TTL up to the path's end the addresses that answered there
         * @throws NullPointerException if a component is or {@code path} holds null
         */
        public Side {
            Checks.nonNull("target", target, "destination", destination, "destinationTtl", destinationTtl);
            SortedMap<Integer, List<InetAddress>> copy = new TreeMap<>();
            path.forEach((ttl, addresses) -> copy.put(ttl, List.copyOf(addresses)));
            path = Collections.unmodifiableSortedMap(copy);
        }

        /**
         * {@code "198.19.0.1 (198.19.0.1): 198.18.0.2 → * → 198.19.0.1"}: the target, its address where it differs,
         * each TTL's responders ({@code "{a, b}"} for several, {@code "*"} where silent), then
         * {@code " (destination not reached)"} when it was not.
         */
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(target);
            destination.map(AddressText::of).filter(a -> !a.equals(target))
                    .ifPresent(a -> b.append(" (").append(a).append(')'));
            b.append(':');
            List<String> hops = path.values().stream().map(PathDiff::addresses).toList();
            b.append(hops.isEmpty() ? " (no hops)" : " " + String.join(" → ", hops));
            return destinationTtl.isPresent() ? b.toString() : b + " (destination not reached)";
        }
    }

    /** The least an RTT shift must exceed: 5 ms, above lab jitter and a loaded host's scheduling delays. */
    public static final Duration RTT_FLOOR = Duration.ofMillis(5);
    /** The share of the smaller RTT an RTT shift must exceed: 10 %. */
    public static final double RTT_SHARE = 0.10;
    /** How many standard deviations of either side an RTT shift must exceed: 3. */
    public static final int RTT_NOISE = 3;
    /** The p-value (two-sided Fisher's exact test) below which a loss change is a shift: 0.01. */
    public static final double LOSS_SIGNIFICANCE = 0.01;
    /** The least difference of the lost shares (0 to 1) that is a loss shift: 0.05 (5 points). */
    public static final double LOSS_FLOOR = 0.05;

    /**
     * Checks the components (see the record's description) and copies the lists.
     *
     * @param targets the targets compared, in the order of the paths before
     * @param onlyBefore the paths of targets measured before only
     * @param onlyAfter the paths of targets measured after only
     * @throws NullPointerException if a list is or holds null
     */
    public PathDiff {
        targets = List.copyOf(targets);
        onlyBefore = List.copyOf(onlyBefore);
        onlyAfter = List.copyOf(onlyAfter);
    }

    /**
     * {@return the changes between two traces}
     *
     * @param before the trace before
     * @param after the trace after
     */
    public static PathDiff of(TraceResult before, TraceResult after) {
        return ofTraces(List.of(before), List.of(after));
    }

    /**
     * {@return the changes between two traceAll sets, target by target}
     *
     * @param before the set before
     * @param after the set after
     */
    public static PathDiff of(TraceAllResult before, TraceAllResult after) {
        return ofTraces(before.traces(), after.traces());
    }

    /**
     * {@return the changes between two monitor runs}
     *
     * @param before the run before
     * @param after the run after
     */
    public static PathDiff of(MonitorResult before, MonitorResult after) {
        return ofMonitors(List.of(before), List.of(after));
    }

    /**
     * {@return the changes between two sets of traces (what {@code pathprobe diff A B} reads from files): one on
     * each side compared whatever their targets, else matched by target (the name as given, else the address), each
     * once}
     *
     * @param before the traces before
     * @param after the traces after
     */
    public static PathDiff ofTraces(List<TraceResult> before, List<TraceResult> after) {
        return matched(before.stream().map(PathSnapshot::of).toList(), after.stream().map(PathSnapshot::of).toList());
    }

    /**
     * {@return the changes between two sets of monitor runs, matched as {@link #ofTraces(List, List)} matches}
     *
     * @param before the runs before
     * @param after the runs after
     */
    public static PathDiff ofMonitors(List<MonitorResult> before, List<MonitorResult> after) {
        return matched(before.stream().map(PathSnapshot::of).toList(), after.stream().map(PathSnapshot::of).toList());
    }

    private static PathDiff matched(List<PathSnapshot> before, List<PathSnapshot> after) {
        if (before.size() == 1 && after.size() == 1) {
            return new PathDiff(List.of(compare(before.get(0), after.get(0))), List.of(), List.of());
        }
        List<PathSnapshot> left = new ArrayList<>(after);
        List<TargetDiff> targets = new ArrayList<>();
        List<Side> onlyBefore = new ArrayList<>();
        List<PathSnapshot> unmatched = new ArrayList<>();
        for (PathSnapshot b : before) {
            PathSnapshot a = take(left, x -> x.target().equals(b.target()));
            if (a == null) {
                unmatched.add(b);
            } else {
                targets.add(compare(b, a));
            }
        }
        for (PathSnapshot b : unmatched) {
            PathSnapshot a = b.destination().isEmpty() ? null
                    : take(left, x -> x.destination().equals(b.destination()));
            if (a == null) {
                onlyBefore.add(b.side());
            } else {
                targets.add(compare(b, a));
            }
        }
        return new PathDiff(targets, onlyBefore, left.stream().map(PathSnapshot::side).toList());
    }

    /** {@return the changes between two snapshots, by this class's rules} */
    static TargetDiff compare(PathSnapshot before, PathSnapshot after) {
        return new TargetDiff(before.side(), after.side(), DiffRules.compare(before, after));
    }

    private static @Nullable PathSnapshot take(List<PathSnapshot> from,
            java.util.function.Predicate<PathSnapshot> match) {
        for (int i = 0; i < from.size(); i++) {
            if (match.test(from.get(i))) {
                return from.remove(i);
            }
        }
        return null;
    }

    /** {@return whether anything changed: a target's path, or a target measured on one side only} */
    public boolean changed() {
        return !onlyBefore.isEmpty() || !onlyAfter.isEmpty() || targets.stream().anyMatch(TargetDiff::changed);
    }

    /** {@return whether nothing changed ({@code !changed()})} */
    public boolean none() {
        return !changed();
    }

    /** {@return every change of every target, in the targets' order} */
    public List<HopChange> changes() {
        return targets.stream().flatMap(t -> t.changes().stream()).toList();
    }

    /**
     * One line per change, as {@code sc_tracediff} lists changed paths: {@code "hop 3: 198.18.1.1 -> 198.18.9.1
     * (AS64500 -> AS64501)"}; {@code "no change"} when nothing changed. With several targets each changed one is
     * named, its changes indented below it ({@link TargetDiff#toString()}), then {@code "only before: 198.19.0.7"}
     * and {@code "only after: ..."} lines, and {@code "no change (3 targets)"} when nothing changed.
     */
    @Override
    public String toString() {
        if (targets.size() == 1 && onlyBefore.isEmpty() && onlyAfter.isEmpty()) {
            TargetDiff t = targets.get(0);
            return t.changed() ? String.join("\n", t.changes().stream().map(HopChange::toString).toList())
                    : "no change";
        }
        if (none()) {
            return "no change (" + targets.size() + (targets.size() == 1 ? " target)" : " targets)");
        }
        List<String> lines = new ArrayList<>();
        targets.stream().filter(TargetDiff::changed).forEach(t -> lines.add(t.toString()));
        onlyBefore.forEach(p -> lines.add("only before: " + p.target()));
        onlyAfter.forEach(p -> lines.add("only after: " + p.target()));
        return String.join("\n", lines);
    }

    /** {@code "198.18.0.1"}, {@code "{198.18.0.1, 198.18.0.5}"} for several, {@code "*"} for none. */
    static String addresses(List<InetAddress> addresses) {
        Objects.requireNonNull(addresses, "addresses");
        List<String> texts = addresses.stream().map(AddressText::of).sorted().toList();
        return texts.isEmpty() ? "*" : texts.size() == 1 ? texts.get(0) : "{" + String.join(", ", texts) + "}";
    }
}
