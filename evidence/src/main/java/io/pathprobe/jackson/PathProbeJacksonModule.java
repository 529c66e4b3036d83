package io.pathprobe.jackson;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.pathprobe.bufferbloat.BufferbloatLoad;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.LatencySample;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.Responder;
import io.pathprobe.json.BufferbloatJson;
import io.pathprobe.json.MultipathJson;
import io.pathprobe.json.PathProbeJson;
import io.pathprobe.json.PingJson;
import io.pathprobe.json.TraceJson;
import io.pathprobe.multipath.Diamond;
import io.pathprobe.multipath.MultipathLink;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.PathHop;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceResult;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A Jackson module for applications that put pathprobe's results into their own JSON: registered on
 * an {@code ObjectMapper} ({@code new ObjectMapper().registerModule(new PathProbeJacksonModule())}),
 * a {@link TraceResult}, {@link PingResult}, {@link MultipathResult} or {@link BufferbloatResult} is
 * written as its document's writer ({@link TraceJson}, {@link PingJson}, {@link MultipathJson},
 * {@link BufferbloatJson}; the parts documents share, {@link PathProbeJson}) writes it (the same fields,
 * {@code schemaVersion} first, durations in milliseconds where the field name says so, derived fields such as
 * {@code destinationReached}, {@code loss} and {@code maxWidth} included, a non-finite number as
 * null), and so are their parts wherever they appear: {@link Hop}, {@link ProbeResult},
 * {@link Responder}, {@link PathContext}, {@link AsnInfo}, {@link PingTargetResult},
 * {@link MultipathNode}, {@link MultipathLink}, {@link Diamond}, {@link MultipathPath},
 * {@link PathHop}, {@link RttStatistics}, {@link LatencySample} and {@link BufferbloatLoad} as the
 * elements of those documents. The documents are written field by field as they are, whatever the mapper's inclusion
 * or naming settings (nulls included): they are a schema others read.
 *
 * <p>Also registered, for the application's own types: {@link Optional} as its value or null,
 * {@link OptionalInt}, {@link OptionalLong} and {@link OptionalDouble} likewise (Jackson refuses them
 * without jackson-datatype-jdk8, whose module, registered after this one, takes these over), and
 * {@link InetAddress} as its address text (IPv6 in RFC 5952 form). A bare {@link java.time.Duration}
 * is left to the mapper (jackson-datatype-jsr310).
 *
 * <p>A {@link PingResult}'s {@code payloadSize} comes from the request it carries.
 *
 * <p><b>Write-only.</b> The module writes; it does not read the documents back into results (no
 * deserializers are registered: a result's records hold derived values and lookups in states a
 * document does not carry whole). Read the documents as JSON trees, or with the JSON Schema's types.
 */
public final class PathProbeJacksonModule extends SimpleModule {
    private static final long serialVersionUID = 1L;

    public PathProbeJacksonModule() {
        super("pathprobe", Version.unknownVersion());
        tree(TraceResult.class, TraceJson::tree);
        tree(Hop.class, TraceJson::tree);
        tree(ProbeResult.class, TraceJson::tree);
        tree(Responder.class, TraceJson::tree);
        tree(PathContext.class, PathProbeJson::tree);
        tree(AsnInfo.class, PathProbeJson::tree);
        tree(PingResult.class, PingJson::tree);
        tree(PingTargetResult.class, PingJson::tree);
        tree(MultipathResult.class, MultipathJson::tree);
        tree(MultipathNode.class, MultipathJson::tree);
        tree(MultipathLink.class, MultipathJson::tree);
        tree(Diamond.class, MultipathJson::tree);
        tree(MultipathPath.class, MultipathJson::tree);
        tree(PathHop.class, MultipathJson::tree);
        tree(RttStatistics.class, MultipathJson::tree);
        tree(BufferbloatResult.class, BufferbloatJson::tree);
        tree(LatencySample.class, BufferbloatJson::tree);
        tree(BufferbloatLoad.class, BufferbloatJson::tree);
        addSerializer(InetAddress.class, new StdSerializer<InetAddress>(InetAddress.class) {
            private static final long serialVersionUID = 1L;

            @Override
            public void serialize(InetAddress value, JsonGenerator gen,
                    SerializerProvider provider) throws IOException {
                gen.writeString(AddressText.of(value));
            }
        });
        addOptional();
        addSerializer(OptionalInt.class,
                new ValueOrNull<>(OptionalInt.class, o -> o.isPresent() ? o.getAsInt() : null));
        addSerializer(OptionalLong.class,
                new ValueOrNull<>(OptionalLong.class, o -> o.isPresent() ? o.getAsLong() : null));
        addSerializer(OptionalDouble.class,
                new ValueOrNull<>(OptionalDouble.class, o -> o.isPresent() ? o.getAsDouble() : null));
    }

    private <T> void tree(Class<T> type, Function<T, Map<String, @Nullable Object>> tree) {
        addSerializer(type, new StdSerializer<T>(type) {
            private static final long serialVersionUID = 1L;

            @Override
            public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                write(tree.apply(value), gen);
            }
        });
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void addOptional() {
        addSerializer(Optional.class, new ValueOrNull<Optional>(Optional.class, o -> o.orElse(null)));
    }

    /** An optional value as its value (the mapper's serializer for it) or null. */
    private static final class ValueOrNull<T> extends StdSerializer<T> {
        private static final long serialVersionUID = 1L;
        private final transient Function<T, @Nullable Object> value;

        ValueOrNull(Class<T> type, Function<T, @Nullable Object> value) {
            super(type);
            this.value = value;
        }

        @Override
        public boolean isEmpty(SerializerProvider provider, T v) {
            return value.apply(v) == null;
        }

        @Override
        public void serialize(T v, JsonGenerator gen, SerializerProvider provider) throws IOException {
            provider.defaultSerializeValue(value.apply(v), gen);
        }
    }

    /** A document tree (maps, lists, strings, numbers, booleans, nulls) as it is. */
    static void write(@Nullable Object v, JsonGenerator g) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Double d) {
            if (Double.isFinite(d)) {
                g.writeNumber(d);
            } else {
                g.writeNull();
            }
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName((String) e.getKey());
                write(e.getValue(), g);
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) {
                write(o, g);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
        }
    }
}
