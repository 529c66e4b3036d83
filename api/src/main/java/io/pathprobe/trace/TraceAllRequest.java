package io.pathprobe.trace;

import io.pathprobe.PathTracer;
import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.util.Checks;
import io.pathprobe.util.Text;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
/**
 * What {@link PathTracer#measure measure(TraceAllRequest)} traces: a list of targets, each traced with the same
 * options, sharing what the tracer already knows of their first hops (Doubletree's stop set, see
 * {@link #stopSet()}). Immutable; build with {@link #builder(List)}.
 *
 * <pre>{@code
 * TraceAllResult r = tracer.measure(TraceAllRequest.builder(List.of("198.19.0.1", "198.19.0.2"))
 *         .trace(TraceRequest.builder("198.19.0.1").protocol(ProbeProtocol.ICMP).maxTtl(20).build())
 *         .concurrency(32).build());
 * }</pre>
 */
public final class TraceAllRequest implements io.pathprobe.options.MeasurementRequest<TraceAllResult> {
    /** The most targets one request may hold. */
    public static final int MAX_TARGETS = 100_000;
    /** The most targets traced at once. */
    public static final int MAX_CONCURRENCY = 1024;

    private final List<String> targets;
    private final List<TraceRequest> requests;
    private final int concurrency;
    private final boolean stopSet;
    private final @Nullable Duration deadline;
    private final TraceAllListener listener;

    private TraceAllRequest(Builder b) {
        this.targets = List.copyOf(b.targets);
        List<TraceRequest> rs = new ArrayList<>(targets.size());
        for (String t : targets) {
            rs.add(b.trace.toBuilder(t).listener(TraceListener.NONE).enrich(EnrichMode.OFF).build());
        }
        this.requests = List.copyOf(rs);
        this.concurrency = b.concurrency;
        this.stopSet = b.stopSet;
        this.deadline = b.deadline;
        this.listener = b.listener;
    }

    /**
     * {@return a request for these targets with the default options}
     *
     * @param targets host names or literal addresses, at least one, none twice
     */
    public static TraceAllRequest of(String... targets) {
        return builder(List.of(targets)).build();
    }

    /**
     * {@return a builder for these targets}
     *
     * @param targets host names or literal addresses, at least one, at most {@link #MAX_TARGETS}, none twice
     * @throws IllegalArgumentException if the list is empty, too long, or names a target twice or a blank one
     */
    public static Builder builder(List<String> targets) {
        return new Builder(targets);
    }

    /** {@return the targets, in the order given (stripped): the results are in this order} */
    public List<String> targets() {
        return targets;
    }

    /**
     * {@return the trace request of each target, in the order of {@link #targets()}: the options every target is traced
     * with}
     */
    public List<TraceRequest> requests() {
        return requests;
    }

    /** {@return the options every target is traced with: the first target's request} */
    public TraceRequest trace() {
        return requests.get(0);
    }

    /** {@return the most targets traced at once (default 32)} */
    public int concurrency() {
        return concurrency;
    }

    /**
     * {@return whether the targets share the tracer's stop set (default true)} With it, each target is
     * traced as Doubletree traces from one vantage point: forward from the distance the tracer's traces
     * found lately, and backward only down to the first router the tracer's traces already saw at that
     * TTL (on the same flow: a Paris trace's), whose path below is taken, not probed again
     * ({@link Hop#fromStopSet()}); the first target is traced alone, the others once it has taught the
     * stop set. Without it, each target is traced as {@link PathTracer#trace(TraceRequest)} traces it.
     */
    public boolean stopSet() {
        return stopSet;
    }

    /** {@return the time limit for all the targets together, set-up included; empty: none (default)} */
    public Optional<Duration> deadline() {
        return Optional.ofNullable(deadline);
    }

    /** {@return the listener (default {@link TraceAllListener#NONE})} */
    public TraceAllListener listener() {
        return listener;
    }

