package io.pathprobe.ping;

import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.options.Defaults;
import io.pathprobe.options.ProbeOptions;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.IpVersion;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.util.Checks;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
/**
 * What to ping and how. Immutable; make one with {@link #builder()} or {@link #of(String...)}, derive
 * variants with {@link #toBuilder()}.
 *
 * <p>Defaults: ICMP echo where this process may send it, else UDP (as {@code trace}); 5 probes per
 * target ({@link #DEFAULT_COUNT}); 1 s between two probes of one target; a gap between sends to
 * different targets of {@code min(interval / (2 × targets), 500 µs)} (so 1,000 targets of one probe go out in
 * half a second, within the tracer's rate budget); 1 s timeout per probe; TTL 64; no deadline; ICMP
 * echo requests of {@value #DEFAULT_ICMP_PAYLOAD} data bytes (64-byte replies, as iputils ping) where the
 * transport takes a payload size, UDP probes of the transport's default payload.
 *
 * <p><b>Payload size</b> ({@link Builder#payloadSize(int)}, {@code ping -s}): the bytes after the ICMP echo or UDP
 * header, for ICMP and UDP probes. A size outside the transport's own limits (10 bytes for the Linux ICMP transports,
 * 12 for Paris UDP; the path MTU for raw ones) is that target's {@link PingError.Type#FAILED} error, naming the limit.
 *
 * <p><b>Pacing.</b> Each target's probes follow an absolute schedule, {@code start + k × interval} (no drift);
 * after a stall the probes that missed their slots catch up, half an interval apart at least (never a burst), so no
 * slot is skipped; only a stall of more than 10 intervals skips the slots it missed. The sends to all targets are
 * paced by the gap ({@link Builder#gap(Duration)}), the ping's own {@link Builder#packetsPerSecond(int) rate} and the
 * tracer's.
 *
 * <p><b>Late answers and the end.</b> An answer after its probe's {@link #probeTimeout()} is <em>late</em>: the probe
 * stays lost ({@link PingStatistics#late()}). The ping ends as soon as every probe is decided, with no linger (as
 * iputils {@code ping -c}); give a longer timeout to see slow answers (docs/ping.md, "Late answers and the end").
 *
 * <p>The options every probing request shares can be given at once as {@link ProbeOptions}. A later builder call
 * replaces an earlier one.
 */
public final class PingRequest implements io.pathprobe.options.MeasurementRequest<PingResult> {
    /** Default probes per target. */
    public static final int DEFAULT_COUNT = 5;
    /** The shortest interval without {@link Builder#allowSubMillisecondInterval()}. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(1);
    /** The shortest interval at all. */
    public static final Duration MIN_FAST_INTERVAL = Duration.ofNanos(10_000);
    /** The longest interval, timeout, gap and deadline: one year. */
    public static final Duration MAX_DURATION = ProbeOptions.MAX_DURATION;
    /** The longest timeout (the statistics track RTTs up to it). */
    public static final Duration MAX_TIMEOUT = Duration.ofHours(1);
    /** The largest default gap between sends to different targets. */
    public static final Duration MAX_DEFAULT_GAP = Duration.ofNanos(500_000);
    /** Most recent probes kept per target by default ({@link Builder#recentProbes(int)}). */
    public static final int DEFAULT_RECENT_PROBES = 100;
    /**
     * The largest {@link Builder#recentProbes(int)}: a target's kept probes are its memory that grows with the count
     * (a few hundred bytes each), so it stops here, however many probes are sent. Every statistic covers the whole run.
     */
    public static final int MAX_RECENT_PROBES = 10_000;
    /** ICMP echo data bytes when no payload size is given: iputils ping's 56, so replies are 64 bytes. */
    public static final int DEFAULT_ICMP_PAYLOAD = 56;
    /** The largest payload size: 65535 − 20 (IPv4 header) − 8 (ICMP or UDP header). */
    public static final int MAX_PAYLOAD = 65507;
    private static final List<PingKind> AUTOMATIC = List.of(PingKind.ICMP, PingKind.UDP);

