package io.pathprobe.core.internal.ping;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jspecify.annotations.Nullable;

/**
 * The statistics of one ping target, accumulated probe by probe in bounded memory, however long the ping runs. It
 * also keeps the target's probes apart: it hands out the number each probe carries, so the caller reports answers as
 * they come off the wire and this class decides what each one is.
 *
 * <p><b>Threading.</b> Not thread-safe and not locked: one instance belongs to one measurement on the engine loop,
 * like every strategy's state. Pure: no clock reads; times are the transport's send and receive times in nanoseconds.
 *
 * <p><b>Probes and numbers.</b> Probes are numbered in send order from 0 ({@code sequence}, a {@code long} that never
 * wraps). On the wire a probe carries {@code sequence mod (maxSequence + 1)} (the session's {@code maxSequence()},
 * e.g. 65535 for ICMP echo, so the wire number wraps from 65535 to 0). The caller asks {@link #canSend()} and {@link
 * #nextWireSequence()}, sends, and reports the send with {@link #sent}; a failed send is not reported (the number is
 * used by the next probe). It reports every answer with the number it carried ({@link #answer}), and gives up on a
 * probe with {@link #timedOut} when its timer expires; {@link #oldestPending()} is the next probe to give up. A wire
 * number is tied to the most recent probe that carried it, which must be among the {@code window} most recent probes
 * (older ones are forgotten). An answer received before that probe was sent belongs to an earlier carrier of the
 * number and is unmatched; an answer to a carrier {@code maxSequence + 1} probes back that arrives after its number
 * was reused cannot be told apart (as with every ping that numbers probes in 16 bits).
 *
 * <p><b>What an answer is.</b> Each probe is pending until decided, once: <em>received</em> or <em>lost</em>.
 * <ul>
 *   <li>The first answer to a pending probe with RTT ≤ timeout: the probe is received ({@link Kind#REPLY}). Its RTT
 *       enters the statistics.
 *   <li>The first answer to a pending probe with RTT > timeout, or the first answer to a probe already given up by
 *       {@link #timedOut}: <em>late</em> ({@link Kind#LATE}). The probe is (or stays) lost; a late answer turns
 *       nothing back, its RTT enters no statistic, {@code late} counts it. Whether an answer is late does not depend
 *       on when the engine got round to it: RTT against the timeout, or the caller's own earlier decision, which the
 *       runtime makes only after handing over every answer already received ({@code ProbingStrategy#onWakeup}).
 *   <li>Any further answer to an answered probe (received or late): a <em>duplicate</em> ({@link Kind#DUPLICATE});
 *       never received twice, its RTT enters no statistic.
 *   <li>Anything else: {@link Kind#UNMATCHED}.
 * </ul>
 * A lost probe given up while the responder's ICMP rate limit could have refused its answer ({@link #timedOut(long,
 * boolean)}: a UDP ping, whose answers are Port Unreachables, sent while nothing excluded a spent bucket) is lost and
 * counted in {@code mayBeRefused} as well: the bound on the loss. A lost probe the caller later finds shown to be
 * refused ({@link #refused}: the limiter's own answers showed it, see {@code RefusalEvidence}) becomes
 * <em>rate-limited</em>: neither received nor lost; a late answer to it makes it lost (late), as it was not refused.
 * A reply is <em>out of order</em> when a probe sent after it was received before it (its sequence is below the
 * highest received so far). Loss is {@code lost / (received + lost)}: pending and rate-limited probes are neither;
 * {@code sent = received + lost + rateLimited + pending}. Counters are exact ({@code long}).
 *
 * <p><b>RTT statistics.</b> min and max exact; avg and {@code mdev} from Welford's running mean and sum of squared
 * deviations ({@link RttMoments}, stable where {@code Σx² − n·mean²} cancels): {@code mdev} is iputils ping's, the
 * <em>population</em> standard deviation {@code sqrt(mean(x²) − mean²)}, dividing by n (mtr's StDev divides by
 * n − 1). Percentiles
 * p50/p90/p95/p99 are nearest rank as oping: the sample at index {@code ceil(p/100 · n) − 1} of the sorted RTTs
 * (integer arithmetic, no floating-point rank).
 * <ul>
 *   <li>While every RTT is retained (received ≤ {@code recentSamples}) they are exact, from a sorted copy.
 *   <li>From the first RTT that is dropped on, they come from an HdrHistogram (long counts, 3 significant digits, 1
 *       ns to the timeout), created then and filled with every RTT received (all still retained at that moment). The
 *       reported value is the highest value of the histogram bucket that holds the exact nearest-rank sample, capped
 *       at max: never below the exact value, and above it by less than 1/1024 of it (&lt; 0.1 %).
 * </ul>
 *
 * <p><b>Jitter.</b> The RFC 3550 §6.4.1 interarrival jitter estimator, applied to round-trip times: {@code J += (|D|
 * − J) / 16} with {@code D = RTT_k − RTT_j} for consecutive received probes j, k <em>in send order</em> (J starts at
 * 0, in nanoseconds as a double; the value, not mtr's 16× integer nor a standard deviation nor gping's gap of sorted
 * samples). "Consecutive" skips lost and pending probes: after 1, 2 (lost), 3 the difference is RTT₃ − RTT₁.
 * Reordered answers change nothing: the order is the send order, not arrival (RFC 3550 works per packet in arrival
 * order because its D is of transit times; for RTTs the send order is what makes one probe follow another). A pending
 * probe's place is kept: if it is answered later, later snapshots include it where it was sent.
 *
 * <p><b>Memory.</b> Fixed at construction, whatever the number of probes: the window (16 bytes and a byte per probe,
 * {@code window} probes), the recent samples (24 bytes each, {@code recentSamples}), and, once a sample has been
 * dropped, one histogram whose size depends only on the timeout (about 170 KB for 1 s, 270 KB for 1 h; {@link
 * #footprintBytes()}). Defaults: a window of {@value #DEFAULT_WINDOW} probes, {@value #DEFAULT_RECENT_SAMPLES} recent
 * samples: about 40 KB while no sample is dropped.
 */
