package io.pathprobe.evidence.internal;

import static io.pathprobe.evidence.internal.Codec.NODES;
import static io.pathprobe.evidence.internal.Codec.bool;
import static io.pathprobe.evidence.internal.Codec.enumValue;
import static io.pathprobe.evidence.internal.Codec.integer;
import static io.pathprobe.evidence.internal.Codec.number;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pathprobe.MeasurementType;
import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.monitor.MonitorListener;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.mtu.MtuListener;
import io.pathprobe.mtu.MtuRequest;
import io.pathprobe.multipath.MultipathAlgorithm;
import io.pathprobe.multipath.MultipathListener;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.options.ProbeOption;
import io.pathprobe.options.ProbeOptions;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingListener;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.probe.IpVersion;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.TcpMode;
import io.pathprobe.trace.TraceAllListener;
import io.pathprobe.trace.TraceAllRequest;
import io.pathprobe.trace.TraceListener;
import io.pathprobe.trace.TraceRequest;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Requests as JSON and back, without their listeners (but whether they had one). Reading sets only what differs
 * from the defaults of a request built the same way (target and protocol), so a read request is the one recorded,
 * "given" flags included.
 */
final class RequestCodec {
    private RequestCodec() {}

    /** The measurement a request starts: {@code trace}, {@code traceAll}, ... */
    static String kind(Object request) {
        return MeasurementType.of(request).filter(MeasurementType::recordable).map(MeasurementType::name)
                .orElseThrow(() -> new IllegalArgumentException("not recorded: " + request.getClass().getSimpleName()));
    }

    /**
     * One kind's request as JSON and back, and its listener: what this class knows of each {@link MeasurementType}.
     *
     * @param listener the request's listener
     * @param none the kind's listener that does nothing ({@code TraceListener.NONE}, ...)
     * @param withListener the request with another listener (of the kind's listener type)
     * @param quiet a new listener that does nothing, not {@code none}
     */
    private record Kind<Q>(MeasurementType<Q, ?> type, Function<Q, ObjectNode> write, Function<JsonNode, Q> read,
            Function<Q, Object> listener, Object none, BiFunction<Q, Object, Q> withListener, Supplier<Object> quiet) {
        Q cast(Object request) {
            return type.requestType().cast(request);
        }

        ObjectNode writeOf(Object request) {
            return write.apply(cast(request));
        }

        boolean listened(Object request) {
            return listener.apply(cast(request)) != none;
        }

        Object withListenerOf(Object request, Object from) {
            return withListener.apply(cast(request), listener.apply(cast(from)));
        }

        Object withQuietListener(Object request) {
            return withListener.apply(cast(request), quiet.get());
        }
    }

    private static final List<Kind<?>> KINDS = List.of(
            new Kind<>(MeasurementType.TRACE, RequestCodec::trace, RequestCodec::trace, TraceRequest::listener,
                    TraceListener.NONE, (r, l) -> r.toBuilder().listener((TraceListener) l).build(),
                    () -> new TraceListener() {}),
            new Kind<>(MeasurementType.TRACE_ALL, RequestCodec::traceAll, RequestCodec::traceAll,
                    TraceAllRequest::listener, TraceAllListener.NONE, RequestCodec::traceAllWith,
                    () -> new TraceAllListener() {}),
            new Kind<>(MeasurementType.MONITOR, RequestCodec::monitor, RequestCodec::monitor, MonitorRequest::listener,
                    MonitorListener.NONE, (r, l) -> r.toBuilder().listener((MonitorListener) l).build(),
                    () -> new MonitorListener() {}),
            new Kind<>(MeasurementType.MULTIPATH, RequestCodec::multipath, RequestCodec::multipath,
                    MultipathRequest::listener, MultipathListener.NONE,
                    (r, l) -> r.toBuilder().listener((MultipathListener) l).build(), () -> new MultipathListener() {}),
            new Kind<>(MeasurementType.MTU, RequestCodec::mtu, RequestCodec::mtu, MtuRequest::listener,
                    MtuListener.NONE, (r, l) -> r.toBuilder().listener((MtuListener) l).build(),
                    () -> new MtuListener() {}),
            new Kind<>(MeasurementType.PING, RequestCodec::ping, RequestCodec::ping, PingRequest::listener,
                    PingListener.NONE, (r, l) -> r.toBuilder().listener((PingListener) l).build(),
                    () -> new PingListener() {}));

