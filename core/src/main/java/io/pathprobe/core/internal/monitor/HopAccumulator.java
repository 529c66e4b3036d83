package io.pathprobe.core.internal.monitor;

import io.pathprobe.core.internal.ping.PingAccumulator;
import io.pathprobe.core.internal.ping.RttMoments;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.monitor.MonitorResponder;
import io.pathprobe.monitor.MonitorStatistics;
import io.pathprobe.probe.RttPercentiles;
import io.pathprobe.probe.RttStatistics;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * One TTL's statistics over a monitor's run, in memory that does not grow with the run: exact counters
 * ({@code long}), the last, best and worst RTT, Welford's running mean and sum of squared deviations (for
 * mtr's sample StDev), RFC 3550 jitter ({@code J += (|D| − J) / 16} over consecutive answers), a
 * fixed-size HdrHistogram for the run's percentiles (one significant digit: 16 sub-buckets an octave, up to
 * {@value #HIGHEST_NANOS} ns, {@link #histogram()}), a ring of the last {@code window} samples for the window
 * statistics (exact; a sample is an RTT, lost, lost undecided, or rate-limited), and at most
 * {@value #MAX_RESPONDERS} responders with
 * their reply counts (the least recently seen dropped first). Pure; confined to the engine loop.
 */
final class HopAccumulator {
    static final int MAX_RESPONDERS = 16;
    private static final long LOST = -1;
    /** A window sample: sent, not answered, a learned rate limiter's refusal (neither received nor lost). */
    private static final long RATE_LIMITED = -2;
    /** A window sample: lost, and a refusal not excluded ({@link #lostUndecided}). */
    private static final long UNDECIDED = -3;
    private static final int[] PERCENTS = {50, 90, 95, 99};
    /** The largest RTT the histogram tells apart (about 37 min); longer ones are counted as this. */
    static final long HIGHEST_NANOS = 1L << 41;

    private long sent;
    private long received;
    private long rateLimited;
    private long undecided;
    private long last = -1;
    private final RttMoments moments = new RttMoments();
    private double jitter;
    private long previous = -1;
    private final Histogram histogram = histogram();
    /** The window: each sample's RTT, or {@link #LOST}, or {@link #RATE_LIMITED}. */
    private final long[] ring;
    private int head;
    private int count;
    private final LinkedHashMap<InetAddress, long[]> responders = new LinkedHashMap<>(MAX_RESPONDERS * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, long[]> eldest) {
            return size() > MAX_RESPONDERS;
        }
    };

    HopAccumulator(int windowSamples) {
        this.ring = new long[Math.max(1, windowSamples)];
    }

    /** A probe at this TTL was answered after {@code rttNanos} by {@code responder}. */
    void received(long rttNanos, InetAddress responder) {
        long rtt = Math.max(0, rttNanos);
        sent++;
        received++;
        last = rtt;
        moments.add(rtt);
        if (previous >= 0) {
            jitter += (Math.abs(rtt - previous) - jitter) / 16.0;
        }
        previous = rtt;
        histogram.recordValue(Math.min(rtt, HIGHEST_NANOS));
        push(rtt);
        responders.computeIfAbsent(responder, k -> new long[1])[0]++;
    }

    /** A probe at this TTL was lost. */
    void lost() {
        sent++;
        push(LOST);
    }

    /**
     * A probe at this TTL was lost, and a refusal is not excluded: its responder's budget may have been spent when
     * it left, and nothing showed whether it limits. Lost; the loss is then a bound.
     */
    void lostUndecided() {
        sent++;
        undecided++;
        push(UNDECIDED);
    }

    /**
     * One of this TTL's undecided misses ({@link #lostUndecided}) is revised to a refusal: its responder was shown to
     * limit after it left (later rounds learned its pace from its answers). The latest undecided sample in the window,
     * if it is still there, is revised with it.
     */
    void undecidedRefused() {
        if (undecided == 0) {
            return;
        }
        undecided--;
        rateLimited++;
        for (int i = 1; i <= count; i++) {
            int k = Math.floorMod(head - i, ring.length);
            if (ring[k] == UNDECIDED) {
                ring[k] = RATE_LIMITED;
                return;
            }
        }
    }

    /** A probe at this TTL was sent and refused by a learned rate limiter: sent, neither received nor lost. */
    void rateLimited() {
        sent++;
        rateLimited++;
        push(RATE_LIMITED);
    }

    /**
     * A probe at this TTL was lost, though {@code responder} answered it: a router in the destination's place (its
     * unreachable, a routing loop's time exceeded) or beyond the TTL where the round ended. Lost, and the responder
     * listed with its answers, so the row shows who answered.
     */
    void lostTo(InetAddress responder) {
        lost();
        responders.computeIfAbsent(responder, k -> new long[1])[0]++;
    }

    private void push(long sample) {
        ring[head] = sample;
        head = (head + 1) % ring.length;
        count = Math.min(count + 1, ring.length);
    }

    /** {@return whether any responder answered at this TTL during the run} */
    boolean answered() {
        return !responders.isEmpty();
    }

    long sent() {
        return sent;
    }

    /** The whole run's statistics. */
    MonitorStatistics total() {
        if (received == 0) {
            return new MonitorStatistics(sent, 0, rateLimited, Optional.empty(), Duration.ZERO, undecided);
        }
        long[] p = PingAccumulator.percentiles(histogram, PERCENTS, received, moments.max());
        RttPercentiles ranks = new RttPercentiles(clamped(p[0]), clamped(p[1]), clamped(p[2]), clamped(p[3]), false);
        return new MonitorStatistics(sent, received, rateLimited, Optional.of(new RttStatistics(ns(last),
                ns(moments.min()), ns(moments.mean()), ns(moments.max()), ns(moments.sampleDeviation()),
                Optional.of(ranks))), ns(Math.round(jitter)), undecided);
    }

    private Duration clamped(long v) {
        return ns(Math.max(moments.min(), Math.min(moments.max(), v)));
    }

    /** A histogram as each hop keeps one: fixed size (no resizing), whatever the run's length. */
    static Histogram histogram() {
        return new Histogram(1, HIGHEST_NANOS, 1);
    }

    /** The window's statistics, exact. */
    MonitorStatistics window() {
        long[] rtts = new long[count];
        int n = 0;
        int limited = 0;
        int unsure = 0;
        long lastRtt = 0;
        double sum = 0;
        double j = 0;
        long prev = -1;
        for (int k = 0; k < count; k++) {
            long s = ring[(head - count + k + ring.length) % ring.length];
            if (s == RATE_LIMITED) {
                limited++;
            }
            if (s == UNDECIDED) {
                unsure++;
            }
            if (s < 0) {
                continue;
            }
            rtts[n++] = s;
            sum += s;
            lastRtt = s;
            if (prev >= 0) {
                j += (Math.abs(s - prev) - j) / 16.0;
            }
            prev = s;
        }
        if (n == 0) {
            return new MonitorStatistics(count, 0, limited, Optional.empty(), Duration.ZERO, unsure);
        }
        double avg = sum / n;
        double sq = 0;
        for (int k = 0; k < n; k++) {
            sq += (rtts[k] - avg) * (rtts[k] - avg);
        }
        double stdev = n > 1 ? Math.sqrt(sq / (n - 1)) : 0;
        long[] sorted = Arrays.copyOf(rtts, n);
        Arrays.sort(sorted);
        RttPercentiles ranks = new RttPercentiles(ns(rank(sorted, 50)), ns(rank(sorted, 90)), ns(rank(sorted, 95)),
                ns(rank(sorted, 99)), true);
        return new MonitorStatistics(count, n, limited, Optional.of(new RttStatistics(ns(lastRtt), ns(sorted[0]),
                ns(Math.round(avg)), ns(sorted[n - 1]), ns(Math.round(stdev)), Optional.of(ranks))), ns(Math.round(j)),
                unsure);
    }

    private static long rank(long[] sorted, int percent) {
        return sorted[(int) (PingAccumulator.nearestRank(percent, sorted.length) - 1)];
    }

    /** The window's loss, a share of its answered and lost probes, or -1 when it holds none (cheap: for thresholds). */
    double windowLoss() {
        int lost = 0;
        int decided = 0;
        for (int k = 0; k < count; k++) {
            if (ring[k] == LOST || ring[k] == UNDECIDED) {
                lost++;
            }
            if (ring[k] != RATE_LIMITED) {
                decided++;
            }
        }
        return decided == 0 ? -1 : (double) lost / decided;
    }

    /** The window's mean RTT in milliseconds, or -1 when it holds no answer (cheap: for thresholds). */
    double windowMeanMillis() {
        double sum = 0;
        int n = 0;
        for (int k = 0; k < count; k++) {
            if (ring[k] >= 0) {
                sum += ring[k];
                n++;
            }
        }
        return n == 0 ? -1 : sum / n / 1e6;
    }

    /** The responders, most replies first, each with its share; lookups as {@code names} knows them. */
    List<MonitorResponder> responders(Function<InetAddress, Lookup<String>> names,
            Function<InetAddress, Lookup<AsnInfo>> asns) {
        long all = 0;
        for (long[] c : responders.values()) {
            all += c[0];
        }
        List<MonitorResponder> out = new ArrayList<>(responders.size());
        for (Iterator<Map.Entry<InetAddress, long[]>> it = responders.entrySet().iterator(); it.hasNext();) {
            Map.Entry<InetAddress, long[]> e = it.next();
            long r = e.getValue()[0];
            out.add(new MonitorResponder(e.getKey(), r, all == 0 ? 0 : Math.min(1, (double) r / all),
                    names.apply(e.getKey()), asns.apply(e.getKey())));
        }
        out.sort(Comparator.comparingLong(MonitorResponder::replies).reversed());
        return out;
    }

    /** Entries held, for the bound test: the window's capacity, the histogram's counts and the responders. */
    int entries() {
        return ring.length + histogram.getEstimatedFootprintInBytes() / Long.BYTES + responders.size();
    }

    private static Duration ns(long nanos) {
        return Duration.ofNanos(nanos);
    }
}
