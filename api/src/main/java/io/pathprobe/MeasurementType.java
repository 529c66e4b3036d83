package io.pathprobe;

import io.pathprobe.TracerStats.MeasurementKind;
import io.pathprobe.evidence.MaskedResults;
import io.pathprobe.evidence.MaskedText;
import io.pathprobe.evidence.Masking;
import io.pathprobe.json.MaskedJson;
import io.pathprobe.json.MonitorJson;
import io.pathprobe.json.MtuJson;
import io.pathprobe.json.MultipathJson;
import io.pathprobe.json.PathProbeJson;
import io.pathprobe.json.PingJson;
import io.pathprobe.json.TraceJson;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.mtu.MtuRequest;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.trace.TraceAllRequest;
import io.pathprobe.trace.TraceAllResult;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * One kind of measurement that can be recorded and replayed, named once: its name in recordings and documents
 * ({@code "trace"}, {@code "traceAll"}, {@code "monitor"}, {@code "multipath"}, {@code "mtu"}, {@code "ping"}), its
 * request and result types, how a tracer starts it ({@link PathTracer#start}), and its result's document, plain and
 * masked. Recording, replay and the CLI's {@code replay} ask this class, not a switch of their own.
 *
 * <pre>{@code
 * MeasurementType<?, ?> type = MeasurementType.of(request).orElseThrow();
 * System.out.println(type + " " + type.requestType().getSimpleName()); // "trace TraceRequest"
 * }</pre>
 *
 * @param <Q> the request
 * @param <R> the result
 */
public final class MeasurementType<Q, R> {
    /** A trace: {@link TraceRequest}. */
    public static final MeasurementType<TraceRequest, TraceResult> TRACE = new MeasurementType<>("trace",
            TraceRequest.class, TraceResult.class, MeasurementKind.TRACE, PathTracer::start,
            (q, r) -> TraceJson.write(r),
            (q, r, m, json) -> json ? TraceJson.write(m.apply(r)) : m.apply(r).toString());
    /** Many traces sharing their first hops ({@link TraceAllRequest}); its document lists its traces' documents. */
    public static final MeasurementType<TraceAllRequest, TraceAllResult> TRACE_ALL = new MeasurementType<>("traceAll",
            TraceAllRequest.class, TraceAllResult.class, MeasurementKind.TRACE, PathTracer::start,
            (q, r) -> PathProbeJson.write(r.traces().stream().map(t -> (Object) TraceJson.tree(t)).toList()),
            (q, r, m, json) -> json
                    ? PathProbeJson.write(r.traces().stream().map(t -> (Object) TraceJson.tree(m.apply(t))).toList())
                    : String.join("\n\n", r.traces().stream().map(t -> m.apply(t).toString()).toList()));
    /** A monitor: {@link MonitorRequest}. */
    public static final MeasurementType<MonitorRequest, MonitorResult> MONITOR = new MeasurementType<>("monitor",
            MonitorRequest.class, MonitorResult.class, MeasurementKind.MONITOR, PathTracer::start,
            (q, r) -> MonitorJson.write(r), (q, r, m, json) -> json ? MaskedJson.monitor(r, MaskedResults.learn(m, r))
                    : MaskedText.monitor(r, MaskedResults.learn(m, r)));
    /** A multipath discovery: {@link MultipathRequest}; its masked text is 80 columns wide, as the CLI prints it. */
    public static final MeasurementType<MultipathRequest, MultipathResult> MULTIPATH = new MeasurementType<>(
            "multipath", MultipathRequest.class, MultipathResult.class, MeasurementKind.MULTIPATH, PathTracer::start,
            (q, r) -> MultipathJson.write(r), (q, r, m, json) -> json
                    ? MaskedJson.multipath(r, MaskedResults.learn(m, r))
                    : MaskedText.multipath(r, 80, MaskedResults.learn(m, r)));
    /** A path MTU discovery: {@link MtuRequest}. */
    public static final MeasurementType<MtuRequest, MtuResult> MTU = new MeasurementType<>("mtu",
            MtuRequest.class, MtuResult.class, MeasurementKind.MTU, PathTracer::start, (q, r) -> MtuJson.write(r),
            (q, r, m, json) -> json ? MtuJson.write(m.apply(r)) : m.apply(r).toString());
    /** A ping: {@link PingRequest}; its document needs the request (what was asked of each target). */
    public static final MeasurementType<PingRequest, PingResult> PING = new MeasurementType<>("ping",
            PingRequest.class, PingResult.class, MeasurementKind.PING, PathTracer::start,
            (q, r) -> PingJson.write(r, q),
            (q, r, m, json) -> json ? PingJson.write(m.apply(r), q) : m.apply(r).toString());

    private static final List<MeasurementType<?, ?>> ALL = List.of(TRACE, TRACE_ALL, MONITOR, MULTIPATH, MTU, PING);

    /** A result's masked document or text. */
    private interface Masked<Q, R> {
        String write(Q request, R result, Masking masking, boolean json);
    }

    private final String name;
    private final Class<Q> requestType;
    private final Class<R> resultType;
    private final MeasurementKind kind;
    private final BiFunction<PathTracer, Q, Measurement<Q, R>> start;
    private final BiFunction<Q, R, String> json;
    private final Masked<Q, R> masked;

    private MeasurementType(String name, Class<Q> requestType, Class<R> resultType, MeasurementKind kind,
            BiFunction<PathTracer, Q, Measurement<Q, R>> start, BiFunction<Q, R, String> json, Masked<Q, R> masked) {
        this.name = name;
        this.requestType = requestType;
        this.resultType = resultType;
        this.kind = kind;
        this.start = start;
        this.json = json;
        this.masked = masked;
    }

    /** {@return every type, in the order above} */
    public static List<MeasurementType<?, ?>> all() {
        return ALL;
    }

    /**
     * {@return the type named {@code name} ({@link #name()}), or empty}
     *
     * @param name a type's name, exactly: {@code "traceAll"}
     */
    public static Optional<MeasurementType<?, ?>> named(String name) {
        return ALL.stream().filter(t -> t.name.equals(name)).findFirst();
    }

    /**
     * {@return the type whose request {@code request} is, or empty (a compare or bufferbloat request)}
     *
     * @param request any request
     */
    public static Optional<MeasurementType<?, ?>> of(Object request) {
        return ALL.stream().filter(t -> t.requestType.isInstance(request)).findFirst();
    }

    /** {@return its name in recordings and documents: {@code "trace"}, {@code "traceAll"}, ...} */
    public String name() {
        return name;
    }

    /** {@return the class of its requests: {@code TraceRequest.class}, ...} */
    public Class<Q> requestType() {
        return requestType;
    }

    /** {@return the class of its results: {@code TraceResult.class}, ...} */
    public Class<R> resultType() {
        return resultType;
    }

    /** {@return what {@link TracerStats} counts it as (a traceAll's traces: TRACE)} */
    public MeasurementKind kind() {
        return kind;
    }

    /**
     * {@return {@code tracer.start(request)}}
     *
     * @param tracer the tracer that runs it
     * @param request what to measure
     */
    public Measurement<Q, R> start(PathTracer tracer, Q request) {
        return start.apply(tracer, request);
    }

    /**
     * {@return the result's JSON document, as the CLI's {@code --json} prints it}
     *
     * @param request the request the result answers (a ping's document shows what was asked)
     * @param result the result
     */
    public String json(Q request, R result) {
        return json.apply(request, result);
    }

    /**
     * {@return the result masked as {@code --mask} prints it: its JSON document ({@code json}) or its text}
     *
     * @param request the request the result answers
     * @param result the result
     * @param masking what to hide; {@link Masking#NONE} gives the plain document (or text)
     * @param json the JSON document (true) or the text (false)
     */
    public String masked(Q request, R result, Masking masking, boolean json) {
        return masked.write(request, result, masking, json);
    }

    /**
     * {@return {@link #json(Object, Object)} of a request and result known only as objects of this type}
     *
     * @param request a request of this type
     * @param result a result of this type
     * @throws ClassCastException if either is of another type
     */
    public String jsonOf(Object request, Object result) {
        return json(requestType.cast(request), resultType.cast(result));
    }

    /**
     * {@return {@link #masked(Object, Object, Masking, boolean)} of a request and result of this type}
     *
     * @param request a request of this type
     * @param result a result of this type
     * @param masking what to hide
     * @param json the JSON document (true) or the text (false)
     * @throws ClassCastException if either is of another type
     */
    public String maskedOf(Object request, Object result, Masking masking, boolean json) {
        return masked(requestType.cast(request), resultType.cast(result), masking, json);
    }

    /**
     * {@return {@link #start(PathTracer, Object)} of a request of this type}
     *
     * @param tracer the tracer that runs it
     * @param request a request of this type
     * @throws ClassCastException if it is of another type
     */
    public Measurement<Q, R> startOf(PathTracer tracer, Object request) {
        return start(tracer, requestType.cast(request));
    }

    /** As its name: {@code "trace"}. */
    @Override
    public String toString() {
        return name;
    }
}