    private static Kind<?> kindOf(Object request) {
        for (Kind<?> k : KINDS) {
            if (k.type().requestType().isInstance(request)) {
                return k;
            }
        }
        throw new IllegalArgumentException("not recorded: " + request.getClass().getSimpleName());
    }

    /**
     * The request as JSON, and whether it had a listener ({@code "listener": true}): the engine does work for a
     * listener that it does not do without one (a trace's per-probe events, a ping's reply events), so a replay
     * gives a request that had one a listener of its own (see {@link #read}); the listener itself is the
     * application's, and is not written.
     */
    static ObjectNode write(Object request) {
        Kind<?> k = kindOf(request);
        ObjectNode n = k.writeOf(request);
        if (k.listened(request)) {
            n.put("listener", true);
        }
        return n;
    }

    /** {@return whether {@code request} has a listener other than its kind's no-op one} */
    static boolean listened(Object request) {
        return MeasurementType.of(request).filter(MeasurementType::recordable).isPresent()
                && kindOf(request).listened(request);
    }

    /**
     * The request {@code n} holds; one that had a listener gets one that does nothing (an instance of its own, not
     * the kind's {@code NONE}), so that the engine does the work it did for the recorded one.
     */
    static Object read(String kind, JsonNode n) {
        Kind<?> k = KINDS.stream().filter(x -> x.type().name().equals(kind)).findFirst()
                .orElseThrow(() -> new Codec.BadRecord("unknown measurement \"" + kind + "\""));
        Object request = k.read().apply(n);
        return n.path("listener").asBoolean(false) ? k.withQuietListener(request) : request;
    }

    /** {@code request} (a request as read) with the listener of {@code from}, a request of the same kind. */
    static Object withListenerOf(Object request, Object from) {
        Kind<?> k = kindOf(request);
        if (!k.type().requestType().isInstance(from)) {
            throw new IllegalArgumentException("not the same kind: " + request.getClass().getSimpleName() + ", "
                    + from.getClass().getSimpleName());
        }
        return k.withListenerOf(request, from);
    }

    /** {@code request} with a listener that does nothing. */
    static Object withListener(Object request) {
        return kindOf(request).withQuietListener(request);
    }

    // ---- traceAll -------------------------------------------------------------------------------

    private static ObjectNode traceAll(TraceAllRequest r) {
        ObjectNode n = NODES.objectNode();
        ArrayNode t = n.putArray("targets");
        r.targets().forEach(t::add);
        n.set("trace", trace(r.trace()));
        n.put("concurrency", r.concurrency());
        n.put("stopSet", r.stopSet());
        r.deadline().ifPresent(d -> n.put("deadlineNanos", d.toNanos()));
        return n;
    }

    private static TraceAllRequest traceAll(JsonNode n) {
        List<String> targets = new ArrayList<>();
        n.path("targets").forEach(t -> targets.add(t.asText()));
        TraceAllRequest.Builder b = TraceAllRequest.builder(targets).trace(trace(n.path("trace")))
                .concurrency(integer(n, "concurrency")).stopSet(bool(n, "stopSet"));
        if (n.has("deadlineNanos")) {
            b.deadline(Duration.ofNanos(number(n, "deadlineNanos")));
        }
        return b.build();
    }

    private static TraceAllRequest traceAllWith(TraceAllRequest r, Object listener) {
        TraceAllRequest.Builder b = TraceAllRequest.builder(r.targets()).trace(r.trace()).concurrency(r.concurrency())
                .stopSet(r.stopSet()).listener((TraceAllListener) listener);
        r.deadline().ifPresent(b::deadline);
        return b.build();
    }

