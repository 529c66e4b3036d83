package io.pathprobe.trace;

import io.pathprobe.NoTransportAvailableException;
import io.pathprobe.UnknownTargetException;
import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.options.Defaults;
import io.pathprobe.options.ProbeOptions;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.IpVersion;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.util.Checks;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
/**
 * What to trace and how. Immutable; make one with {@link #builder(String)} or {@link #of(String)},
 * derive variants with {@link #toBuilder()}.
 *
 * <p>Defaults: the protocol chosen automatically (ICMP where this process may send it, else UDP), Paris flow
 * control (one flow), IPv4 or IPv6 as the target gives, TTL 1 to 30, 3 probes per TTL, 1 s per-probe wait
 * (shortened by the adaptive wait), 30 s deadline (name resolution included), 64 probes in flight, all TTLs at once,
 * destination port 33434 for UDP and 80 for TCP, TCP probes as half-open SYNs ({@link TcpMode#SYN}). The options
 * every probing request shares can be given at once as {@link ProbeOptions}. A later builder call replaces an
 * earlier one, so {@link #toBuilder()} can derive variants.
 */
public final class TraceRequest implements io.pathprobe.options.PathRequest<TraceResult> {
    /** Largest value for {@link Builder#maxTtl(int)}: the IP TTL is one byte. */
    public static final int MAX_TTL = Checks.MAX_TTL;
    /** Largest value for {@link Builder#probesPerTtl(int)}. */
    public static final int MAX_PROBES_PER_TTL = ProbeOptions.MAX_PROBES_PER_TTL;
    /** Longest {@link Builder#probeTimeout(Duration)} and {@link Builder#deadline(Duration)}: one year. */
    public static final Duration MAX_DURATION = ProbeOptions.MAX_DURATION;
    /** Largest value for {@link Builder#flows(int)}. */
    public static final int MAX_FLOWS = 256;
    /** UDP's customary first destination port (traceroute's). */
    public static final int DEFAULT_UDP_PORT = 33434;
    /** TCP's default destination port (traceroute -T's). */
    public static final int DEFAULT_TCP_PORT = 80;
    private static final List<ProbeProtocol> AUTOMATIC = List.of(ProbeProtocol.ICMP, ProbeProtocol.UDP);

    /** The trace's own values, a builder no one else holds. */
    private final Builder v;
    /** The shared options, each present (defaults included) but an automatic protocol and a default port. */
    private final ProbeOptions o;
    /** What {@link #options()} gives: {@link #o}, probes per TTL rounded to the flows, the protocol if given. */
    private final ProbeOptions shared;

    private TraceRequest(Builder b, ProbeOptions o) {
        this.v = copy(b, new Builder(b.target, b.address));
        this.o = o;
        int given = o.probesPerTtl().getAsInt();
        ProbeOptions.Builder s = o.toBuilder().probesPerTtl(v.flows * ((given + v.flows - 1) / v.flows));
        this.shared = (v.automaticProtocol ? s : s.protocol(v.protocols.get(0))).build();
    }

    /**
     * {@return a request with every option at its default}
     *
     * @param target a host name or literal address
     */
    public static TraceRequest of(String target) {
        return builder(target).build();
    }

    /**
     * {@return a request for an address that needs no resolution}
     *
     * @param address the address to trace
     */
    public static TraceRequest of(InetAddress address) {
        return builder(address).build();
    }

    /**
     * {@return a builder for a target name or literal address ("198.18.0.1", "2001:db8::1", "host.example")}
     *
     * @param target a host name or literal address, not blank
     */
    public static Builder builder(String target) {
        return new Builder(target, null);
    }

    /**
     * {@return a builder for an address that needs no resolution}
     *
     * @param address the address to trace
     */
    public static Builder builder(InetAddress address) {
        Objects.requireNonNull(address, "address");
        return new Builder(address.getHostAddress(), address);
    }

    /** {@return a builder holding this request's values} */
    public Builder toBuilder() {
        return copy(v, new Builder(v.target, v.address)).options(o);
    }

    /** {@return a builder holding this request's values for another target} */
    Builder toBuilder(String otherTarget) {
        return copy(v, new Builder(otherTarget, null)).options(o);
    }

    private static Builder copy(Builder from, Builder b) {
        b.protocols = from.protocols;
        b.automaticProtocol = from.automaticProtocol;
        b.maxInFlight = from.maxInFlight;
        b.sequential = from.sequential;
        b.adaptiveWait = from.adaptiveWait;
        b.refillRetry = from.refillRetry;
        b.flowMode = from.flowMode;
        b.flowModeGiven = from.flowModeGiven;
        b.flows = from.flows;
        b.listener = from.listener;
        b.tcpMode = from.tcpMode;
        return b;
    }

