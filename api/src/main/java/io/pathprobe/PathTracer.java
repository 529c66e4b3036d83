package io.pathprobe;

import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.compare.CompareRequest;
import io.pathprobe.enrich.HostResolver;
import io.pathprobe.monitor.MonitorListener;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.mtu.MtuRequest;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.options.MeasurementRequest;
import io.pathprobe.ping.PingListener;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.trace.TraceAllRequest;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
/**
 * Traces network paths. Thread-safe: make one, share it, and close it when done; closing cancels
 * running traces and releases every socket, thread and timer it holds.
 *
 * <pre>{@code
 * try (PathTracer tracer = PathTracer.create()) {
 *     TraceResult r = tracer.trace("198.19.0.1");
 *     for (Hop h : r.hops()) {
 *         System.out.println(h.ttl() + " " + h.address().map(InetAddress::getHostAddress).orElse("*"));
 *     }
 * }
 * }</pre>
 *
 * <p>Every kind of measurement runs through three forms, typed by its request ({@link MeasurementRequest}):
 * {@link #start} (the handle, {@link Measurement}), {@link #measure} (blocks: {@code start(request).await()}) and
 * {@link #measureAsync} (the future); {@link #trace(String)}, {@link #ping(String...)}, {@link #discoverPaths(String)}
 * and a few others are short forms of them for the common cases.
 *
 * <p>All TTLs are probed at once by default; many traces may run at the same time from many threads
 * and share the tracer's transports, event loop and packet-rate budget.
 *
 * <p><b>Resources.</b> A tracer owns a fixed set of threads, all named {@code pathprobe-*}: one engine
 * thread, two callback threads (none if {@link PathTracerBuilder#executor} is given), up to four set-up threads
 * (name resolution, opening a transport; they end after 10 s idle), one I/O thread per transport it
 * opened, and, when used, the enrichment threads, one Netty I/O thread (lookups and DNS/HTTP probes)
 * and the bufferbloat threads. Their number does
 * not grow with the number of measurements run. What can queue up is bounded, with a stated behaviour
 * when full: answers waiting for the engine (65,536; more are dropped and their probes time out),
 * events waiting for a slow {@link PingListener} ({@link PingListener#MAX_QUEUED_EVENTS}; more
 * per-probe events are dropped), enrichment lookups waiting (65,536; more fail at once) and cached
 * (10,000 per cache). A ping keeps its {@link PingRequest#recentProbes() most recent probes} and
 * streaming statistics, so one that runs for days stays bounded. docs/hardening.md ("Soak", "Resource
 * bounds") has the figures.
 */
public interface PathTracer extends AutoCloseable {

    /** {@return a tracer with default settings and the best transport usable on this machine} */
    static PathTracer create() {
        return builder().build();
    }

    /** {@return a builder for a tracer with custom settings} */
    static PathTracerBuilder builder() {
        return new PathTracerBuilder();
    }

    /**
     * Replays a recording ({@link PathTracerBuilder#record(io.pathprobe.evidence.RecordingOptions)}): each recorded
     * measurement runs again through the same strategies, on the recording's clock, with the recorded answers
     * instead of the network and the recorded lookups instead of DNS; nothing is sent and nothing is asked. A
     * recording made by this library replays to the recorded result
     * ({@link io.pathprobe.evidence.ReplayedMeasurement#identical()}): a field report becomes a regression test.
     *
     * <pre>{@code
     * ReplayResult replay = PathTracer.replay(Path.of("incident.ndjson"));
     * TraceResult trace = replay.measurements().get(0).result(TraceResult.class);
     * }</pre>
     *
     * @param file the recording
     * @return the replay
     * @throws RecordingException if the file cannot be read, is not a recording, needs a newer library (the
     *     message names the format and the library that wrote it) or holds no measurement; or, before the file is
     *     read, naming the artifact to add if {@code io.pathprobe:pathprobe-evidence} (the replayer) is not on the
     *     class path or module path
     * @throws PathProbeException if no pathprobe engine (pathprobe-core) is on the class path
     */
    static io.pathprobe.evidence.ReplayResult replay(java.nio.file.Path file) {
        java.util.Objects.requireNonNull(file, "file");
        return (io.pathprobe.evidence.ReplayResult) PathTracerBuilder.findFactory().replay(file);
    }

