package io.pathprobe.options;

/**
 * A tracer's probing budget ({@link io.pathprobe.PathTracerBuilder#budget}): the most probes a second it sends
 * overall, to one destination, toward one /24 (IPv4) or /48 (IPv6) prefix of destinations, and the most ICMP
 * answers a second it asks of one router. A probe leaves only when every budget it falls under has room; until
 * then it waits (it is deferred, never dropped and never counted lost). 0 means unlimited. The overall budget may
 * burst up to {@code burst} probes; the others never burst (a bucket of one), so no destination, prefix or router
 * is asked for more than its rate plus one in any second.
 *
 * <p>The router a probe asks to answer is the one the tracer last saw answer at its TTL toward its destination, or
 * toward the destination's prefix; a probe toward a hop where no answer was seen yet is charged to its prefix's
 * "unknown router" budget (the per-router rate), and once its answer names the router, that router's budget is
 * charged too.
 *
 * @param overall the most probes a second, all measurements together (what {@link
 *     io.pathprobe.PathTracerBuilder#packetsPerSecond} sets)
 * @param perDestination the most probes a second to one destination address
 * @param perRouter the most answers a second asked of one responding router
 * @param perPrefix the most probes a second to the destinations of one /24 (IPv4) or /48 (IPv6)
 * @param burst how many probes may leave at once before the overall rate applies (what {@link
 *     io.pathprobe.PathTracerBuilder#burst} sets)
 */
public record ProbeBudget(int overall, int perDestination, int perRouter, int perPrefix, int burst) {
    /** The largest rate of any field. */
    public static final int MAX_RATE = 10_000_000;
    /** A tracer's budget when none is set: 1000 probes a second overall, bursts of 128, nothing else. */
    public static final ProbeBudget DEFAULT = new ProbeBudget(1000, 0, 0, 0, 128);

    /**
     * Checks the fields.
     *
     * @param overall the most probes a second overall, 0 for unlimited
     * @param perDestination the most probes a second to one destination, 0 for unlimited
     * @param perRouter the most answers a second asked of one router, 0 for unlimited
     * @param perPrefix the most probes a second toward one /24 or /48, 0 for unlimited
     * @param burst how many probes may leave at once overall, at least 1
     * @throws IllegalArgumentException naming the field, if a rate is negative or above {@value #MAX_RATE}, or
     *     the burst is below 1 or above {@value #MAX_RATE}
     */
    public ProbeBudget {
        rate(overall, "overall");
        rate(perDestination, "perDestination");
        rate(perRouter, "perRouter");
        rate(perPrefix, "perPrefix");
        if (burst < 1 || burst > MAX_RATE) {
            throw new IllegalArgumentException("burst must be 1.." + MAX_RATE + ", was " + burst);
        }
    }

    private static void rate(int value, String field) {
        if (value < 0 || value > MAX_RATE) {
            throw new IllegalArgumentException(field + " must be 0 (unlimited).." + MAX_RATE + " probes a second, was "
                    + value);
        }
    }

    /** {@return a builder: every rate unlimited, burst 1} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return whether a per-destination, per-router or per-prefix rate is set} */
    public boolean keyed() {
        return perDestination > 0 || perRouter > 0 || perPrefix > 0;
    }

    /** {@return the budget as text, e.g. {@code 1000/s overall (burst 128), 50/s per router}; unlimited ones out} */
    @Override
    public String toString() {
        StringBuilder t = new StringBuilder(overall == 0 ? "unlimited overall" : overall + "/s overall");
        t.append(" (burst ").append(burst).append(')');
        String[] names = {"per destination", "per router", "per prefix"};
        int[] rates = {perDestination, perRouter, perPrefix};
        for (int i = 0; i < rates.length; i++) {
            if (rates[i] > 0) {
                t.append(", ").append(rates[i]).append("/s ").append(names[i]);
            }
        }
        return t.toString();
    }

    /** Builds a {@link ProbeBudget}; each rate 0 (unlimited) unless set, burst 1. */
    public static final class Builder {
        private int overall;
        private int perDestination;
        private int perRouter;
        private int perPrefix;
        private int burst = 1;

        Builder() {}

        /**
         * @param perSecond the most probes a second overall, 0 for unlimited
         * @return this builder
         */
        public Builder overall(int perSecond) {
            overall = perSecond;
            return this;
        }

        /**
         * @param perSecond the most probes a second to one destination, 0 for unlimited
         * @return this builder
         */
        public Builder perDestination(int perSecond) {
            perDestination = perSecond;
            return this;
        }

        /**
         * @param perSecond the most answers a second asked of one router, 0 for unlimited
         * @return this builder
         */
        public Builder perRouter(int perSecond) {
            perRouter = perSecond;
            return this;
        }

        /**
         * @param perSecond the most probes a second toward one /24 (IPv4) or /48 (IPv6), 0 for unlimited
         * @return this builder
         */
        public Builder perPrefix(int perSecond) {
            perPrefix = perSecond;
            return this;
        }

        /**
         * @param probes how many probes may leave at once before the overall rate applies, at least 1
         * @return this builder
         */
        public Builder burst(int probes) {
            burst = probes;
            return this;
        }

        /**
         * {@return the budget}
         *
         * @throws IllegalArgumentException naming the field, if one is out of range
         */
        public ProbeBudget build() {
            return new ProbeBudget(overall, perDestination, perRouter, perPrefix, burst);
        }
    }
}
