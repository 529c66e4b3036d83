package io.pathprobe.mtu;

import io.pathprobe.PathTracer;
import io.pathprobe.options.Defaults;
import io.pathprobe.options.ProbeOptions;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.IpVersion;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.util.Checks;
import io.pathprobe.util.Text;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
/**
 * What {@link PathTracer#measure PathTracer.measure(MtuRequest)} should measure, and how: the path MTU at each hop, as
 * tracepath does, with UDP probes that must not be fragmented (DF), from {@link #maxSize()} down to what
 * the path lets through, TTL by TTL. Immutable; made by {@link #builder(String)}. Every option has a
 * default; every setter rejects a bad value at once with {@link IllegalArgumentException}.
 */
public final class MtuRequest implements io.pathprobe.options.PathRequest<MtuResult> {
    /** The default and largest {@link #maxSize()}: the largest IP packet. */
    public static final int MAX_SIZE = 65535;
    /** The smallest {@link #maxSize()}: IPv6's minimum MTU (an IPv4 path may go lower, down to 68). */
    public static final int MIN_MAX_SIZE = 1280;

    private final String target;
    private final @Nullable InetAddress address;
    private final int destinationPort;
    private final int maxSize;
    private final MtuListener listener;
    /** The shared options, each present. */
    private final ProbeOptions o;

    private MtuRequest(Builder b, ProbeOptions o) {
        this.target = b.target;
        this.address = b.address;
        this.destinationPort = b.destinationPort;
        this.maxSize = b.maxSize;
        this.listener = b.listener;
        this.o = o.toBuilder().destinationPort(destinationPort).build();
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
        b.destinationPort = destinationPort;
        b.maxSize = maxSize;
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

    /** {@return the first UDP destination port (33434 by default; each probe the next, as tracepath)} */
    public int destinationPort() {
        return destinationPort;
    }

    /**
     * {@return the size of the first probe, in bytes, IP header included (65535 by default): this host's
     * first link refuses a larger one than its MTU at once, so the default starts at that MTU}
     */
    public int maxSize() {
        return maxSize;
    }

    /** {@return the listener ({@link MtuListener#NONE} by default)} */
    public MtuListener listener() {
        return listener;
    }

    /**
     * {@return the shared options this discovery uses (UDP probes, no lookups), every one present, for another
     * request to probe alike}
     */
    @Override
    public ProbeOptions options() {
        return o;
    }

    @Override
    public String toString() {
        return "MtuRequest{" + target + ", ttl " + firstTtl() + ".." + maxTtl() + ", from " + maxSize
                + " bytes, probesPerTtl " + probesPerTtl() + ", timeout " + Text.duration(probeTimeout())
                + ", deadline " + Text.duration(deadline()) + ", port " + destinationPort
                + (ipVersion() == IpVersion.ANY ? "" : ", " + ipVersion())
                + (packetsPerSecond() == 0 ? "" : ", " + packetsPerSecond() + " pps")
                + (trafficClass().equals(TrafficClass.DEFAULT) ? "" : ", " + trafficClass()) + "}";
    }

    /**
     * Builds an {@link MtuRequest}. Defaults ({@link Defaults#MTU}): TTL 1 to 30 (tracepath's), 2 probes of one
     * size per TTL, 1 s per probe, 2 min in all, destination port 33434.
     */
    public static final class Builder extends ProbeOptions.Hops<Builder> {
        private final String target;
        private final @Nullable InetAddress address;
        private int destinationPort = TraceRequest.DEFAULT_UDP_PORT;
        private int maxSize = MAX_SIZE;
        private MtuListener listener = MtuListener.NONE;

        private Builder(String target, @Nullable InetAddress address) {
            this.target = Checks.target(target);
            this.address = address;
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
        @Override
        public Builder probesPerTtl(int probesPerTtl) {
            return super.probesPerTtl(Checks.between(probesPerTtl, 1, 5, "probesPerTtl"));
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
         * {@return the request}
         *
         * @throws IllegalArgumentException if the last TTL is below the first
         */
        public MtuRequest build() {
            ProbeOptions o = resolvedRange(Defaults.MTU);
            return new MtuRequest(this, o);
        }

        /**
         * Takes the options an MTU discovery has (not the protocol, it probes with UDP, nor lookups).
         *
         * @param o the options to take
         */
        @Override
        protected void take(ProbeOptions o) {
            super.take(o);
            o.destinationPort().ifPresent(this::destinationPort);
        }
    }
}
