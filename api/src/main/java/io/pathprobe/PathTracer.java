package io.pathprobe;

import io.pathprobe.internal.TracerFactory;
import io.pathprobe.internal.TracerSettings;
import io.pathprobe.spi.ProbeTransport;
import java.net.InetAddress;
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

    /** Cancels running traces and releases every resource. Idempotent. */
    @Override
    void close();

    /**
     * Builds a {@link PathTracer}. Each option may be set once; a second call fails, so a
     * configuration mistake shows at once.
     */
    final class Builder {
        private @Nullable ProbeTransport transport;
        private @Nullable String preferredTransport;
        private int packetsPerSecond = -1;
        private int burst = -1;
        private @Nullable HostResolver hostResolver;
        private @Nullable Executor executor;

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
         * The tracer.
         *
         * @throws NoTransportAvailableException if a preferred transport was named and cannot be used
         * @throws PathProbeException if no pathprobe engine (pathprobe-core) is on the class path
         */
        public PathTracer build() {
            TracerSettings settings = new TracerSettings(
                    transport,
                    preferredTransport,
                    packetsPerSecond < 0 ? 1000 : packetsPerSecond,
                    burst < 0 ? 128 : burst,
                    hostResolver == null ? HostResolver.SYSTEM : hostResolver,
                    executor);
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
