package io.pathprobe.multipath;

import io.pathprobe.trace.HopStatistics;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
/**
 * One path through the discovered topology, from the first TTL to the destination (or to the last
 * TTL reached): a sequence of nodes, one per TTL, and the flows known to follow it.
 *
 * @param hops one hop per TTL, nearest first; each has this path's statistics (all zero when the
 *     request asked for no path probes)
 * @param flows the flows that were answered along this whole path, ascending; the path probes use
 *     the first of them
 * @param statistics end to end: the statistics of the path's last hop
 * @param lossBasis which probes {@link #loss()} comes from: end to end, spaced under the
 *     destination's learned ICMP budget, or end to end over TCP for a UDP discovery
 */
public record MultipathPath(List<PathHop> hops, List<Integer> flows, HopStatistics statistics, LossBasis lossBasis) {
    /**
     * Checks the components (see the record's description) and copies {@code hops} and {@code flows}.
     *
     * @param hops one hop per TTL, nearest first; each has this path's statistics (all zero when the request
     *     asked for no path probes)
     * @param flows the flows that were answered along this whole path, ascending; the path probes use the
     *     first of them
     * @param statistics end to end: the statistics of the path's last hop
     * @param lossBasis which probes {@link #loss()} comes from: end to end, spaced under the destination's
     *     learned ICMP budget, or end to end over TCP for a UDP discovery
     * @throws NullPointerException if a component is null, or {@code hops} or {@code flows} holds null
     * @throws IllegalArgumentException if {@code hops} is empty
     */
    public MultipathPath {
        hops = List.copyOf(hops);
        flows = List.copyOf(flows);
        Objects.requireNonNull(statistics, "statistics");
        Objects.requireNonNull(lossBasis, "lossBasis");
        if (hops.isEmpty()) {
            throw new IllegalArgumentException("a path has at least one hop");
        }
    }

    /**
     * A path whose loss is end to end ({@link LossBasis#END_TO_END}).
     *
     * @param hops one hop per TTL, nearest first; each has this path's statistics (all zero when the request
     *     asked for no path probes)
     * @param flows the flows that were answered along this whole path, ascending; the path probes use the
     *     first of them
     * @param statistics end to end: the statistics of the path's last hop
     */
    public MultipathPath(List<PathHop> hops, List<Integer> flows, HopStatistics statistics) {
        this(hops, flows, statistics, LossBasis.END_TO_END);
    }

    /** {@return the addresses along the path, empty for silent hops} */
    public List<Optional<InetAddress>> addresses() {
        return hops.stream().map(PathHop::address).toList();
    }

    /** The Wilson score interval (95 %) of the loss over the path's decided probes, as text. */
    private String wilson() {
        int n = statistics.received() + statistics.lost();
        if (n == 0) {
            return "no probe decided";
        }
        return String.format(java.util.Locale.ROOT, "95 %% interval %.1f-%.1f %%", 100 * wilson(statistics.lost(), n,
                false), 100 * wilson(statistics.lost(), n, true));
    }

    /** An end of the Wilson score interval (95 %) of {@code k} in {@code n}, {@code n} positive. */
    private static double wilson(int k, int n, boolean high) {
        if (high ? k >= n : k <= 0) {
            return high ? 1 : 0; // (exactly: the doubles would leave 0.9999999999999999)
        }
        double z = 1.96;
        double p = k / (double) n;
        double d = 1 + z * z / n;
        double c = (p + z * z / (2.0 * n)) / d;
        double h = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / d;
        return high ? Math.min(1, c + h) : Math.max(0, c - h);
    }

    /**
     * {@return the low end of the path's loss as far as its probes tell (0..1)} The 95 % (Wilson) interval of the
     * loss holds whichever way its rate-limited probes went (a limiter's refusal or a loss, as its own silence cannot
     * tell): {@code lossLow()} counts them answered, {@link #lossHigh()} lost. 0 when no probe was decided. A path
     * measured with a handful of probes (a UDP discovery's, spaced under the destination's ICMP budget) has a wide
     * interval, and says so.
     */
    public double lossLow() {
        int n = statistics.received() + statistics.lost() + statistics.rateLimited();
        return n == 0 ? 0 : wilson(statistics.lost(), n, false);
    }

    /**
     * {@return the high end of the path's loss as far as its probes tell (0..1)} See {@link #lossLow()}: the
     * rate-limited probes counted lost; 1 when no probe was decided.
     */
    public double lossHigh() {
        int n = statistics.received() + statistics.lost() + statistics.rateLimited();
        return n == 0 ? 1 : wilson(statistics.lost() + statistics.rateLimited(), n, true);
    }

    /** {@return the probes sent along the path end to end ({@code statistics().sent()})} */
    public int sent() {
        return statistics.sent();
    }

    /** {@return the probes along the path that the destination answered ({@code statistics().received()})} */
    public int received() {
        return statistics.received();
    }

    /** {@return the probes along the path that were lost ({@code statistics().lost()})} */
    public int lost() {
        return statistics.lost();
    }

    /** {@return the end-to-end loss over the path's probes (0..1)} */
    public double loss() {
        return statistics.loss();
    }

    /**
     * The addresses in order, then the end-to-end figures:
     * {@code "198.18.0.2 → 198.18.0.6 → * → 198.18.0.9: 10 sent, 10 received, 0.0% loss, ..., flows 1 3"},
     * and {@code "(probes spaced under the destination's ICMP budget)"} or
     * {@code "(TCP probes end to end, 95 % interval 21.4-39.8 %)"} when {@link #lossBasis()} says so.
     */
    @Override
    public String toString() {
        return String.join(" → ", hops.stream().map(PathHop::addressText).toList()) + ": " + statistics
                + switch (lossBasis) {
                    case END_TO_END -> "";
                    case SPACED_PER_RESPONDER -> " (probes spaced under the destination's ICMP budget)";
                    case TCP_END_TO_END -> " (TCP probes end to end, " + wilson() + ")";
                }
                + (flows.isEmpty() ? "" : ", flows " + flows.stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(" ")));
    }
}