    /** {@return the target as given} */
    public String target() { return v.target; }
    /** {@return the address given instead of a name, if any} */
    public Optional<InetAddress> address() { return Optional.ofNullable(v.address); }
    /** {@return the protocol tried first: the only one unless {@link #automaticProtocol()}} */
    public ProbeProtocol protocol() { return v.protocols.get(0); }
    /**
     * {@return the protocols the tracer may use, in order of preference; one unless {@link #automaticProtocol()}}
     */
    public List<ProbeProtocol> protocols() { return v.protocols; }
    /**
     * {@return whether the tracer chooses the protocol (the default), the first of {@link #protocols()} it can send}
     * False after {@link Builder#protocol(ProbeProtocol)}: that protocol or a {@link NoTransportAvailableException}.
     */
    public boolean automaticProtocol() { return v.automaticProtocol; }
    /** {@return the most probes of this trace outstanding at once (default 64)} */
    public int maxInFlight() { return v.maxInFlight; }
    /** {@return whether the trace probes one TTL at a time (default false: all TTLs at once)} */
    public boolean sequential() { return v.sequential; }
    /**
     * {@return whether a probe is given up early once answers show it is unlikely to come (default
     * true)} See {@link Builder#adaptiveWait(boolean)}.
     */
    public boolean adaptiveWait() { return v.adaptiveWait; }
    /**
     * {@return whether routers that missed answers while later hops answered are probed again after
     * a rate limiter's refill (default true)} See {@link Builder#refillRetry(boolean)}.
     */
    public boolean refillRetry() { return v.refillRetry; }
    /**
     * {@return whether a UDP trace may send TCP probes to confirm a destination whose Port Unreachables it does
     * not hear (default false)} See {@link Builder#tcpConfirmation(boolean)}.
     */
    public boolean tcpConfirmation() { return o.tcpConfirmation().orElseThrow(); }
    /**
     * {@return the destination port given with {@link Builder#destinationPort(int)}, or 0 when none was: then
     * {@link #destinationPort(ProbeProtocol)} gives each protocol's default}
     */
    public int destinationPort() { return o.destinationPort().orElse(0); }
    /**
     * {@return the destination port of this protocol's probes: the one given, else 33434 for UDP and 80 for TCP
     * (0 for ICMP)}
     *
     * @param protocol the probe protocol
     */
    public int destinationPort(ProbeProtocol protocol) {
        return switch (protocol) {
            case UDP -> o.destinationPort().orElse(DEFAULT_UDP_PORT);
            case TCP -> o.destinationPort().orElse(DEFAULT_TCP_PORT);
            case ICMP -> 0;
        };
    }
    /** {@return how probes choose their flow (default {@link FlowMode#PARIS})} */
    public FlowMode flowMode() { return v.flowMode; }
    /**
     * {@return whether {@link Builder#flowMode(FlowMode)} was called: then a transport that cannot hold that
     * mode is an error; by default a trace falls back to classic with a note}
     */
    public boolean flowModeGiven() { return v.flowModeGiven; }
    /** {@return over how many flows each TTL's probes are spread (default 1; above 1 only with Paris)} */
    public int flows() { return v.flows; }
    /** {@return the listener that sees every probe and hop as it completes ({@link TraceListener#NONE})} */
    public TraceListener listener() { return v.listener; }
    /** {@return whether the result waits for host names, AS numbers, the public address (default AWAIT)} */
    public EnrichMode enrich() { return o.enrich().orElseThrow(); }
    /** {@return how TCP probes travel (default {@link TcpMode#SYN}; {@link TraceResult#tcpMode()}: how they did)} */
    public TcpMode tcpMode() { return v.tcpMode; }

    /**
     * {@return the shared options this trace uses, for another request to probe alike} Each is present, defaults
     * included, but the protocol when the tracer chooses it and the port when each protocol's default applies. Its
     * {@link #probesPerTtl()} is the probes sent at each TTL (traceroute's nqueries; default 3), rounded up to a
     * multiple of {@link #flows()}: {@code flows(16)} sends 16, one per flow; {@code flows(2).probesPerTtl(3)} sends
     * 4.
     */
    @Override
    public ProbeOptions options() {
        return shared;
    }

    /** {@return the probes per TTL as given to {@link Builder#probesPerTtl(int)}, before rounding} */
    int probesPerTtlGiven() { return o.probesPerTtl().getAsInt(); }