    /**
     * Traces a host name or literal address with the default request options; blocks until done
     * ({@link #measure}).
     *
     * @param target a host name or literal address
     * @return the trace's result
     */
    default TraceResult trace(String target) {
        return trace(TraceRequest.of(target));
    }

    /**
     * Traces and blocks until done: {@link #measure} of a trace. If the calling thread is interrupted the trace is
     * cancelled, the partial result is returned and the interrupt flag is kept. May be called from a listener or a
     * future continuation.
     *
     * @param request what to trace and how
     * @return the trace's result, partial if the trace was cancelled
     * @throws UnknownTargetException if the target does not resolve (within the request's deadline)
     * @throws NoTransportAvailableException if no transport can send the protocol(s) to this address family
     * @throws IllegalStateException if the tracer is closed
     */
    default TraceResult trace(TraceRequest request) {
        return measure(request);
    }

    /**
     * Traces asynchronously: {@link #measureAsync} of a trace. The future completes on the tracer's executor, never
     * on its engine thread. Completing it yourself in any way (cancel, {@code orTimeout}, {@code complete}) stops
     * the trace and frees its probes; use {@link #start} to stop a trace and still get the partial result.
     *
     * @param request what to trace and how
     * @return a future of the trace's result
     */
    default CompletableFuture<TraceResult> traceAsync(TraceRequest request) {
        return measureAsync(request);
    }

    /**
     * Pings names or literal addresses with the default options (5 probes each, 1 s apart); blocks until done.
     * Per-target problems (an unknown name, no transport, unreachable) are in the result, never exceptions; a
     * {@link PingRequest} of your own goes to {@link #measure}.
     *
     * @param targets host names or literal addresses
     * @return the ping's result
     */
    default PingResult ping(String... targets) {
        return measure(PingRequest.of(targets));
    }

    /**
     * Discovers every load-balanced path to a host name or literal address with the default options, and blocks
     * until done: the nodes at each TTL, the links and diamonds between them, and every path with its loss and RTT
     * (see {@link MultipathResult}); a {@link MultipathRequest} of your own goes to {@link #measure}.
     *
     * @param target a host name or literal address
     * @return the discovery's result
     * @throws UnknownTargetException if the target does not resolve
     * @throws NoTransportAvailableException if no transport can send the protocol with explicit flows to this
     *     address family
     */
    default MultipathResult discoverPaths(String target) {
        return measure(MultipathRequest.of(target));
    }

    /**
     * Measures latency under load (bufferbloat) against a responsiveness server and blocks until done:
     * {@link #measure} of a bufferbloat test. Idle and loaded latency, the DSLReports grade, RPM per
     * draft-ietf-ippm-responsiveness-09 and throughput (see {@link BufferbloatResult}). If the calling thread is
     * interrupted the test is cancelled, the partial result returned and the interrupt flag kept.
     *
     * @param request which server to test against and how
     * @return the test's result, partial if the test was cancelled
     * @throws ResponsivenessServerException if the server cannot be used at all
     * @throws IllegalStateException if the tracer is closed, or when called on its engine thread
     */
    default BufferbloatResult testBufferbloat(BufferbloatRequest request) {
        return measure(request);
    }

