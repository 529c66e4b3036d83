package io.pathprobe.multipath;

import io.pathprobe.PathTracer;
import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.options.Defaults;
import io.pathprobe.options.ProbeOptions;
import io.pathprobe.probe.IpVersion;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.util.Checks;
import io.pathprobe.util.Text;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
/**
 * What {@link PathTracer#measure PathTracer.measure(MultipathRequest)} should discover, and how. Immutable; made
 * by {@link #builder(String)}. Every option has a default; every setter rejects a bad value at once
 * with {@link IllegalArgumentException} saying what is allowed.
 */
public final class MultipathRequest implements io.pathprobe.options.PathRequest<MultipathResult> {
    /** Default per-node confidence, in percent (scamper's default). */
    public static final double DEFAULT_CONFIDENCE = 95.0;
    /** Default probe budget: discovery and path probes together. */
    public static final int DEFAULT_MAX_PROBES = 10_000;
    /** Largest probe budget. */
    public static final int MAX_PROBES = 1_000_000;
    /** Largest number of path probes per path. */
    public static final int MAX_PATH_PROBES = 100_000;

    private final String target;
    private final @Nullable InetAddress address;
    private final double confidence;
    private final MultipathAlgorithm algorithm;
    private final int maxProbes;
    private final int gapLimit;
    private final int pathProbes;
    private final Duration pathInterval;
    private final MultipathListener listener;

    /** The shared options, each present but the destination port when the protocol's default applies. */
    private final ProbeOptions o;

    private MultipathRequest(Builder b, ProbeOptions o) {
        this.o = o;
        this.target = b.target;
        this.address = b.address;
        this.confidence = b.confidence;
        this.algorithm = b.algorithm;
        this.maxProbes = b.maxProbes;
        this.gapLimit = b.gapLimit;
        this.pathProbes = b.pathProbes;
        this.pathInterval = b.pathInterval;
        this.listener = b.listener;
    }

    /**
     * {@return a request with every default for a host name or literal address}
     *
     * @param target a host name or literal address, not blank
     */
    public static MultipathRequest of(String target) {
        return builder(target).build();
    }

    /**
     * {@return a builder for a host name or literal address}
     *
     * @param target a host name or literal address, not blank
     */
    public static Builder builder(String target) {
        return new Builder(target, null);
    }

    /**
     * {@return a builder for an address}
     *
     * @param address the address to discover the paths to
     */
    public static Builder builder(InetAddress address) {
        Objects.requireNonNull(address, "address");
        return new Builder(address.getHostAddress(), address);
    }

    /** {@return a builder holding this request's options} */
    public Builder toBuilder() {
        Builder b = new Builder(target, address);
        b.confidence = confidence;
        b.algorithm = algorithm;
        b.maxProbes = maxProbes;
        b.gapLimit = gapLimit;
        b.pathProbes = pathProbes;
        b.pathInterval = pathInterval;
        b.listener = listener;
        return b.options(o);
    }

    /** {@return the host name or literal address as given} */
    public String target() {
        return target;
    }

    /** {@return the address, if the request was built from one} */
    public Optional<InetAddress> address() {
        return Optional.ofNullable(address);
    }

    /** {@return the probe protocol: {@link ProbeProtocol#UDP} by default (flows by destination port)} */
    public ProbeProtocol protocol() {
        return o.protocol().orElseThrow();
    }

    /** {@return the destination port as set, 0 for the protocol's default} */
    public int destinationPort() {
        return o.destinationPort().orElse(0);
    }

    /**
     * {@return the first destination port of the flows: the one set, or UDP 33434 / TCP 80; 0 for ICMP}
     *
     * @param protocol the probe protocol
     */
    public int destinationPort(ProbeProtocol protocol) {
        return switch (protocol) {
            case UDP -> o.destinationPort().orElse(TraceRequest.DEFAULT_UDP_PORT);
            case TCP -> o.destinationPort().orElse(TraceRequest.DEFAULT_TCP_PORT);
            case ICMP -> 0;
        };
    }

    /** {@return the per-node confidence, in percent, strictly between 0 and 100 (95 by default)} */
    public double confidence() {
        return confidence;
    }

    /** {@return the algorithm ({@link MultipathAlgorithm#MDA_LITE} by default)} */
    public MultipathAlgorithm algorithm() {
        return algorithm;
    }

    /** {@return the probe budget, discovery and path probes together} */
    public int maxProbes() {
        return maxProbes;
    }

    /** {@return how many TTLs in a row may answer nothing before the discovery stops going farther (3)} */
    public int gapLimit() {
        return gapLimit;
    }

    /** {@return the probes per hop of every path after discovery (10); 0 measures nothing per path} */
    public int pathProbes() {
        return pathProbes;
    }

    /** {@return the time between two rounds of path probes (10 ms)} */
    public Duration pathInterval() {
        return pathInterval;
    }

    /** {@return whether the result waits for host names and AS numbers (default {@link EnrichMode#AWAIT})} */
    public EnrichMode enrich() {
        return o.enrich().orElseThrow();
    }

    /** {@return the listener ({@link MultipathListener#NONE} by default)} */
    public MultipathListener listener() {
        return listener;
    }

    /**
     * {@return whether a UDP discovery may measure its paths end to end over TCP (default {@code false}: only UDP is
     * sent)} See {@link Builder#tcpConfirmation(boolean)}.
     */
    public boolean tcpConfirmation() {
        return o.tcpConfirmation().orElseThrow();
    }

