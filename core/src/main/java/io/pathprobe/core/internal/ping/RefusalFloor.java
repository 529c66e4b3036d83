package io.pathprobe.core.internal.ping;

/**
 * The ICMP budget a UDP ping's destinations surely held, for all this ping knows: the rule of the trace engine's
 * responder floor ({@code RateLimitBucket.floor}, docs/trace.md "Forward and backward loss") applied to the Port
 * Unreachables that answer a UDP ping, and shared by every UDP target of the ping. It decides no probe's fate: it
 * bounds the loss. A miss it cannot exclude as a refusal is lost all the same (only the limiter's own answers show a
 * refusal: {@link RefusalEvidence}) and is counted in {@code mayBeRefused}, so the loss is stated as a range, from
 * {@code PingStatistics.lossLow()} (those misses refused) to {@code loss()} (all lost).
 *
 * <p>Linux rate-limits the ICMP errors it sends to one peer: a token bucket of 6 (a burst), refilled at one
 * token per {@code net.ipv4.icmp_ratelimit} (IPv6: {@code net.ipv6.icmp.ratelimit}), 1000 ms by default; a
 * refused error is not sent, so the probe reads as unanswered. The bucket is the destination host's, per
 * source address of ours: several targets may be addresses of one host (the 50 addresses of one host)
 * and then spend one bucket, which this ping cannot tell from its answers (each address answers from itself).
 * So the floor is one for the whole ping (per address family, as our source address, hence the peer, differs
 * between families): it starts EMPTY when the ping starts (another prober may have just spent the bucket),
 * refills at one token a second up to the burst, and every UDP probe of the ping, whatever its target, takes a
 * token. A probe sent while the floor held less than a whole token may have been refused; one sent with a token here
 * had a limiter excluded, as far as this ping's own probes go. The assumptions are stated: no other prober spends
 * the destination's bucket meanwhile, and it refills at least as fast as Linux's default.
 *
 * <p>No slack (the trace's floor allows 5 % for its rounds' timers): a ping's sends follow an absolute schedule
 * and never leave before their slot, so one target at one probe a second finds exactly a token or more; a slack
 * would count 0.95 of a token as one where the ping itself drained the bucket (targets of one host in a row).
 * The floor is counted in whole nanoseconds of refill, so a token that took exactly one interval is a whole one.
 * The floor takes a token from every probe, answered or not, where the limiter takes one only from the errors it
 * sends: it never holds more than the bucket does.
 *
 * <p>So a single target pinged once a second keeps a token for each probe after its first: its misses are losses
 * with no range; 50 UDP targets pinged once a second each send 50 probes a second against one token a second, so
 * nearly every miss could be a refusal and the range reaches down to what the answers leave. Confined to the engine
 * loop; every time is passed in.
 */
public final class RefusalFloor {
    /** Linux's burst of ICMP errors to one peer. */
    public static final int BURST = 6;
    /** Linux's default refill: one token per {@code icmp_ratelimit} = 1000 ms. */
    public static final long INTERVAL_NANOS = 1_000_000_000L;
    private final long intervalNanos;
    /** The most the floor holds: the burst, in nanoseconds of refill. */
    private final long capacity;
    /** What the floor holds, in nanoseconds of refill: a token is {@code intervalNanos}. */
    private long credit;
    private long refilled;
    private boolean started;

    /** With Linux's defaults: a burst of 6, one token a second. */
    public RefusalFloor() {
        this(BURST, INTERVAL_NANOS);
    }

    RefusalFloor(int burst, long intervalNanos) {
        if (burst < 1 || intervalNanos <= 0) {
            throw new IllegalArgumentException("burst " + burst + ", interval " + intervalNanos);
        }
        this.intervalNanos = intervalNanos;
        this.capacity = Math.multiplyExact((long) burst, intervalNanos);
    }

    private void refill(long now) {
        if (!started) {
            started = true;
            refilled = now;
            return;
        }
        long elapsed = now - refilled;
        if (elapsed > 0) {
            credit = Math.min(capacity, credit + Math.min(elapsed, capacity));
            refilled = now;
        }
    }

    /**
     * A probe answered by the destination's ICMP error leaves at {@code now}: whether it may find the bucket
     * empty (the floor held less than a token), and it takes a token.
     *
     * @return true if a miss of this probe may be a refusal
     */
    public boolean send(long now) {
        refill(now);
        boolean mayBeRefused = credit < intervalNanos;
        credit = Math.max(0, credit - intervalNanos);
        return mayBeRefused;
    }

    /** The tokens the floor holds at {@code now} (tests). */
    double tokens(long now) {
        refill(now);
        return (double) credit / intervalNanos;
    }
}
