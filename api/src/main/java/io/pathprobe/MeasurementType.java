package io.pathprobe;

import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.compare.CompareRequest;
import io.pathprobe.compare.CompareResult;
import io.pathprobe.evidence.Masking;
import io.pathprobe.json.BufferbloatJson;
import io.pathprobe.json.CompareJson;
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
import java.util.function.Function;

/**
 * A kind of measurement, named once: its name ({@code "trace"}, {@code "traceAll"}, {@code "monitor"},
 * {@code "multipath"}, {@code "mtu"}, {@code "ping"}, {@code "bufferbloat"}, {@code "compare"}), its request and result
 * types, how a tracer starts it ({@link PathTracer#start}), its result's JSON document, whether a recording can hold
 * it and, for those, its masked document. The tracer's statistics count by it ({@link TracerStats#active()});
 * recording, replay, the CLI and the agent ask this class, not a switch of their own.
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
            TraceRequest.class, TraceResult.class, true, PathTracer::start, TraceJson::tree,
            (q, r) -> TraceJson.write(r),
            (q, r, m, json) -> json ? TraceJson.write(m.apply(r)) : m.apply(r).toString());
    /** Many traces sharing their first hops ({@link TraceAllRequest}); its document lists its traces' documents. */
    public static final MeasurementType<TraceAllRequest, TraceAllResult> TRACE_ALL = new MeasurementType<>("traceAll",
            TraceAllRequest.class, TraceAllResult.class, true, PathTracer::start,
            r -> r.traces().stream().map(t -> (Object) TraceJson.tree(t)).toList(),
            (q, r) -> PathProbeJson.write(r.traces().stream().map(t -> (Object) TraceJson.tree(t)).toList()),
            (q, r, m, json) -> json
                    ? PathProbeJson.write(r.traces().stream().map(t -> (Object) TraceJson.tree(m.apply(t))).toList())
                    : String.join("\n\n", r.traces().stream().map(t -> m.apply(t).toString()).toList()));
    /** A monitor: {@link MonitorRequest}. */
    public static final MeasurementType<MonitorRequest, MonitorResult> MONITOR = new MeasurementType<>("monitor",
            MonitorRequest.class, MonitorResult.class, true, PathTracer::start, MonitorJson::tree,
            (q, r) -> MonitorJson.write(r),
            (q, r, m, json) -> json ? MonitorJson.write(m.apply(r)) : m.apply(r).toString());
    /** A multipath discovery: {@link MultipathRequest}; its masked text is 80 columns wide, as the CLI prints it. */
    public static final MeasurementType<MultipathRequest, MultipathResult> MULTIPATH = new MeasurementType<>(
            "multipath", MultipathRequest.class, MultipathResult.class, true, PathTracer::start, MultipathJson::tree,
            (q, r) -> MultipathJson.write(r),
            (q, r, m, json) -> json ? MultipathJson.write(m.apply(r)) : m.apply(r).toText(80));
    /** A path MTU discovery: {@link MtuRequest}. */
    public static final MeasurementType<MtuRequest, MtuResult> MTU = new MeasurementType<>("mtu",
            MtuRequest.class, MtuResult.class, true, PathTracer::start, MtuJson::tree, (q, r) -> MtuJson.write(r),
            (q, r, m, json) -> json ? MtuJson.write(m.apply(r)) : m.apply(r).toString());
    /** A ping: {@link PingRequest}; its document needs the request (what was asked of each target). */
    public static final MeasurementType<PingRequest, PingResult> PING = new MeasurementType<>("ping",
            PingRequest.class, PingResult.class, true, PathTracer::start, PingJson::tree,
            (q, r) -> PingJson.write(r, q),
            (q, r, m, json) -> json ? PingJson.write(m.apply(r), q) : m.apply(r).toString());

    /**
     * A bufferbloat test: {@link BufferbloatRequest}. A recording cannot hold one (its load is TCP traffic, not
     * probes); it has no masked form.
     */
    public static final MeasurementType<BufferbloatRequest, BufferbloatResult> BUFFERBLOAT = new MeasurementType<>(
            "bufferbloat", BufferbloatRequest.class, BufferbloatResult.class, false, PathTracer::start,
            BufferbloatJson::tree, (q, r) -> BufferbloatJson.write(r), MeasurementType::notRecordable);
    /** A comparison of protocols: {@link CompareRequest}. A recording cannot hold one; it has no masked form. */
    public static final MeasurementType<CompareRequest, CompareResult> COMPARE = new MeasurementType<>("compare",
            CompareRequest.class, CompareResult.class, false, PathTracer::start, CompareJson::tree,
            (q, r) -> CompareJson.write(r),
            MeasurementType::notRecordable);

    private static final List<MeasurementType<?, ?>> ALL = List.of(TRACE, TRACE_ALL, PING, MULTIPATH, BUFFERBLOAT,
            MONITOR, MTU, COMPARE);

    /** A result's masked document or text. */
    private interface Masked<Q, R> {
        String write(Q request, R result, Masking masking, boolean json);
    }

    private final String name;
    private final Class<Q> requestType;
    private final Class<R> resultType;
    private final boolean recordable;
    private final BiFunction<PathTracer, Q, Measurement<Q, R>> start;
    private final Function<R, Object> tree;
    private final BiFunction<Q, R, String> json;
    private final Masked<Q, R> masked;

    private MeasurementType(String name, Class<Q> requestType, Class<R> resultType, boolean recordable,
            BiFunction<PathTracer, Q, Measurement<Q, R>> start, Function<R, Object> tree, BiFunction<Q, R, String> json,
            Masked<Q, R> masked) {
        this.name = name;
        this.requestType = requestType;
        this.resultType = resultType;
        this.recordable = recordable;
        this.start = start;
        this.tree = tree;
        this.json = json;
        this.masked = masked;
    }

    /** {@return every type: trace, traceAll, ping, multipath, bufferbloat, monitor, mtu, compare} */
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
     * {@return the type whose request {@code request} is, or empty if it is none of pathprobe's requests}
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

    /** {@return whether a recording can hold it (every type but {@link #BUFFERBLOAT} and {@link #COMPARE})} */
    public boolean recordable() {
        return recordable;
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
     * @throws UnsupportedOperationException if it is not {@link #recordable()}
     */
    public String masked(Q request, R result, Masking masking, boolean json) {
        return masked.write(request, result, masking, json);
    }

    /**
     * {@return the result's document as the maps, lists and values the {@code io.pathprobe.json} writers write (a
     * traceAll's: the list of its traces' documents), for a document that embeds it, as the agent's records do}
     *
     * @param result a result of this type
     * @throws ClassCastException if it is of another type
     */
    public Object treeOf(Object result) {
        return tree.apply(resultType.cast(result));
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

    private static <Q, R> String notRecordable(Q request, R result, Masking masking, boolean json) {
        throw new UnsupportedOperationException("a " + MeasurementType.of(request).map(t -> t.name).orElse("?")
                + " has no masked form: a recording cannot hold one");
    }

    /** As its name: {@code "trace"}. */
    @Override
    public String toString() {
        return name;
    }
}
