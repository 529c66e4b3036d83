package io.pathprobe.core.internal;

import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.core.internal.runtime.VirtualLoop;
import io.pathprobe.enrich.HostResolver;
import io.pathprobe.internal.EnrichmentSettings;
import io.pathprobe.internal.TracerSettings;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A trace on fake time, run by {@code build()} while it waits for the set-up thread to open the default trace's
 * transport. In a fresh JVM a first trace spent most of its 60-75 ms loading, linking and first interpreting the
 * engine's trace code (the measurement's handle, the probe run, the strategy, the hop folding, the result types),
 * while {@code build()}'s own thread sat idle for 35-50 ms waiting for libc's binding and the sockets. This runs
 * that code once in the wait, on the caller's thread: a tracer of its own on a loop this class drives, a two-hop
 * path that answers every probe at once in memory, offline. It opens no socket, sends nothing, starts no thread,
 * calls no user code and leaves nothing: the tracer is closed before {@code build()} returns.
 *
 * <p>It runs once per JVM, and not when the transport is open already, when JFR has been initialised (a recording
 * would see its probes), or with {@code -Dpathprobe.warmup=false}. A failure is swallowed: the warm-up changes
 * nothing but timing.
 */
final class Warmup {
    /** {@code false}: no warm-up trace in {@code build()}. */
    static final String PROPERTY = "pathprobe.warmup";
    /** Tasks the loop runs at most: a warm-up that does not end within them is abandoned (closed). */
    private static final int MAX_TASKS = 100_000;
    /** Documentation addresses (RFC 5737): the path's two routers and its destination, never sent to. */
    private static final byte[][] PATH = {{(byte) 192, 0, 2, 1}, {(byte) 192, 0, 2, 2}, {(byte) 192, 0, 2, 3}};

    /** Once per JVM: what it loads and links stays loaded for every later tracer. */
    private static final AtomicBoolean RAN = new AtomicBoolean();

    private Warmup() {}

    /** Runs the warm-up trace if {@code preparing} is still under way and nothing above rules it out. */
    static void whileOpening(List<Future<?>> preparing) {
        if (RAN.get() || "false".equals(System.getProperty(PROPERTY)) || allDone(preparing) || jfrInitialized()
                || !RAN.compareAndSet(false, true)) {
            return;
        }
        try {
            trace();
        } catch (RuntimeException | LinkageError | AssertionError e) {
            // only timing was at stake: the tracer being built is not affected
        }
    }

    /** Whether every one has ended (a loop, not a stream: this runs in a fresh JVM's build()). */
    private static boolean allDone(List<Future<?>> preparing) {
        for (Future<?> f : preparing) {
            if (!f.isDone()) {
                return false;
            }
        }
        return true;
    }

    /** Whether JFR runs in this JVM (then a recording would show the warm-up's probes and measurement). */
    private static boolean jfrInitialized() {
        return jdk.jfr.FlightRecorder.isInitialized();
    }

    /**
     * The warm-up trace itself, on its own tracer and loop; its result, or null when it did not end within the
     * loop's bound.
     */
    static @Nullable TraceResult trace() {
        VirtualLoop loop = new VirtualLoop(0, java.time.Instant.EPOCH);
        Path path = new Path(loop);
        TracerSettings settings = new TracerSettings(path, null, new io.pathprobe.options.ProbeBudget(0, 0, 0, 0, 1),
                HostResolver.SYSTEM, null, EnrichmentSettings.OFFLINE, loop, loop, null, 0);
        try (DefaultPathTracer tracer = DefaultTracerFactory.create(settings, TransportRegistry.of(path))) {
            CompletableFuture<TraceResult> result = tracer.traceAsync(TraceRequest.builder(address(2)).build());
            for (int n = 0; n < MAX_TASKS && !result.isDone() && loop.runNext(); n++) {
                // one piece at a time: a task, else the next timer (fake time jumps to it)
            }
            return result.getNow(null);
        }
    }

    private static InetAddress address(int index) {
        try {
            return InetAddress.getByAddress(PATH[index]);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // four bytes always make an address
        }
    }

    /** Two routers, then the destination: every probe answered at once (a microsecond later), in memory. */
    private static final class Path implements ProbeTransport {
        private final VirtualLoop loop;

        Path(VirtualLoop loop) {
            this.loop = loop;
        }

        @Override
        public String name() {
            return "warm-up";
        }

        @Override
        public Set<TransportCapability> capabilities() {
            return EnumSet.of(TransportCapability.ICMP, TransportCapability.UDP, TransportCapability.IPV4,
                    TransportCapability.UNPRIVILEGED, TransportCapability.FLOW_FIXED,
                    TransportCapability.FLOW_PER_PROBE);
        }

        @Override
        public ProbeSession openSession(SessionSpec spec, ResponseListener listener) {
            return new ProbeSession() {
                @Override
                public int maxSequence() {
                    return 65_535;
                }

                @Override
                public long send(ProbeSpec probe) {
                    long sent = loop.read();
                    ProbeResponse answer = answer(spec.protocol(), probe, sent + 1_000);
                    loop.schedule(new Runnable() {
                        @Override
                        public void run() {
                            listener.onResponse(answer);
                        }
                    }, Duration.ofNanos(1_000));
                    return sent;
                }

                @Override
                public void close() {
                    // nothing held
                }
            };
        }

        /** A router's time exceeded below TTL 3, the destination's echo reply (ICMP) or port unreachable. */
        private static ProbeResponse answer(ProbeProtocol protocol, ProbeSpec probe, long at) {
            int u = ProbeResponse.UNKNOWN;
            int hop = Math.min(probe.ttl(), PATH.length);
            InetAddress from = address(hop - 1);
            if (hop < PATH.length) {
                return new ProbeResponse(probe.sequence(), ResponseKind.TIME_EXCEEDED, 11, 0, from, at, 64 - hop, 1,
                        u, u, u, List.of());
            }
            return protocol == ProbeProtocol.ICMP
                    ? new ProbeResponse(probe.sequence(), ResponseKind.ECHO_REPLY, 0, 0, from, at, 64 - hop, u, u, u,
                            u, List.of())
                    : new ProbeResponse(probe.sequence(), ResponseKind.DESTINATION_UNREACHABLE, 3, 3, from, at,
                            64 - hop, u, u, u, u, List.of());
        }

        @Override
        public Optional<io.pathprobe.spi.TransportCounters> counters() {
            return Optional.empty();
        }

        @Override
        public void close() {
            // nothing held
        }
    }
}
