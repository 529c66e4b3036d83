package io.pathprobe.mtu;

import io.pathprobe.PathTracer;
import io.pathprobe.options.ProbeOptions;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.IpVersion;
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
 * What {@link PathTracer#discoverMtu(MtuRequest)} should measure, and how: the path MTU at each hop, as
 * tracepath does, with UDP probes that must not be fragmented (DF), from {@link #maxSize()} down to what
 * the path lets through, TTL by TTL. Immutable; made by {@link #builder(String)}. Every option has a
 * default; every setter rejects a bad value at once with {@link IllegalArgumentException}.
 */
public final class MtuRequest {
    /** The default and largest {@link #maxSize()}: the largest IP packet. */
    public static final int MAX_SIZE = 65535;
    /** The smallest {@link #maxSize()}: IPv6's minimum MTU (an IPv4 path may go lower, down to 68). */
    public static final int MIN_MAX_SIZE = 1280;

    private final String target;
    private final @Nullable InetAddress address;
    private final IpVersion ipVersion;
    private final int destinationPort;
    private final int firstTtl;
    private final int maxTtl;
    private final int maxSize;
    private final int probesPerTtl;
    private final Duration probeTimeout;
    private final Duration deadline;
    private final MtuListener listener;
    private final int packetsPerSecond;
    private final TrafficClass trafficClass;

    private MtuRequest(Builder b) {
        this.target = b.target;
        this.address = b.address;
        this.ipVersion = b.ipVersion;
        this.destinationPort = b.destinationPort;
        this.firstTtl = b.firstTtl;
        this.maxTtl = b.maxTtl;
        this.maxSize = b.maxSize;
        this.probesPerTtl = b.probesPerTtl;
        this.probeTimeout = b.probeTimeout;
        this.deadline = b.deadline;
        this.listener = b.listener;
        this.packetsPerSecond = b.packetsPerSecond;
        this.trafficClass = b.trafficClass;
    }

    /**
     * {@return a request with every default for a host name or literal address}
     *
     * @param target a host name or literal address, not blank
     */
    public static MtuRequest of(String target) {
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
     * {@return a builder for an address (its {@link #target()} is the address as RFC 5952 writes it)}
     *
     * @param address the address whose path MTU to discover
     */
    public static Builder builder(InetAddress address) {
        Objects.requireNonNull(address, "address");
        return new Builder(AddressText.of(address), address);
    }

    /** {@return a builder holding this request's options} */
    public Builder toBuilder() {
        Builder b = new Builder(target, address);
        b.ipVersion = ipVersion;
        b.destinationPort = destinationPort;
        b.firstTtl = firstTtl;
        b.maxTtl = maxTtl;
        b.maxSize = maxSize;
        b.probesPerTtl = probesPerTtl;
        b.probeTimeout = probeTimeout;
        b.deadline = deadline;
        b.listener = listener;
        b.packetsPerSecond = packetsPerSecond;
        b.trafficClass = trafficClass;
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

    /** {@return which address family a name resolves to} */
    public IpVersion ipVersion() {
        return ipVersion;
    }

    /** {@return the first UDP destination port (33434 by default; each probe the next, as tracepath)} */
    public int destinationPort() {
        return destinationPort;
    }

    /** {@return the first TTL probed (1)} */
    public int firstTtl() {
        return firstTtl;
    }

    /** {@return the last TTL probed (30, tracepath's)} */
    public int maxTtl() {
        return maxTtl;
    }

    /**
     * {@return the size of the first probe, in bytes, IP header included (65535 by default): this host's
     * first link refuses a larger one than its MTU at once, so the default starts at that MTU}
     */
    public int maxSize() {
        return maxSize;
    }

    /** {@return how many probes of one size a TTL gets before they count as lost (2)} */
    public int probesPerTtl() {
        return probesPerTtl;
    }

    /** {@return the longest a probe is waited for (1 s)} */
    public Duration probeTimeout() {
        return probeTimeout;
    }

    /** {@return the time limit of the whole discovery, set-up included (2 min)} */
    public Duration deadline() {
        return deadline;
    }

    /** {@return the listener ({@link MtuListener#NONE} by default)} */
    public MtuListener listener() {
        return listener;
    }

    /** {@return the discovery's own probe rate per second, from its first probe (default 0: the tracer's only)} */
    public int packetsPerSecond() {
        return packetsPerSecond;
    }
    /** {@return the DSCP and ECN every probe carries (default {@link TrafficClass#DEFAULT})} */
    public TrafficClass trafficClass() { return trafficClass; }

    /**
     * {@return the shared options this discovery uses (UDP probes, no lookups), every one present, for another
     * request to probe alike}
     */
    public ProbeOptions options() {
        return ProbeOptions.builder().ipVersion(ipVersion).destinationPort(destinationPort).firstTtl(firstTtl)
                .maxTtl(maxTtl).probesPerTtl(probesPerTtl).probeTimeout(probeTimeout).deadline(deadline)
                .packetsPerSecond(packetsPerSecond).trafficClass(trafficClass).build();
    }

    @Override
    public String toString() {
        return "MtuRequest{" + target + ", ttl " + firstTtl + ".." + maxTtl + ", from " + maxSize
                + " bytes, probesPerTtl "
                + probesPerTtl + ", timeout " + Text.duration(probeTimeout) + ", deadline " + Text.duration(deadline)
                + ", port " + destinationPort + (ipVersion == IpVersion.ANY ? "" : ", " + ipVersion)
                + (packetsPerSecond == 0 ? "" : ", " + packetsPerSecond + " pps")
                + (trafficClass.equals(TrafficClass.DEFAULT) ? "" : ", " + trafficClass) + "}";
    }

    /** Builds an {@link MtuRequest}. */
    public static final class Builder {
        private final String target;
        private final @Nullable InetAddress address;
        private IpVersion ipVersion = IpVersion.ANY;
        private int destinationPort = TraceRequest.DEFAULT_UDP_PORT;
        private int firstTtl = 1;
        private int maxTtl = 30;
        private int maxSize = MAX_SIZE;
        private int probesPerTtl = 2;
        private Duration probeTimeout = Duration.ofSeconds(1);
        private Duration deadline = Duration.ofMinutes(2);
        private MtuListener listener = MtuListener.NONE;
        private int packetsPerSecond;
        private TrafficClass trafficClass = TrafficClass.DEFAULT;

        private Builder(String target, @Nullable InetAddress address) {
            Objects.requireNonNull(target, "target");
            if (target.isBlank()) {
                throw new IllegalArgumentException("target must not be blank");
            }
            this.target = target.strip();
            this.address = address;
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
         * The first UDP destination port, 1..65535 (probe {@code n} goes to port + n).
         *
         * @param port the first destination port
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
         * The size of the first probe, IP header included, {@value #MIN_MAX_SIZE}..{@value #MAX_SIZE}.
         *
         * @param maxSize the size of the first probe, in bytes
         * @return this builder
         */
        public Builder maxSize(int maxSize) {
            this.maxSize = Checks.between(maxSize, MIN_MAX_SIZE, MAX_SIZE, "maxSize");
            return this;
        }

        /**
         * How many probes of one size a TTL gets before they count as lost, 1..5.
         *
         * @param probesPerTtl the probes of one size per TTL
         * @return this builder
         */
        public Builder probesPerTtl(int probesPerTtl) {
            this.probesPerTtl = Checks.between(probesPerTtl, 1, 5, "probesPerTtl");
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
         * The listener, called on the tracer's executor.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(MtuListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
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
         * The DSCP and ECN every probe of the MTU discovery carries (the IPv4 ToS byte, the IPv6 traffic class;
         * traceroute's {@code -t}, mtr's {@code --tos}): routers quote back what they received, so each hop shows
         * where a marking was rewritten. Default {@link TrafficClass#DEFAULT} (DSCP 0, Not-ECT). A transport that
         * cannot mark probes is not chosen for a marked MTU discovery.
         *
         * @param trafficClass the marking
         * @return this builder
         */
        public Builder trafficClass(TrafficClass trafficClass) {
            this.trafficClass = Objects.requireNonNull(trafficClass, "trafficClass");
            return this;
        }

        /**
         * Takes every option {@code options} sets that an MTU discovery has (see {@link ProbeOptions}: not the
         * protocol, it probes with UDP, nor lookups), as the setters of the same name would, with their checks; the
         * others keep their values.
         *
         * @param options shared options
         * @return this builder
         */
        public Builder options(ProbeOptions options) {
            options.ipVersion().ifPresent(this::ipVersion);
            options.destinationPort().ifPresent(this::destinationPort);
            options.firstTtl().ifPresent(this::firstTtl);
            options.maxTtl().ifPresent(this::maxTtl);
            options.probesPerTtl().ifPresent(this::probesPerTtl);
            options.probeTimeout().ifPresent(this::probeTimeout);
            options.deadline().ifPresent(this::deadline);
            options.packetsPerSecond().ifPresent(this::packetsPerSecond);
            options.trafficClass().ifPresent(this::trafficClass);
            return this;
        }

        /**
         * {@return the request}
         *
         * @throws IllegalArgumentException if the last TTL is below the first
         */
        public MtuRequest build() {
            if (maxTtl < firstTtl) {
                throw new IllegalArgumentException("maxTtl " + maxTtl + " is below firstTtl " + firstTtl);
            }
            return new MtuRequest(this);
        }
    }
}