    /**
     * Starts a measurement of any kind and returns its handle, for its result, snapshots, cancellation and
     * {@link Measurement#await()}. The request says the kind ({@link MeasurementRequest}): a trace
     * ({@link TraceRequest}), many traces sharing their first hops ({@link TraceAllRequest}: Doubletree's stop set),
     * a ping ({@link PingRequest}), a monitor as mtr runs it ({@link MonitorRequest}: rounds of Paris traces, per-hop
     * statistics and events on its {@link MonitorListener}, until its rounds, its deadline or
     * {@link Measurement#cancel}), a multipath discovery ({@link MultipathRequest}), a path MTU discovery as
     * tracepath does ({@link MtuRequest}: needs a transport with {@link io.pathprobe.spi.TransportCapability#PATH_MTU},
     * on Linux the unprivileged linux-udp-recverr), a bufferbloat test ({@link BufferbloatRequest}) or a comparison
     * of protocols' paths ({@link CompareRequest}). The handle's type follows the request's:
     *
     * <pre>{@code
     * Measurement<TraceRequest, TraceResult> trace = tracer.start(TraceRequest.of("198.19.0.1"));
     * }</pre>
     *
     * <p>Set-up errors (an unknown name, no transport for the protocol) complete its result exceptionally; what
     * fails for one of many targets (a traceAll's, a ping's) or for one of a comparison's protocols is in that
     * target's or protocol's result, never an exception.
     *
     * @param request what to measure and how
     * @param <Q> the request's type
     * @param <R> its result's type
     * @return the running measurement's handle
     * @throws IllegalStateException if the tracer is closed
     * @throws UnsupportedOperationException if this tracer cannot run this kind (a tracer that records: a compare, a
     *     bufferbloat test, a DNS or HTTP ping)
     */
    <Q extends MeasurementRequest<R>, R> Measurement<Q, R> start(Q request);

    /**
     * Measures and blocks until done: {@code start(request).await()} ({@link Measurement#await()}). If the calling
     * thread is interrupted the measurement is cancelled, the partial result is returned and the interrupt flag is
     * kept. May be called from a listener or a future continuation, never on the tracer's engine thread.
     *
     * <pre>{@code
     * MtuResult mtu = tracer.measure(MtuRequest.of("198.19.0.1"));
     * }</pre>
     *
     * @param request what to measure and how; a monitor's must bound its run (rounds or a deadline)
     * @param <R> its result's type
     * @return the result, partial if the measurement was cancelled
     * @throws UnknownTargetException if the target of a single-target measurement does not resolve
     * @throws NoTransportAvailableException if no usable transport can send what it needs
     * @throws ResponsivenessServerException if a bufferbloat test's server cannot be used at all
     * @throws IllegalArgumentException if a monitor's request sets neither rounds nor a deadline
     * @throws IllegalStateException if the tracer is closed, or when called on its engine thread
     */
    default <R> R measure(MeasurementRequest<R> request) {
        return start(request).await();
    }

    /**
     * Measures asynchronously: {@code start(request).result()}. The future completes on the tracer's executor, never
     * on its engine thread. Completing it yourself in any way (cancel, {@code orTimeout}, {@code complete}) stops the
     * measurement and frees its probes; use {@link #start} to stop one and still get the partial result.
     *
     * @param request what to measure and how
     * @param <R> its result's type
     * @return a future of the result
     */
    default <R> CompletableFuture<R> measureAsync(MeasurementRequest<R> request) {
        return start(request).result();
    }

    /**
     * {@return every transport this tracer knows of, best first: what each can do, whether this process can
     * use it and why not, and the counters of those it opened} What {@code pathprobe transports} prints.
     */
    List<TransportInfo> transports();

    /**
     * {@return what this tracer's engine did so far: probes sent, answers matched, late and unmatched, answers
     * the transports dropped (by reason), timeouts, time spent waiting for the rate budget, the
     * measurements running now, each opened transport's counters and what the enrichment caches did (see
     * {@link TracerStats})} Cheap: reads counters, sends nothing, never blocks on the engine; usable after
     * {@link #close()}. {@link TracerStats#NONE} for an engine that does not count.
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
}
