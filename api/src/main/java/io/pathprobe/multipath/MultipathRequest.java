package io.pathprobe.multipath;

import io.pathprobe.PathTracer;
import io.pathprobe.enrich.EnrichMode;
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
 * What {@link PathTracer#discoverPaths(MultipathRequest)} should discover, and how. Immutable; made
 * by {@link #builder(String)}. Every option has a default; every setter rejects a bad value at once
 * with {@link IllegalArgumentException} saying what is allowed.
 */
public final class MultipathRequest {
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
    private final ProbeProtocol protocol;
    private final IpVersion ipVersion;
    private final int destinationPort;
    private final int firstTtl;
    private final int maxTtl;
    private final double confidence;
    private final MultipathAlgorithm algorithm;
    private final int maxProbes;
    private final int probesPerTtl;
    private final int gapLimit;
    private final Duration probeTimeout;
    private final Duration deadline;
    private final int pathProbes;
    private final Duration pathInterval;
    private final MultipathListener listener;
    private final EnrichMode enrich;
    private final int packetsPerSecond;
    private final TrafficClass trafficClass;
    private final boolean tcpConfirmation;

    private MultipathRequest(Builder b) {
        this.target = b.target;
        this.address = b.address;
        this.protocol = b.protocol;
        this.ipVersion = b.ipVersion;
        this.destinationPort = b.destinationPort;
        this.firstTtl = b.firstTtl;
        this.maxTtl = b.maxTtl;
        this.confidence = b.confidence;
        this.algorithm = b.algorithm;
        this.maxProbes = b.maxProbes;
        this.probesPerTtl = b.probesPerTtl;
        this.gapLimit = b.gapLimit;
        this.probeTimeout = b.probeTimeout;
        this.deadline = b.deadline;
        this.pathProbes = b.pathProbes;
        this.pathInterval = b.pathInterval;
        this.listener = b.listener;
        this.enrich = b.enrich;
        this.packetsPerSecond = b.packetsPerSecond;
        this.trafficClass = b.trafficClass;
        this.tcpConfirmation = b.tcpConfirmation;
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
        b.protocol = protocol;
        b.ipVersion = ipVersion;
        b.destinationPort = destinationPort;
        b.firstTtl = firstTtl;
        b.maxTtl = maxTtl;
        b.confidence = confidence;
        b.algorithm = algorithm;
        b.maxProbes = maxProbes;
        b.probesPerTtl = probesPerTtl;
        b.gapLimit = gapLimit;
        b.probeTimeout = probeTimeout;
        b.deadline = deadline;
        b.pathProbes = pathProbes;
        b.pathInterval = pathInterval;
        b.listener = listener;
        b.enrich = enrich;
        b.packetsPerSecond = packetsPerSecond;
        b.trafficClass = trafficClass;
        b.tcpConfirmation = tcpConfirmation;
        return b;
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
        return protocol;
    }

    /** {@return which address family a name resolves to} */
    public IpVersion ipVersion() {
        return ipVersion;
    }

    /** {@return the destination port as set, 0 for the protocol's default} */
    public int destinationPort() {
        return destinationPort;
    }

    /**
     * {@return the first destination port of the flows: the one set, or UDP 33434 / TCP 80; 0 for ICMP}
     *
     * @param protocol the probe protocol
     */
    public int destinationPort(ProbeProtocol protocol) {
        return switch (protocol) {
            case UDP -> destinationPort != 0 ? destinationPort : TraceRequest.DEFAULT_UDP_PORT;
            case TCP -> destinationPort != 0 ? destinationPort : TraceRequest.DEFAULT_TCP_PORT;
            case ICMP -> 0;
        };
    }

    /** {@return the first TTL probed (1 by default)} */
    public int firstTtl() {
        return firstTtl;
    }

    /** {@return the last TTL probed (32 by default)} */
    public int maxTtl() {
        return maxTtl;
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

    /** {@return how often a flow that got no answer at a TTL is sent there before the TTL counts it silent (2)} */
    public int probesPerTtl() {
        return probesPerTtl;
    }

    /** {@return how many TTLs in a row may answer nothing before the discovery stops going farther (3)} */
    public int gapLimit() {
        return gapLimit;
    }

    /** {@return the longest a probe is waited for (1 s; the engine gives up sooner when later probes answered)} */
    public Duration probeTimeout() {
        return probeTimeout;
    }

    /** {@return the time limit of the whole discovery, path probes included (30 s)} */
    public Duration deadline() {
        return deadline;
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
        return enrich;
    }

    /** {@return the listener ({@link MultipathListener#NONE} by default)} */
    public MultipathListener listener() {
        return listener;
    }

    /** {@return the discovery's own probe rate per second, from its first probe (default 0: the tracer's only)} */
    public int packetsPerSecond() {
        return packetsPerSecond;
    }
    /** {@return the DSCP and ECN every probe carries (default {@link TrafficClass#DEFAULT})} */
    public TrafficClass trafficClass() { return trafficClass; }

    /**
     * {@return whether a UDP discovery may measure its paths end to end over TCP (default {@code false}: only UDP is
     * sent)} See {@link Builder#tcpConfirmation(boolean)}.
     */
    public boolean tcpConfirmation() {
        return tcpConfirmation;
    }

    /**
     * {@return the shared options this discovery uses, for another request to probe alike} Each is present,
     * defaults included, but the port when the protocol's default applies.
     */
    public ProbeOptions options() {
        ProbeOptions.Builder o = ProbeOptions.builder().ipVersion(ipVersion).protocol(protocol).firstTtl(firstTtl)
                .maxTtl(maxTtl).probesPerTtl(probesPerTtl).probeTimeout(probeTimeout).deadline(deadline)
                .packetsPerSecond(packetsPerSecond).enrich(enrich).trafficClass(trafficClass)
                .tcpConfirmation(tcpConfirmation);
        if (destinationPort != 0) {
            o.destinationPort(destinationPort);
        }
        return o.build();
    }

    @Override
    public String toString() {
        return "MultipathRequest{" + target + ", " + protocol + ", ttl " + firstTtl + ".." + maxTtl + ", "
                + algorithm + " " + confidence + "%, budget " + maxProbes + ", probesPerTtl " + probesPerTtl + ", gap "
                + gapLimit + ", timeout " + Text.duration(probeTimeout) + ", deadline " + Text.duration(deadline)
                + ", path probes " + pathProbes
                + " every " + Text.duration(pathInterval) + (ipVersion == IpVersion.ANY ? "" : ", " + ipVersion)
                + (destinationPort != 0 ? ", port " + destinationPort : "")
                + (packetsPerSecond == 0 ? "" : ", " + packetsPerSecond + " pps")
                + (trafficClass.equals(TrafficClass.DEFAULT) ? "" : ", " + trafficClass)
                + (tcpConfirmation ? ", TCP confirmation" : "") + "}";
    }

    /** Builds a {@link MultipathRequest}. */
    public static final class Builder {
        private final String target;
        private final @Nullable InetAddress address;
        private ProbeProtocol protocol = ProbeProtocol.UDP;
        private IpVersion ipVersion = IpVersion.ANY;
        private int destinationPort;
        private int firstTtl = 1;
        private int maxTtl = 32;
        private double confidence = DEFAULT_CONFIDENCE;
        private MultipathAlgorithm algorithm = MultipathAlgorithm.MDA_LITE;
        private int maxProbes = DEFAULT_MAX_PROBES;
        private int probesPerTtl = 2;
        private int gapLimit = 3;
        private Duration probeTimeout = Duration.ofSeconds(1);
        private Duration deadline = Duration.ofSeconds(30);
        private int pathProbes = 10;
        private Duration pathInterval = Duration.ofMillis(10);
        private MultipathListener listener = MultipathListener.NONE;
        private EnrichMode enrich = EnrichMode.AWAIT;
        private int packetsPerSecond;
        private TrafficClass trafficClass = TrafficClass.DEFAULT;
        private boolean tcpConfirmation;

        private Builder(String target, @Nullable InetAddress address) {
            Objects.requireNonNull(target, "target");
            if (target.isBlank()) {
                throw new IllegalArgumentException("target must not be blank");
            }
            this.target = target.strip();
            this.address = address;
        }

        /**
         * The probe protocol: UDP (default; flows by destination port), ICMP (by checksum) or TCP (by source port).
         *
         * @param protocol the probe protocol
         * @return this builder
         */
        public Builder protocol(ProbeProtocol protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
            return this;
        }

        /**
         * Which address family a name resolves to; a literal of the other family is an error at start.
         *
         * @param ipVersion the address family
         * @return this builder
         */
        public Builder ipVersion(IpVersion ipVersion) {
            this.ipVersion = Objects.requireNonNull(ipVersion, "ipVersion");
            return this;
        }

        /**
         * The UDP destination port of flow 0 (flow n uses port + n) or the TCP destination port; 1..65535.
         *
         * @param port the destination port
         * @return this builder
         */
        public Builder destinationPort(int port) {
            this.destinationPort = Checks.between(port, 1, 65535, "destinationPort");
            return this;
        }

        /**
         * The first TTL probed, 1..255.
         *
         * @param firstTtl the first TTL probed
         * @return this builder
         */
        public Builder firstTtl(int firstTtl) {
            this.firstTtl = Checks.ttl(firstTtl, "firstTtl");
            return this;
        }

        /**
         * The last TTL probed, 1..255, not below the first (checked at {@link #build()}).
         *
         * @param maxTtl the last TTL probed
         * @return this builder
         */
        public Builder maxTtl(int maxTtl) {
            this.maxTtl = Checks.ttl(maxTtl, "maxTtl");
            return this;
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
            if (maxProbes < 1 || maxProbes > MAX_PROBES) {
                throw new IllegalArgumentException("maxProbes must be 1.." + MAX_PROBES + ", was " + maxProbes);
            }
            this.maxProbes = maxProbes;
            return this;
        }

        /**
         * How often an unanswered flow is sent at a TTL before it counts as silent there, 1..5.
         *
         * @param probesPerTtl how often an unanswered flow is sent at a TTL
         * @return this builder
         */
        public Builder probesPerTtl(int probesPerTtl) {
            if (probesPerTtl < 1 || probesPerTtl > 5) {
                throw new IllegalArgumentException("probesPerTtl must be 1..5, was " + probesPerTtl);
            }
            this.probesPerTtl = probesPerTtl;
            return this;
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
         * The longest wait for one probe; positive.
         *
         * @param probeTimeout the longest wait for one probe
         * @return this builder
         */
        public Builder probeTimeout(Duration probeTimeout) {
            this.probeTimeout = Checks.positive(probeTimeout, "probeTimeout", TraceRequest.MAX_DURATION);
            return this;
        }

        /**
         * The time limit of the whole discovery; positive, at most {@link TraceRequest#MAX_DURATION}.
         *
         * @param deadline the time limit of the whole discovery
         * @return this builder
         */
        public Builder deadline(Duration deadline) {
            this.deadline = Checks.positive(deadline, "deadline", TraceRequest.MAX_DURATION);
            return this;
        }

        /**
         * Probes per hop of every path once discovery is done, 0..{@value #MAX_PATH_PROBES}.
         *
         * @param pathProbes the probes per hop of every path; 0 measures nothing per path
         * @return this builder
         */
        public Builder pathProbes(int pathProbes) {
            if (pathProbes < 0 || pathProbes > MAX_PATH_PROBES) {
                throw new IllegalArgumentException("pathProbes must be 0.." + MAX_PATH_PROBES + ", was " + pathProbes);
            }
            this.pathProbes = pathProbes;
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
         * Host names, AS numbers and segments of the nodes, and the path's context (default
         * {@link EnrichMode#AWAIT}): each node's lookups start when it first answers, in parallel
         * with probing; with AWAIT the result waits for lookups still running (at most the tracer's
         * lookup timeout), with BACKGROUND it is made at once, OFF asks nothing.
         *
         * @param enrich whether the result waits for the lookups
         * @return this builder
         */
        public Builder enrich(EnrichMode enrich) {
            this.enrich = Objects.requireNonNull(enrich, "enrich");
            return this;
        }

        /**
         * The discovery's own probe rate, 0 to {@link ProbeOptions#MAX_PACKETS_PER_SECOND} per second, from its
         * first probe, no burst (default 0: only the tracer's {@code PathTracerBuilder.packetsPerSecond}, which
         * holds too).
         *
         * @param packetsPerSecond probes per second, 0 for the tracer's budget only
         * @return this builder
         */
        public Builder packetsPerSecond(int packetsPerSecond) {
            this.packetsPerSecond = Checks.between(packetsPerSecond, 0, ProbeOptions.MAX_PACKETS_PER_SECOND,
                    "packetsPerSecond");
            return this;
        }

        /**
         * The DSCP and ECN every probe of the discovery carries (the IPv4 ToS byte, the IPv6 traffic class;
         * traceroute's {@code -t}, mtr's {@code --tos}): routers quote back what they received, so each hop shows
         * where a marking was rewritten. Default {@link TrafficClass#DEFAULT} (DSCP 0, Not-ECT). A transport that
         * cannot mark probes is not chosen for a marked discovery.
         *
         * @param trafficClass the marking
         * @return this builder
         */
        public Builder trafficClass(TrafficClass trafficClass) {
            this.trafficClass = Objects.requireNonNull(trafficClass, "trafficClass");
            return this;
        }

        /**
         * Whether a UDP discovery with path probes may measure each path end to end over TCP (default {@code false}:
         * only UDP is sent; the command line's {@code --tcp-confirm}). A UDP probe's answer from the destination is a
         * Port Unreachable, an ICMP error most hosts rate-limit (Linux: 6, then one a second), so UDP path probes to
         * it must be spaced under its budget and few fit; a TCP SYN's answer (RST, SYN-ACK) is not rate-limited. With
         * {@code true} and a transport that sends TCP with explicit flows (raw sockets), TTL-limited TCP probes find a
         * TCP flow that follows each path and TCP probes to the destination along it measure its loss; the result
         * counts them ({@link MultipathResult#tcpConfirmations()}) and its notes say why they were sent. With
         * {@code false} no TCP probe is sent, and where the destination limits its answers the notes state the
         * precision lost (each path's loss as an interval). Other protocols ignore it.
         *
         * @param tcpConfirmation whether TCP probes may measure a UDP discovery's paths
         * @return this builder
         */
        public Builder tcpConfirmation(boolean tcpConfirmation) {
            this.tcpConfirmation = tcpConfirmation;
            return this;
        }

        /**
         * Takes every option {@code options} sets (see {@link ProbeOptions}), as the setters of the same name
         * would, with their checks; the others keep their values.
         *
         * @param options shared options
         * @return this builder
         */
        public Builder options(ProbeOptions options) {
            options.ipVersion().ifPresent(this::ipVersion);
            options.protocol().ifPresent(this::protocol);
            options.destinationPort().ifPresent(this::destinationPort);
            options.firstTtl().ifPresent(this::firstTtl);
            options.maxTtl().ifPresent(this::maxTtl);
            options.probesPerTtl().ifPresent(this::probesPerTtl);
            options.probeTimeout().ifPresent(this::probeTimeout);
            options.deadline().ifPresent(this::deadline);
            options.packetsPerSecond().ifPresent(this::packetsPerSecond);
            options.trafficClass().ifPresent(this::trafficClass);
            options.enrich().ifPresent(this::enrich);
            options.tcpConfirmation().ifPresent(this::tcpConfirmation);
            return this;
        }

        /**
         * {@return the request}
         *
         * @throws IllegalArgumentException if the last TTL is below the first, or with a destination port and
         *     ICMP probes
         */
        public MultipathRequest build() {
            if (maxTtl < firstTtl) {
                throw new IllegalArgumentException("maxTtl " + maxTtl + " is below firstTtl " + firstTtl);
            }
            if (destinationPort != 0 && protocol == ProbeProtocol.ICMP) {
                throw new IllegalArgumentException("destinationPort(" + destinationPort
                        + ") applies to UDP and TCP probes; "
                        + "ICMP probes have no port");
            }
            return new MultipathRequest(this);
        }
    }
}