    /** Equal when every option is equal (the listener by identity). */
    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof TraceRequest r && this.o.equals(r.o) && TraceRequestChecks.equal(this, r);
    }

    @Override
    public int hashCode() {
        return Objects.hash(v.target, v.address, v.protocols, o);
    }

    @Override
    public String toString() {
        return TraceRequestChecks.text(this);
    }

    /** Builds a {@link TraceRequest}; every method checks its argument at once. */
    public static final class Builder extends ProbeOptions.Settable<Builder> {
        private final String target;
        private final @Nullable InetAddress address;
        private List<ProbeProtocol> protocols = AUTOMATIC;
        private boolean automaticProtocol = true;
        private int maxInFlight = 64;
        private boolean sequential;
        private boolean adaptiveWait = true;
        private boolean refillRetry = true;
        private FlowMode flowMode = FlowMode.PARIS;
        private boolean flowModeGiven;
        private int flows = 1;
        private TraceListener listener = TraceListener.NONE;
        private TcpMode tcpMode = TcpMode.SYN;

        private Builder(String target, @Nullable InetAddress address) {
            this.target = Checks.target(target);
            this.address = address;
        }

        /**
         * Probe with this protocol only: if no usable transport sends it, the trace fails with
         * {@link NoTransportAvailableException} (default: automatic, see {@link #automaticProtocol()}).
         *
         * @param protocol the only protocol to probe with
         * @return this builder
         */
        @Override
        public Builder protocol(ProbeProtocol protocol) {
            this.protocols = List.of(Objects.requireNonNull(protocol, "protocol"));
            this.automaticProtocol = false;
            return this;
        }

        /**
         * Let the tracer choose: the first of these protocols that a usable transport can send
         * (default: ICMP, then UDP). The result says which was used and, when it was not the first,
         * why ({@link TraceResult#protocolNote()}).
         *
         * @param first the protocol tried first
         * @param fallbacks the protocols tried next, in order, none listed twice
         * @return this builder
         */
        public Builder automaticProtocol(ProbeProtocol first, ProbeProtocol... fallbacks) {
            List<ProbeProtocol> all = new java.util.ArrayList<>();
            all.add(Objects.requireNonNull(first, "first"));
            for (ProbeProtocol p : fallbacks) {
                if (all.contains(Objects.requireNonNull(p, "fallback"))) {
                    throw new IllegalArgumentException("protocol " + p + " is listed twice");
                }
                all.add(p);
            }
            this.protocols = List.copyOf(all);
            this.automaticProtocol = true;
            return this;
        }

        /**
         * The most probes of this trace outstanding at once, at least 1 (default 64).
         *
         * @param maxInFlight the most probes outstanding at once
         * @return this builder
         */
        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = TraceRequestChecks.atLeastOne(maxInFlight, "maxInFlight");
            return this;
        }

        /**
         * Probe one TTL at a time, as classic traceroute does (default false: all TTLs at once).
         *
         * @param sequential whether to probe one TTL at a time
         * @return this builder
         */
        public Builder sequential(boolean sequential) {
            this.sequential = sequential;
            return this;
        }

        /**
         * Whether a probe is given up early once answers show it is unlikely to come (default true): after 3 times the
         * RTT of an answer from the same hop, or 10 times the RTT of an answer from a later hop, whichever comes first
         * (the rule of Linux traceroute 2.1), but not below 10 ms and 2 ms respectively. A probe given up early whose
         * answer still arrives within the probe timeout, while the trace runs, is counted answered.
         *
         * @param adaptiveWait whether a probe may be given up early
         * @return this builder
         */
        public Builder adaptiveWait(boolean adaptiveWait) {
            this.adaptiveWait = adaptiveWait;
            return this;
        }

        /**
         * Whether a router that missed answers while later hops answered is probed again after a rate limiter's refill
         * (default true): another prober may have spent its ICMP budget before this trace began. Such misses are never
         * loss; each such router is probed once or twice more, a refill interval (1.05 s) apart, costing up to about
         * 2.1 s (within the deadline) when one missed (docs/trace.md, "Probed again after a refill").
         *
         * @param refillRetry whether to probe again after a refill
         * @return this builder
         */
        public Builder refillRetry(boolean refillRetry) {
            this.refillRetry = refillRetry;
            return this;
        }

        /**
         * Paris (default) or classic flow control. Set explicitly, a transport that cannot hold the
         * mode fails the trace with {@link NoTransportAvailableException}; left at the default, a
         * trace falls back to classic and says so in {@link TraceResult#protocolNote()}.
         *
         * @param flowMode how probes choose their flow
         * @return this builder
         */
        public Builder flowMode(FlowMode flowMode) {
            this.flowMode = Objects.requireNonNull(flowMode, "flowMode");
            this.flowModeGiven = true;
            return this;
        }

        /**
         * Trace this many Paris flows at once, 1 to {@link #MAX_FLOWS} (default 1), as Dublin traceroute's
         * {@code --npaths} does. Each flow's path ends where that flow met the destination (or an unreachable), and is
         * followed past the nearest end while routers answer it (with {@link #sequential(boolean)}, or fewer probes in
         * flight than TTLs, every flow ends at the nearest end). Attempt {@code a} at
         * every TTL carries flow {@code a mod flows}, and each TTL gets {@link TraceRequest#probesPerTtl()} probes:
         * {@link #probesPerTtl(int)} rounded up to a multiple of {@code flows}, so each flow sends
         * {@code probesPerTtl() / flows} probes (at least one) at each TTL. A hop lists every responder its flows met
         * (one per branch of a load balancer at that TTL), and each probe says its flow ({@link ProbeResult#flow()}).
         *
         * <p>N flows find every branch of a W-wide balancer only with some probability (docs/trace.md, "Several
         * flows"); for a stated confidence use multipath discovery ({@code PathTracer#discoverPaths}, MDA).
         *
         * <p>Needs {@link FlowMode#PARIS} and a transport that names each probe's flow; UDP flow {@code f} goes to
         * destination port + {@code f}, so the ports must fit below 65536. {@link #build()} rejects a combination it
         * can tell cannot be honoured; a transport that offers fewer flows than asked for fails the trace with
         * {@link IllegalArgumentException} naming its limit, and with none that can name flows, with
         * {@link NoTransportAvailableException}.
         *
         * @param flows the number of Paris flows traced at once
         * @return this builder
         */
        public Builder flows(int flows) {
            this.flows = Checks.between(flows, 1, MAX_FLOWS, "flows");
            return this;
        }

        /**
         * IPv4 or IPv6 only (default {@link IpVersion#ANY}): a name resolves to that version's
         * addresses; a literal of the other version fails the trace with
         * {@link UnknownTargetException} ({@link UnknownTargetException.Reason#WRONG_IP_VERSION}).
         *
         * @param ipVersion the IP version to trace over
         * @return this builder
         * @throws IllegalArgumentException if the builder's target is an address of the other version
         */
        @Override
        public Builder ipVersion(IpVersion ipVersion) {
            super.ipVersion(ipVersion);
            if (address != null && !TraceRequestChecks.matches(address, ipVersion)) {
                throw new IllegalArgumentException(AddressText.of(address) + " is not an " + ipVersion + " address");
            }
            return this;
        }

        /**
         * Sees every probe and hop as it completes (default: none).
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(TraceListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * How TCP probes travel (default {@link TcpMode#SYN}): {@link TcpMode#IN_CONNECTION} sends them inside a
         * connection to the destination port (past firewalls that pass established traffic), else falls back to SYN
         * probes and {@link TraceResult#protocolNote()} says why. Needs
         * {@link #protocol(ProbeProtocol) protocol(ProbeProtocol.TCP)}; one connection is one flow, so not with
         * {@link #flows(int)} above 1 or {@link FlowMode#CLASSIC}. The connection is given three
         * {@link #probeTimeout(Duration) probe timeouts} to be established (at most the deadline).
         *
         * @param tcpMode how TCP probes travel
         * @return this builder
         */
        public Builder tcpMode(TcpMode tcpMode) {
            this.tcpMode = Objects.requireNonNull(tcpMode, "tcpMode");
            return this;
        }

        /**
         * {@return the request}
         *
         * @throws IllegalArgumentException if the TTL range is empty, with several flows in
         *     {@link FlowMode#CLASSIC}, with a destination port but neither UDP nor TCP probes, when UDP
         *     flows would need ports above 65535, or with {@link TcpMode#IN_CONNECTION} but no TCP probes,
         *     several flows or classic flows
         */
        public TraceRequest build() {
            ProbeOptions o = resolved(Defaults.TRACE);
            TraceRequestChecks.combination(o.firstTtl().getAsInt(), o.maxTtl().getAsInt(), protocols,
                    o.destinationPort().orElse(0), flows, flowMode, flowModeGiven, tcpMode);
            return new TraceRequest(this, o);
        }
    }
}