    @Override
    public String toString() {
        TraceRequest t = trace();
        return "TraceAllRequest{" + targets.size() + " targets (" + targets.get(0)
                + (targets.size() > 1 ? ", ..." : "") + "), " + (t.automaticProtocol() ? "automatic " + t.protocols()
                : t.protocol()) + ", ttl " + t.firstTtl() + ".." + t.maxTtl() + ", " + t.probesPerTtl()
                + "/hop, timeout " + Text.duration(t.probeTimeout()) + ", " + concurrency + " at once, "
                + (stopSet ? "stop set" : "no stop set") + ", " + t.flowMode()
                + (deadline != null ? ", deadline " + Text.duration(deadline) : "") + "}";
    }

    /** Builds a {@link TraceAllRequest}; the trace options are those of {@link TraceRequest.Builder}. */
    public static final class Builder {
        private final List<String> targets;
        private TraceRequest trace;
        private int concurrency = 32;
        private boolean stopSet = true;
        private @Nullable Duration deadline;
        private TraceAllListener listener = TraceAllListener.NONE;

        private Builder(List<String> targets) {
            Objects.requireNonNull(targets, "targets");
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("at least one target is needed");
            }
            if (targets.size() > MAX_TARGETS) {
                throw new IllegalArgumentException("at most " + MAX_TARGETS + " targets, was " + targets.size());
            }
            LinkedHashSet<String> seen = new LinkedHashSet<>();
            for (String t : targets) {
                String target = Checks.target(t);
                if (!seen.add(target)) {
                    throw new IllegalArgumentException("target " + target + " is listed twice");
                }
            }
            this.targets = List.copyOf(seen);
            this.trace = TraceRequest.of(this.targets.get(0));
        }

        /**
         * How every target is traced: protocol, TTL range, probes per TTL, probe timeout, port, flows, IP version
         * and the rest of {@link TraceRequest.Builder}'s options, set once there as for a single trace (default
         * {@link TraceRequest#of(String)}'s). The request's own target, listener and enrichment are not used: each
         * target is traced as this request would trace it, without lookups, and reported to
         * {@link #listener(TraceAllListener)}. Its deadline bounds each target's trace;
         * {@link #deadline(Duration)} bounds the whole run.
         *
         * @param trace the request every target is traced as
         * @return this builder
         */
        public Builder trace(TraceRequest trace) {
            this.trace = Objects.requireNonNull(trace, "trace");
            return this;
        }

        /**
         * The most targets traced at once, 1 to {@link #MAX_CONCURRENCY} (default 32): each holds one socket
         * (session) while it is traced.
         *
         * @param concurrency targets at once
         * @return this builder
         */
        public Builder concurrency(int concurrency) {
            this.concurrency = Checks.between(concurrency, 1, MAX_CONCURRENCY, "concurrency");
            return this;
        }

        /**
         * Whether the targets share the tracer's stop set (default true; see {@link TraceAllRequest#stopSet()}).
         *
         * @param stopSet false to trace each target as {@link PathTracer#trace(TraceRequest)} does
         * @return this builder
         */
        public Builder stopSet(boolean stopSet) {
            this.stopSet = stopSet;
            return this;
        }

        /**
         * The time limit for all the targets together, set-up included (default none): targets not done by
         * then end {@link TraceStatus#DEADLINE_EXCEEDED} with what they have, those not started
         * {@link TraceStatus#CANCELLED}.
         *
         * @param deadline the time limit
         * @return this builder
         */
        public Builder deadline(Duration deadline) {
            this.deadline = Checks.positive(deadline, "deadline", TraceRequest.MAX_DURATION, "365 days");
            return this;
        }

        /**
         * The listener (default {@link TraceAllListener#NONE}).
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(TraceAllListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** {@return the request} */
        public TraceAllRequest build() {
            return new TraceAllRequest(this);
        }
    }
}
