package io.pathprobe.diff;

import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.probe.AddressText;
import io.pathprobe.trace.TraceAllResult;
import io.pathprobe.trace.TraceResult;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The difference between two measurements of paths, hop by hop, as scamper's {@code sc_tracediff} lists the traces
 * whose path changed: two traces ({@link #of(TraceResult, TraceResult)}), two traceAll sets
 * ({@link #of(TraceAllResult, TraceAllResult)}), two monitor runs ({@link #of(MonitorResult, MonitorResult)}), or
 * any two {@link PathSnapshot}s (what the command line's {@code pathprobe diff A B} reads from files).
 *
 * <p><b>Which paths are compared.</b> One snapshot on each side: those two, whatever their targets. Several: the
 * snapshots of one target (the name as given, else the address), each once; a target on one side only is listed
 * in {@link #onlyBefore()} or {@link #onlyAfter()}, a change in itself.
 *
 * <p><b>The rules</b>, hop by hop over the TTLs both snapshots measured up to the shorter path's end (the
 * destination's TTL, or the last TTL measured where the destination did not answer):
 * <ul>
 *   <li><b>Responders</b> are compared as sets of addresses (a load-balanced hop's several responders included):
 *       other addresses are {@link HopChange.Kind#RESPONDER_CHANGED}. A hop silent on one side is
 *       {@link HopChange.Kind#RESPONDER_NEW} or {@link HopChange.Kind#RESPONDER_VANISHED} only when it was seen
 *       silent ({@link HopSnapshot#seenSilent()}: probes lost, or not answered while the path went on, and none
 *       refused by a rate limit) and the other side answered; a silent hop where the router's rate limit showed, or
 *       whose probes were all abandoned, decided nothing and is not compared, and a hop silent on both sides is no
 *       change. At the TTL where the destination answered on one side only,
 *       the destination change says it all: the hop is not compared.</li>
 *   <li><b>RTT and loss</b> are compared only where the same responders answered on both sides and no hop before
 *       changed its responders: beyond a changed hop the probes took another path, whose RTT and loss are the
 *       change's (the first packets over a new route also wait for its neighbours' addresses to resolve).</li>
 *   <li><b>RTT</b>: the smallest RTTs ({@link HopSnapshot#rttMin()}: queueing and a busy host only ever add
 *       delay) must differ by more than each of {@link #RTT_FLOOR} (lab jitter and a loaded host's scheduling
 *       delays, which hold up every probe of a trace at once, never count), {@link #RTT_SHARE} of the smaller one,
 *       and {@link #RTT_NOISE} times either side's standard deviation: {@link HopChange.Kind#RTT_SHIFT}.</li>
 *   <li><b>Loss</b>: the path's losses against the answers
 *       ({@link HopSnapshot#lost()} of {@link HopSnapshot#decided()}). Rate-limited probes, abandoned ones and a
 *       router's own missing answers while the path went on (a trace's backward losses) are not loss. A shift is
 *       {@link HopChange.Kind#LOSS_SHIFT} when Fisher's exact test (two-sided) gives a p-value below
 *       {@link #LOSS_SIGNIFICANCE} and the shares differ by at least {@link #LOSS_FLOOR}: with 3 probes a hop the
 *       smallest p-value is 0.1, so a trace's lost probe is never a shift; a monitor's hundreds of rounds can show
 *       one.</li>
 *   <li><b>AS path</b> ({@link PathSnapshot#asPath()}, compressed): compared when both sides have AS numbers;
 *       {@link HopChange.Kind#AS_PATH_CHANGED}, naming the first hop whose AS differs.</li>
 *   <li><b>Destination</b>: answered on one side only, {@link HopChange.Kind#DESTINATION_REACHED_CHANGED}; at
 *       other TTLs, {@link HopChange.Kind#PATH_LENGTH_CHANGED}.</li>
 * </ul>
 *
 * @param targets the targets compared, in the order of the snapshots before
 * @param onlyBefore the snapshots of targets measured before only
 * @param onlyAfter the snapshots of targets measured after only
 */
public record PathDiff(List<TargetDiff> targets, List<PathSnapshot> onlyBefore, List<PathSnapshot> onlyAfter) {
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
     * @param targets the targets compared, in the order of the snapshots before
     * @param onlyBefore the snapshots of targets measured before only
     * @param onlyAfter the snapshots of targets measured after only
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
        return of(PathSnapshot.of(before), PathSnapshot.of(after));
    }

    /**
     * {@return the changes between two traceAll sets, target by target}
     *
     * @param before the set before
     * @param after the set after
     */
    public static PathDiff of(TraceAllResult before, TraceAllResult after) {
        return of(PathSnapshot.of(before), PathSnapshot.of(after));
    }

    /**
     * {@return the changes between two monitor runs}
     *
     * @param before the run before
     * @param after the run after
     */
    public static PathDiff of(MonitorResult before, MonitorResult after) {
        return of(PathSnapshot.of(before), PathSnapshot.of(after));
    }

    /**
     * {@return the changes between two snapshots, whatever their targets}
     *
     * @param before the snapshot before
     * @param after the snapshot after
     */
    public static PathDiff of(PathSnapshot before, PathSnapshot after) {
        return new PathDiff(List.of(TargetDiff.of(before, after)), List.of(), List.of());
    }

    /**
     * {@return the changes between two sets of snapshots: one on each side compared whatever their targets, else
     * matched by target (the name as given, else the address), each once}
     *
     * @param before the snapshots before
     * @param after the snapshots after
     */
    public static PathDiff of(List<PathSnapshot> before, List<PathSnapshot> after) {
        if (before.size() == 1 && after.size() == 1) {
            return of(before.get(0), after.get(0));
        }
        List<PathSnapshot> left = new ArrayList<>(after);
        List<TargetDiff> targets = new ArrayList<>();
        List<PathSnapshot> onlyBefore = new ArrayList<>();
        List<PathSnapshot> unmatched = new ArrayList<>();
        for (PathSnapshot b : before) {
            PathSnapshot a = take(left, x -> x.target().equals(b.target()));
            if (a == null) {
                unmatched.add(b);
            } else {
                targets.add(TargetDiff.of(b, a));
            }
        }
        for (PathSnapshot b : unmatched) {
            PathSnapshot a = b.destination().isEmpty() ? null
                    : take(left, x -> x.destination().equals(b.destination()));
            if (a == null) {
                onlyBefore.add(b);
            } else {
                targets.add(TargetDiff.of(b, a));
            }
        }
        return new PathDiff(targets, onlyBefore, left);
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
