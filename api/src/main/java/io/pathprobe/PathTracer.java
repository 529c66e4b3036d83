package io.pathprobe;

import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.compare.CompareRequest;
import io.pathprobe.compare.CompareResult;
import io.pathprobe.enrich.EnrichmentStatistics;
import io.pathprobe.enrich.HostResolver;
import io.pathprobe.monitor.MonitorListener;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.mtu.MtuRequest;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.ping.PingListener;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.TraceAllRequest;
import io.pathprobe.trace.TraceAllResult;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
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
     * Replays a recording with the application's own code: {@code application} runs (in the caller's thread) on a
     * tracer that replays the recording, and starts the recorded measurements itself, with its own listeners
     * ({@link ReplayApplication}); what it prints from the results and what its listeners hear comes out as it did
     * while recording. Each measurement replays exactly as with {@link #replay(java.nio.file.Path)}.
     *
     * <pre>{@code
     * ReplayResult replay = PathTracer.replay(Path.of("incident.ndjson"),
     *         (tracer, application) -> System.out.println(tracer.trace(request.toBuilder().listener(table).build())));
     * }</pre>
     *
     * @param file the recording
     * @param application the application's code
     * @return the replay (the measurements the application did not start failed: "not started")
     * @throws RecordingException if the file cannot be read or replayed (as {@link #replay(java.nio.file.Path)})
     * @throws RuntimeException what {@code application} throws, once the replay has ended
     * @throws PathProbeException if no pathprobe engine (pathprobe-core) is on the class path
     */
    static io.pathprobe.evidence.ReplayResult replay(java.nio.file.Path file, ReplayApplication application) {
        java.util.Objects.requireNonNull(file, "file");
        java.util.Objects.requireNonNull(application, "application");
        return (io.pathprobe.evidence.ReplayResult) PathTracerBuilder.findFactory().replay(file, application);
    }

    /**
     * Traces a host name or literal address with the default request options; blocks until done.
     *
     * @param target a host name or literal address
     * @return the trace's result
     */
    default TraceResult trace(String target) {
        return trace(TraceRequest.of(target));
    }

    /**
     * Traces an address with the default request options; blocks until done.
     *
     * @param address the address to trace
     * @return the trace's result
     */
    default TraceResult trace(InetAddress address) {
        return trace(TraceRequest.of(address));
    }

    /**
     * Traces and blocks until done. If the calling thread is interrupted the trace is cancelled, the
     * partial result is returned and the interrupt flag is kept. May be called from a listener or a
     * future continuation.
     *
     * @param request what to trace and how
     * @return the trace's result, partial if the trace was cancelled
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
     *
     * @param request what to trace and how
     * @return a future of the trace's result
     */
    default CompletableFuture<TraceResult> traceAsync(TraceRequest request) {
        return start(request).result();
    }

    /**
     * Traces a host name or literal address asynchronously, with the default request options.
     *
     * @param target a host name or literal address
     * @return a future of the trace's result
     */
    default CompletableFuture<TraceResult> traceAsync(String target) {
        return traceAsync(TraceRequest.of(target));
    }

    /**
     * Traces an address asynchronously, with the default request options.
     *
     * @param address the address to trace
     * @return a future of the trace's result
     */
    default CompletableFuture<TraceResult> traceAsync(InetAddress address) {
        return traceAsync(TraceRequest.of(address));
    }


    /**
     * Starts a trace and returns its handle, for cancellation and snapshots.
     *
     * @param request what to trace and how
     * @return the running trace's handle
     */
    Measurement<TraceRequest, TraceResult> start(TraceRequest request);



    /**
     * Traces many targets and blocks until every one is done, sharing what the tracer knows of their first
     * hops: Doubletree's stop set (see {@link TraceAllRequest#stopSet()}), so that targets behind one
     * gateway cost a fraction of as many independent traces, and the routers they share are never sent
     * more than their learned ICMP rate limits let through. Per-target problems (an unknown name, no
     * transport) are in that target's result ({@link TraceStatus#SEND_FAILED} and its note), never
     * exceptions. If the calling thread is interrupted the call is cancelled, the partial result is
     * returned and the interrupt flag is kept.
     *
     * @param request the targets and how to trace them
     * @return one result per target, in the request's order
     * @throws IllegalStateException if the tracer is closed, or when called on its engine thread
     */
    TraceAllResult traceAll(TraceAllRequest request);

    /**
     * Traces these names or literal addresses with the default options; blocks until done.
     *
     * @param targets host names or literal addresses, none twice
     * @return one result per target, in this order
     */
    default TraceAllResult traceAll(String... targets) {
        return traceAll(TraceAllRequest.of(targets));
    }

    /**
     * Traces many targets asynchronously. The future completes on the tracer's executor; completing it
     * yourself in any way stops the call (use {@link #start} to stop one and still get the
     * partial result).
     *
     * @param request the targets and how to trace them
     * @return a future of the result
     */
    default CompletableFuture<TraceAllResult> traceAllAsync(TraceAllRequest request) {
        return start(request).result();
    }

    /**
     * Starts tracing many targets and returns the handle, for cancellation and snapshots.
     *
     * @param request the targets and how to trace them
     * @return the running call's handle
     */
    Measurement<TraceAllRequest, TraceAllResult> start(TraceAllRequest request);

    /**
     * Pings and blocks until done. Per-target problems (an unknown name, no transport, unreachable)
     * are in the result, never exceptions. If the calling thread is interrupted the ping is
     * cancelled, the partial result is returned and the interrupt flag is kept.
     *
     * @param request what to ping and how
     * @return the ping's result, partial if the ping was cancelled
     * @throws IllegalStateException if the tracer is closed
     */
    PingResult ping(PingRequest request);

    /**
     * Pings names or literal addresses with the default options (5 probes each, 1 s apart); blocks until done.
     *
     * @param targets host names or literal addresses
     * @return the ping's result
     */
    default PingResult ping(String... targets) {
        return ping(PingRequest.of(targets));
    }

    /**
     * Pings asynchronously. The future completes on the tracer's executor; completing it yourself in
     * any way stops the ping (use {@link #start} to stop one and still get the partial result).
     *
     * @param request what to ping and how
     * @return a future of the ping's result
     */
    default CompletableFuture<PingResult> pingAsync(PingRequest request) {
        return start(request).result();
    }

    /**
     * Starts a ping and returns its handle, for cancellation and snapshots.
     *
     * @param request what to ping and how
     * @return the running ping's handle
     */
    Measurement<PingRequest, PingResult> start(PingRequest request);

    /**
     * Monitors a path, as mtr does, and blocks until it ends: its {@link MonitorRequest#rounds() rounds}
     * run or its {@link MonitorRequest#deadline() deadline} passed. If the calling thread is interrupted
     * the monitor is cancelled, the partial result is returned and the interrupt flag is kept.
     *
     * @param request what to monitor and how; it must bound the run (rounds or a deadline)
     * @return the monitor's result
     * @throws IllegalArgumentException if the request sets neither rounds nor a deadline
     * @throws UnknownTargetException if the target does not resolve
     * @throws NoTransportAvailableException if no usable transport can send the request's protocol
     * @throws IllegalStateException if the tracer is closed
     */
    MonitorResult monitor(MonitorRequest request);

    /**
     * Monitors asynchronously. The future completes on the tracer's executor; completing it yourself in
     * any way stops the monitor (use {@link #start} to stop one and still get the partial result).
     *
     * @param request what to monitor and how
     * @return a future of the monitor's result
     */
    default CompletableFuture<MonitorResult> monitorAsync(MonitorRequest request) {
        return start(request).result();
    }

    /**
     * Starts monitoring a path, as mtr does: rounds of Paris traces to one target, per-hop statistics
     * over the run and a sliding window, and events (hop and path changes, the destination lost or
     * regained, thresholds crossed) on the request's {@link MonitorListener}. It runs until its rounds,
     * its deadline, or {@link io.pathprobe.Measurement#cancel}.
     *
     * @param request what to monitor and how
     * @return the running monitor's handle
     */
    Measurement<MonitorRequest, MonitorResult> start(MonitorRequest request);

    /**
     * Discovers every load-balanced path to a destination and blocks until done: the nodes at each
     * TTL, the links and diamonds between them, and every path with its loss and RTT (see
     * {@link MultipathResult}). If the calling thread is interrupted the discovery is cancelled, the
     * partial result is returned and the interrupt flag is kept.
     *
     * @param request what to discover and how
     * @return the discovery's result, partial if the discovery was cancelled
     * @throws UnknownTargetException if the target does not resolve
     * @throws NoTransportAvailableException if no transport can send the protocol with explicit flows
     *     to this address family
     * @throws IllegalStateException if the tracer is closed, or when called on its engine thread
     */
    MultipathResult discoverPaths(MultipathRequest request);

    /**
     * Discovers the paths to a host name or literal address with the default options; blocks until done.
     *
     * @param target a host name or literal address
     * @return the discovery's result
     */
    default MultipathResult discoverPaths(String target) {
        return discoverPaths(MultipathRequest.of(target));
    }

    /**
     * Discovers paths asynchronously. The future completes on the tracer's executor; completing it
     * yourself in any way stops the discovery (use {@link #start} to stop one and still get
     * the partial result).
     *
     * @param request what to discover and how
     * @return a future of the discovery's result
     */
    default CompletableFuture<MultipathResult> discoverPathsAsync(MultipathRequest request) {
        return start(request).result();
    }

    /**
     * Starts a multipath discovery and returns its handle, for cancellation and snapshots.
     *
     * @param request what to discover and how
     * @return the running discovery's handle
     */
    Measurement<MultipathRequest, MultipathResult> start(MultipathRequest request);

    /**
     * Discovers the path MTU at each hop, as tracepath does, and blocks until done: UDP probes that must
     * not be fragmented, TTL by TTL, shrinking to the MTU a router reports (Fragmentation Needed, Packet
     * Too Big), and a search for the largest size that passes where large probes vanish without a report
     * (an MTU black hole); see {@link MtuResult}. Needs a transport with
     * {@link io.pathprobe.spi.TransportCapability#PATH_MTU} (on Linux the unprivileged linux-udp-recverr).
     * If the calling thread is interrupted the discovery is cancelled, the partial result is returned and
     * the interrupt flag is kept.
     *
     * @param request what to measure and how
     * @return the discovery's result, partial if it was cancelled
     * @throws UnknownTargetException if the target does not resolve
     * @throws NoTransportAvailableException if no usable transport can send path MTU probes to this address
     *     family
     * @throws IllegalStateException if the tracer is closed, or when called on its engine thread
     */
    MtuResult discoverMtu(MtuRequest request);

    /**
     * Discovers the path MTU to a host name or literal address with the default options; blocks until done.
     *
     * @param target a host name or literal address
     * @return the discovery's result
     */
    default MtuResult discoverMtu(String target) {
        return discoverMtu(MtuRequest.of(target));
    }

    /**
     * Discovers the path MTU asynchronously. The future completes on the tracer's executor; completing it
     * yourself in any way stops the discovery (use {@link #start} to stop one and still get the
     * partial result).
     *
     * @param request what to measure and how
     * @return a future of the discovery's result
     */
    default CompletableFuture<MtuResult> discoverMtuAsync(MtuRequest request) {
        return start(request).result();
    }

    /**
     * Starts a path MTU discovery and returns its handle, for cancellation and snapshots. A tracer that
     * cannot (an implementation made before it existed) throws {@link UnsupportedOperationException}.
     *
     * @param request what to measure and how
     * @return the running discovery's handle
     */
    Measurement<MtuRequest, MtuResult> start(MtuRequest request);

    /**
     * Measures latency under load (bufferbloat) against a responsiveness server and blocks until done:
     * idle and loaded latency, the DSLReports grade, RPM per draft-ietf-ippm-responsiveness-09 and
     * throughput (see {@link BufferbloatResult}). If the calling thread is interrupted the test is
     * cancelled, the partial result returned and the interrupt flag kept.
     *
     * @param request which server to test against and how
     * @return the test's result, partial if the test was cancelled
     * @throws ResponsivenessServerException if the server cannot be used at all
     * @throws IllegalStateException if the tracer is closed, or when called on its engine thread
     */
    BufferbloatResult testBufferbloat(BufferbloatRequest request);

    /**
     * Measures bufferbloat asynchronously; completing the future yourself stops the test.
     *
     * @param request which server to test against and how
     * @return a future of the test's result
     */
    default CompletableFuture<BufferbloatResult> testBufferbloatAsync(BufferbloatRequest request) {
        return start(request).result();
    }

    /**
     * Starts a bufferbloat test and returns its handle, for progress, cancellation and snapshots.
     *
     * @param request which server to test against and how
     * @return the running test's handle
     */
    Measurement<BufferbloatRequest, BufferbloatResult> start(BufferbloatRequest request);

    /**
     * Traces one target with several protocols at once (ICMP, UDP and TCP to port 443 by default), one Paris
     * trace each in one measurement, and blocks until done: where their paths part and meet again, and after which
     * hop a protocol stops while the others go on (see {@link CompareResult}). One protocol's problem (no transport
     * for it, a send failure) is in its trace (status and note), never an exception. If the calling thread is
     * interrupted the comparison is cancelled, the partial result is returned and the interrupt flag is kept.
     *
     * @param request what to compare and how
     * @return the comparison's result, partial if it was cancelled
     * @throws UnknownTargetException if the target does not resolve
     * @throws IllegalStateException if the tracer is closed, or when called on its engine thread
     */
    CompareResult compare(CompareRequest request);

    /**
     * Compares the protocols' paths to a host name or literal address with the default options; blocks until done.
     *
     * @param target a host name or literal address
     * @return the comparison's result
     */
    default CompareResult compare(String target) {
        return compare(CompareRequest.of(target));
    }

    /**
     * Compares asynchronously. The future completes on the tracer's executor; completing it yourself in any way
     * stops the comparison (use {@link #start} to stop one and still get the partial result).
     *
     * @param request what to compare and how
     * @return a future of the comparison's result
     */
    default CompletableFuture<CompareResult> compareAsync(CompareRequest request) {
        return start(request).result();
    }

    /**
     * Starts a comparison and returns its handle, for cancellation and snapshots (each protocol's trace so far).
     *
     * @param request what to compare and how
     * @return the running comparison's handle
     */
    Measurement<CompareRequest, CompareResult> start(CompareRequest request);

    /**
     * {@return every transport this tracer knows of, best first: what each can do, whether this process can
     * use it and why not, and the counters of those it opened} What {@code pathprobe transports} prints.
     */
    List<TransportInfo> transports();

    /**
     * {@return the name of the transport this tracer uses for the protocol toward IPv4 destinations, e.g.
     * "linux-icmp-dgram"}
     *
     * @param protocol the probe protocol
     * @throws NoTransportAvailableException if none can, listing every transport and why
     */
    String transportName(ProbeProtocol protocol);

    /**
     * {@return what this tracer's enrichment caches (host names, AS numbers) did so far: hits, misses, loads,
     * failures, evictions and DNS queries sent} {@link EnrichmentStatistics#NONE} for an offline tracer.
     */
    default EnrichmentStatistics enrichmentStatistics() {
        return EnrichmentStatistics.NONE;
    }

    /**
     * {@return what this tracer's engine did so far: probes sent, answers matched, late and unmatched, answers
     * the transports dropped (by reason), timeouts, time spent waiting for the rate budget, the
     * measurements running now and each opened transport's counters (see {@link TracerStats})} Cheap:
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
}
