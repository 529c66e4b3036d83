package io.pathprobe;

import io.pathprobe.internal.EnrichmentSettings;
import io.pathprobe.internal.TracerFactory;
import io.pathprobe.internal.TracerSettings;
import io.pathprobe.spi.AsnResolver;
import io.pathprobe.spi.ProbeTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Traces network paths. Thread-safe: make one, share it, and close it when done; closing cancels
 * running traces and releases every socket, thread and timer it holds.
 *
 * <pre>{@code
 * try (PathTracer tracer = PathTracer.create()) {
 *     TraceResult r = tracer.trace("198.19.0.1");
 *     for (Hop h : r.hops()) System.out.println(h.ttl() + " " + h.address().map(InetAddress::getHostAddress).orElse("*"));
 * }
 * }</pre>
 *
 * <p>All TTLs are probed at once by default; many traces may run at the same time from many threads
 * and share the tracer's transports, event loop and packet-rate budget.
 *
 * <p><b>Resources.</b> A tracer owns a fixed set of threads, all named {@code pathprobe-*}: one engine
 * thread, two callback threads (none if {@link Builder#executor} is given), up to four set-up threads
 * (name resolution, opening a transport; they end after 10 s idle), one I/O thread per transport it
 * opened, and, when used, the enrichment, DNS/HTTP-probe and bufferbloat threads. Their number does
 * not grow with the number of measurements run. What can queue up is bounded, with a stated behaviour
 * when full: answers waiting for the engine (65,536; more are dropped and their probes time out),
 * events waiting for a slow {@link PingListener} ({@link PingListener#MAX_QUEUED_EVENTS}; more
 * per-probe events are dropped), enrichment lookups waiting (65,536; more fail at once) and cached
 * (10,000 per cache). A ping keeps its {@link PingRequest#recentProbes() most recent probes} and
 * streaming statistics, so one that runs for days stays bounded. The README's "Soak and resource
 * bounds" has the figures.
 */
public interface PathTracer extends AutoCloseable {

    /** A tracer with default settings and the best transport usable on this machine. */
    static PathTracer create() {
        return builder().build();
    }

    /** A builder for a tracer with custom settings. */
    static Builder builder() {
        return new Builder();
    }

    /** Traces a host name or literal address with the default request options; blocks until done. */
    default TraceResult trace(String target) {
        return trace(TraceRequest.of(target));
    }

    /** Traces an address with the default request options; blocks until done. */
    default TraceResult trace(InetAddress address) {
        return trace(TraceRequest.of(address));
    }

    /**
     * Traces and blocks until done. If the calling thread is interrupted the trace is cancelled, the
     * partial result is returned and the interrupt flag is kept. May be called from a listener or a
     * future continuation.
     *
     * @throws UnknownTargetException if the target does not resolve (within the request's deadline)
     * @throws NoTransportAvailableException if no transport can send the protocol(s) to this address family
     * @throws IllegalStateException if the tracer is closed
     */
    TraceResult trace(TraceRequest request);

    /**
     * Traces asynchronously. The future completes on the tracer's executor, never on its engine
     * thread. Completing it yourself in any way (cancel, {@code orTimeout}, {@code complete}) stops
     * the trace and frees its probes; use {@link #start(TraceRequest)} to stop a trace and still get
     * the partial result.
     */
    CompletableFuture<TraceResult> traceAsync(TraceRequest request);

    /** Traces a host name or literal address asynchronously, with the default request options. */
    default CompletableFuture<TraceResult> traceAsync(String target) {
        return traceAsync(TraceRequest.of(target));
    }

    /** Traces an address asynchronously, with the default request options. */
    default CompletableFuture<TraceResult> traceAsync(InetAddress address) {
        return traceAsync(TraceRequest.of(address));
    }

    /** Traces asynchronously, with {@code listener} in place of the request's listener. */
    default CompletableFuture<TraceResult> traceAsync(TraceRequest request, TraceListener listener) {
        return start(request, listener).result();
    }

    /** Starts a trace and returns its handle, for cancellation and snapshots. */
    Trace start(TraceRequest request);

    /** Starts a trace with {@code listener} in place of the request's listener. */
    default Trace start(TraceRequest request, TraceListener listener) {
        return start(request.toBuilder().listener(listener).build());
    }

    /** Starts a trace of a host name or literal address with the default request options. */
    default Trace start(String target) {
        return start(TraceRequest.of(target));
    }

    /**
     * Pings and blocks until done. Per-target problems (an unknown name, no transport, unreachable)
     * are in the result, never exceptions. If the calling thread is interrupted the ping is
     * cancelled, the partial result is returned and the interrupt flag is kept.
     *
     * @throws IllegalStateException if the tracer is closed
     */
    PingResult ping(PingRequest request);

    /** Pings names or literal addresses with the default options (5 probes each, 1 s apart); blocks until done. */
    default PingResult ping(String... targets) {
        return ping(PingRequest.of(targets));
    }

    /**
     * Pings asynchronously. The future completes on the tracer's executor; completing it yourself in
     * any way stops the ping (use {@link #startPing} to stop one and still get the partial result).
     */
    default CompletableFuture<PingResult> pingAsync(PingRequest request) {
        return startPing(request).result();
    }

    /** Starts a ping and returns its handle, for cancellation and snapshots. */
    Ping startPing(PingRequest request);

    /**
     * Discovers every load-balanced path to a destination and blocks until done: the nodes at each
     * TTL, the links and diamonds between them, and every path with its loss and RTT (see
     * {@link MultipathResult}). If the calling thread is interrupted the discovery is cancelled, the
     * partial result is returned and the interrupt flag is kept.
     *
     * @throws UnknownTargetException if the target does not resolve
     * @throws NoTransportAvailableException if no transport can send the protocol with explicit flows
     *     to this address family
     * @throws IllegalStateException if the tracer is closed, or when called on its engine thread
     */
    MultipathResult discoverPaths(MultipathRequest request);

    /** Discovers the paths to a host name or literal address with the default options; blocks until done. */
    default MultipathResult discoverPaths(String target) {
        return discoverPaths(MultipathRequest.of(target));
    }

    /**
     * Discovers paths asynchronously. The future completes on the tracer's executor; completing it
     * yourself in any way stops the discovery (use {@link #startDiscovery} to stop one and still get
     * the partial result).
     */
    default CompletableFuture<MultipathResult> discoverPathsAsync(MultipathRequest request) {
        return startDiscovery(request).result();
    }

    /** Starts a multipath discovery and returns its handle, for cancellation and snapshots. */
    MultipathDiscovery startDiscovery(MultipathRequest request);

    /**
     * Measures latency under load (bufferbloat) against a responsiveness server and blocks until done:
     * idle and loaded latency, the DSLReports grade, RPM per draft-ietf-ippm-responsiveness-09 and
     * throughput (see {@link BufferbloatResult}). If the calling thread is interrupted the test is
     * cancelled, the partial result returned and the interrupt flag kept.
     *
     * @throws ResponsivenessServerException if the server cannot be used at all
     * @throws IllegalStateException if the tracer is closed, or when called on its engine thread
     */
    BufferbloatResult testBufferbloat(BufferbloatRequest request);

    /** Measures bufferbloat asynchronously; completing the future yourself stops the test. */
    default CompletableFuture<BufferbloatResult> testBufferbloatAsync(BufferbloatRequest request) {
        return startBufferbloat(request).result();
    }

    /** Starts a bufferbloat test and returns its handle, for progress, cancellation and snapshots. */
    BufferbloatTest startBufferbloat(BufferbloatRequest request);

    /**
     * Every transport this tracer knows of, best first: what each can do, whether this process can
     * use it and why not, and the counters of those it opened. What {@code pathprobe transports} prints.
     */
    List<TransportInfo> transports();

    /**
     * The name of the transport this tracer uses for the protocol toward IPv4 destinations, e.g.
     * "linux-icmp-dgram".
     *
     * @throws NoTransportAvailableException if none can, listing every transport and why
     */
    String transportName(ProbeProtocol protocol);

    /**
     * What this tracer's enrichment caches (host names, AS numbers) did so far: hits, misses, loads,
     * failures, evictions and DNS queries sent. {@link EnrichmentStatistics#NONE} for an offline tracer.
     */
    default EnrichmentStatistics enrichmentStatistics() {
        return EnrichmentStatistics.NONE;
    }

    /**
     * What this tracer's engine did so far: probes sent, answers matched, late and unmatched, answers
     * the transports dropped (by reason), timeouts, time spent waiting for the rate budget, the
     * measurements running now and each opened transport's counters (see {@link TracerStats}). Cheap:
     * reads counters, sends nothing, never blocks on the engine; usable after {@link #close()}.
     * {@link TracerStats#NONE} for an engine that does not count.
     */
    default TracerStats stats() {
        return TracerStats.NONE;
    }

    /**
     * Cancels running measurements (they end CANCELLED with what they have) and releases every
     * resource: sockets closed and threads ended when it returns (unless called on one of the
     * tracer's own threads, a listener's: its threads end right after). Every wait is bounded: a
     * set-up thread stuck in a {@link HostResolver} that ignores interrupts is left to end by
     * itself. Idempotent.
     */
    @Override
    void close();

    /**
     * Builds a {@link PathTracer}. Each option may be set once; a second call fails, so a
     * configuration mistake shows at once.
     */
    final class Builder {
        /**
         * A well-known public STUN server (Google's), for callers who want the public address on the
         * Internet: {@code builder().stunServer(PathTracer.Builder.PUBLIC_STUN_SERVER)}. Unresolved; never
         * used unless passed explicitly: by default no STUN server is asked.
         */
        public static final InetSocketAddress PUBLIC_STUN_SERVER =
                InetSocketAddress.createUnresolved("stun.l.google.com", 19302);
        /** The DNS port, for {@link #dnsServer(String)} without a port. */
        public static final int DNS_PORT = 53;
        /** The STUN port (RFC 8489), for {@link #stunServer(String)} without a port. */
        public static final int STUN_PORT = 3478;

        private @Nullable ProbeTransport transport;
        private @Nullable String preferredTransport;
        private int packetsPerSecond = -1;
        private int burst = -1;
        private @Nullable HostResolver hostResolver;
        private @Nullable Executor executor;
        private @Nullable InetSocketAddress dnsServer;
        private @Nullable InetSocketAddress stunServer;
        private @Nullable AsnResolver asnResolver;
        private @Nullable Duration lookupTimeout;
        private boolean offline;

        Builder() {}

        /**
         * Use this transport for every probe instead of the ones found through
         * {@link java.util.ServiceLoader}. The tracer does not close it.
         */
        public Builder transport(ProbeTransport transport) {
            requireUnset(this.transport == null && preferredTransport == null, "transport");
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** Use the discovered transport of this name (e.g. "linux-udp-recverr"); fails at build if unusable. */
        public Builder preferredTransport(String name) {
            requireUnset(this.transport == null && preferredTransport == null, "preferredTransport");
            this.preferredTransport = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The most probes per second this tracer sends, all traces together (default 1000);
         * 0 means unlimited.
         */
        public Builder packetsPerSecond(int packetsPerSecond) {
            requireUnset(this.packetsPerSecond < 0, "packetsPerSecond");
            if (packetsPerSecond < 0) {
                throw new IllegalArgumentException("packetsPerSecond must be 0 (unlimited) or more, was " + packetsPerSecond);
            }
            this.packetsPerSecond = packetsPerSecond;
            return this;
        }

        /**
         * How many probes may leave at once before the rate applies (default 128: a default trace
         * goes out in one burst).
         */
        public Builder burst(int burst) {
            requireUnset(this.burst < 0, "burst");
            if (burst < 1) {
                throw new IllegalArgumentException("burst must be at least 1, was " + burst);
            }
            this.burst = burst;
            return this;
        }

        /** How target names become addresses (default: the system resolver). */
        public Builder hostResolver(HostResolver hostResolver) {
            requireUnset(this.hostResolver == null, "hostResolver");
            this.hostResolver = Objects.requireNonNull(hostResolver, "hostResolver");
            return this;
        }

        /**
         * Where listeners and the continuations of returned futures run (default: a small pool of
         * daemon threads of the tracer's own, ended by {@link PathTracer#close()}). User code never
         * runs on the tracer's engine thread; each trace's listener events run one at a time, in
         * order, whatever the executor. The tracer does not shut down an executor given here.
         */
        public Builder executor(Executor executor) {
            requireUnset(this.executor == null, "executor");
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * The DNS server for reverse lookups (PTR) and the default AS resolver (Team Cymru's TXT
         * records), e.g. {@code new InetSocketAddress("192.0.2.53", 53)} (default: the system's
         * resolver, as /etc/resolv.conf or the OS names it). The target's own name is still resolved
         * by the {@link #hostResolver(HostResolver) host resolver}.
         *
         * @throws ServerAddress.InvalidServerAddressException if the address is unresolved or the port is 0
         */
        public Builder dnsServer(InetSocketAddress server) {
            requireUnset(this.dnsServer == null, "dnsServer");
            requireNotOffline("dnsServer");
            Objects.requireNonNull(server, "server");
            if (server.isUnresolved()) {
                throw new ServerAddress.InvalidServerAddressException("invalid DNS server " + server
                        + ": give an address, not a name (names would need a DNS server themselves)");
            }
            this.dnsServer = checkPort(server, "DNS server");
            return this;
        }

        /**
         * The DNS server as text: {@code ADDR}, {@code ADDR:PORT}, {@code [IPV6]:PORT} (port 53 when
         * none is given); literal addresses only.
         *
         * @throws ServerAddress.InvalidServerAddressException if malformed or the port is out of range
         */
        public Builder dnsServer(String server) {
            return dnsServer(ServerAddress.parse(server, DNS_PORT, "DNS server"));
        }

        /**
         * The STUN server that tells this host its public address (RFC 8489 Binding request, over UDP)
         * (default: none, so {@link PathContext#publicAddress()} is {@link LookupStatus#OFF} and
         * segments rely on CGNAT space and AS numbers). An unresolved address (such as
         * {@link #PUBLIC_STUN_SERVER}) is resolved by the system resolver when the tracer is built.
         *
         * @throws ServerAddress.InvalidServerAddressException if the port is 0
         */
        public Builder stunServer(InetSocketAddress server) {
            requireUnset(this.stunServer == null, "stunServer");
            requireNotOffline("stunServer");
            this.stunServer = checkPort(Objects.requireNonNull(server, "server"), "STUN server");
            return this;
        }

        /**
         * The STUN server as text: {@code ADDR}, {@code ADDR:PORT}, {@code [IPV6]:PORT} (port 3478 when
         * none is given); literal addresses only.
         *
         * @throws ServerAddress.InvalidServerAddressException if malformed or the port is out of range
         */
        public Builder stunServer(String server) {
            return stunServer(ServerAddress.parse(server, STUN_PORT, "STUN server"));
        }

        /**
         * Who maps addresses to AS numbers (default: Team Cymru's IP-to-ASN service through the
         * {@link #dnsServer DNS server}). The tracer caches its answers by their TTL and never calls it
         * on its engine thread.
         */
        public Builder asnResolver(AsnResolver resolver) {
            requireUnset(this.asnResolver == null, "asnResolver");
            requireNotOffline("asnResolver");
            this.asnResolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * How long one lookup (a PTR, an AS, the STUN exchange) may take before it is FAILED, and the
         * longest an {@link EnrichMode#AWAIT} result waits for lookups after probing (default 2 s; the
         * wait adds 100 ms so that a lookup that runs into this timeout is reported FAILED, not PENDING).
         */
        public Builder lookupTimeout(Duration timeout) {
            requireUnset(this.lookupTimeout == null, "lookupTimeout");
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("lookupTimeout must be positive and at most 5 minutes, was " + timeout);
            }
            this.lookupTimeout = timeout;
            return this;
        }

        /**
         * No lookups at all: no DNS, no AS, no STUN; every lookup is {@link LookupStatus#OFF} and every
         * segment {@link Segment#UNKNOWN}, whatever a request's {@link EnrichMode}. Excludes
         * {@link #dnsServer}, {@link #stunServer} and {@link #asnResolver}.
         */
        public Builder offline() {
            requireUnset(!offline, "offline");
            if (dnsServer != null || stunServer != null || asnResolver != null) {
                throw new IllegalStateException("offline() excludes dnsServer, stunServer and asnResolver");
            }
            this.offline = true;
            return this;
        }

        private void requireNotOffline(String option) {
            if (offline) {
                throw new IllegalStateException(option + " cannot be set on an offline() tracer");
            }
        }

        private static InetSocketAddress checkPort(InetSocketAddress server, String what) {
            if (server.getPort() == 0) {
                throw new ServerAddress.InvalidServerAddressException("invalid " + what + " " + server
                        + ": port 0 is out of range 1..65535");
            }
            return server;
        }

        /**
         * The tracer.
         *
         * @throws NoTransportAvailableException if a preferred transport was named and cannot be used
         * @throws PathProbeException if no pathprobe engine (pathprobe-core) is on the class path, or if the
         *         Netty on it is older than the 4.2 pathprobe-core needs (the message names the modules found
         *         and the fix: align Netty with {@code pathprobe-bom} or {@code netty-bom} 4.2)
         */
        public PathTracer build() {
            TracerSettings settings = new TracerSettings(
                    transport,
                    preferredTransport,
                    packetsPerSecond < 0 ? 1000 : packetsPerSecond,
                    burst < 0 ? 128 : burst,
                    hostResolver == null ? HostResolver.SYSTEM : hostResolver,
                    executor,
                    new EnrichmentSettings(dnsServer, stunServer, asnResolver,
                            lookupTimeout == null ? EnrichmentSettings.DEFAULT_LOOKUP_TIMEOUT : lookupTimeout, offline));
            return findFactory().create(settings);
        }

        private static TracerFactory findFactory() {
            for (ClassLoader loader : new ClassLoader[] {
                PathTracer.class.getClassLoader(), Thread.currentThread().getContextClassLoader()}) {
                if (loader == null) {
                    continue;
                }
                Iterator<TracerFactory> it = ServiceLoader.load(TracerFactory.class, loader).iterator();
                if (it.hasNext()) {
                    return it.next();
                }
            }
            throw new PathProbeException(
                    "no pathprobe engine on the class path: depend on io.pathprobe:pathprobe-core");
        }

        private static void requireUnset(boolean unset, String option) {
            if (!unset) {
                throw new IllegalStateException(option + " was already set");
            }
        }
    }
}
