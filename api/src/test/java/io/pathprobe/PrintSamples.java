package io.pathprobe;

import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.LoadDirection;
import io.pathprobe.compare.CompareRequest;
import io.pathprobe.diff.PathDiff;
import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.enrich.EnrichmentStatistics;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.evidence.Masking;
import io.pathprobe.evidence.RecordingOptions;
import io.pathprobe.json.MaskedJsonTestAccess;
import io.pathprobe.monitor.MonitorEvent;
import io.pathprobe.monitor.MonitorPath;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.mtu.MtuRequest;
import io.pathprobe.multipath.MultipathAlgorithm;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.options.ProbeOptions;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.probe.IpVersion;
import io.pathprobe.probe.PacketHeader;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.spi.Availability;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.TcpMode;
import io.pathprobe.trace.TraceAllRequest;
import io.pathprobe.trace.TraceAllResult;
import io.pathprobe.trace.TraceAllStatus;
import io.pathprobe.trace.TraceRequest;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Instances of the public types for {@link PublicTypesPrintTest}: results of every kind (the samples), every
 * request with every option set, what they hold, and records made from typical values.
 */
final class PrintSamples {
    private PrintSamples() {}

    static final InetAddress V4 = Samples.ip("198.18.50.14");
    static final InetAddress V6 = Samples.ip("2001:db8:50::14");

    /** Every option a request shares, set; the TTL range by its end only, as "max 20" is given. */
    static ProbeOptions options() {
        return ProbeOptions.builder().ipVersion(IpVersion.IPV4).protocol(ProbeProtocol.UDP).destinationPort(33434)
                .maxTtl(20).probesPerTtl(2).probeTimeout(Duration.ofMillis(1500)).deadline(Duration.ofSeconds(30))
                .packetsPerSecond(50).enrich(EnrichMode.BACKGROUND).trafficClass(TrafficClass.parse("EF/ect0")).build();
    }