    // ---- trace ----------------------------------------------------------------------------------

    private static ObjectNode trace(TraceRequest r) {
        ObjectNode n = target(r.target(), r.address().orElse(null));
        ArrayNode p = n.putArray("protocols");
        r.protocols().forEach(x -> p.add(x.name()));
        n.put("automaticProtocol", r.automaticProtocol());
        n.put("firstTtl", r.firstTtl());
        n.put("maxTtl", r.maxTtl());
        n.put("probesPerTtl", r.probesPerTtl());
        n.put("probeTimeoutNanos", r.probeTimeout().toNanos());
        n.put("deadlineNanos", r.deadline().toNanos());
        n.put("maxInFlight", r.maxInFlight());
        n.put("sequential", r.sequential());
        n.put("adaptiveWait", r.adaptiveWait());
        n.put("refillRetry", r.refillRetry());
        n.put("destinationPort", r.destinationPort());
        n.put("flowMode", r.flowMode().name());
        n.put("flowModeGiven", r.flowModeGiven());
        n.put("flows", r.flows());
        n.put("ipVersion", r.ipVersion().name());
        n.put("enrich", r.enrich().name());
        n.put("tcpMode", r.tcpMode().name());
        return shared(n, r.options());
    }

    private static TraceRequest trace(JsonNode n) {
        InetAddress address = address(n);
        TraceRequest.Builder b = address != null ? TraceRequest.builder(address) : TraceRequest.builder(target(n));
        List<ProbeProtocol> protocols = new ArrayList<>();
        n.path("protocols").forEach(x -> protocols.add(ProbeProtocol.valueOf(x.asText())));
        if (protocols.isEmpty()) {
            throw new Codec.BadRecord("a trace request without protocols");
        }
        if (bool(n, "automaticProtocol")) {
            b.automaticProtocol(protocols.get(0), protocols.subList(1, protocols.size()).toArray(ProbeProtocol[]::new));
        } else {
            b.protocol(protocols.get(0));
        }
        if (bool(n, "flowModeGiven")) {
            b.flowMode(enumValue(FlowMode.class, n, "flowMode"));
        }
        TraceRequest d = b.build();
        set(d.flows(), integer(n, "flows"), b::flows);
        set(d.firstTtl(), integer(n, "firstTtl"), b::firstTtl);
        set(d.maxTtl(), integer(n, "maxTtl"), b::maxTtl);
        set(d.probesPerTtl(), integer(n, "probesPerTtl"), b::probesPerTtl);
        set(d.probeTimeout(), nanos(n, "probeTimeoutNanos"), b::probeTimeout);
        set(d.deadline(), nanos(n, "deadlineNanos"), b::deadline);
        set(d.maxInFlight(), integer(n, "maxInFlight"), b::maxInFlight);
        set(d.sequential(), bool(n, "sequential"), b::sequential);
        set(d.adaptiveWait(), bool(n, "adaptiveWait"), b::adaptiveWait);
        set(d.refillRetry(), bool(n, "refillRetry"), b::refillRetry);
        set(d.destinationPort(), integer(n, "destinationPort"), b::destinationPort);
        set(d.ipVersion(), enumValue(IpVersion.class, n, "ipVersion"), b::ipVersion);
        set(d.enrich(), enumValue(EnrichMode.class, n, "enrich"), b::enrich);
        set(d.tcpMode(), enumValue(TcpMode.class, n, "tcpMode"), b::tcpMode);
        return shared(n, d.options(), b).build();
    }

    // ---- monitor --------------------------------------------------------------------------------

