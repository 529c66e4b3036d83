package io.pathprobe.compare;

import io.pathprobe.PathTracer;
import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.options.ProbeOptions;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.IpVersion;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.util.Checks;
import io.pathprobe.util.Text;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link PathTracer#compare(CompareRequest)} traces: one target, with one Paris trace per protocol (ICMP, UDP
 * and TCP to {@link #tcpPort()} by default), all at once in one measurement, to find where their paths part and
 * meet again and which protocol stops where. Immutable; made by {@link #builder(String)}. Every option has a
 * default; every setter rejects a bad value at once with {@link IllegalArgumentException}.
 *
 * <pre>{@code
 * CompareResult r = tracer.compare(CompareRequest.builder("198.19.0.1").tcpPort(443).build());
 * r.stopsAfter(ProbeProtocol.TCP).ifPresent(ttl -> System.out.println("TCP/443 stops after hop " + ttl));
 * }</pre>
 */
public final class CompareRequest {
    /** The default TCP port: HTTPS's, the port firewalls most often treat apart. */
    public static final int DEFAULT_TCP_PORT = 443;
    /** The default protocols, in the order the result lists them. */
    public static final List<ProbeProtocol> DEFAULT_PROTOCOLS =
            List.of(ProbeProtocol.ICMP, ProbeProtocol.UDP, ProbeProtocol.TCP);

    private final String target;
    private final @Nullable InetAddress address;
    private final List<ProbeProtocol> protocols;
    private final int tcpPort;
    private final int udpPort;
    private final IpVersion ipVersion;
    private final int firstTtl;
    private final int maxTtl;
    private final int probesPerTtl;
    private final Duration probeTimeout;
    private final Duration deadline;
    private final int packetsPerSecond;
    private final TrafficClass trafficClass;
    private final CompareListener listener;

    private CompareRequest(Builder b) {
        this.target = b.target;
        this.address = b.address;
        this.protocols = List.copyOf(b.protocols);
        this.tcpPort = b.tcpPort;
        this.udpPort = b.udpPort;
        this.ipVersion = b.ipVersion;
        this.firstTtl = b.firstTtl;
        this.maxTtl = b.maxTtl;
        this.probesPerTtl = b.probesPerTtl;
        this.probeTimeout = b.probeTimeout;
        this.deadline = b.deadline;
        this.packetsPerSecond = b.packetsPerSecond;
        this.trafficClass = b.trafficClass;
        this.listener = b.listener;
    }

    /**
     * {@return a request with every default for a host name or literal address}
     *
     * @param target a host name or literal address, not blank
     */
    public static CompareRequest of(String target) {
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
     * @param address the address to trace
     */
    public static Builder builder(InetAddress address) {
        Objects.requireNonNull(address, "address");
        return new Builder(AddressText.of(address), address);
    }

    /** {@return a builder holding this request's options} */
    public Builder toBuilder() {
        Builder b = new Builder(target, address);
        b.protocols = protocols;
        b.tcpPort = tcpPort;
        b.udpPort = udpPort;
        b.ipVersion = ipVersion;
        b.firstTtl = firstTtl;
        b.maxTtl = maxTtl;
        b.probesPerTtl = probesPerTtl;
        b.probeTimeout = probeTimeout;
        b.deadline = deadline;
        b.packetsPerSecond = packetsPerSecond;
        b.trafficClass = trafficClass;
        b.listener = listener;
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

    /** {@return the protocols traced, in the order the result lists them (default ICMP, UDP, TCP)} */
    public List<ProbeProtocol> protocols() {
        return protocols;
    }

    /** {@return the TCP probes' destination port (default {@value #DEFAULT_TCP_PORT})} */
    public int tcpPort() {
        return tcpPort;
    }

    /** {@return the UDP probes' destination port (default {@value TraceRequest#DEFAULT_UDP_PORT}, traceroute's)} */
    public int udpPort() {
        return udpPort;
    }

    /** {@return which address family a name resolves to (default any)} */
    public IpVersion ipVersion() {
        return ipVersion;
    }

    /** {@return the first TTL probed (1)} */
    public int firstTtl() {
        return firstTtl;
    }

    /** {@return the last TTL probed (30)} */
    public int maxTtl() {
        return maxTtl;
    }

    /** {@return the probes per TTL of each protocol (3)} */
    public int probesPerTtl() {
        return probesPerTtl;
    }

    /** {@return the longest a probe is waited for (1 s)} */
    public Duration probeTimeout() {
        return probeTimeout;
    }

    /** {@return the time limit of the whole comparison, set-up included (30 s)} */
    public Duration deadline() {
        return deadline;
    }

    /** {@return the comparison's own probe rate per second, all protocols together (default 0: the tracer's only)} */
    public int packetsPerSecond() {
        return packetsPerSecond;
    }

    /** {@return the DSCP and ECN every probe of every protocol carries (default {@link TrafficClass#DEFAULT})} */
    public TrafficClass trafficClass() {
        return trafficClass;
    }

    /** {@return the listener (default {@link CompareListener#NONE})} */
    public CompareListener listener() {
        return listener;
    }

    /**
     * {@return the destination port of a protocol's probes: {@link #tcpPort()}, {@link #udpPort()}, 0 for ICMP}
     *
     * @param protocol the protocol
     */
    public int destinationPort(ProbeProtocol protocol) {
        return switch (protocol) {
            case TCP -> tcpPort;
            case UDP -> udpPort;
            case ICMP -> 0;
        };
    }

    /**
     * {@return how the result names a protocol: "ICMP", "UDP", "TCP/443" (TCP with its port, the one a firewall
     * would single out)}
     *
     * @param protocol the protocol
     */
    public String label(ProbeProtocol protocol) {
        return protocol == ProbeProtocol.TCP ? "TCP/" + tcpPort : protocol.name();
    }

    /**
     * {@return the trace request this comparison runs for a protocol: a Paris trace of this target with its port,
     * TTL range, probes, timeout and deadline, without lookups}
     *
     * @param protocol the protocol, one of {@link #protocols()}
     * @throws IllegalArgumentException if it is not one of them
     */
    public TraceRequest trace(ProbeProtocol protocol) {
        if (!protocols.contains(protocol)) {
            throw new IllegalArgumentException(protocol + " is not one of the compared protocols " + protocols);
        }
        TraceRequest.Builder b = address != null ? TraceRequest.builder(address) : TraceRequest.builder(target);
        b.protocol(protocol).ipVersion(ipVersion).firstTtl(firstTtl).maxTtl(maxTtl).probesPerTtl(probesPerTtl)
                .probeTimeout(probeTimeout).deadline(deadline).flowMode(FlowMode.PARIS).enrich(EnrichMode.OFF)
                .trafficClass(trafficClass);
        if (protocol != ProbeProtocol.ICMP) {
            b.destinationPort(destinationPort(protocol));
        }
        return b.build();
    }

    /**
     * {@return the shared options this comparison uses, every one it has present (not the protocol, nor the
     * destination port: each protocol has its own), for another request to probe alike}
     */
    public ProbeOptions options() {
        return ProbeOptions.builder().ipVersion(ipVersion).firstTtl(firstTtl).maxTtl(maxTtl)
                .probesPerTtl(probesPerTtl).probeTimeout(probeTimeout).deadline(deadline)
                .packetsPerSecond(packetsPerSecond).enrich(EnrichMode.OFF).trafficClass(trafficClass).build();
    }

    @Override
    public String toString() {
        List<String> labels = protocols.stream().map(this::label).toList();
        return "CompareRequest{" + target + ", " + String.join(" ", labels) + ", ttl " + firstTtl + ".." + maxTtl
                + ", " + probesPerTtl + "/hop, timeout " + Text.duration(probeTimeout) + ", deadline "
                + Text.duration(deadline) + (protocols.contains(ProbeProtocol.UDP) ? ", UDP port " + udpPort : "")
                + (ipVersion == IpVersion.ANY ? "" : ", " + ipVersion)
                + (packetsPerSecond == 0 ? "" : ", " + packetsPerSecond + " pps")
                + (trafficClass.equals(TrafficClass.DEFAULT) ? "" : ", " + trafficClass) + "}";
    }

    /** Builds a {@link CompareRequest}. */
    public static final class Builder {
        private final String target;
        private final @Nullable InetAddress address;
        private List<ProbeProtocol> protocols = DEFAULT_PROTOCOLS;
        private int tcpPort = DEFAULT_TCP_PORT;
        private int udpPort = TraceRequest.DEFAULT_UDP_PORT;
        private IpVersion ipVersion = IpVersion.ANY;
        private int firstTtl = 1;
        private int maxTtl = 30;
        private int probesPerTtl = 3;
        private Duration probeTimeout = Duration.ofSeconds(1);
        private Duration deadline = Duration.ofSeconds(30);
        private int packetsPerSecond;
        private TrafficClass trafficClass = TrafficClass.DEFAULT;
        private CompareListener listener = CompareListener.NONE;

        private Builder(String target, @Nullable InetAddress address) {
            Objects.requireNonNull(target, "target");
            if (target.isBlank()) {
                throw new IllegalArgumentException("target must not be blank");
            }
            this.target = target.strip();
            this.address = address;
        }

        /**
         * The protocols to trace, at least two, none twice, in the order the result lists them (default ICMP,
         * UDP, TCP).
         *
         * @param protocols the protocols
         * @return this builder
         * @throws IllegalArgumentException if fewer than two are given or one is given twice
         */
        public Builder protocols(List<ProbeProtocol> protocols) {
            List<ProbeProtocol> list = new ArrayList<>();
            for (ProbeProtocol p : Objects.requireNonNull(protocols, "protocols")) {
                if (list.contains(Objects.requireNonNull(p, "protocol"))) {
                    throw new IllegalArgumentException("protocol " + p + " is listed twice");
                }
                list.add(p);
            }
            if (list.size() < 2) {
                throw new IllegalArgumentException("a comparison needs at least two protocols, was " + list);
            }
            this.protocols = List.copyOf(list);
            return this;
        }

        /**
         * The protocols to trace (see {@link #protocols(List)}).
         *
         * @param first the first protocol
         * @param others the others
         * @return this builder
         */
        public Builder protocols(ProbeProtocol first, ProbeProtocol... others) {
            List<ProbeProtocol> list = new ArrayList<>();
            list.add(first);
            list.addAll(List.of(others));
            return protocols(list);
        }

        /**
         * The TCP probes' destination port, 1..65535 (default {@value #DEFAULT_TCP_PORT}).
         *
         * @param port the port
         * @return this builder
         */
        public Builder tcpPort(int port) {
            this.tcpPort = Checks.between(port, 1, 65535, "tcpPort");
            return this;
        }

        /**
         * The UDP probes' destination port, 1..65535 (default {@value TraceRequest#DEFAULT_UDP_PORT}); a Paris
         * trace keeps it for every probe.
         *
         * @param port the port
         * @return this builder
         */
        public Builder udpPort(int port) {
            this.udpPort = Checks.between(port, 1, 65535, "udpPort");
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
         * The first TTL probed, 1..255.
         *
         * @param firstTtl the first TTL
         * @return this builder
         */
        public Builder firstTtl(int firstTtl) {
            this.firstTtl = Checks.ttl(firstTtl, "firstTtl");
            return this;
        }

        /**
         * The last TTL probed, 1..255, not below the first (checked at {@link #build()}).
         *
         * @param maxTtl the last TTL
         * @return this builder
         */
        public Builder maxTtl(int maxTtl) {
            this.maxTtl = Checks.ttl(maxTtl, "maxTtl");
            return this;
        }

        /**
         * The probes per TTL of each protocol, 1..{@value TraceRequest#MAX_PROBES_PER_TTL}.
         *
         * @param probesPerTtl the probes per TTL
         * @return this builder
         */
        public Builder probesPerTtl(int probesPerTtl) {
            this.probesPerTtl = Checks.between(probesPerTtl, 1, TraceRequest.MAX_PROBES_PER_TTL, "probesPerTtl");
            return this;
        }

        /**
         * The longest wait for one probe; positive.
         *
         * @param probeTimeout the longest wait
         * @return this builder
         */
        public Builder probeTimeout(Duration probeTimeout) {
            this.probeTimeout = Checks.positive(probeTimeout, "probeTimeout", TraceRequest.MAX_DURATION);
            return this;
        }

        /**
         * The time limit of the whole comparison, set-up included; positive, at most
         * {@link TraceRequest#MAX_DURATION}. Traces not done by then end with what they have.
         *
         * @param deadline the time limit
         * @return this builder
         */
        public Builder deadline(Duration deadline) {
            this.deadline = Checks.positive(deadline, "deadline", TraceRequest.MAX_DURATION);
            return this;
        }

        /**
         * The comparison's own probe rate, 0 to {@link ProbeOptions#MAX_PACKETS_PER_SECOND} per second, every
         * protocol's probes together (default 0: only the tracer's budget, which holds too).
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
         * The DSCP and ECN every probe carries, of every protocol: each trace then shows where a router received it
         * rewritten, so a re-marking that hits one protocol only stands out. Default {@link TrafficClass#DEFAULT}.
         *
         * @param trafficClass the marking
         * @return this builder
         */
        public Builder trafficClass(TrafficClass trafficClass) {
            this.trafficClass = Objects.requireNonNull(trafficClass, "trafficClass");
            return this;
        }

        /**
         * The listener, called on the tracer's executor.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(CompareListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Takes every option {@code options} sets that a comparison has, as the setters of the same name would,
         * with their checks: IP version, TTL range, probes per TTL, probe timeout, deadline, probe rate, and the
         * destination port as both {@link #tcpPort(int)} and {@link #udpPort(int)} (ProbeOptions' port is the UDP
         * and TCP one). Not the protocol (a comparison has several) nor lookups (it makes none).
         *
         * @param options shared options
         * @return this builder
         */
        public Builder options(ProbeOptions options) {
            options.ipVersion().ifPresent(this::ipVersion);
            options.destinationPort().ifPresent(p -> tcpPort(p).udpPort(p));
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
        public CompareRequest build() {
            if (maxTtl < firstTtl) {
                throw new IllegalArgumentException("maxTtl " + maxTtl + " is below firstTtl " + firstTtl);
            }
            return new CompareRequest(this);
        }
    }
}