    /** The roots: results of every kind, requests with every option, and the small values made by factories. */
    static List<Object> roots() {
        List<Object> roots = new ArrayList<>();
        roots.addAll(List.of(Samples.trace(), Samples.trace6(), Samples.ping(), Samples.udpPing(), Samples.multipath(),
                Samples.bufferbloat(), Samples.mtu(), Samples.monitor()));
        roots.addAll(MeasurementType.all());
        TraceRequest trace = TraceRequest.builder("198.18.50.14").options(options()).firstTtl(2).flowMode(FlowMode.PARIS)
                .flows(2).tcpMode(TcpMode.SYN).maxInFlight(8).sequential(true).build();
        roots.addAll(List.of(ProbeOptions.NONE, options(), ProbeOptions.builder().firstTtl(3).build(),
                ProbeOptions.builder().firstTtl(3).maxTtl(20).build(), trace, TraceRequest.of("2001:db8:50::14"),
                TraceAllRequest.builder(List.of("198.18.50.14", "198.18.50.15")).trace(trace).concurrency(4)
                        .stopSet(false).deadline(Duration.ofMinutes(2)).build(),
                PingRequest.builder("198.18.50.14", "a.example").options(options()).count(5)
                        .interval(Duration.ofMillis(200)).gap(Duration.ofMillis(1)).payloadSize(100).ttl(20)
                        .recentProbes(10).build(),
                PingRequest.builder(V4).kind(PingKind.DNS).dnsQuery("a.example", "AAAA").untilCancelled().build(),
                MultipathRequest.builder("198.18.50.14").options(options()).confidence(99)
                        .algorithm(MultipathAlgorithm.values()[0]).maxProbes(1000).pathProbes(5)
                        .pathInterval(Duration.ofMillis(250)).build(),
                MtuRequest.builder("198.18.50.14").ipVersion(IpVersion.IPV4).destinationPort(33434).maxTtl(20)
                        .probesPerTtl(2).probeTimeout(Duration.ofMillis(1500)).deadline(Duration.ofSeconds(30))
                        .packetsPerSecond(50).trafficClass(TrafficClass.parse("EF/ect0")).maxSize(9000).build(),
                CompareRequest.builder("198.18.50.14").tcpPort(8443).udpPort(40000).maxTtl(20)
                        .probeTimeout(Duration.ofMillis(1500)).deadline(Duration.ofSeconds(30)).build(),
                MonitorRequest.builder(trace).interval(Duration.ofMillis(500)).rounds(10).window(20).lossThreshold(0.2)
                        .latencyThreshold(Duration.ofMillis(50)).destinationLostAfter(3)
                        .deadline(Duration.ofMinutes(5)).build(),
                BufferbloatRequest.builder("https://nq.example:4443/.well-known/nq").direction(LoadDirection.CONCURRENT)
                        .deadline(Duration.ofSeconds(20)).interval(Duration.ofMillis(250)).maxConnections(8)
                        .insecure(true).build(),
                RecordingOptions.to(Path.of("run.ndjson")).rotated(1L << 20, 3),
                Masking.firstHops(2), Masking.firstHops(2).hiding(List.of(Samples.ip("192.168.1.1"))),
                Availability.available(), Availability.unavailable("socket(AF_INET, SOCK_RAW): EPERM"),
                TrafficClass.parse("EF/ect0"), TrafficClass.parse("0"), TracerStats.NONE, EnrichmentStatistics.NONE,
                PathContext.OFF, Lookup.pending(), Lookup.off(), Lookup.notFound(), Lookup.failed("timed out")));
        TraceAllResult all = new TraceAllResult(List.of(Samples.trace()), TraceAllStatus.COMPLETED, Samples.START,
                Duration.ofMillis(1500), 40, 9, TraceAllRequest.builder(List.of(Samples.trace().target())).build());
        MonitorRound round = new MonitorRound(7, Samples.trace(), Samples.monitor().path(), List.of(
                new MonitorEvent.PathChanged(7, Samples.monitor().path(), Samples.monitor().path())));
        roots.addAll(List.of(round, new MonitorRound(3, Samples.trace(), MonitorPath.NONE, List.of()),
                new ProbeResponse(1, ResponseKind.TIME_EXCEEDED, 11, 0, V4, 123_456),
                new ProbeResponse(2, ResponseKind.PACKET_TOO_BIG, 3, 4, V4, 123_456, 62, 1, 7, 0xbeef, 0xbeef,
                        List.of(), 576, 1400),
                PacketHeader.of(4, PacketHeader.UDP).withTtl(20).withTrafficClass(0xb8)));
        roots.addAll(List.of(all, MaskedJsonTestAccess.twoProtocols(), MaskedJsonTestAccess.remarked(),
                PathDiff.of(Samples.trace(), Samples.trace6()),
                PathDiff.of(Samples.trace(), Samples.trace()), PathDiff.of(Samples.monitor(), Samples.monitor()),
                new io.pathprobe.diff.HopChange.Identities(2, List.of(Samples.ip("198.18.251.1")),
                        List.of("198.18.251.1 <NODE:\"r2\">"), List.of("198.18.251.1 <NODE:\"r5\">"))));
        return roots;
    }