    private final List<String> targets;
    private final List<@Nullable InetAddress> addresses;
    /** The other values, a builder no one else holds. */
    private final Builder v;
    /** The shared options, each present but the deadline, which is none by default. */
    private final ProbeOptions o;

    private PingRequest(Builder b, ProbeOptions o) {
        this.targets = List.copyOf(b.targets);
        this.addresses = Collections.unmodifiableList(new ArrayList<>(b.addresses));
        this.v = copy(b);
        this.o = o;
    }

    /**
     * {@return a request for these names or literal addresses with every option at its default}
     *
     * @param targets host names or literal addresses, at least one
     */
    public static PingRequest of(String... targets) {
        return builder().targets(targets).build();
    }

    /** {@return an empty builder: add at least one target} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder for these names or literal addresses, as {@link TraceRequest#builder(String)} and
     * {@link MultipathRequest#builder(String)} start: {@code PingRequest.builder("a", "b").count(5).build()}.
     *
     * @param targets host names or literal addresses
     * @return a builder holding these targets
     */
    public static Builder builder(String... targets) {
        return new Builder().targets(targets);
    }

    /**
     * {@return a builder for these addresses (no name resolution)}
     *
     * @param addresses the addresses to ping
     */
    public static Builder builder(InetAddress... addresses) {
        Builder b = new Builder();
        for (InetAddress a : addresses) {
            b.target(a);
        }
        return b;
    }

    /** {@return a builder holding this request's values} */
    public Builder toBuilder() {
        return copy(v).options(o);
    }

    private static Builder copy(Builder from) {
        Builder b = new Builder();
        b.targets.addAll(from.targets);
        b.addresses.addAll(from.addresses);
        b.kinds = from.kinds;
        b.automaticKind = from.automaticKind;
        b.count = from.count;
        b.interval = from.interval;
        b.subMillisecondInterval = from.subMillisecondInterval;
        b.gap = from.gap;
        b.ttl = from.ttl;
        b.payloadSize = from.payloadSize;
        b.port = from.port;
        b.dnsName = from.dnsName;
        b.dnsType = from.dnsType;
        b.httpPath = from.httpPath;
        b.https = from.https;
        b.recentProbes = from.recentProbes;
        b.listener = from.listener;
        b.enrich = from.enrich;
        return b;
    }

