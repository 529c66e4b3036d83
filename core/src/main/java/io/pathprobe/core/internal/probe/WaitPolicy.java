package io.pathprobe.core.internal.probe;

/**
 * How long a probe is waited for: the probe timeout, shortened by the adaptive wait of Linux
 * traceroute 2.1, with one change: {@code min(timeout, max(10 ms, 3 × RTT here))} at a hop that has
 * answered, else {@code min(timeout, max(2 ms, 10 × RTT of a later hop))}. Arithmetic saturates: no
 * input overflows.
 *
 * <p>The two floors differ on purpose. The NEAR rule is what lets a silent hop go early (a later hop
 * answered, so this one is not coming), and a silent hop costs at least its floor: 2 ms. The HERE
 * rule only gives up on a missing attempt at a hop that did answer, and where no later hop answered
 * (in practice the destination) it alone decides; on a path of sub-millisecond RTTs with busy CPUs
 * (the kernel then defers forwarding to ksoftirqd) an answer there often takes over 2 ms, and a 2 ms
 * floor reported about one false loss per trace at the destination under load. Where RTTs are a few
 * milliseconds or more, 3 × RTT exceeds both floors and they change nothing.
 *
 * <p>The change: traceroute takes the shorter of the two rules, so a missing attempt at a router that
 * did answer was given up 2 ms after a later hop answered, and on busy CPUs a slow answer there was
 * reported as a backward loss (a clean lab's router, seen in CI). A hop that answered is known not to
 * be silent: its missing attempt is waited for by the HERE rule alone. A real loss there costs 10 ms
 * instead of 2.
 *
 * <p>A session that takes one probe at a time ({@code maxInFlight() == 1}, linux-tcp-connect's Paris
 * flow: one 4-tuple) loses a probe's answer once the next probe leaves, so no late answer can revise
 * an early give-up there. Such a session's NEAR floor is the HERE floor ({@link #oneAtATime}): a
 * router's first answer that took over 2 ms on busy CPUs was reported as a backward loss (CI, a
 * clean lab chain), and a silent hop costs 10 ms a probe instead of 2.
 */
public final class WaitPolicy {
    /** The NEAR rule's floor: what a silent hop costs at least. */
    public static final long MIN_NEAR_WAIT_NANOS = 2_000_000;
    /** The HERE rule's floor: a slow answer from a hop that answers is not taken for a loss. */
    public static final long MIN_HERE_WAIT_NANOS = 10_000_000;
    public static final int HERE_FACTOR = 3;
    public static final int NEAR_FACTOR = 10;

    private final long timeoutNanos;
    private final boolean adaptive;
    private final long nearFloorNanos;

    public WaitPolicy(long timeoutNanos, boolean adaptive) {
        this(timeoutNanos, adaptive, MIN_NEAR_WAIT_NANOS);
    }

    private WaitPolicy(long timeoutNanos, boolean adaptive, long nearFloorNanos) {
        this.timeoutNanos = Math.max(0, timeoutNanos);
        this.adaptive = adaptive;
        this.nearFloorNanos = nearFloorNanos;
    }

    /** The policy for a session taking one probe at a time, whose next send ends the previous probe's chance. */
    public static WaitPolicy oneAtATime(long timeoutNanos, boolean adaptive) {
        return new WaitPolicy(timeoutNanos, adaptive, MIN_HERE_WAIT_NANOS);
    }

    /** The policy for a session that may take {@code sessionMaxInFlight} probes at once. */
    public static WaitPolicy forSession(long timeoutNanos, boolean adaptive, int sessionMaxInFlight) {
        return sessionMaxInFlight == 1 ? oneAtATime(timeoutNanos, adaptive) : new WaitPolicy(timeoutNanos, adaptive);
    }

    /** The probe timeout: the longest any probe is waited for, and how late its answer may still count. */
    public long timeoutNanos() {
        return timeoutNanos;
    }

    /**
     * @param hereRtt an RTT answered at the probe's own TTL, or -1
     * @param laterRtt an RTT answered at the nearest later TTL that answered, or -1
     */
    public long waitNanos(long hereRtt, long laterRtt) {
        long wait = timeoutNanos;
        if (adaptive) {
            if (hereRtt >= 0) {
                wait = Math.min(wait, Math.max(MIN_HERE_WAIT_NANOS, times(HERE_FACTOR, hereRtt)));
            } else if (laterRtt >= 0) {
                wait = Math.min(wait, Math.max(nearFloorNanos, times(NEAR_FACTOR, laterRtt)));
            }
        }
        return wait;
    }

    /**
     * Whether a probe sent at {@code sentTick} and waited for {@code wait} is given up late at
     * {@code now}: more than its wait (and at least {@link #MIN_NEAR_WAIT_NANOS}) after the wait ran
     * out. The engine was behind its timers then (a fresh JVM's first moments, a GC pause, CPUs taken
     * by others), so misses of many probes and responders are given up at once, after answers to
     * probes sent between them were read: no evidence of a responder's rate limit.
     */
    public static boolean lateGiveUp(long sentTick, long wait, long now) {
        return now - sentTick - wait > Math.max(MIN_NEAR_WAIT_NANOS, wait);
    }

    /** {@code factor × nanos}, saturated at Long.MAX_VALUE. */
    static long times(int factor, long nanos) {
        return nanos > Long.MAX_VALUE / factor ? Long.MAX_VALUE : factor * nanos;
    }

    /** A duration in nanoseconds, saturated (never throws). */
    public static long nanos(java.time.Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** {@code a + b} for non-negative b, saturated. */
    public static long plus(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : r;
    }
}