    /** Adds {@code o} and every public value it holds (record components, optionals, collections, maps) by class. */
    static void collect(Object o, Map<Class<?>, List<Object>> into, IdentityHashMap<Object, Boolean> seen) {
        if (o == null || seen.put(o, Boolean.TRUE) != null) {
            return;
        }
        if (o instanceof Optional<?> opt) {
            opt.ifPresent(v -> collect(v, into, seen));
            return;
        }
        if (o instanceof Collection<?> c) {
            c.forEach(v -> collect(v, into, seen));
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                collect(k, into, seen);
                collect(v, into, seen);
            });
            return;
        }
        Class<?> c = o.getClass();
        if (!c.getName().startsWith("io.pathprobe.")) {
            return;
        }
        List<Object> some = into.computeIfAbsent(c, k -> new ArrayList<>());
        if (some.size() < 40) {
            some.add(o);
        }
        if (c.isRecord()) {
            for (RecordComponent rc : c.getRecordComponents()) {
                try {
                    collect(rc.getAccessor().invoke(o), into, seen);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(c.getName() + "." + rc.getName(), e);
                }
            }
        }
    }

    /**
     * {@return a record made from typical component values (every Optional present and each list of one, or every
     * Optional empty and each list empty), or nothing when its checks refuse them}
     */
    static List<Object> made(Class<?> record, boolean present) {
        try {
            return List.of(make(record, present, 0));
        } catch (RuntimeException | ReflectiveOperationException e) {
            return List.of();
        }
    }

    private static Object make(Class<?> record, boolean present, int depth) throws ReflectiveOperationException {
        if (depth > 5) {
            throw new IllegalStateException("too deep");
        }
        RecordComponent[] rc = record.getRecordComponents();
        Class<?>[] types = new Class<?>[rc.length];
        Object[] args = new Object[rc.length];
        for (int i = 0; i < rc.length; i++) {
            types[i] = rc[i].getType();
            args[i] = value(rc[i].getGenericType(), present, depth + 1);
        }
        Constructor<?> k = record.getDeclaredConstructor(types);
        k.setAccessible(true);
        try {
            return k.newInstance(args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private static Object value(Type type, boolean present, int depth) throws ReflectiveOperationException {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] a = p.getActualTypeArguments();
            if (raw == Optional.class) {
                return present ? Optional.of(value(a[0], true, depth)) : Optional.empty();
            }
            if (raw == List.class || raw == Collection.class) {
                return present ? List.of(value(a[0], true, depth)) : List.of();
            }
            if (raw == Set.class) {
                return present ? Set.of(value(a[0], true, depth)) : Set.of();
            }
            if (raw == SortedSet.class) {
                return present ? new TreeSet<>(List.of(value(a[0], true, depth))) : new TreeSet<>();
            }
            if (raw == Map.class) {
                return present ? Map.of(value(a[0], true, depth), value(a[1], true, depth)) : Map.of();
            }
            if (raw == SortedMap.class) {
                TreeMap<Object, Object> m = new TreeMap<>();
                if (present) {
                    m.put(value(a[0], true, depth), value(a[1], true, depth));
                }
                return m;
            }
            return value(raw, present, depth);
        }
        Class<?> c = type instanceof Class<?> k ? k : Object.class;
        if (c == int.class || c == Integer.class) {
            return 2;
        }
        if (c == long.class || c == Long.class) {
            return 2L;
        }
        if (c == double.class || c == Double.class) {
            return 0.5;
        }
        if (c == boolean.class || c == Boolean.class) {
            return true;
        }
        if (c == String.class || c == Object.class || c == CharSequence.class) {
            return "a.example";
        }
        if (c == InetAddress.class || c == java.net.Inet4Address.class) {
            return V4;
        }
        if (c == java.net.Inet6Address.class) {
            return V6;
        }
        if (c == InetSocketAddress.class) {
            return new InetSocketAddress(V4, 53);
        }
        if (c == Duration.class) {
            return Duration.ofMillis(1500);
        }
        if (c == Instant.class) {
            return Samples.START;
        }
        if (c == Path.class) {
            return Path.of("run.ndjson");
        }
        if (c == URI.class) {
            return URI.create("https://nq.example:4443/.well-known/nq");
        }
        if (c == OptionalInt.class) {
            return present ? OptionalInt.of(2) : OptionalInt.empty();
        }
        if (c == OptionalLong.class) {
            return present ? OptionalLong.of(2) : OptionalLong.empty();
        }
        if (c == OptionalDouble.class) {
            return present ? OptionalDouble.of(0.5) : OptionalDouble.empty();
        }
        if (c == byte[].class) {
            return new byte[] {1, 2, 3};
        }
        if (c == int[].class) {
            return new int[] {1, 2};
        }
        if (c.isEnum()) {
            return c.getEnumConstants()[0];
        }
        if (c.isRecord()) {
            return make(c, present, depth);
        }
        if (c.isSealed()) {
            RuntimeException last = null;
            for (Class<?> sub : c.getPermittedSubclasses()) {
                try {
                    return value(sub, present, depth);
                } catch (RuntimeException e) {
                    last = e;
                }
            }
            throw last != null ? last : new IllegalStateException("no subclass of " + c);
        }
        for (java.lang.reflect.Field f : c.getFields()) { // a constant of its own type: PathContext.OFF, ProbeOptions.NONE
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == c) {
                return f.get(null);
            }
        }
        throw new IllegalStateException("no value of " + c.getName());
    }
}