    /**
     * {@return the shared options this discovery uses, for another request to probe alike} Each is present,
     * defaults included, but the port when the protocol's default applies.
     */
    @Override
    public ProbeOptions options() {
        return o;
    }

    @Override
    public String toString() {
        return "MultipathRequest{" + target + ", " + protocol() + ", ttl " + firstTtl() + ".." + maxTtl() + ", "
                + algorithm + " " + confidence + "%, budget " + maxProbes + ", probesPerTtl " + probesPerTtl()
                + ", gap " + gapLimit + ", timeout " + Text.duration(probeTimeout()) + ", deadline "
                + Text.duration(deadline())
                + ", path probes " + pathProbes
                + " every " + Text.duration(pathInterval) + (ipVersion() == IpVersion.ANY ? "" : ", " + ipVersion())
                + (destinationPort() != 0 ? ", port " + destinationPort() : "")
                + (packetsPerSecond() == 0 ? "" : ", " + packetsPerSecond() + " pps")
                + (trafficClass().equals(TrafficClass.DEFAULT) ? "" : ", " + trafficClass())
                + (tcpConfirmation() ? ", TCP confirmation" : "") + "}";
    }

    /**
     * Builds a {@link MultipathRequest}. Defaults of the shared options ({@link Defaults#MULTIPATH}): UDP, TTL 1 to
     * 32, 2 probes per TTL, 1 s per probe, 30 s in all, lookups awaited.
     */
    public static final class Builder extends ProbeOptions.Settable<Builder> {
        private final String target;
        private final @Nullable InetAddress address;
        private double confidence = DEFAULT_CONFIDENCE;
        private MultipathAlgorithm algorithm = MultipathAlgorithm.MDA_LITE;
        private int maxProbes = DEFAULT_MAX_PROBES;
        private int gapLimit = 3;
        private int pathProbes = 10;
        private Duration pathInterval = Duration.ofMillis(10);
        private MultipathListener listener = MultipathListener.NONE;

        private Builder(String target, @Nullable InetAddress address) {
            this.target = Checks.target(target);
            this.address = address;
        }

        /**
         * The per-node confidence in percent, strictly between 0 and 100 (95 and 99 are scamper's).
         *
         * @param percent the per-node confidence, in percent
         * @return this builder
         */
        public Builder confidence(double percent) {
            if (!(percent > 0.0 && percent < 100.0)) {
                throw new IllegalArgumentException("confidence must be strictly between 0 and 100 percent, was "
                        + percent);
            }
            this.confidence = percent;
            return this;
        }

        /**
         * The algorithm.
         *
         * @param algorithm the algorithm ({@link MultipathAlgorithm#MDA_LITE} by default)
         * @return this builder
         */
        public Builder algorithm(MultipathAlgorithm algorithm) {
            this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
            return this;
        }

        /**
         * The probe budget, discovery and path probes together, 1..{@value #MAX_PROBES}.
         *
         * @param maxProbes the probe budget
         * @return this builder
         */
        public Builder maxProbes(int maxProbes) {
            this.maxProbes = Checks.between(maxProbes, 1, MAX_PROBES, "maxProbes");
            return this;
        }

        /**
         * How often an unanswered flow is sent at a TTL before it counts as silent there, 1..5.
         *
         * @param probesPerTtl how often an unanswered flow is sent at a TTL
         * @return this builder
         */
        @Override
        public Builder probesPerTtl(int probesPerTtl) {
            return super.probesPerTtl(Checks.between(probesPerTtl, 1, 5, "probesPerTtl"));
        }

        /**
         * How many silent TTLs in a row end the discovery, 1..255.
         *
         * @param gapLimit how many silent TTLs in a row end the discovery
         * @return this builder
         */
        public Builder gapLimit(int gapLimit) {
            this.gapLimit = Checks.ttl(gapLimit, "gapLimit");
            return this;
        }

        /**
         * Probes per hop of every path once discovery is done, 0..{@value #MAX_PATH_PROBES}.
         *
         * @param pathProbes the probes per hop of every path; 0 measures nothing per path
         * @return this builder
         */
        public Builder pathProbes(int pathProbes) {
            this.pathProbes = Checks.between(pathProbes, 0, MAX_PATH_PROBES, "pathProbes");
            return this;
        }

        /**
         * The time between two rounds of path probes; positive.
         *
         * @param pathInterval the time between two rounds of path probes
         * @return this builder
         */
        public Builder pathInterval(Duration pathInterval) {
            this.pathInterval = Checks.positive(pathInterval, "pathInterval", TraceRequest.MAX_DURATION);
            return this;
        }

        /**
         * The listener, called on the tracer's executor.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(MultipathListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * {@return the request}
         *
         * @throws IllegalArgumentException if the last TTL is below the first, or with a destination port and
         *     ICMP probes
         */
        public MultipathRequest build() {
            ProbeOptions o = resolvedRange(Defaults.MULTIPATH);
            int destinationPort = o.destinationPort().orElse(0);
            if (destinationPort != 0 && o.protocol().orElseThrow() == ProbeProtocol.ICMP) {
                throw new IllegalArgumentException("destinationPort(" + destinationPort
                        + ") applies to UDP and TCP probes; "
                        + "ICMP probes have no port");
            }
            return new MultipathRequest(this, o);
        }
    }
}
