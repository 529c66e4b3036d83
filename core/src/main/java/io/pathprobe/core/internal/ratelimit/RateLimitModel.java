package io.pathprobe.core.internal.ratelimit;

import java.net.InetAddress;

/**
 * What a strategy knows and tells about the ICMP rate limits of the routers (and destinations) that
 * answer its probes: the tracer-wide table of learned per-responder budgets (see
 * {@code ratelimit.RateLimitTable}), behind an interface so strategies stay pure and are tested on
 * fake time. Every time is the engine's tick, passed in by the caller. Confined to the engine loop.
 *
 * <p>A responder is a <em>limiter</em> once the evidence says so: it answered, then probes sent
 * to it beyond its modelled budget went unanswered far more often than they were answered (answers
 * that stop after a burst and come back at a steady rate). Until then it is not paced and nothing it
 * leaves unanswered is called rate-limited; a responder that never answered is never a limiter.
 */
public interface RateLimitModel {
    /** Never paces, learns nothing, calls nothing rate-limited: every responder treated as unlimited. */
    RateLimitModel NONE = new RateLimitModel() {
        @Override
        public long delay(InetAddress responder, long now) {
            return 0;
        }

        @Override
        public boolean take(InetAddress responder, long now) {
            return false;
        }

        @Override
        public boolean over(InetAddress responder, long now) {
            return false;
        }

        @Override
        public void answered(InetAddress responder, boolean over, long now) {}

        @Override
        public void missed(InetAddress responder, boolean over, long now) {}

        @Override
        public boolean limited(InetAddress responder) {
            return false;
        }
    };

    /**
     * Nanoseconds from {@code now} until a probe expected to be answered by {@code responder} may
     * leave without exceeding its learned budget; 0 now (always 0 for a responder not learned to
     * be a limiter).
     */
    long delay(InetAddress responder, long now);

    /**
     * A probe expected to be answered by {@code responder} leaves now: takes one from its budget.
     *
     * @return whether the modelled budget was already spent (the probe is "over budget")
     */
    boolean take(InetAddress responder, long now);

    /** Whether a probe sent to {@code responder} now would be over its modelled budget (nothing taken). */
    boolean over(InetAddress responder, long now);

    /**
     * Whether a probe to {@code responder} sent at {@code sentTick} may have found its bucket empty, for
     * all this tracer knows: a new tracer knows nothing of what other probers spent, so a
     * responder's bucket counts as empty when first met and refills from there at the slowest common pace
     * (Linux's one a second) as the probes charged to it spend it. A miss sent while it may have been
     * empty is never evidence of loss. By default false: every budget known full.
     * Call before {@link #take} for a probe leaving now; nothing is taken.
     */
    default boolean mayBeDrained(InetAddress responder, long sentTick, long now) {
        return false;
    }

    /** {@code responder} answered a probe; {@code over} as {@link #take} said when it left. */
    void answered(InetAddress responder, boolean over, long now);

    /** A probe expected to be answered by {@code responder} got nothing; {@code over} as {@link #take} said. */
    void missed(InetAddress responder, boolean over, long now);

    /**
     * A probe already given up and charged as {@link #missed missed} was answered after all (read
     * late: the adaptive wait gave up before its answer was read, as happens when the CPUs are busy):
     * the miss is taken back and the answer counts. A verdict must not rest on misses that were
     * answers. By default, an answer.
     */
    default void revised(InetAddress responder, boolean over, long now) {
        answered(responder, over, now);
    }

    /**
     * As {@link #answered(InetAddress, boolean, long)}, for a probe sent at {@code sentTick}: the
     * table can then tell an answer sent soon after a refusal (evidence against a verdict) from one
     * sent after a pause (only evidence that the responder's bucket refilled faster than modelled).
     */
    default void answered(InetAddress responder, boolean over, long now, long sentTick) {
        answered(responder, over, now);
    }

    /** As {@link #revised(InetAddress, boolean, long)}, for a probe sent at {@code sentTick}. */
    default void revised(InetAddress responder, boolean over, long now, long sentTick) {
        revised(responder, over, now);
    }

    /**
     * As {@link #missed(InetAddress, boolean, long)}, for a probe sent at {@code sentTick}: the table
     * can then tell the refusal periods in send time, as {@link #rateLimited(InetAddress, boolean, long)} asks.
     */
    default void missed(InetAddress responder, boolean over, long now, long sentTick) {
        missed(responder, over, now);
    }

    /** Whether {@code responder} was learned to rate-limit its answers. */
    boolean limited(InetAddress responder);

    /**
     * Whether {@code responder} is a limiter whose pace was learned from its own answers (they came
     * back at a steady rate while probes kept it saturated), not only inferred from misses: only then
     * may a measurement stop probing it where it does not need its answers. A verdict that rests on
     * misses alone (a lossy link in front of the router looks the same for a while) must stay open to
     * the answers that would withdraw it. By default, {@link #limited}.
     */
    default boolean learned(InetAddress responder) {
        return limited(responder);
    }

