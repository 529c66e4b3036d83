package io.pathprobe.monitor;

import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.probe.IpVersion;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.util.Checks;
import io.pathprobe.util.Text;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
/**
 * What to monitor and how: rounds of Paris traces to one target, as mtr runs them. Immutable; make one
 * with {@link #builder(String)} or {@link #of(String)}.
 *
 * <p>Each round is a trace ({@link #trace()}: the probe options are a trace's, with one probe per hop by
 * default, as mtr); once the destination is known no TTL beyond it is probed. Rounds start
 * {@link #interval()} apart, start to start (default 1 s; a round waiting for a lost probe's timeout does
 * not delay the next: rounds overlap, each matched on its own), and later if a router on the path was learned to
 * rate-limit its ICMP errors and has no budget left, so a monitor never makes a router drop its answers. The monitor
 * runs until {@link #rounds()} rounds (unbounded by default), its {@link #deadline()} (none by default), or it is
 * cancelled.
 *
 * <p>Defaults: automatic protocol, Paris flow, first TTL 1, 30 hops, 1 probe per hop, 1 s probe
 * timeout (waited for in full, as mtr does: no adaptive wait), 1 s interval, unbounded, window of 100 rounds, no
 * thresholds, destination lost after 5 rounds without an answer, no deadline, host names (and AS numbers where the
 * tracer looks them up) looked up in the background.
 */
public final class MonitorRequest implements io.pathprobe.options.MeasurementRequest<MonitorResult> {
    /** Largest value for {@link Builder#window(int)}. */
    public static final int MAX_WINDOW = 10_000;
    /** Longest {@link Builder#interval(Duration)}: one day. */
    public static final Duration MAX_INTERVAL = Duration.ofDays(1);

    private final TraceRequest trace;
    private final Duration interval;
    private final long rounds;
    private final int window;
    private final double lossThreshold;
    private final @Nullable Duration latencyThreshold;
    private final int destinationLostAfter;
    private final @Nullable Duration deadline;
    private final MonitorListener listener;
    private final EnrichMode enrich;

    private MonitorRequest(Builder b) {
        this.trace = b.trace.build();
        this.interval = b.interval;
        this.rounds = b.rounds;
        this.window = b.window;
        this.lossThreshold = b.lossThreshold;
        this.latencyThreshold = b.latencyThreshold;
        this.destinationLostAfter = b.destinationLostAfter;
        this.deadline = b.deadline;
        this.listener = b.listener;
        this.enrich = b.enrich;
    }

    /**
     * {@return a request with every option at its default}
     *
     * @param target a host name or literal address
     */
    public static MonitorRequest of(String target) {
        return builder(target).build();
    }

    /**
     * {@return a builder for a target name or literal address}
     *
     * @param target a host name or literal address, not blank
     */
    public static Builder builder(String target) {
        return new Builder(TraceRequest.builder(target).probesPerTtl(1));
    }

    /**
     * {@return a builder for an address that needs no resolution}
     *
     * @param address the address to monitor
     */
    public static Builder builder(InetAddress address) {
        return new Builder(TraceRequest.builder(address).probesPerTtl(1));
    }

    /**
     * {@return a builder whose rounds each run this trace} The trace gives the target and how each round probes:
     * protocol, TTL range, probes per TTL, probe timeout, port, flows and IP version, set once on the
     * {@link TraceRequest.Builder} as for a single trace. A round's wait is never adaptive, its deadline is the
     * round's own, and lookups follow {@link Builder#enrich(EnrichMode)}: the trace's deadline, listener and
     * enrichment are not used. {@link #builder(String)} is {@code builder(TraceRequest.builder(target)
     * .probesPerTtl(1).build())}: one probe per TTL and round, as mtr.
     *
     * @param trace the trace each round runs
     */
    public static Builder builder(TraceRequest trace) {
        return new Builder(trace.toBuilder());
    }

    /** {@return its one target, as a list: {@code List.of({@link #target()})}} */
    @Override
    public java.util.List<String> targets() {
        return java.util.List.of(target());
    }

