package io.pathprobe.compare;

import io.pathprobe.PathTracer;
import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.options.Defaults;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link PathTracer#measure measure(CompareRequest)} traces: one target, with one Paris trace per protocol (ICMP,
 * UDP and TCP to {@link #tcpPort()} by default), all at once in one measurement, to find where their paths part and
 * meet again and which protocol stops where. Immutable; made by {@link #builder(String)}. Every option has a
 * default; every setter rejects a bad value at once with {@link IllegalArgumentException}.
 *
 * <pre>{@code
 * CompareResult r = tracer.measure(CompareRequest.builder("198.19.0.1").tcpPort(443).build());
 * r.stopsAfter(ProbeProtocol.TCP).ifPresent(ttl -> System.out.println("TCP/443 stops after hop " + ttl));
 * }</pre>
 */
public final class CompareRequest implements io.pathprobe.options.PathRequest<CompareResult> {
    /** The default TCP port: HTTPS's, the port firewalls most often treat apart. */
    public static final int DEFAULT_TCP_PORT = 443;
    /** The default protocols, in the order the result lists them. */
    public static final List<ProbeProtocol> DEFAULT_PROTOCOLS =
            List.of(ProbeProtocol.ICMP, ProbeProtocol.UDP, ProbeProtocol.TCP);

    /** The target and the options every protocol's trace shares: an automatic protocol, no lookups. */
    private final TraceRequest trace;
    private final List<ProbeProtocol> protocols;
    private final int tcpPort;
    private final int udpPort;
    private final CompareListener listener;
    /** The trace's options without lookups ({@link #options()}). */
    private final ProbeOptions shared;

    private CompareRequest(Builder b, TraceRequest trace) {
        this.trace = trace;
        this.shared = trace.options().toBuilder().enrich(EnrichMode.OFF).build();
        this.protocols = List.copyOf(b.protocols);
        this.tcpPort = b.tcpPort;
        this.udpPort = b.udpPort;
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
        Builder b = new Builder(target(), trace.address().orElse(null));
        b.protocols = protocols;
        b.tcpPort = tcpPort;
        b.udpPort = udpPort;
        b.listener = listener;
        return b.options(trace.options());
    }

    /** {@return the host name or literal address as given} */
    public String target() {
        return trace.target();
    }

    /** {@return the address, if the request was built from one} */
    public Optional<InetAddress> address() {
        return trace.address();
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
        TraceRequest.Builder b = trace.toBuilder().protocol(protocol).flowMode(FlowMode.PARIS).packetsPerSecond(0);
        if (protocol != ProbeProtocol.ICMP) {
            b.destinationPort(destinationPort(protocol));
        }
        return b.build();
    }

    /**
     * {@return the shared options this comparison uses, every one it has present (not the protocol, nor the
     * destination port: each protocol has its own), for another request to probe alike}
     */
    @Override
    public ProbeOptions options() {
        return shared;
    }

    /** {@return the trace every protocol's trace is made from: the target and the shared options} */
    public TraceRequest trace() {
        return trace;
    }

    @Override
    public String toString() {
        List<String> labels = protocols.stream().map(this::label).toList();
        return "CompareRequest{" + target() + ", " + String.join(" ", labels) + ", ttl " + firstTtl() + ".."
                + maxTtl() + ", " + probesPerTtl() + "/hop, timeout " + Text.duration(probeTimeout()) + ", deadline "
                + Text.duration(deadline()) + (protocols.contains(ProbeProtocol.UDP) ? ", UDP port " + udpPort : "")
                + (ipVersion() == IpVersion.ANY ? "" : ", " + ipVersion())
                + (packetsPerSecond() == 0 ? "" : ", " + packetsPerSecond() + " pps")
                + (trafficClass().equals(TrafficClass.DEFAULT) ? "" : ", " + trafficClass()) + "}";
    }

    /**
     * Builds a {@link CompareRequest}. The shared options' defaults are a trace's ({@link Defaults#TRACE}): TTL 1
     * to 30, 3 probes per TTL, 1 s per probe, 30 s in all.
     */
    public static final class Builder extends ProbeOptions.Hops<Builder> {
        private final String target;
        private final @Nullable InetAddress address;
        private List<ProbeProtocol> protocols = DEFAULT_PROTOCOLS;
        private int tcpPort = DEFAULT_TCP_PORT;
        private int udpPort = TraceRequest.DEFAULT_UDP_PORT;
        private CompareListener listener = CompareListener.NONE;

        private Builder(String target, @Nullable InetAddress address) {
            this.target = Checks.target(target);
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
         * {@return the request}
         *
         * @throws IllegalArgumentException if the last TTL is below the first
         */
        public CompareRequest build() {
            ProbeOptions o = resolvedRange(Defaults.TRACE);
            TraceRequest.Builder t = address != null ? TraceRequest.builder(address) : TraceRequest.builder(target);
            return new CompareRequest(this, t.options(o).enrich(EnrichMode.OFF).build());
        }

        /**
         * Takes the options a comparison has: not the protocol (it has several) nor lookups (it makes none); the
         * destination port as both {@link #tcpPort(int)} and {@link #udpPort(int)}.
         *
         * @param o the options to take
         */
        @Override
        protected void take(ProbeOptions o) {
            super.take(o);
            o.destinationPort().ifPresent(p -> tcpPort(p).udpPort(p));
        }
    }
}
