package io.pathprobe.options;

import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.probe.IpVersion;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.util.Checks;
import io.pathprobe.util.Text;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The options every probing request shares, in one value: IP version, protocol, destination port, TTL range,
 * probes per TTL, probe timeout, deadline, probe rate and lookups. Only what was set is held; a request takes
 * the options that were set through its builder's {@code options(ProbeOptions)} and keeps its own defaults
 * ({@link Defaults}) for the rest, so one value configures a trace, a multipath discovery, an MTU discovery and a
 * ping alike (the target stays each request's own: a ping may have thousands). Every request builder inherits the
 * setters from {@link Common}, {@link Hops} or {@link Settable}, as it has the options.
 *
 * <pre>{@code
 * ProbeOptions site = ProbeOptions.builder().ipVersion(IpVersion.IPV6).protocol(ProbeProtocol.UDP)
 *         .maxTtl(20).probeTimeout(Duration.ofMillis(500)).packetsPerSecond(50).build();
 * TraceRequest trace = TraceRequest.builder("2001:db8::1").options(site).build();
 * MultipathRequest paths = MultipathRequest.builder("2001:db8::1").options(site).build();
 * }</pre>
 *
 * <p>Each request's {@code options()} hands back the options it uses, every one present with its value
 * (defaults included), so {@code MtuRequest.builder(t).options(trace.options())} probes as the trace did.
 *
 * <p>A measurement uses the options that mean something to it and leaves the others out:
 * <table>
 * <caption>Which measurement takes which option</caption>
 * <tr><th>option</th><th>trace, monitor, traceAll</th><th>multipath</th><th>MTU</th><th>ping</th></tr>
 * <tr><td>ipVersion, destinationPort, probeTimeout, deadline, packetsPerSecond, trafficClass</td><td>yes</td>
 *     <td>yes</td><td>yes</td><td>yes</td></tr>
 * <tr><td>protocol</td><td>yes</td><td>yes</td><td>no (UDP)</td><td>ICMP, UDP and TCP as its kind</td></tr>
 * <tr><td>firstTtl</td><td>yes</td><td>yes</td><td>yes</td><td>no</td></tr>
 * <tr><td>maxTtl</td><td>yes</td><td>yes</td><td>yes</td><td>as its TTL</td></tr>
 * <tr><td>probesPerTtl</td><td>yes</td><td>yes</td><td>yes</td><td>no</td></tr>
 * <tr><td>enrich</td><td>yes</td><td>yes</td><td>no</td><td>yes</td></tr>
 * <tr><td>tcpConfirmation</td><td>yes (UDP probes)</td><td>yes (UDP probes)</td><td>no</td><td>no</td></tr>
 * </table>
 * A value is checked when it is set here (the same bounds and messages as the request builders'); a request
 * checks it again against its own bounds when it takes it. Immutable; {@link #with(ProbeOptions)} layers one
 * value over another, as a site's options over a fleet's.
 */
public final class ProbeOptions {
    /** No option set: a request given it keeps all its defaults. */
    public static final ProbeOptions NONE = new Builder().build();
    /** Longest {@link Builder#probeTimeout(Duration)} and {@link Builder#deadline(Duration)}: one year. */
    public static final Duration MAX_DURATION = Duration.ofDays(365);
    /** Largest {@link Builder#packetsPerSecond(int)}. */
    public static final int MAX_PACKETS_PER_SECOND = 1_000_000;
    /** Largest {@link Builder#probesPerTtl(int)}. */
    public static final int MAX_PROBES_PER_TTL = 256;
    /**
     * The options a recording keeps and the agent's schedule sets, in the order a recording writes those a request
     * does not write among its own fields: the request codec and the agent's configuration reader iterate them, each
     * with one reader per value type, so an option added here is recorded and configured with no change there. Not
     * {@link Builder#tcpConfirmation(boolean)}: the API's and the CLI's only.
     */
    public static final List<ProbeOption<?>> OPTIONS = List.of(
            new ProbeOption<>("ipVersion", IpVersion.class, ProbeOptions::ipVersion, Builder::ipVersion),
            new ProbeOption<>("protocol", ProbeProtocol.class, ProbeOptions::protocol, Builder::protocol),
            new ProbeOption<>("destinationPort", Integer.class, o -> Optional.ofNullable(o.destinationPort),
                    Builder::destinationPort),
            new ProbeOption<>("firstTtl", Integer.class, o -> Optional.ofNullable(o.firstTtl), Builder::firstTtl),
            new ProbeOption<>("maxTtl", Integer.class, o -> Optional.ofNullable(o.maxTtl), Builder::maxTtl),
            new ProbeOption<>("probesPerTtl", Integer.class, o -> Optional.ofNullable(o.probesPerTtl),
                    Builder::probesPerTtl),
            new ProbeOption<>("probeTimeout", Duration.class, ProbeOptions::probeTimeout, Builder::probeTimeout),
            new ProbeOption<>("deadline", Duration.class, ProbeOptions::deadline, Builder::deadline),
            new ProbeOption<>("enrich", EnrichMode.class, ProbeOptions::enrich, Builder::enrich),
            new ProbeOption<>("packetsPerSecond", Integer.class, o -> Optional.ofNullable(o.packetsPerSecond),
                    Builder::packetsPerSecond),
            new ProbeOption<>("trafficClass", TrafficClass.class, ProbeOptions::trafficClass, Builder::trafficClass));

    private final @Nullable IpVersion ipVersion;
    private final @Nullable ProbeProtocol protocol;
    private final @Nullable Integer destinationPort;
    private final @Nullable Integer firstTtl;
    private final @Nullable Integer maxTtl;
    private final @Nullable Integer probesPerTtl;
    private final @Nullable Duration probeTimeout;
    private final @Nullable Duration deadline;
    private final @Nullable Integer packetsPerSecond;
    private final @Nullable EnrichMode enrich;
    private final @Nullable TrafficClass trafficClass;
    private final @Nullable Boolean tcpConfirmation;

    private ProbeOptions(Common<?> b) {
        this.ipVersion = b.ipVersion;
        this.protocol = b.protocol;
        this.destinationPort = b.destinationPort;
        this.firstTtl = b.firstTtl;
        this.maxTtl = b.maxTtl;
        this.probesPerTtl = b.probesPerTtl;
        this.probeTimeout = b.probeTimeout;
        this.deadline = b.deadline;
        this.packetsPerSecond = b.packetsPerSecond;
        this.enrich = b.enrich;
        this.trafficClass = b.trafficClass;
        this.tcpConfirmation = b.tcpConfirmation;
    }

    /** {@return a builder with no option set} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these options} */
    public Builder toBuilder() {
        Builder b = new Builder();
        ((Common<?>) b).over(this);
        return b;
    }

    /**
     * {@return these options with {@code later}'s set options over them} (an option set in both is
     * {@code later}'s)
     *
     * @param later the options that win
     * @throws IllegalArgumentException if the TTL range they make together is empty
     */
    public ProbeOptions with(ProbeOptions later) {
        Objects.requireNonNull(later, "later");
        Builder b = toBuilder();
        ((Common<?>) b).over(later);
        return b.build();
    }

    private static <T> @Nullable T pick(@Nullable T later, @Nullable T earlier) {
        return later != null ? later : earlier;
    }

    /** {@return IPv4 or IPv6 only, if set} */
    public Optional<IpVersion> ipVersion() {
        return Optional.ofNullable(ipVersion);
    }

    /** {@return the probe protocol, if set} */
    public Optional<ProbeProtocol> protocol() {
        return Optional.ofNullable(protocol);
    }

    /** {@return the UDP and TCP destination port, if set} */
    public OptionalInt destinationPort() {
        return of(destinationPort);
    }

    /** {@return the first TTL probed, if set} */
    public OptionalInt firstTtl() {
        return of(firstTtl);
    }

    /** {@return the largest TTL probed, if set} */
    public OptionalInt maxTtl() {
        return of(maxTtl);
    }

    /** {@return the probes sent at each TTL, if set} */
    public OptionalInt probesPerTtl() {
        return of(probesPerTtl);
    }

    /** {@return the longest a probe is waited for, if set} */
    public Optional<Duration> probeTimeout() {
        return Optional.ofNullable(probeTimeout);
    }

    /** {@return the longest the whole measurement may take, if set} */
    public Optional<Duration> deadline() {
        return Optional.ofNullable(deadline);
    }

    /** {@return the measurement's own probe rate per second (0: only the tracer's budget), if set} */
    public OptionalInt packetsPerSecond() {
        return of(packetsPerSecond);
    }

    /** {@return whether and how the result waits for lookups, if set} */
    public Optional<EnrichMode> enrich() {
        return Optional.ofNullable(enrich);
    }

    /** {@return the DSCP and ECN the probes carry, if set} */
    public Optional<TrafficClass> trafficClass() {
        return Optional.ofNullable(trafficClass);
    }

    /**
     * {@return whether UDP probing may send TCP probes to confirm what the UDP probes cannot tell, if set} (see
     * {@link Builder#tcpConfirmation(boolean)})
     */
    public Optional<Boolean> tcpConfirmation() {
        return Optional.ofNullable(tcpConfirmation);
    }

    /** {@return whether no option is set} */
    public boolean isEmpty() {
        return equals(NONE);
    }

    private static OptionalInt of(@Nullable Integer v) {
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }

    private List<@Nullable Object> values() {
        return java.util.Arrays.asList(ipVersion, protocol, destinationPort, firstTtl, maxTtl, probesPerTtl,
                probeTimeout, deadline, packetsPerSecond, enrich, trafficClass, tcpConfirmation);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof ProbeOptions other && values().equals(other.values());
    }

    @Override
    public int hashCode() {
        return values().hashCode();
    }

    /**
     * As the options read: "ProbeOptions[IPV6, UDP, port 33434, TTL 1-20, 3/TTL, wait 500 ms, 50 pps]"; a TTL range
     * given by one end: "max TTL 20", "first TTL 3".
     */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (ipVersion != null) {
            parts.add(ipVersion.name());
        }
        if (protocol != null) {
            parts.add(protocol.name());
        }
        if (destinationPort != null) {
            parts.add("port " + destinationPort);
        }
        if (firstTtl != null && maxTtl != null) {
            parts.add("TTL " + firstTtl + "-" + maxTtl);
        } else if (firstTtl != null) {
            parts.add("first TTL " + firstTtl);
        } else if (maxTtl != null) {
            parts.add("max TTL " + maxTtl);
        }
        if (probesPerTtl != null) {
            parts.add(probesPerTtl + "/TTL");
        }
        if (probeTimeout != null) {
            parts.add("wait " + Text.duration(probeTimeout));
        }
        if (deadline != null) {
            parts.add("deadline " + Text.duration(deadline));
        }
        if (packetsPerSecond != null) {
            parts.add(packetsPerSecond == 0 ? "tracer's rate" : packetsPerSecond + " pps");
        }
        if (enrich != null) {
            parts.add("enrich " + enrich.name());
        }
        if (trafficClass != null) {
            parts.add(trafficClass.toString());
        }
        if (tcpConfirmation != null) {
            parts.add(tcpConfirmation ? "TCP confirmation" : "no TCP confirmation");
        }
        return "ProbeOptions" + parts;
    }

    /**
     * The setters of the options every probing request takes (IP version, probe timeout, deadline, probe rate,
     * traffic class), written once for {@link Builder} and every request builder: each checks its value (a request
     * with a narrower bound checks that first) and returns the builder it is called on. A later call replaces an
     * earlier one; {@link #options(ProbeOptions)} takes what a {@link ProbeOptions} sets.
     *
     * @param <B> the builder's own type
     */
    public abstract static class Common<B extends Common<B>> {
        private @Nullable IpVersion ipVersion;
        private @Nullable ProbeProtocol protocol;
        private @Nullable Integer destinationPort;
        private @Nullable Integer firstTtl;
        private @Nullable Integer maxTtl;
        private @Nullable Integer probesPerTtl;
        private @Nullable Duration probeTimeout;
        private @Nullable Duration deadline;
        private @Nullable Integer packetsPerSecond;
        private @Nullable EnrichMode enrich;
        private @Nullable TrafficClass trafficClass;
        private @Nullable Boolean tcpConfirmation;

        /** A builder with no option set. */
        protected Common() {}

        /** {@return this builder, as its own type (a builder extends {@code Common<ItsOwnType>})} */
        @SuppressWarnings("unchecked")
        protected final B self() {
            return (B) this;
        }

        /**
         * IPv4 or IPv6 only ({@link IpVersion#ANY}: as the target gives).
         *
         * @param ipVersion the IP version
         * @return this builder
         */
        public B ipVersion(IpVersion ipVersion) {
            this.ipVersion = Objects.requireNonNull(ipVersion, "ipVersion");
            return self();
        }

        /**
         * The longest a probe is waited for, more than zero and at most {@link #MAX_DURATION}.
         *
         * @param probeTimeout the longest a probe is waited for
         * @return this builder
         */
        public B probeTimeout(Duration probeTimeout) {
            this.probeTimeout = Checks.positive(probeTimeout, "probeTimeout", MAX_DURATION, "365 days");
            return self();
        }

        /**
         * The longest the whole measurement may take, more than zero and at most {@link #MAX_DURATION}.
         *
         * @param deadline the longest the measurement may take
         * @return this builder
         */
        public B deadline(Duration deadline) {
            this.deadline = Checks.positive(deadline, "deadline", MAX_DURATION, "365 days");
            return self();
        }

        /**
         * The measurement's own probe rate, 0 to {@link #MAX_PACKETS_PER_SECOND} per second, all its targets
         * together, from its first probe (no burst); 0 leaves it to the tracer's budget
         * ({@code PathTracerBuilder.packetsPerSecond}), which holds as well.
         *
         * @param packetsPerSecond probes per second, 0 for the tracer's budget only
         * @return this builder
         */
        public B packetsPerSecond(int packetsPerSecond) {
            this.packetsPerSecond = Checks.between(packetsPerSecond, 0, MAX_PACKETS_PER_SECOND, "packetsPerSecond");
            return self();
        }

        /**
         * The DSCP and ECN every probe carries (the IPv4 ToS byte, the IPv6 traffic class; traceroute's {@code -t},
         * mtr's {@code --tos}): routers quote back what they received, so each hop shows where a marking was
         * rewritten. A transport that cannot mark probes is not chosen for a marked measurement.
         *
         * @param trafficClass the marking
         * @return this builder
         */
        public B trafficClass(TrafficClass trafficClass) {
            this.trafficClass = Objects.requireNonNull(trafficClass, "trafficClass");
            return self();
        }

        /**
         * Takes every option {@code options} sets that this builder has (see {@link ProbeOptions}), as the setters
         * of the same name would, with their checks; the others keep their values.
         *
         * @param options shared options
         * @return this builder
         */
        public B options(ProbeOptions options) {
            take(options);
            return self();
        }

        /**
         * Sets each option of {@code o} that this builder has through its setter; a builder with more options
         * (or another name for one) adds them.
         *
         * @param o the options to take
         */
        protected void take(ProbeOptions o) {
            o.ipVersion().ifPresent(this::ipVersion);
            o.probeTimeout().ifPresent(this::probeTimeout);
            o.deadline().ifPresent(this::deadline);
            o.packetsPerSecond().ifPresent(this::packetsPerSecond);
            o.trafficClass().ifPresent(this::trafficClass);
        }

        /**
         * {@return the options set on this builder over {@code defaults}: each one set, else the default}
         *
         * @param defaults a request's defaults
         */
        protected final ProbeOptions resolved(ProbeOptions defaults) {
            Builder b = defaults.toBuilder();
            ((Common<?>) b).over(new ProbeOptions(this));
            return new ProbeOptions(b);
        }

        private void over(ProbeOptions later) {
            ipVersion = pick(later.ipVersion, ipVersion);
            protocol = pick(later.protocol, protocol);
            destinationPort = pick(later.destinationPort, destinationPort);
            firstTtl = pick(later.firstTtl, firstTtl);
            maxTtl = pick(later.maxTtl, maxTtl);
            probesPerTtl = pick(later.probesPerTtl, probesPerTtl);
            probeTimeout = pick(later.probeTimeout, probeTimeout);
            deadline = pick(later.deadline, deadline);
            packetsPerSecond = pick(later.packetsPerSecond, packetsPerSecond);
            enrich = pick(later.enrich, enrich);
            trafficClass = pick(later.trafficClass, trafficClass);
            tcpConfirmation = pick(later.tcpConfirmation, tcpConfirmation);
        }
    }

    /**
     * {@link Common}'s setters and those of the TTLs probed: first and largest TTL, probes per TTL.
     *
     * @param <B> the builder's own type
     */
    public abstract static class Hops<B extends Hops<B>> extends Common<B> {
        /** A builder with no option set. */
        protected Hops() {}

        /**
         * The first TTL probed, 1 to 255.
         *
         * @param firstTtl the first TTL
         * @return this builder
         */
        public B firstTtl(int firstTtl) {
            ((Common<B>) this).firstTtl = Checks.ttl(firstTtl, "firstTtl");
            return self();
        }

        /**
         * The largest TTL probed, 1 to 255 (a ping's TTL).
         *
         * @param maxTtl the largest TTL
         * @return this builder
         */
        public B maxTtl(int maxTtl) {
            ((Common<B>) this).maxTtl = Checks.ttl(maxTtl, "maxTtl");
            return self();
        }

        /**
         * Probes sent at each TTL, 1 to {@link #MAX_PROBES_PER_TTL} (a request with a smaller bound refuses more).
         *
         * @param probesPerTtl the probes at each TTL
         * @return this builder
         */
        public B probesPerTtl(int probesPerTtl) {
            ((Common<B>) this).probesPerTtl = Checks.between(probesPerTtl, 1, MAX_PROBES_PER_TTL, "probesPerTtl");
            return self();
        }

        /**
         * {@return the options set on this builder over {@code defaults}, with a TTL range that is not empty}
         *
         * @param defaults a request's defaults, both TTLs among them
         * @throws IllegalArgumentException if the largest TTL is below the first ("maxTtl 3 is below firstTtl 5")
         */
        protected final ProbeOptions resolvedRange(ProbeOptions defaults) {
            ProbeOptions o = resolved(defaults);
            int first = o.firstTtl().orElseThrow();
            int max = o.maxTtl().orElseThrow();
            if (max < first) {
                throw new IllegalArgumentException("maxTtl " + max + " is below firstTtl " + first);
            }
            return o;
        }

        @Override
        protected void take(ProbeOptions o) {
            super.take(o);
            o.firstTtl().ifPresent(this::firstTtl);
            o.maxTtl().ifPresent(this::maxTtl);
            o.probesPerTtl().ifPresent(this::probesPerTtl);
        }
    }

    /**
     * {@link Hops}' setters and those of a path measurement's probes: protocol, destination port, lookups and TCP
     * confirmation; every option {@link ProbeOptions} has.
     *
     * @param <B> the builder's own type
     */
    public abstract static class Settable<B extends Settable<B>> extends Hops<B> {
        /** A builder with no option set. */
        protected Settable() {}

        /**
         * The probe protocol (a ping probes with it as its kind; an MTU discovery probes with UDP whatever it is).
         *
         * @param protocol the protocol
         * @return this builder
         */
        public B protocol(ProbeProtocol protocol) {
            ((Common<B>) this).protocol = Objects.requireNonNull(protocol, "protocol");
            return self();
        }

        /**
         * UDP and TCP: the destination port, 1 to 65535.
         *
         * @param destinationPort the destination port
         * @return this builder
         */
        public B destinationPort(int destinationPort) {
            ((Common<B>) this).destinationPort = Checks.between(destinationPort, 1, 65535, "destinationPort");
            return self();
        }

        /**
         * Whether and how the result waits for host names, AS numbers and segments.
         *
         * @param enrich the lookup mode
         * @return this builder
         */
        public B enrich(EnrichMode enrich) {
            ((Common<B>) this).enrich = Objects.requireNonNull(enrich, "enrich");
            return self();
        }

        /**
         * Whether a measurement probing with UDP may also send TCP probes (SYNs to the same port number) where the
         * UDP probes cannot tell a destination's ICMP rate limit from loss: a destination's Port Unreachables are
         * ICMP errors that Linux limits (6, then one a second, to each prober) and another prober may have spent,
         * while its answer to a TCP probe (a RST or a SYN-ACK) is limited by nothing. Default {@code false}: only
         * the protocol asked for leaves this host (a firewall or IDS sees no SYN nobody asked for), and the result
         * states the precision that costs (a loss bound, a note) where it mattered. A result says how many TCP
         * probes were sent and why.
         *
         * @param tcpConfirmation whether TCP probes may confirm what UDP probes cannot tell
         * @return this builder
         */
        public B tcpConfirmation(boolean tcpConfirmation) {
            ((Common<B>) this).tcpConfirmation = tcpConfirmation;
            return self();
        }

        @Override
        protected void take(ProbeOptions o) {
            super.take(o);
            o.protocol().ifPresent(this::protocol);
            o.destinationPort().ifPresent(this::destinationPort);
            o.enrich().ifPresent(this::enrich);
            o.tcpConfirmation().ifPresent(this::tcpConfirmation);
        }
    }

    /** Sets options; each setter checks its value. A later call replaces an earlier one. */
    public static final class Builder extends Settable<Builder> {
        private Builder() {}

        /**
         * {@return the options}
         *
         * @throws IllegalArgumentException if both TTLs are set and the first is above the largest
         */
        public ProbeOptions build() {
            ProbeOptions o = new ProbeOptions(this);
            if (o.firstTtl != null && o.maxTtl != null && o.firstTtl > o.maxTtl) {
                throw new IllegalArgumentException("firstTtl " + o.firstTtl + " is beyond maxTtl " + o.maxTtl);
            }
            return o;
        }
    }
}