    /** {@return the target as given} */
    public String target() {
        return trace.target();
    }

    /** {@return the address given instead of a name, if any} */
    public Optional<InetAddress> address() {
        return trace.address();
    }

    /**
     * {@return the trace each round runs: protocol, TTLs, probes per hop, probe timeout, port, IP version and
     * flow mode} Its deadline, listener and enrichment are not used.
     */
    public TraceRequest trace() {
        return trace;
    }

    /** {@return the time from one round's start to the next's (default 1 s)} */
    public Duration interval() {
        return interval;
    }

    /** {@return the rounds to run, if bounded (default: unbounded)} */
    public OptionalLong rounds() {
        return rounds > 0 ? OptionalLong.of(rounds) : OptionalLong.empty();
    }

    /** {@return the rounds the sliding window's statistics cover (default 100)} */
    public int window() {
        return window;
    }

    /**
     * {@return the window loss (a share, 0 to 1) at which a hop raises {@link MonitorEvent.ThresholdCrossed}, if set}
     */
    public OptionalDouble lossThreshold() {
        return lossThreshold > 0 ? OptionalDouble.of(lossThreshold) : OptionalDouble.empty();
    }

    /** {@return the window mean RTT at which a hop raises {@link MonitorEvent.ThresholdCrossed}, if set} */
    public Optional<Duration> latencyThreshold() {
        return Optional.ofNullable(latencyThreshold);
    }

    /** {@return the rounds in a row without an answer from the destination that make it lost (default 5)} */
    public int destinationLostAfter() {
        return destinationLostAfter;
    }

    /** {@return the longest the monitor may run, name resolution included, if bounded (default: none)} */
    public Optional<Duration> deadline() {
        return Optional.ofNullable(deadline);
    }

    /** {@return the listener ({@link MonitorListener#NONE} by default)} */
    public MonitorListener listener() {
        return listener;
    }

    /**
     * {@return whether host names and AS numbers are looked up (default {@link EnrichMode#BACKGROUND})}
     * {@link EnrichMode#AWAIT} is taken as BACKGROUND: a monitor's result never waits for a lookup.
     */
    public EnrichMode enrich() {
        return enrich;
    }

    /** {@return a builder holding this request's values} */
    public Builder toBuilder() {
        Builder b = new Builder(trace.toBuilder());
        b.interval = interval;
        b.rounds = rounds;
        b.window = window;
        b.lossThreshold = lossThreshold;
        b.latencyThreshold = latencyThreshold;
        b.destinationLostAfter = destinationLostAfter;
        b.deadline = deadline;
        b.listener = listener;
        b.enrich = enrich;
        return b;
    }

    @Override
    public String toString() {
        TraceRequest t = trace;
        return "MonitorRequest{" + t.target() + ", "
                + (t.automaticProtocol() ? "automatic " + t.protocols() : t.protocol())
                + ", ttl " + t.firstTtl() + ".." + t.maxTtl() + ", " + t.probesPerTtl() + "/hop, timeout "
                + Text.duration(t.probeTimeout()) + ", every " + Text.duration(interval)
                + (rounds > 0 ? ", " + rounds + " rounds" : "") + ", window " + window
                + (lossThreshold > 0 ? ", loss ≥ " + Text.percent(lossThreshold) : "")
                + (latencyThreshold != null ? ", latency ≥ " + Text.duration(latencyThreshold) : "")
                + ", lost after " + destinationLostAfter
                + (deadline != null ? ", deadline " + Text.duration(deadline) : "") + ", " + t.flowMode()
                + (t.ipVersion() == IpVersion.ANY ? "" : ", " + t.ipVersion())
                + (enrich == EnrichMode.OFF ? ", enrich OFF" : "") + "}";
    }