    private static ObjectNode monitor(MonitorRequest r) {
        ObjectNode n = NODES.objectNode();
        n.set("trace", trace(r.trace()));
        n.put("intervalNanos", r.interval().toNanos());
        r.rounds().ifPresent(x -> n.put("rounds", x));
        n.put("window", r.window());
        r.lossThreshold().ifPresent(x -> n.put("lossThreshold", x));
        r.latencyThreshold().ifPresent(x -> n.put("latencyThresholdNanos", x.toNanos()));
        n.put("destinationLostAfter", r.destinationLostAfter());
        r.deadline().ifPresent(x -> n.put("deadlineNanos", x.toNanos()));
        n.put("enrich", r.enrich().name());
        return n;
    }

    private static MonitorRequest monitor(JsonNode n) {
        MonitorRequest.Builder b = MonitorRequest.builder(trace(n.path("trace")));
        MonitorRequest d = b.build();
        set(d.interval(), nanos(n, "intervalNanos"), b::interval);
        if (n.has("rounds")) {
            b.rounds(number(n, "rounds"));
        }
        set(d.window(), integer(n, "window"), b::window);
        if (n.has("lossThreshold")) {
            b.lossThreshold(n.get("lossThreshold").asDouble());
        }
        if (n.has("latencyThresholdNanos")) {
            b.latencyThreshold(nanos(n, "latencyThresholdNanos"));
        }
        set(d.destinationLostAfter(), integer(n, "destinationLostAfter"), b::destinationLostAfter);
        if (n.has("deadlineNanos")) {
            b.deadline(nanos(n, "deadlineNanos"));
        }
        set(d.enrich(), enumValue(EnrichMode.class, n, "enrich"), b::enrich);
        return b.build();
    }

    // ---- multipath, MTU -------------------------------------------------------------------------

    private static ObjectNode multipath(MultipathRequest r) {
        ObjectNode n = target(r.target(), r.address().orElse(null));
        n.put("protocol", r.protocol().name());
        n.put("ipVersion", r.ipVersion().name());
        n.put("destinationPort", r.destinationPort());
        n.put("firstTtl", r.firstTtl());
        n.put("maxTtl", r.maxTtl());
        n.put("confidence", r.confidence());
        n.put("algorithm", r.algorithm().name());
        n.put("maxProbes", r.maxProbes());
        n.put("probesPerTtl", r.probesPerTtl());
        n.put("gapLimit", r.gapLimit());
        n.put("probeTimeoutNanos", r.probeTimeout().toNanos());
        n.put("deadlineNanos", r.deadline().toNanos());
        n.put("pathProbes", r.pathProbes());
        n.put("pathIntervalNanos", r.pathInterval().toNanos());
        n.put("enrich", r.enrich().name());
        return shared(n, r.options());
    }

    private static MultipathRequest multipath(JsonNode n) {
        InetAddress address = address(n);
        MultipathRequest.Builder b = address != null ? MultipathRequest.builder(address)
                : MultipathRequest.builder(target(n));
        MultipathRequest d = b.build();
        set(d.protocol(), enumValue(ProbeProtocol.class, n, "protocol"), b::protocol);
        d = b.build();
        set(d.ipVersion(), enumValue(IpVersion.class, n, "ipVersion"), b::ipVersion);
        set(d.destinationPort(), integer(n, "destinationPort"), b::destinationPort);
        set(d.firstTtl(), integer(n, "firstTtl"), b::firstTtl);
        set(d.maxTtl(), integer(n, "maxTtl"), b::maxTtl);
        set(d.confidence(), n.path("confidence").asDouble(), b::confidence);
        set(d.algorithm(), enumValue(MultipathAlgorithm.class, n, "algorithm"), b::algorithm);
        set(d.maxProbes(), integer(n, "maxProbes"), b::maxProbes);
        set(d.probesPerTtl(), integer(n, "probesPerTtl"), b::probesPerTtl);
        set(d.gapLimit(), integer(n, "gapLimit"), b::gapLimit);
        set(d.probeTimeout(), nanos(n, "probeTimeoutNanos"), b::probeTimeout);
        set(d.deadline(), nanos(n, "deadlineNanos"), b::deadline);
        set(d.pathProbes(), integer(n, "pathProbes"), b::pathProbes);
        set(d.pathInterval(), nanos(n, "pathIntervalNanos"), b::pathInterval);
        set(d.enrich(), enumValue(EnrichMode.class, n, "enrich"), b::enrich);
        return shared(n, d.options(), b).build();
    }