    /**
     * {@return the targets as given, names or literal addresses (an address given as such appears as its literal)}
     */
    public List<String> targets() { return targets; }
    /**
     * {@return the address given for target {@code i} instead of a name, if any}
     *
     * @param i the target's index in {@link #targets()}
     */
    public Optional<InetAddress> address(int i) { return Optional.ofNullable(addresses.get(i)); }
    /** {@return the kind tried first: the only one unless {@link #automaticKind()}} */
    public PingKind kind() { return v.kinds.get(0); }
    /** {@return the kinds the tracer may use, in order of preference} */
    public List<PingKind> kinds() { return v.kinds; }
    /** {@return whether the tracer chooses the kind (default: ICMP, else UDP); false after {@link Builder#kind}} */
    public boolean automaticKind() { return v.automaticKind; }
    /** {@return the number of probes per target; 0 when {@link #untilCancelled()}} */
    public long count() { return v.count; }
    /** {@return whether the ping runs until cancelled (or its deadline)} */
    public boolean untilCancelled() { return v.count == 0; }
    /** {@return the time between two probes of one target (default 1 s)} */
    public Duration interval() { return v.interval; }
    /** {@return whether intervals below {@link #MIN_INTERVAL} were allowed} */
    public boolean subMillisecondIntervalAllowed() { return v.subMillisecondInterval; }
    /** {@return the gap given, if any; {@link #gap()} is the one used} */
    public Optional<Duration> gapGiven() { return Optional.ofNullable(v.gap); }
    /**
     * {@return the time between two sends of this ping ({@link Builder#gap(Duration)}): given, or
     * {@code min(interval / (2 × targets), 500 µs)}} The default leaves half an interval of slack for late sends.
     */
    public Duration gap() {
        if (v.gap != null) {
            return v.gap;
        }
        Duration even = v.interval.dividedBy(2L * targets.size());
        return even.compareTo(MAX_DEFAULT_GAP) < 0 ? even : MAX_DEFAULT_GAP;
    }
    /** {@return how long each probe is waited for (default 1 s)} */
    public Duration probeTimeout() { return o.probeTimeout().orElseThrow(); }
    /** {@return the IP TTL (IPv6 hop limit) of the probes (default 64)} */
    public int ttl() { return v.ttl; }
    /** {@return the payload size given ({@link Builder#payloadSize(int)}), empty when none was} */
    public java.util.OptionalInt payloadSize() { return PingRequestChecks.given(v.payloadSize); }
    /**
     * {@return the payload size for probes of {@code kind}: given, else {@value #DEFAULT_ICMP_PAYLOAD} for ICMP
     * and -1 (the transport's default) for UDP; -1 for TCP, DNS and HTTP, which carry none}
     *
     * @param kind the kind of probe
     */
    public int payloadSize(PingKind kind) {
        return PingRequestChecks.payloadSize(kind, v.payloadSize);
    }
    /** {@return the destination port given, 0 when none was: {@link #destinationPort(PingKind)} gives each kind's} */
    public int destinationPort() { return v.port; }
    /**
     * {@return the destination port for {@code kind}: given, else UDP 33434, TCP 80, DNS 53, HTTP 80 (443 with
     * HTTPS); 0 for ICMP}
     *
     * @param kind the kind of probe
     */
    public int destinationPort(PingKind kind) {
        return PingRequestChecks.destinationPort(kind, v.port, v.https);
    }
    /** {@return the name DNS probes query (default ".")} */
    public String dnsName() { return v.dnsName; }
    /** {@return the record type DNS probes query, e.g. "A" (default "NS")} */
    public String dnsType() { return v.dnsType; }
    /** {@return the path HTTP probes request (default "/")} */
    public String httpPath() { return v.httpPath; }
    /** {@return whether HTTP probes use HTTPS} */
    public boolean https() { return v.https; }
    /** {@return the IP version the targets are pinged over: IPv4 or IPv6 only, or any (the default)} */
    public IpVersion ipVersion() { return o.ipVersion().orElseThrow(); }
    /** {@return the longest the whole ping may take, name resolution included; empty: no deadline (the default)} */
    public Optional<Duration> deadline() { return o.deadline(); }
    /** {@return whether the result waits for host names and AS numbers (default {@link EnrichMode#AWAIT})} */
    public EnrichMode enrich() { return v.enrich; }
    /** {@return how many of the most recent probes each target's result keeps (default 100)} */
    public int recentProbes() { return v.recentProbes; }
    /** {@return the listener that sees every probe as it completes ({@link PingListener#NONE} by default)} */
    public PingListener listener() { return v.listener; }
    /** {@return the ping's own probe rate per second, all targets together (default 0: the tracer's only)} */
    public int packetsPerSecond() { return o.packetsPerSecond().getAsInt(); }
    /** {@return the DSCP and ECN every probe carries (default {@link TrafficClass#DEFAULT})} */
    public TrafficClass trafficClass() { return o.trafficClass().orElseThrow(); }
    /** {@return the shared options this ping uses: its TTL as maxTtl, its kind as a given protocol, see options} */
    public ProbeOptions options() { return PingRequestChecks.options(this, o); }

    @Override
    public String toString() {
        return PingRequestChecks.text(this);
    }

    /** Builds a {@link PingRequest}; every method checks its argument at once, {@link #build()} the combination. */
    public static final class Builder extends ProbeOptions.Common<Builder> {
        private final List<String> targets = new ArrayList<>();
        private final List<@Nullable InetAddress> addresses = new ArrayList<>();
        private List<PingKind> kinds = AUTOMATIC;
        private boolean automaticKind = true;
        private long count = DEFAULT_COUNT;
        private Duration interval = Duration.ofSeconds(1);
        private boolean subMillisecondInterval;
        private @Nullable Duration gap;
        private int ttl = 64;
        private int payloadSize = -1;
        private int port;
        private String dnsName = ".";
        private String dnsType = "NS";
        private String httpPath = "/";
        private boolean https;
        private int recentProbes = DEFAULT_RECENT_PROBES;
        private PingListener listener = PingListener.NONE;
        private EnrichMode enrich = EnrichMode.AWAIT;