    /**
     * This table as one measurement of {@code destination} over {@code protocol} should see it. A
     * destination answers ICMP echo requests with Echo Replies and TCP probes with SYN-ACK or RST:
     * none is an ICMP error, and no ICMP rate limit (Linux's {@code icmp_ratemask}, a vendor's
     * error budget) applies to them; only its Port Unreachables to UDP probes are limited. So for
     * ICMP and TCP the destination is never paced, charged, taught or called rate-limited: a lost
     * echo reply is a loss. Routers (Time Exceeded) are limited whatever the protocol.
     */
    default RateLimitModel forDestination(InetAddress destination, io.pathprobe.probe.ProbeProtocol protocol) {
        if (this == NONE || protocol == io.pathprobe.probe.ProbeProtocol.UDP) {
            return this;
        }
        RateLimitModel table = this;
        return new RateLimitModel() {
            @Override
            public long delay(InetAddress responder, long now) {
                return responder.equals(destination) ? 0 : table.delay(responder, now);
            }

            @Override
            public boolean take(InetAddress responder, long now) {
                return !responder.equals(destination) && table.take(responder, now);
            }

            @Override
            public boolean over(InetAddress responder, long now) {
                return !responder.equals(destination) && table.over(responder, now);
            }

            @Override
            public boolean mayBeDrained(InetAddress responder, long sentTick, long now) {
                return !responder.equals(destination) && table.mayBeDrained(responder, sentTick, now);
            }

            @Override
            public void answered(InetAddress responder, boolean over, long now) {
                if (!responder.equals(destination)) {
                    table.answered(responder, over, now);
                }
            }

            @Override
            public void missed(InetAddress responder, boolean over, long now) {
                if (!responder.equals(destination)) {
                    table.missed(responder, over, now);
                }
            }

            @Override
            public void revised(InetAddress responder, boolean over, long now) {
                if (!responder.equals(destination)) {
                    table.revised(responder, over, now);
                }
            }

            @Override
            public void answered(InetAddress responder, boolean over, long now, long sentTick) {
                if (!responder.equals(destination)) {
                    table.answered(responder, over, now, sentTick);
                }
            }

            @Override
            public void revised(InetAddress responder, boolean over, long now, long sentTick) {
                if (!responder.equals(destination)) {
                    table.revised(responder, over, now, sentTick);
                }
            }

            @Override
            public void missed(InetAddress responder, boolean over, long now, long sentTick) {
                if (!responder.equals(destination)) {
                    table.missed(responder, over, now, sentTick);
                }
            }

            @Override
            public boolean limited(InetAddress responder) {
                return !responder.equals(destination) && table.limited(responder);
            }

            @Override
            public boolean learned(InetAddress responder) {
                return !responder.equals(destination) && table.learned(responder);
            }

            @Override
            public long interval(InetAddress responder) {
                return responder.equals(destination) ? -1 : table.interval(responder);
            }

            @Override
            public void remember(InetAddress dest, int ttl, InetAddress responder, long now) {
                table.remember(dest, ttl, responder, now);
            }

            @Override
            public @org.jspecify.annotations.Nullable InetAddress remembered(InetAddress dest, int ttl, long now) {
                return table.remembered(dest, ttl, now);
            }

            @Override
            public boolean rateLimited(InetAddress responder, boolean over) {
                return !responder.equals(destination) && table.rateLimited(responder, over);
            }

            @Override
            public boolean rateLimited(InetAddress responder, boolean over, long sentTick) {
                return !responder.equals(destination) && table.rateLimited(responder, over, sentTick);
            }
        };
    }

    /** The learned interval between the answers of a limiter, in nanoseconds; -1 if not a limiter (or unknown). */
    default long interval(InetAddress responder) {
        return -1;
    }

    /** Remembers that {@code responder} answers probes to {@code destination} with this TTL (a Paris flow's hop). */
    default void remember(InetAddress destination, int ttl, InetAddress responder, long now) {}

    /** The responder last remembered for {@code destination} at {@code ttl}, or null. */
    default @org.jspecify.annotations.Nullable InetAddress remembered(InetAddress destination, int ttl, long now) {
        return null;
    }

    /**
     * Whether a probe expected at {@code responder}, {@code over} its budget when it left and not
     * answered, went unanswered because of the limit: the responder is a limiter.
     */
    default boolean rateLimited(InetAddress responder, boolean over) {
        return over && limited(responder);
    }

    /**
     * As {@link #rateLimited(InetAddress, boolean)}, for a probe sent at {@code sentTick}: also when
     * the limiter refused an over-budget probe within one of its intervals of that time (the model
     * and the router's own bucket drift apart when many measurements share it; inside a refusal
     * period a miss is the limiter's as likely as the path's).
     */
    default boolean rateLimited(InetAddress responder, boolean over, long sentTick) {
        return rateLimited(responder, over);
    }
}