    private static ObjectNode mtu(MtuRequest r) {
        ObjectNode n = target(r.target(), r.address().orElse(null));
        n.put("ipVersion", r.ipVersion().name());
        n.put("destinationPort", r.destinationPort());
        n.put("firstTtl", r.firstTtl());
        n.put("maxTtl", r.maxTtl());
        n.put("maxSize", r.maxSize());
        n.put("probesPerTtl", r.probesPerTtl());
        n.put("probeTimeoutNanos", r.probeTimeout().toNanos());
        n.put("deadlineNanos", r.deadline().toNanos());
        return shared(n, r.options());
    }

    private static MtuRequest mtu(JsonNode n) {
        InetAddress address = address(n);
        MtuRequest.Builder b = address != null ? MtuRequest.builder(address) : MtuRequest.builder(target(n));
        MtuRequest d = b.build();
        set(d.ipVersion(), enumValue(IpVersion.class, n, "ipVersion"), b::ipVersion);
        set(d.destinationPort(), integer(n, "destinationPort"), b::destinationPort);
        set(d.firstTtl(), integer(n, "firstTtl"), b::firstTtl);
        set(d.maxTtl(), integer(n, "maxTtl"), b::maxTtl);
        set(d.maxSize(), integer(n, "maxSize"), b::maxSize);
        set(d.probesPerTtl(), integer(n, "probesPerTtl"), b::probesPerTtl);
        set(d.probeTimeout(), nanos(n, "probeTimeoutNanos"), b::probeTimeout);
        set(d.deadline(), nanos(n, "deadlineNanos"), b::deadline);
        return shared(n, d.options(), b).build();
    }

    // ---- ping -----------------------------------------------------------------------------------

    private static ObjectNode ping(PingRequest r) {
        ObjectNode n = NODES.objectNode();
        ArrayNode t = n.putArray("targets");
        r.targets().forEach(t::add);
        ArrayNode k = n.putArray("kinds");
        r.kinds().forEach(x -> k.add(x.name()));
        n.put("automaticKind", r.automaticKind());
        n.put("count", r.count());
        n.put("intervalNanos", r.interval().toNanos());
        n.put("subMillisecondInterval", r.subMillisecondIntervalAllowed());
        r.gapGiven().ifPresent(g -> n.put("gapNanos", g.toNanos()));
        n.put("probeTimeoutNanos", r.probeTimeout().toNanos());
        n.put("ttl", r.ttl());
        r.payloadSize().ifPresent(x -> n.put("payloadSize", x));
        n.put("destinationPort", r.destinationPort());
        n.put("ipVersion", r.ipVersion().name());
        r.deadline().ifPresent(x -> n.put("deadlineNanos", x.toNanos()));
        n.put("enrich", r.enrich().name());
        n.put("recentProbes", r.recentProbes());
        return shared(n, r.options());
    }