        private Builder() {}

        /**
         * Adds a target: a host name or a literal address ("198.18.0.1", "2001:db8::1").
         *
         * @param target a host name or a literal address, not blank
         * @return this builder
         */
        public Builder target(String target) {
            targets.add(PingRequestChecks.target(target));
            addresses.add(null);
            return this;
        }

        /**
         * Adds an address, which needs no resolution.
         *
         * @param address the address to ping
         * @return this builder
         */
        public Builder target(InetAddress address) {
            Objects.requireNonNull(address, "address");
            targets.add(AddressText.of(address));
            addresses.add(address);
            return this;
        }

        /**
         * Adds these targets.
         *
         * @param targets host names or literal addresses, none blank
         * @return this builder
         */
        public Builder targets(String... targets) {
            return targets(Arrays.asList(targets));
        }

        /**
         * Adds these targets.
         *
         * @param targets host names or literal addresses, none blank
         * @return this builder
         */
        public Builder targets(Collection<String> targets) {
            for (String t : targets) {
                target(t);
            }
            return this;
        }

        /**
         * Send only this kind of probe: if no usable transport can, the target reports
         * {@link PingError.Type#NO_TRANSPORT}.
         *
         * @param kind the only kind of probe to send
         * @return this builder
         */
        public Builder kind(PingKind kind) {
            this.kinds = List.of(Objects.requireNonNull(kind, "kind"));
            this.automaticKind = false;
            return this;
        }

        /**
         * Probes per target, at least 1 (default 5).
         *
         * @param count the number of probes per target
         * @return this builder
         */
        public Builder count(long count) {
            this.count = PingRequestChecks.count(count);
            return this;
        }

        /**
         * Probe until cancelled (or the deadline), in bounded memory: each target keeps its
         * {@link #recentProbes(int) most recent probes}, exact counters and streaming RTT statistics; a slow
         * listener misses per-probe events beyond {@link PingListener#MAX_QUEUED_EVENTS}.
         *
         * @return this builder
         */
        public Builder untilCancelled() {
            this.count = 0;
            return this;
        }

        /**
         * Time between two probes of one target (default 1 s; at least 1 ms unless
         * {@link #allowSubMillisecondInterval()}).
         *
         * @param interval the time between two probes of one target
         * @return this builder
         */
        public Builder interval(Duration interval) {
            this.interval = Checks.positive(interval, "interval", MAX_DURATION);
            return this;
        }

        /**
         * Allows an interval below 1 ms (down to 10 µs): a flood, within the tracer's packet rate.
         *
         * @return this builder
         */
        public Builder allowSubMillisecondInterval() {
            this.subMillisecondInterval = true;
            return this;
        }

        /**
         * The time between two sends of this ping, to different targets or not (fping's {@code -i});
         * zero for none. Default {@code min(interval / (2 × targets), 500 µs)}.
         *
         * <p>Sends follow an absolute slot schedule ({@code first + k × gap}: a late send does not push later slots
         * back), never sooner than {@code gap / 2} after the previous one; more than one gap behind, the schedule
         * re-anchors and missed slots are skipped, not burst (docs/ping.md, "Pacing").
         *
         * @param gap the time between two sends of this ping, 0 to one year
         * @return this builder
         */
        public Builder gap(Duration gap) {
            this.gap = PingRequestChecks.gap(gap);
            return this;
        }

        /**
         * How long each probe is waited for, more than 0 and at most 1 h (default 1 s): the name
         * {@link TraceRequest.Builder#probeTimeout} and {@link MultipathRequest.Builder#probeTimeout} use.
         *
         * @param probeTimeout how long each probe is waited for
         * @return this builder
         */
        @Override
        public Builder probeTimeout(Duration probeTimeout) {
            return super.probeTimeout(Checks.positive(probeTimeout, "probeTimeout", MAX_TIMEOUT));
        }