public final class PingAccumulator {
    /** Default number of most recent probes remembered to match answers, duplicates and late ones. */
    public static final int DEFAULT_WINDOW = 1024;
    /** Default number of most recent received probes kept with their sequence, send time and RTT. */
    public static final int DEFAULT_RECENT_SAMPLES = 1000;
    /** The histogram's precision in significant decimal digits (bucket width below 1/1024 of a value). */
    public static final int SIGNIFICANT_DIGITS = 3;
    /** The longest timeout accepted (replies are at most this long, so the histogram tracks up to it). */
    public static final Duration MAX_TIMEOUT = Duration.ofHours(1);

    /** What an answer turned out to be. */
    public enum Kind {
        /** The first answer to a pending probe, in time: the probe is received. */
        REPLY,
        /** The first answer to a probe after its timeout: the probe is lost and stays lost. */
        LATE,
        /** Another answer to a probe that was answered already (in time or late). */
        DUPLICATE,
        /** No probe remembered here carried this number (or the answer predates the probe's send). */
        UNMATCHED
    }

    /**
     * One answer, classified.
     *
     * @param kind what it is
     * @param sequence the probe it answers (send order), -1 if {@link Kind#UNMATCHED}
     * @param rttNanos its RTT, -1 if {@link Kind#UNMATCHED}
     * @param outOfOrder a {@link Kind#REPLY} to a probe sent before the probe of an earlier reply
     */
    public record Answer(Kind kind, long sequence, long rttNanos, boolean outOfOrder) {
        static final Answer UNMATCHED = new Answer(Kind.UNMATCHED, -1, -1, false);

        public Answer {
            Objects.requireNonNull(kind, "kind");
        }

