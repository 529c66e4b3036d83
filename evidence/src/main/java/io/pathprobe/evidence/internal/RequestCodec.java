package io.pathprobe.evidence.internal;

import static io.pathprobe.evidence.internal.Codec.NODES;
import static io.pathprobe.evidence.internal.Codec.bool;
import static io.pathprobe.evidence.internal.Codec.enumValue;
import static io.pathprobe.evidence.internal.Codec.integer;
import static io.pathprobe.evidence.internal.Codec.number;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.monitor.MonitorListener;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.mtu.MtuListener;
import io.pathprobe.mtu.MtuRequest;
import io.pathprobe.multipath.MultipathAlgorithm;
import io.pathprobe.multipath.MultipathListener;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingListener;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.probe.IpVersion;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.TrafficClass;
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
import java.util.function.Consumer;

/**
 * Requests as JSON and back, without their listeners (but whether they had one). Reading sets only what differs
 * from the defaults of a request built the same way (target and protocol), so a read request is the one recorded,
 * "given" flags included.
 */
final class RequestCodec {
    private RequestCodec() {}

    /** The measurement a request starts: {@code trace}, {@code traceAll}, ... */
    static String kind(Object request) {
        if (request instanceof TraceRequest) {
            return "trace";
        } else if (request instanceof TraceAllRequest) {
            return "traceAll";
        } else if (request instanceof MonitorRequest) {
            return "monitor";
        } else if (request instanceof MultipathRequest) {
            return "multipath";
        } else if (request instanceof MtuRequest) {
            return "mtu";
        } else if (request instanceof PingRequest) {
            return "ping";
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
        ObjectNode n = body(request);
        if (listened(request)) {
            n.put("listener", true);
        }
        return n;
    }

    /** {@return whether {@code request} has a listener other than its kind's no-op one} */
    static boolean listened(Object request) {
        if (request instanceof TraceRequest r) {
            return r.listener() != TraceListener.NONE;
        } else if (request instanceof TraceAllRequest r) {
            return r.listener() != TraceAllListener.NONE;
        } else if (request instanceof MonitorRequest r) {
            return r.listener() != MonitorListener.NONE;
        } else if (request instanceof MultipathRequest r) {
            return r.listener() != MultipathListener.NONE;
        } else if (request instanceof MtuRequest r) {
            return r.listener() != MtuListener.NONE;
        } else if (request instanceof PingRequest r) {
            return r.listener() != PingListener.NONE;
        }
        return false;
    }

    private static ObjectNode body(Object request) {
        if (request instanceof TraceRequest r) {
            return trace(r);
        } else if (request instanceof TraceAllRequest r) {
            ObjectNode n = NODES.objectNode();
            ArrayNode t = n.putArray("targets");
            r.targets().forEach(t::add);
            n.set("trace", trace(r.trace()));
            n.put("concurrency", r.concurrency());
            n.put("stopSet", r.stopSet());
            r.deadline().ifPresent(d -> n.put("deadlineNanos", d.toNanos()));
            return n;
        } else if (request instanceof MonitorRequest r) {
            return monitor(r);
        } else if (request instanceof MultipathRequest r) {
            return multipath(r);
        } else if (request instanceof MtuRequest r) {
            return mtu(r);
        } else if (request instanceof PingRequest r) {
            return ping(r);
        }
        throw new IllegalArgumentException("not recorded: " + request.getClass().getSimpleName());
    }

    /**
     * The request {@code n} holds; one that had a listener gets one that does nothing (an instance of its own, not
     * the kind's {@code NONE}), so that the engine does the work it did for the recorded one.
     */
    static Object read(String kind, JsonNode n) {
        Object request = body(kind, n);
        return n.path("listener").asBoolean(false) ? withListener(request) : request;
    }

    /** {@code request} (a request as read) with the listener of {@code from}, a request of the same kind. */
    static Object withListenerOf(Object request, Object from) {
        if (request instanceof TraceRequest r && from instanceof TraceRequest f) {
            return r.toBuilder().listener(f.listener()).build();
        } else if (request instanceof TraceAllRequest r && from instanceof TraceAllRequest f) {
            TraceAllRequest.Builder b = TraceAllRequest.builder(r.targets()).trace(r.trace())
                    .concurrency(r.concurrency()).stopSet(r.stopSet()).listener(f.listener());
            r.deadline().ifPresent(b::deadline);
            return b.build();
        } else if (request instanceof MonitorRequest r && from instanceof MonitorRequest f) {
            return r.toBuilder().listener(f.listener()).build();
        } else if (request instanceof MultipathRequest r && from instanceof MultipathRequest f) {
            return r.toBuilder().listener(f.listener()).build();
        } else if (request instanceof MtuRequest r && from instanceof MtuRequest f) {
            return r.toBuilder().listener(f.listener()).build();
        } else if (request instanceof PingRequest r && from instanceof PingRequest f) {
            return r.toBuilder().listener(f.listener()).build();
        }
        throw new IllegalArgumentException("not the same kind: " + request.getClass().getSimpleName() + ", "
                + from.getClass().getSimpleName());
    }

    /** {@code request} with a listener that does nothing. */
    static Object withListener(Object request) {
        if (request instanceof TraceRequest r) {
            return r.toBuilder().listener(new TraceListener() {}).build();
        } else if (request instanceof TraceAllRequest r) {
            TraceAllRequest.Builder b = TraceAllRequest.builder(r.targets()).trace(r.trace())
                    .concurrency(r.concurrency()).stopSet(r.stopSet()).listener(new TraceAllListener() {});
            r.deadline().ifPresent(b::deadline);
            return b.build();
        } else if (request instanceof MonitorRequest r) {
            return r.toBuilder().listener(new MonitorListener() {}).build();
        } else if (request instanceof MultipathRequest r) {
            return r.toBuilder().listener(new MultipathListener() {}).build();
        } else if (request instanceof MtuRequest r) {
            return r.toBuilder().listener(new MtuListener() {}).build();
        } else if (request instanceof PingRequest r) {
            return r.toBuilder().listener(new PingListener() {}).build();
        }
        throw new IllegalArgumentException("not recorded: " + request.getClass().getSimpleName());
    }

    private static Object body(String kind, JsonNode n) {
        return switch (kind) {
            case "trace" -> trace(n);
            case "traceAll" -> {
                List<String> targets = new ArrayList<>();
                n.path("targets").forEach(t -> targets.add(t.asText()));
                TraceAllRequest.Builder b = TraceAllRequest.builder(targets).trace(trace(n.path("trace")))
                        .concurrency(integer(n, "concurrency")).stopSet(bool(n, "stopSet"));
                if (n.has("deadlineNanos")) {
                    b.deadline(Duration.ofNanos(number(n, "deadlineNanos")));
                }
                yield b.build();
            }
            case "monitor" -> monitor(n);
            case "multipath" -> multipath(n);
            case "mtu" -> mtu(n);
            case "ping" -> ping(n);
            default -> throw new Codec.BadRecord("unknown measurement \"" + kind + "\"");
        };
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
        n.put("packetsPerSecond", r.packetsPerSecond());
        n.put("trafficClass", r.trafficClass().value());
        return n;
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
        set(d.packetsPerSecond(), integer(n, "packetsPerSecond"), b::packetsPerSecond);
        set(d.trafficClass(), TrafficClass.of(integer(n, "trafficClass")), b::trafficClass);
        return b.build();
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
        n.put("packetsPerSecond", r.packetsPerSecond());
        n.put("trafficClass", r.trafficClass().value());
        return n;
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
        set(d.packetsPerSecond(), integer(n, "packetsPerSecond"), b::packetsPerSecond);
        set(d.trafficClass(), TrafficClass.of(integer(n, "trafficClass")), b::trafficClass);
        return b.build();
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
        n.put("packetsPerSecond", r.packetsPerSecond());
        n.put("trafficClass", r.trafficClass().value());
        return n;
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
        set(d.packetsPerSecond(), integer(n, "packetsPerSecond"), b::packetsPerSecond);
        set(d.trafficClass(), TrafficClass.of(integer(n, "trafficClass")), b::trafficClass);
        return b.build();
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
        n.put("packetsPerSecond", r.packetsPerSecond());
        n.put("trafficClass", r.trafficClass().value());
        return n;
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
        set(d.recentProbes(), integer(n, "recentProbes"), b::recentProbes);
        set(d.packetsPerSecond(), integer(n, "packetsPerSecond"), b::packetsPerSecond);
        set(d.trafficClass(), TrafficClass.of(integer(n, "trafficClass")), b::trafficClass);
        return b.build();
    }

    // ---- helpers --------------------------------------------------------------------------------

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