        /**
         * IP TTL (IPv6 hop limit), 1 to 255 (default 64).
         *
         * @param ttl the IP TTL (IPv6 hop limit) of the probes
         * @return this builder
         */
        public Builder ttl(int ttl) {
            this.ttl = Checks.ttl(ttl, "ttl");
            return this;
        }

        /**
         * The payload size of ICMP and UDP probes (iputils ping's {@code -s}), 0 to {@value PingRequest#MAX_PAYLOAD}
         * (default: {@value PingRequest#DEFAULT_ICMP_PAYLOAD} for ICMP, the transport's default for UDP), kept when
         * an automatic ping falls back from ICMP to UDP; {@link #build()} refuses it with TCP, DNS or HTTP probes.
         *
         * @param payloadSize ICMP echo data bytes or UDP payload bytes
         * @return this builder
         */
        public Builder payloadSize(int payloadSize) {
            this.payloadSize = PingRequestChecks.payloadSize(payloadSize);
            return this;
        }

        /**
         * The destination port, for UDP, TCP, DNS and HTTP probes (defaults: UDP 33434, TCP 80, DNS 53, HTTP 80 or
         * 443).
         *
         * @param destinationPort the destination port, 1 to 65535
         * @return this builder
         */
        public Builder destinationPort(int destinationPort) {
            this.port = PingRequestChecks.destinationPort(destinationPort);
            return this;
        }

        /**
         * DNS probes: the name and record type queried (default "." NS).
         *
         * @param name the name queried, not blank
         * @param type the record type queried, e.g. "A", not blank (upper-cased)
         * @return this builder
         */
        public Builder dnsQuery(String name, String type) {
            PingRequestChecks.dnsQuery(name, type);
            this.dnsName = name.strip();
            this.dnsType = type.strip().toUpperCase(Locale.ROOT);
            return this;
        }

        /**
         * HTTP probes: the path requested (default "/"), starting with '/'.
         *
         * @param path the path requested
         * @return this builder
         */
        public Builder httpPath(String path) {
            this.httpPath = PingRequestChecks.httpPath(path);
            return this;
        }

        /**
         * HTTP probes: use HTTPS (default false; port 443 unless given).
         * @param https whether to use HTTPS
         * @return this builder
         */
        public Builder https(boolean https) {
            this.https = https;
            return this;
        }

        /**
         * How many most recent probes each target keeps with their outcome ({@link PingTargetResult#recent()}), 0 to
         * {@value PingRequest#MAX_RECENT_PROBES} (default {@value PingRequest#DEFAULT_RECENT_PROBES}). The counters,
         * RTT statistics and jitter cover every probe whatever this is ({@link PingStatistics}).
         *
         * @param recentProbes how many most recent probes each target keeps
         * @return this builder
         */
        public Builder recentProbes(int recentProbes) {
            this.recentProbes = PingRequestChecks.recentProbes(recentProbes);
            return this;
        }

        /**
         * Sees every probe as it completes (default: none).
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(PingListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Each target's host name (PTR) and AS (default {@link EnrichMode#AWAIT}), looked up while probing: AWAIT's
         * result waits for them (at most the lookup timeout), BACKGROUND's shows them PENDING, OFF asks nothing.
         *
         * @param enrich whether the result waits for the host names and AS numbers
         * @return this builder
         */
        public Builder enrich(EnrichMode enrich) {
            this.enrich = Objects.requireNonNull(enrich, "enrich");
            return this;
        }

        /**
         * {@return the request}
         *
         * @throws IllegalArgumentException with no target, an interval below 1 ms without
         *     {@link #allowSubMillisecondInterval()} (or below 10 µs at all), or a payload size with
         *     TCP, DNS or HTTP probes
         */
        public PingRequest build() {
            PingRequestChecks.combination(targets.isEmpty(), interval, subMillisecondInterval, payloadSize, port,
                    automaticKind, kinds);
            return new PingRequest(this, resolved(Defaults.PING));
        }

        /**
         * Takes the shared options, a protocol as the ping's kind and the largest TTL as its TTL.
         *
         * @param o the options to take
         */
        @Override
        protected void take(ProbeOptions o) {
            super.take(o);
            PingRequestChecks.take(o, this);
        }
    }
}
