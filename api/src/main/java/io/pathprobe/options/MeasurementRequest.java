package io.pathprobe.options;

import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.trace.TraceAllRequest;

/**
 * What a tracer measures, whatever its kind: the request of a trace, a traceAll, a ping, a monitor, a multipath
 * discovery, a path MTU discovery, a bufferbloat test or a comparison. Its type names its result's, so that one
 * {@link io.pathprobe.PathTracer#start}, one {@link io.pathprobe.PathTracer#measure} and one
 * {@link io.pathprobe.PathTracer#measureAsync} serve every kind:
 *
 * <pre>{@code
 * TraceResult trace = tracer.measure(TraceRequest.of("198.19.0.1"));
 * Measurement<PingRequest, PingResult> ping = tracer.start(PingRequest.of("198.19.0.1"));
 * }</pre>
 *
 * <p>Sealed: the kinds are the library's, each with its own engine; {@link io.pathprobe.MeasurementType} names each.
 * It sits with the options every request shares, below the packages of the requests and of the
 * tracer, so that the API keeps no package cycle.
 *
 * @param <R> the result a measurement of it gives
 */
public sealed interface MeasurementRequest<R> permits PathRequest, TraceAllRequest, PingRequest, MonitorRequest,
        BufferbloatRequest {
    /**
     * {@return what it measures, as given: a trace's, monitor's, multipath discovery's, path MTU discovery's or
     * compare's one target, a traceAll's or ping's every one, a bufferbloat test's server URL}
     */
    java.util.List<String> targets();
}