    private static PingRequest ping(JsonNode n) {
        List<String> targets = new ArrayList<>();
        n.path("targets").forEach(x -> targets.add(x.asText()));
        PingRequest.Builder b = PingRequest.builder(targets.toArray(String[]::new));
        if (!bool(n, "automaticKind")) {
            b.kind(firstOf(PingKind.class, n.path("kinds")));
        }
        if (bool(n, "subMillisecondInterval")) {
            b.allowSubMillisecondInterval();
        }
        PingRequest d = b.build();
        long count = number(n, "count");
        if (count == 0) {
            b.untilCancelled();
        } else {
            set(d.count(), count, b::count);
        }
        set(d.interval(), nanos(n, "intervalNanos"), b::interval);
        if (n.has("gapNanos")) {
            b.gap(nanos(n, "gapNanos"));
        }
        set(d.probeTimeout(), nanos(n, "probeTimeoutNanos"), b::probeTimeout);
        set(d.ttl(), integer(n, "ttl"), b::ttl);
        if (n.has("payloadSize")) {
            b.payloadSize(integer(n, "payloadSize"));
        }
        set(d.destinationPort(), integer(n, "destinationPort"), b::destinationPort);
        set(d.ipVersion(), enumValue(IpVersion.class, n, "ipVersion"), b::ipVersion);
        if (n.has("deadlineNanos")) {
            b.deadline(nanos(n, "deadlineNanos"));
        }
        set(d.enrich(), enumValue(EnrichMode.class, n, "enrich"), b::enrich);
        // a recording made while the cap was 100,000 replays with the window the cap allows now (its result then
        // differs from the recorded one where it kept more, and the replay says so)
        set(d.recentProbes(), Math.min(integer(n, "recentProbes"), PingRequest.MAX_RECENT_PROBES), b::recentProbes);
        return shared(n, d.options(), b).build();
    }

    // ---- helpers --------------------------------------------------------------------------------

    /**
     * The options of {@link ProbeOptions#OPTIONS} that a probing request (trace, multipath, MTU, ping) records after
     * its own fields, in the table's order, each that its options hold: all but the nine its kind writes among its
     * own fields as the request has them (a ping's TTL, a trace's port 0 for its protocol's), which were first.
     */
    private static final List<ProbeOption<?>> SHARED = ProbeOptions.OPTIONS.stream()
            .filter(o -> !Set.of("ipVersion", "protocol", "destinationPort", "firstTtl", "maxTtl", "probesPerTtl",
                    "probeTimeout", "deadline", "enrich").contains(o.name()))
            .toList();

    private static ObjectNode shared(ObjectNode n, ProbeOptions options) {
        for (ProbeOption<?> o : SHARED) {
            o.in(options).ifPresent(v -> n.set(Codec.key(o.name(), o.type()), Codec.value(v)));
        }
        return n;
    }

    /** Sets each shared option {@code n} holds that differs from {@code defaults} (one it lacks keeps its default). */
    private static <B extends ProbeOptions.Common<B>> B shared(JsonNode n, ProbeOptions defaults, B b) {
        ProbeOptions.Builder read = ProbeOptions.builder();
        for (ProbeOption<?> o : SHARED) {
            String key = Codec.key(o.name(), o.type());
            Object v = n.has(key) ? Codec.value(o.type(), n, key) : null;
            if (v != null && !o.in(defaults).equals(Optional.of(v))) {
                o.set(read, v);
            }
        }
        return b.options(read.build());
    }

    private static ObjectNode target(String target, @org.jspecify.annotations.Nullable InetAddress address) {
        ObjectNode n = NODES.objectNode();
        n.put("target", target);
        if (address != null) {
            n.put("address", Codec.text(address));
        }
        return n;
    }

    private static String target(JsonNode n) {
        return Codec.string(n, "target");
    }

    private static @org.jspecify.annotations.Nullable InetAddress address(JsonNode n) {
        return n.has("address") ? Codec.address(n, "address") : null;
    }

    private static Duration nanos(JsonNode n, String field) {
        return Duration.ofNanos(number(n, field));
    }

    private static <E extends Enum<E>> E firstOf(Class<E> type, JsonNode array) {
        JsonNode v = array.get(0);
        if (v == null) {
            throw new Codec.BadRecord("an empty list of " + type.getSimpleName());
        }
        try {
            return Enum.valueOf(type, v.asText());
        } catch (IllegalArgumentException e) {
            throw new Codec.BadRecord("unknown " + type.getSimpleName() + " " + v.asText());
        }
    }

    private static <T> void set(T defaultValue, T value, Consumer<T> setter) {
        if (!Objects.equals(defaultValue, value)) {
            setter.accept(value);
        }
    }
}