    /** Builds a {@link MonitorRequest}; every method checks its argument at once. */
    public static final class Builder {
        private final TraceRequest.Builder trace;
        private Duration interval = Duration.ofSeconds(1);
        private long rounds;
        private int window = 100;
        private double lossThreshold;
        private @Nullable Duration latencyThreshold;
        private int destinationLostAfter = 5;
        private @Nullable Duration deadline;
        private MonitorListener listener = MonitorListener.NONE;
        private EnrichMode enrich = EnrichMode.BACKGROUND;

        private Builder(TraceRequest.Builder trace) {
            this.trace = trace;
            trace.adaptiveWait(false).enrich(EnrichMode.OFF).deadline(TraceRequest.MAX_DURATION);
        }

        /**
         * The time from one round's start to the next's, more than zero and at most
         * {@link #MAX_INTERVAL} (default 1 s).
         *
         * @param interval the round interval
         * @return this builder
         */
        public Builder interval(Duration interval) {
            this.interval = Checks.positive(interval, "interval", MAX_INTERVAL);
            return this;
        }

        /**
         * Run this many rounds, at least 1 (default: until cancelled or the deadline).
         *
         * @param rounds the rounds to run
         * @return this builder
         */
        public Builder rounds(long rounds) {
            if (rounds < 1) {
                throw new IllegalArgumentException("rounds must be at least 1, was " + rounds);
            }
            this.rounds = rounds;
            return this;
        }

        /**
         * The rounds the window statistics cover, 1 to {@link #MAX_WINDOW} (default 100).
         *
         * @param window the window, in rounds
         * @return this builder
         */
        public Builder window(int window) {
            this.window = Checks.between(window, 1, MAX_WINDOW, "window");
            return this;
        }

        /**
         * Raise {@link MonitorEvent.ThresholdCrossed} when a hop's window loss reaches this share, more than 0
         * and at most 1 (0.2 is 20 %; default: none), and again when it falls back below.
         *
         * @param loss the loss threshold, a share of the window's answered and lost probes
         * @return this builder
         */
        public Builder lossThreshold(double loss) {
            if (!(loss > 0 && loss <= 1)) {
                throw new IllegalArgumentException("lossThreshold must be a share in (0, 1], was " + loss);
            }
            this.lossThreshold = loss;
            return this;
        }

        /**
         * Raise {@link MonitorEvent.ThresholdCrossed} when a hop's window mean RTT reaches this
         * (default: none), and again when it falls back below.
         *
         * @param latency the latency threshold, more than zero
         * @return this builder
         */
        public Builder latencyThreshold(Duration latency) {
            this.latencyThreshold = Checks.positive(latency, "latencyThreshold", TraceRequest.MAX_DURATION, "365 days");
            return this;
        }

        /**
         * The rounds in a row without an answer from the destination that raise
         * {@link MonitorEvent.DestinationLost}, at least 1 (default 5).
         *
         * @param rounds the rounds without an answer
         * @return this builder
         */
        public Builder destinationLostAfter(int rounds) {
            this.destinationLostAfter = Checks.between(rounds, 1, Integer.MAX_VALUE, "destinationLostAfter");
            return this;
        }

        /**
         * The longest the monitor may run, name resolution included (default: none), at most 365 days; it
         * then ends with the rounds completed.
         *
         * @param deadline the longest the monitor may run
         * @return this builder
         */
        public Builder deadline(Duration deadline) {
            this.deadline = Checks.positive(deadline, "deadline", TraceRequest.MAX_DURATION, "365 days");
            return this;
        }

        /**
         * Sees every round and event (default: none).
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(MonitorListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Whether host names and AS numbers are looked up, in the background (default
         * {@link EnrichMode#BACKGROUND}; {@link EnrichMode#OFF} asks nothing; AWAIT is taken as BACKGROUND).
         *
         * @param enrich whether to look up names
         * @return this builder
         */
        public Builder enrich(EnrichMode enrich) {
            this.enrich = Objects.requireNonNull(enrich, "enrich");
            return this;
        }

        /**
         * {@return the request}
         *
         * @throws IllegalArgumentException for a combination a trace rejects ({@link TraceRequest.Builder#build()})
         */
        public MonitorRequest build() {
            return new MonitorRequest(this);
        }
    }
}