        /** The RTT, empty for an unmatched answer. */
        public Optional<Duration> rtt() {
            return rttNanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(rttNanos));
        }
    }

    private static final byte PENDING = 0;
    private static final byte RECEIVED = 1;
    /** Given up, not answered (yet). */
    private static final byte LOST = 2;
    /** Lost, and answered after its timeout. */
    private static final byte LOST_ANSWERED = 3;
    /** Given up, not answered (yet), and shown to be refused under the responder's rate limit: not lost. */
    private static final byte RATE_LIMITED = 4;
    /** Given up, not answered (yet), while a rate limit could have refused its answer: lost, and may be refused. */
    private static final byte LOST_UNSURE = 5;

    private final long modulus;
    private final long timeoutNanos;

    // The window: probe s lives at s % window while s >= sent - window.
    private final int window;
    private final long[] sendNanos;
    private final long[] rttNanos;
    private final byte[] state;

    // The most recent received probes, a ring written at recentNext.
    private final long[] recentSequence;
    private final long[] recentSendNanos;
    private final long[] recentRtt;
    private int recentNext;
    /** Created when the first sample is dropped from the ring. */
    private @Nullable Histogram histogram;

    private long sent;
    private long received;
    private long lost;
    private long rateLimited;
    private long mayBeRefused;
    private long duplicates;
    private long late;
    private long outOfOrder;
    private long unmatched;
    private long firstSendNanos;
    private long highestReceived = -1;

    private final RttMoments moments = new RttMoments();

    /** Every probe below this sequence is decided and folded into the jitter; this one is pending (or not sent). */
    private long folded;
    private double jitter;
    private long previousRtt = -1;
    /** The RTT of the latest answer to arrive. */
    private long lastRtt;
    private boolean jitterDefined;

    /** With the default window and recent-sample capacity. */
    public PingAccumulator(int maxSequence, Duration timeout) {
        this(maxSequence, timeout, DEFAULT_WINDOW, DEFAULT_RECENT_SAMPLES);
    }

    /**
     * @param maxSequence the largest number the session's probes can carry (its {@code maxSequence()})
     * @param timeout how long a probe is waited for: a later answer is late; at most {@link #MAX_TIMEOUT}
     * @param window how many of the most recent probes are remembered (capped at {@code maxSequence + 1}): at most
     *     this many may be pending at once, counting from the oldest pending probe (make it at least {@code timeout /
     *     interval} plus a few, or sending stalls), and answers to older ones are unmatched
     * @param recentSamples how many received probes are kept with their RTT; percentiles are exact while no more were
     *     received
     */
    public PingAccumulator(int maxSequence, Duration timeout, int window, int recentSamples) {
        Objects.requireNonNull(timeout, "timeout");
        if (maxSequence < 0) {
            throw new IllegalArgumentException("maxSequence must not be negative, was " + maxSequence);
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout must be above 0 and at most "
                    + MAX_TIMEOUT + ", was " + timeout);
        }
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, was " + window);
        }
        if (recentSamples < 1) {
            throw new IllegalArgumentException("recentSamples must be at least 1, was " + recentSamples);
        }
        this.modulus = (long) maxSequence + 1;
        this.timeoutNanos = timeout.toNanos();
        this.window = (int) Math.min(window, modulus);
        this.sendNanos = new long[this.window];
        this.rttNanos = new long[this.window];
        this.state = new byte[this.window];
        this.recentSequence = new long[recentSamples];
        this.recentSendNanos = new long[recentSamples];
        this.recentRtt = new long[recentSamples];
    }

    // ---- sending -------------------------------------------------------------------------------

    /**
     * Whether the next probe may be sent: false while the probe {@code window} back from it is still pending (its
     * slot, and perhaps its number, are still in use). Then wait for an answer or a timeout.
     */
    public boolean canSend() {
        return sent - folded < window;
    }

    /** The number the next probe must carry on the wire: {@code sequence mod (maxSequence + 1)}. */
    public int nextWireSequence() {
        return (int) (sent % modulus);
    }

    /** The sequence the next probe will have. */
    public long nextSequence() {
        return sent;
    }

    /**
     * The next probe was sent.
     *
     * @param wireSequence the number it carried: must be {@link #nextWireSequence()}
     * @param sendNanos the transport's send time
     * @return its sequence
     * @throws IllegalStateException if {@link #canSend()} is false
     * @throws IllegalArgumentException if the number is not the expected one
     */
    public long sent(int wireSequence, long sendNanos) {
        if (!canSend()) {
            throw new IllegalStateException("probe " + folded + " is still pending " + window + " probes back");
        }
        if (wireSequence != nextWireSequence()) {
            throw new IllegalArgumentException("the next probe carries " + nextWireSequence()
                    + ", not " + wireSequence);
        }
        int i = slot(sent);
        this.sendNanos[i] = sendNanos;
        this.rttNanos[i] = -1;
        this.state[i] = PENDING;
        if (sent == 0) {
            firstSendNanos = sendNanos;
        }
        return sent++;
    }

    // ---- answers and timeouts ----------------------------------------------------------------

    /**
     * An answer that carried {@code wireSequence}, received at {@code receivedNanos} (the transport's clock, as the
     * send times). Every answer the transport ties to this target goes here, whatever it is; the result says what it
     * was.
     */
    public Answer answer(int wireSequence, long receivedNanos) {
        if (wireSequence < 0 || wireSequence >= modulus || sent == 0) {
            unmatched++;
            return Answer.UNMATCHED;
        }
        long last = sent - 1;
        long seq = last - Math.floorMod(last - wireSequence, modulus);
        if (seq < 0 || seq < sent - window) {
            unmatched++; // never sent, or forgotten
            return Answer.UNMATCHED;
        }
        int i = slot(seq);
        long rtt = receivedNanos - sendNanos[i];
        if (rtt < 0) {
            unmatched++; // received before this probe left: an answer to an earlier carrier of the number
            return Answer.UNMATCHED;
        }
        switch (state[i]) {
            case PENDING:
                if (rtt <= timeoutNanos) {
                    state[i] = RECEIVED;
                    rttNanos[i] = rtt;
                    boolean reordered = seq < highestReceived;
                    if (reordered) {
                        outOfOrder++;
                    } else {
                        highestReceived = seq;
                    }
                    receive(seq, sendNanos[i], rtt);
                    fold();
                    return new Answer(Kind.REPLY, seq, rtt, reordered);
                }
                state[i] = LOST_ANSWERED;
                lost++;
                late++;
                fold();
                return new Answer(Kind.LATE, seq, rtt, false);
            case LOST, LOST_UNSURE, RATE_LIMITED:
                // answered after all, only late: not refused, so lost late as any other (no longer one a limit may
                // explain, nor rate-limited)
                mayBeRefused -= state[i] == LOST_UNSURE ? 1 : 0;
                if (state[i] == RATE_LIMITED) {
                    rateLimited--;
                    lost++;
                }
                state[i] = LOST_ANSWERED;
                late++;
                return new Answer(Kind.LATE, seq, rtt, false);
            default: // RECEIVED, LOST_ANSWERED
                duplicates++;
                return new Answer(Kind.DUPLICATE, seq, rtt, false);
        }
    }

    /**
     * Gives up on probe {@code sequence}: its timeout expired unanswered. Call it after the answers already received
     * were handed to {@link #answer}.
     *
     * @return true if this decided it (lost); false if it was decided already (answered or given up)
     * @throws IllegalArgumentException if no such probe was sent
     */
    public boolean timedOut(long sequence) {
        return timedOut(sequence, false);
    }

    /**
     * Gives up on probe {@code sequence}, as {@link #timedOut(long)}: it is lost; with {@code mayBeRefused} it is
     * also counted among the lost probes the responder's rate limit could have refused (nothing excluded a spent
     * bucket when it left), which bound the loss from below. A late answer takes it out of that count.
     *
     * @return true if this decided it; false if it was decided already
     * @throws IllegalArgumentException if no such probe was sent
     */
    public boolean timedOut(long sequence, boolean mayBeRefused) {
        if (sequence < 0 || sequence >= sent) {
            throw new IllegalArgumentException("probe " + sequence + " was not sent (" + sent + " sent)");
        }
        if (sequence < folded) {
            return false; // decided (and perhaps forgotten)
        }
        int i = slot(sequence);
        if (state[i] != PENDING) {
            return false;
        }
        state[i] = mayBeRefused ? LOST_UNSURE : LOST;
        lost++;
        if (mayBeRefused) {
            this.mayBeRefused++;
        }
        fold();
        return true;
    }

    /**
     * Whether probe {@code sequence} is lost without an answer (given up, not answered late) and still remembered
     * (among the {@code window} most recent): one {@link #refused} may turn.
     */
    public boolean lostUnanswered(long sequence) {
        if (sequence < 0 || sequence >= sent || sequence < sent - window) {
            return false;
        }
        byte s = state[slot(sequence)];
        return s == LOST || s == LOST_UNSURE;
    }

    /**
     * Probe {@code sequence}, lost without an answer, was shown to be refused under the responder's rate limit: it
     * becomes rate-limited (neither received nor lost). A late answer later makes it lost again.
     *
     * @return whether it changed (false: not {@link #lostUnanswered lost and unanswered}, or forgotten)
     */
    public boolean refused(long sequence) {
        if (!lostUnanswered(sequence)) {
            return false;
        }
        int i = slot(sequence);
        if (state[i] == LOST_UNSURE) {
            mayBeRefused--;
        }
        state[i] = RATE_LIMITED;
        lost--;
        rateLimited++;
        return true;
    }

    /**
     * The oldest pending probe, -1 if none: the next one to time out (one timeout for all, so probes time out in send
     * order).
     */
    public long oldestPending() {
        return folded < sent ? folded : -1;
    }

    /** Probes sent and not decided. */
    public long pending() {
        return sent - received - lost - rateLimited;
    }

    // ---- state ---------------------------------------------------------------------------------

    private int slot(long sequence) {
        return (int) (sequence % window);
    }

    private void receive(long seq, long sendTime, long rtt) {
        received++;
        moments.add(rtt);

        int capacity = recentRtt.length;
        if (received > capacity) {
            Histogram h = histogram;
            if (h == null) {
                // the first sample to drop: every earlier RTT is still in the ring
                h = new Histogram(1, Math.max(2, timeoutNanos), SIGNIFICANT_DIGITS);
                for (long r : recentRtt) {
                    h.recordValue(r);
                }
                histogram = h;
            }
            h.recordValue(rtt);
        }
        recentSequence[recentNext] = seq;
        recentSendNanos[recentNext] = sendTime;
        recentRtt[recentNext] = rtt;
        recentNext = recentNext + 1 == capacity ? 0 : recentNext + 1;
        lastRtt = rtt;
    }

    /** Folds decided probes into the jitter, in send order, up to the first pending one. */
    private void fold() {
        while (folded < sent) {
            int i = slot(folded);
            if (state[i] == PENDING) {
                return;
            }
            if (state[i] == RECEIVED) {
                long rtt = rttNanos[i];
                if (previousRtt >= 0) {
                    jitter += (Math.abs(rtt - previousRtt) - jitter) / 16.0;
                    jitterDefined = true;
                }
                previousRtt = rtt;
            }
            folded++;
        }
    }

    // ---- results -------------------------------------------------------------------------------

    /**
     * The statistics now. Costs a pass over the window, a sort of the retained RTTs while percentiles are exact, or a
     * pass over the histogram after.
     */
    public PingSnapshot snapshot() {
        long pending = pending();
        double loss = received + lost == 0 ? 0.0 : (double) lost / (received + lost);
        Optional<PingSnapshot.Rtt> rtt = received == 0 ? Optional.empty() : Optional.of(rttStatistics());
        return new PingSnapshot(sent, received, lost, pending, rateLimited, mayBeRefused, duplicates, late,
                outOfOrder, unmatched, loss, rtt,
                currentJitter(), recentSamples(), samplesDropped());
    }

    /** Whether received probes were dropped from the recent samples (and percentiles are no longer exact). */
    public boolean samplesDropped() {
        return received > recentRtt.length;
    }

    private static final int[] PERCENTS = {50, 90, 95, 99};

    private PingSnapshot.Rtt rttStatistics() {
        long[] p = new long[PERCENTS.length];
        Histogram h = histogram;
        if (h == null) {
            int n = (int) received; // all retained: at most the ring's capacity
            long[] sorted = Arrays.copyOf(recentRtt, n); // not wrapped yet: the first n slots
            Arrays.sort(sorted);
            for (int k = 0; k < p.length; k++) {
                p[k] = sorted[(int) (nearestRank(PERCENTS[k], n) - 1)];
            }
        } else {
            p = percentiles(h, PERCENTS, received, moments.max());
        }
        return new PingSnapshot.Rtt(
                Duration.ofNanos(lastRtt),
                Duration.ofNanos(moments.min()),
                Duration.ofNanos(moments.mean()),
                Duration.ofNanos(moments.max()),
                Duration.ofNanos(moments.populationDeviation()),
                Duration.ofNanos(p[0]),
                Duration.ofNanos(p[1]),
                Duration.ofNanos(p[2]),
                Duration.ofNanos(p[3]),
                h == null);
    }

    /**
     * The nearest-rank {@code percents} (ascending) of the {@code n} values in {@code h}: each the highest value
     * equivalent to its rank's sample in the histogram's precision, at most {@code max} (the exact largest). Zeroes
     * when {@code n} is 0. The ping statistics and the monitor's hops report percentiles this one way.
     */
    public static long[] percentiles(Histogram h, int[] percents, long n, long max) {
        long[] p = new long[percents.length];
        if (n == 0) {
            return p;
        }
        int k = 0;
        long rank = nearestRank(percents[0], n);
        for (HistogramIterationValue v : h.recordedValues()) {
            long upTo = v.getTotalCountToThisValue();
            while (k < p.length && rank <= upTo) {
                p[k] = Math.min(max, h.highestEquivalentValue(v.getValueIteratedTo()));
                if (++k < p.length) {
                    rank = nearestRank(percents[k], n);
                }
            }
            if (k == p.length) {
                break;
            }
        }
        return p;
    }

    /** The nearest rank of the {@code percent} percentile of n samples, 1 to n: {@code ceil(percent · n / 100)}. */
    public static long nearestRank(int percent, long n) {
        long rank = Math.floorDiv(Math.multiplyExact(percent, n) + 99, 100);
        return Math.max(1, Math.min(n, rank));
    }

    /** The folded jitter, continued over the answered probes beyond the first pending one (not stored). */
    private Optional<Duration> currentJitter() {
        double j = jitter;
        long previous = previousRtt;
        boolean defined = jitterDefined;
        for (long s = folded; s < sent; s++) {
            int i = slot(s);
            if (state[i] == RECEIVED) {
                long rtt = rttNanos[i];
                if (previous >= 0) {
                    j += (Math.abs(rtt - previous) - j) / 16.0;
                    defined = true;
                }
                previous = rtt;
            }
        }
        return defined ? Optional.of(Duration.ofNanos(Math.round(j))) : Optional.empty();
    }

    private List<PingSample> recentSamples() {
        int n = (int) Math.min(received, recentRtt.length);
        List<PingSample> samples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            samples.add(new PingSample(recentSequence[i], Duration.ofNanos(recentSendNanos[i] - firstSendNanos),
                    Duration.ofNanos(recentRtt[i])));
        }
        samples.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
        return samples;
    }

    // ---- footprint (what the memory bound is made of) -----------------------------------------

    /** Probes remembered for matching: fixed at construction. */
    int windowCapacity() {
        return state.length;
    }

    /** Received probes kept with their RTT: fixed at construction. */
    int recentCapacity() {
        return recentRtt.length;
    }

    /** The histogram's estimated size in bytes, 0 before it exists. */
    int histogramFootprintBytes() {
        Histogram h = histogram;
        return h == null ? 0 : h.getEstimatedFootprintInBytes();
    }

    /**
     * An estimate of the bytes this accumulator holds (arrays and histogram, not object headers): fixed at
     * construction, plus the histogram from the first dropped sample on.
     */
    public long footprintBytes() {
        return (long) window * (8 + 8 + 1) + (long) recentRtt.length * 24 + histogramFootprintBytes();
    }
}
