package io.pathprobe.otel;

import static io.pathprobe.otel.PathAttributes.*;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.pathprobe.MeasurementType;
import io.pathprobe.check.Assertion;
import io.pathprobe.check.Assertions;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Responder;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.PathHop;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.HeaderChange;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceAllResult;
import io.pathprobe.trace.TraceResult;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A measurement's result as OpenTelemetry spans, made through the OpenTelemetry API alone: the application's own SDK
 * (its exporter, its batching, its resource) exports them. A span per measurement (a trace, each target of a traceAll,
 * each path of a multipath discovery, a monitor's round, each target of a ping), from the measurement's own start to
 * its end, status {@link StatusCode#ERROR} when the destination did not answer; under it a child span per hop, in TTL
 * order, with the hop's statistics. The measurement span is a child of the current span, if there is one. The
 * attributes are {@link PathAttributes}'s (docs/otel.md).
 *
 * <pre>{@code
 * PathSpans spans = new PathSpans(GlobalOpenTelemetry.get());
 * spans.trace(tracer.trace(TraceRequest.of("example.net")));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class PathSpans {
    /** The instrumentation scope its tracer is named by: {@code "io.pathprobe"}. */
    public static final String SCOPE = "io.pathprobe";

    private final Tracer tracer;

    /**
     * Spans made by {@code openTelemetry}'s tracer of scope {@link #SCOPE}.
     *
     * @param openTelemetry the application's OpenTelemetry
     */
    public PathSpans(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(SCOPE);
    }

    /**
     * The spans of a result whose kind is known as its {@link MeasurementType}: a trace, traceAll, monitor (its last
     * round), multipath discovery or ping. The other kinds (a path MTU discovery, a bufferbloat test, a comparison)
     * have no spans.
     *
     * @param type the result's type
     * @param result a result of that type
     * @return whether it made spans (not for those kinds, nor for a monitor that completed no round)
     * @throws ClassCastException if {@code result} is not of {@code type}
     */
    public boolean record(MeasurementType<?, ?> type, Object result) {
        if (type == MeasurementType.TRACE) {
            trace(MeasurementType.TRACE.resultType().cast(result));
        } else if (type == MeasurementType.TRACE_ALL) {
            traceAll(MeasurementType.TRACE_ALL.resultType().cast(result));
        } else if (type == MeasurementType.MONITOR) {
            Optional<MonitorRound> round = MeasurementType.MONITOR.resultType().cast(result).lastRound();
            round.ifPresent(this::monitorRound);
            return round.isPresent();
        } else if (type == MeasurementType.MULTIPATH) {
            multipath(MeasurementType.MULTIPATH.resultType().cast(result));
        } else if (type == MeasurementType.PING) {
            ping(MeasurementType.PING.resultType().cast(result));
        } else {
            return false;
        }
        return true;
    }

    /**
     * A trace's span and its hops'.
     *
     * @param trace the trace's result
     */
    public void trace(TraceResult trace) {
        trace(trace, "trace", Attributes.empty());
    }

    /**
     * A span per target of a traceAll, each as {@link #trace(TraceResult)}'s.
     *
     * @param traceAll the traceAll's result
     */
    public void traceAll(TraceAllResult traceAll) {
        traceAll.traces().forEach(t -> trace(t, "traceAll", Attributes.empty()));
    }

    /**
     * A monitor round's span: its trace's, with the round's number.
     *
     * @param round the round
     */
    public void monitorRound(MonitorRound round) {
        trace(round.trace(), "monitor", Attributes.of(ROUND, round.number()));
    }

    /**
     * A span per path of a multipath discovery, a child per hop of the path.
     *
     * @param multipath the discovery's result
     */
    public void multipath(MultipathResult multipath) {
        Instant start = multipath.startedAt();
        Instant end = start.plus(multipath.duration());
        for (MultipathPath p : multipath.paths()) {
            AttributesBuilder a = measurement("multipath", multipath.request().target(),
                    Optional.of(multipath.destination()), transport(multipath.protocol()), multipath.status().name(),
                    multipath.destinationReached())
                    .put(HOP_COUNT, p.hops().size())
                    .put(PATH_ID, List.of(Assertion.PathId.idOf(p.hops().stream().map(PathHop::address).toList())));
            Span span = start("pathprobe multipath", a.build(), start, multipath.destinationReached());
            for (PathHop h : p.hops()) {
                AttributesBuilder c = Attributes.builder().put(TTL, h.ttl());
                h.address().ifPresent(x -> c.put(NETWORK_PEER_ADDRESS, AddressText.of(x)));
                statistics(c, h.statistics());
                hop(span, c.build(), start, end);
            }
            span.end(end);
        }
    }

    /**
     * A span per target of a ping, without children: its statistics are the span's.
     *
     * @param ping the ping's result
     */
    public void ping(PingResult ping) {
        Instant start = ping.startedAt();
        for (PingTargetResult t : ping.targets()) {
            PingStatistics s = t.statistics();
            boolean reached = s.received() > 0;
            String transport = t.kind().application() ? null : t.kind().name().toLowerCase(Locale.ROOT);
            AttributesBuilder a = measurement("ping", t.target(), t.address(), transport, ping.status().name(), reached)
                    .put(PROBES_SENT, s.sent()).put(PROBES_ANSWERED, s.received());
            t.hostname().value().ifPresent(n -> a.put(NAMES, List.of(n)));
            as(a, t.asn().value());
            long lost = s.lost() - s.mayBeRefused(); // what a rate limit could have refused is not claimed
            share(a, LOSS, lost, s.received() + lost);
            share(a, RATE_LIMITED, s.rateLimited(), s.sent());
            s.rtt().ifPresent(r -> rtt(a, r));
            start("pathprobe ping", a.build(), start, reached).end(start.plus(ping.duration()));
        }
    }

    private void trace(TraceResult t, String kind, Attributes extra) {
        Instant start = t.startedAt();
        Instant end = start.plus(t.duration());
        AttributesBuilder a = measurement(kind, t.target(), t.destination(), transport(t.protocol()), t.status().name(),
                t.destinationReached())
                .put(HOP_COUNT, t.hops().size()).put(PATH_ID, Assertions.pathIds(t)).putAll(extra);
        Span span = start("pathprobe " + kind, a.build(), start, t.destinationReached());
        for (Hop h : t.hops()) {
            hop(span, hopAttributes(h), start, end);
        }
        span.end(end);
    }

    /** {@return a trace hop's attributes} */
    static Attributes hopAttributes(Hop h) {
        AttributesBuilder a = Attributes.builder().put(TTL, h.ttl());
        h.address().ifPresent(x -> a.put(NETWORK_PEER_ADDRESS, AddressText.of(x)));
        if (!h.responders().isEmpty()) {
            a.put(RESPONDERS, h.responders().stream().map(r -> AddressText.of(r.address())).toList());
        }
        List<String> names = h.responders().stream().map(Responder::hostname)
                .flatMap(n -> n.value().stream()).toList();
        if (!names.isEmpty()) {
            a.put(NAMES, names);
        }
        as(a, h.asn().value());
        if (h.isDestination()) {
            a.put(DESTINATION, true);
        }
        statistics(a, h.statistics());
        List<HeaderChange> changes = h.headerChanges();
        if (!changes.isEmpty()) {
            a.put(HEADER_CHANGES, changes.stream().map(HeaderChange::toString).toList());
        }
        h.probes().stream().map(ProbeResult::mplsLabels).filter(l -> !l.isEmpty()).findFirst()
                .ifPresent(l -> a.put(MPLS_LABELS, l.stream().map(m -> (long) m.label()).toList()));
        return a.build();
    }

    private static void statistics(AttributesBuilder a, HopStatistics s) {
        a.put(PROBES_SENT, s.sent()).put(PROBES_ANSWERED, s.received());
        share(a, LOSS, s.decidedLost(), s.received() + s.decidedLost());
        share(a, RATE_LIMITED, s.rateLimited(), s.sent());
        s.rtt().ifPresent(r -> rtt(a, r));
    }

    private static void share(AttributesBuilder a, AttributeKey<Double> key, long part,
            long whole) {
        if (whole > 0) {
            a.put(key, (double) part / whole);
        }
    }

    private static void rtt(AttributesBuilder a, RttStatistics r) {
        a.put(RTT_MIN, ms(r.min())).put(RTT_AVG, ms(r.avg())).put(RTT_MAX, ms(r.max())).put(RTT_STDDEV, ms(r.stdDev()));
    }

    private static void as(AttributesBuilder a, Optional<AsnInfo> asn) {
        asn.ifPresent(x -> {
            a.put(AS_NUMBER, x.number());
            x.name().ifPresent(n -> a.put(AS_NAME, n));
        });
    }

    /** {@return {@code d} in milliseconds, to the nanosecond} */
    static double ms(Duration d) {
        return d.toNanos() / 1e6;
    }

    private static AttributesBuilder measurement(String kind, String target, Optional<InetAddress> destination,
            @Nullable String transport, String status, boolean reached) {
        AttributesBuilder a = Attributes.builder().put(MEASUREMENT, kind).put(SERVER_ADDRESS, target)
                .put(STATUS, status).put(REACHED, reached);
        destination.ifPresent(d -> a.put(NETWORK_PEER_ADDRESS, AddressText.of(d))
                .put(NETWORK_TYPE, d instanceof Inet6Address ? "ipv6" : "ipv4"));
        if (transport != null) {
            a.put(NETWORK_TRANSPORT, transport);
        }
        return a;
    }

    private static String transport(ProbeProtocol p) {
        return p.name().toLowerCase(Locale.ROOT);
    }

    private Span start(String name, Attributes attributes, Instant start, boolean reached) {
        Span span = tracer.spanBuilder(name).setSpanKind(SpanKind.CLIENT).setStartTimestamp(start)
                .setAllAttributes(attributes).startSpan();
        if (!reached) {
            span.setStatus(StatusCode.ERROR, "the destination did not answer");
        }
        return span;
    }

    private void hop(Span parent, Attributes attributes, Instant start, Instant end) {
        tracer.spanBuilder("pathprobe hop").setParent(Context.current().with(parent)).setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(start).setAllAttributes(attributes).startSpan().end(end);
    }
}
